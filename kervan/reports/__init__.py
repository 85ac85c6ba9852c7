"""Reports: situation reports computed set-based from the register, protected by disclosure
control (primary and secondary suppression, audited by linear programs across periods),
exchanged with the secretariat and the home states, charted and exported (docs/reports.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """Wire reports into a node: the register's sections (other capabilities add theirs from
    their own ``install`` through ``kervan.reports.sections.register``)."""
    from kervan.reports import sections

    sections.register_builtin()
