"""Measures: emergency regimes as data — extensions, waivers, benefits — applied to the whole
register in set-based SQL, and explained per person. See docs/measures.md."""

from __future__ import annotations


def install() -> None:
    """Register the listeners that bring new and corrected documents, and newly recorded
    violations, under the measures in force. Called once by the app factory and the CLI; safe
    to call again."""
    from kervan.measures import listeners
    from kervan.registry import hooks

    hooks.on_document_changed(listeners.document_changed)
    hooks.on_documents_bulk_changed(listeners.documents_bulk_changed)
    hooks.on_violation_recorded(listeners.violation_recorded)
