"""The history of a first load: one entry per batch of rows rather than two per record.

A first load writes tens of thousands of persons and documents a second; an "issued" and a
"created" history row for each doubles what it writes. Instead each batch of the load is one
``import_batches`` row, and the ids the batch gave its persons and documents form one
contiguous, strictly increasing range (``storage.uuid7_hex``), so "which batch created this
record" is a range look-up. The histories a person or document shows begin with the entry its
batch stands for (``batches``)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from kervan.db.base import Base, IdMixin, utcnow


class ImportBatch(IdMixin, Base):
    __tablename__ = "import_batches"

    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)  # "import of <file name>", as per-record history
    first_row: Mapped[int] = mapped_column(Integer)  # file rows of the batch
    last_row: Mapped[int] = mapped_column(Integer)
    # Every person, passport and document the batch created has an id in this range.
    first_record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    last_record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    persons_created: Mapped[int] = mapped_column(Integer)
    documents_created: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_import_batches_first_record_id", "first_record_id"),)
