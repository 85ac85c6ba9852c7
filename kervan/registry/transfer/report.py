"""What an import reports: counts, and every bad row by number, column and reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from kervan.errors import InvalidInput

#: Reports keep at most this many row errors (the total is always counted): a file that is wrong
#: on every one of a million rows needs its first few thousand problems, not a gigabyte report.
MAX_ERRORS = 10_000

Outcome = Literal["imported", "rejected", "dry_run"]


class ImportFileError(InvalidInput):
    """The file as a whole cannot be read: wrong format, not UTF-8, unknown or missing columns.
    Raised before any row is imported."""

    type_slug = "invalid-import-file"
    title = "The file cannot be imported"


class ImportTooLarge(ImportFileError):
    """The file breaks one of the import limits (bytes, rows, columns, inflated size)."""

    status = 413
    type_slug = "import-too-large"
    title = "The file is larger than this node imports"


#: How much of a value from the file a message quotes: enough to find it, never the whole of a
#: cell or a header that may be megabytes long.
ECHO_CHARS = 40


def echo(value: object, limit: int = ECHO_CHARS) -> str:
    """``repr`` of a value from the file, cut to ``limit`` characters (with an ellipsis)."""
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "…")


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str | None  # None when the problem is the row as a whole
    message: str
    code: str = ""  # with ``params``: how the officer's page words it (kervan.messages)
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    file_name: str
    file_format: str
    dry_run: bool
    all_or_nothing: bool
    rows: int = 0
    persons_created: int = 0
    documents_created: int = 0
    documents_corrected: int = 0
    unchanged: int = 0
    rows_rejected: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    outcome: Outcome = "imported"
    initial: bool = False  # a first load (``first_load``)

    def add_errors(self, errors: list[RowError]) -> None:
        self.error_count += len(errors)
        room = MAX_ERRORS - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])

    @property
    def errors_truncated(self) -> bool:
        return self.error_count > len(self.errors)

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "persons_created": self.persons_created,
            "documents_created": self.documents_created,
            "documents_corrected": self.documents_corrected,
            "unchanged": self.unchanged,
            "rows_rejected": self.rows_rejected,
            "error_count": self.error_count,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "file_name": self.file_name,
            "format": self.file_format,
            "dry_run": self.dry_run,
            "all_or_nothing": self.all_or_nothing,
            "outcome": self.outcome,
            "initial": self.initial,
            **self.counts(),
            "errors_truncated": self.errors_truncated,
            "errors": [e.as_dict() for e in self.errors],
        }

    def summary(self) -> str:
        verb = {
            "imported": "imported",
            "rejected": "rejected, nothing written",
            "dry_run": "dry run, nothing written",
        }[self.outcome]
        bad = f"{self.rows_rejected} bad row(s)" + (
            f" ({self.error_count} problem(s))" if self.error_count else ""
        )
        return (
            f"{self.file_name}: {verb}: {self.rows} rows; {self.persons_created} persons created; "
            f"{self.documents_created} documents created, {self.documents_corrected} corrected, "
            f"{self.unchanged} unchanged; {bad}"
        )
