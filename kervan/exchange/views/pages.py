"""The exchange's pages, as one router for ``kervan.web.pages.install_ui``."""

from __future__ import annotations

from fastapi import APIRouter

from kervan.exchange.views import ask, dead_letters, nationals

router = APIRouter(include_in_schema=False)
for part in (nationals.router, ask.router, dead_letters.router):
    router.include_router(part)
