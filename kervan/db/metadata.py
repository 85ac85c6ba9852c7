"""Import every context's models so ``Base.metadata`` knows all tables (Alembic, tests)."""

from __future__ import annotations

import kervan.accounts.models
import kervan.assistance.models
import kervan.benefits.models
import kervan.diplomacy.models
import kervan.exchange.models
import kervan.measures.models
import kervan.ops.models
import kervan.registry.models
import kervan.registry.transfer.models
import kervan.repatriation.models
import kervan.reports.models  # noqa: F401
from kervan.db.base import Base

metadata = Base.metadata
