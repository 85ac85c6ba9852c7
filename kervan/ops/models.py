"""Which state a database belongs to: one row, written when the node first claims it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kervan.db.base import Base, utcnow


class NodeIdentity(Base):
    """A register is one state's: a database claimed by KAZ refuses to serve as TUR's node."""

    __tablename__ = "node_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, default=1)
    state: Mapped[str] = mapped_column(String(3))
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
