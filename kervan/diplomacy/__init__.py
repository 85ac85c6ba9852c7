"""Diplomacy: the accreditation register, airport access requests across borders, signed
passes, and the offline verifier (docs/diplomacy.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI


def install(app: FastAPI | None = None) -> None:
    """Wire diplomacy into a node: its message types always (the CLI and workers need them);
    with ``app``, its API and pages and its templates. Idempotent."""
    from kervan.diplomacy import messages

    messages.install()
    if app is None or getattr(app.state, "diplomacy_installed", False):
        return
    from jinja2 import PackageLoader

    from kervan.diplomacy.api import router as api_router
    from kervan.diplomacy.verifier_pages import router as verifier_router
    from kervan.diplomacy.views import router as views_router

    app.include_router(api_router)
    app.include_router(verifier_router)
    app.include_router(views_router)
    templates = getattr(app.state, "templates", None)
    if templates is not None:  # the UI is installed: add our templates to its loader
        templates.loader.loaders.append(PackageLoader("kervan.diplomacy", "templates"))
    app.state.diplomacy_installed = True
