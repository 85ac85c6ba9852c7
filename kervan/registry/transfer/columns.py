"""The row format of imports and exports: one row per stay document with its person's columns,
as the states' current systems export them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kervan.registry import messages
from kervan.registry.transfer.report import ImportFileError, echo

#: Every column, in the order exports write them.
COLUMNS: tuple[str, ...] = (
    "primary_name",
    "secondary_name",
    "patronymic",
    "primary_identifier",
    "secondary_identifier",
    "nationality",
    "birth_date",
    "sex",
    "passport_number",
    "passport_issuing_state",
    "passport_expiry",
    "document_kind",
    "document_number",
    "purpose",
    "valid_from",
    "valid_until",
    "status",
    "region",
)

#: Columns a file may leave out entirely (an empty cell means "not given").
OPTIONAL: frozenset[str] = frozenset(
    {
        "patronymic",
        "primary_identifier",
        "secondary_identifier",
        "passport_expiry",
        "status",
        "region",
    }
)

REQUIRED: tuple[str, ...] = tuple(c for c in COLUMNS if c not in OPTIONAL)

_KNOWN = frozenset(COLUMNS)


def normalise_header(name: object) -> str:
    """Header cells as exported by spreadsheets: stray spaces and capitals are not errors."""
    return "" if name is None else str(name).strip().lower()


def check_header(columns: Iterable[str]) -> None:
    """Raise one file-level error naming every unknown, missing or repeated column."""
    seen: list[str] = list(columns)
    problems: list[str] = []
    unknown = [c for c in seen if c not in _KNOWN]
    missing = [c for c in REQUIRED if c not in seen]
    repeated = sorted(c for c, n in Counter(seen).items() if n > 1)
    if unknown:
        shown = ", ".join(echo(c) for c in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        problems.append(f"unknown column(s): {shown}{more}")
    if missing:
        problems.append("missing required column(s): " + ", ".join(missing))
    if repeated:
        problems.append("repeated column(s): " + ", ".join(c[:40] for c in repeated[:10]))
    if problems:
        raise ImportFileError(
            "; ".join(problems)
            + ". Expected the columns "
            + ", ".join(COLUMNS)
            + " (optional: "
            + ", ".join(sorted(OPTIONAL))
            + ")",
            code=messages.IMPORT_COLUMNS,
            params={"expected": ", ".join(COLUMNS)},
        )


#: One row as the documentation shows it (a Kazakh node's register, an Uzbek worker).
EXAMPLE_ROW: dict[str, str] = {
    "primary_name": "Каримов",
    "secondary_name": "Шерзод",
    "patronymic": "Бахтиёрович",
    "primary_identifier": "KARIMOV",
    "secondary_identifier": "SHERZOD",
    "nationality": "UZB",
    "birth_date": "1990-XX-XX",
    "sex": "M",
    "passport_number": "AA1234567",
    "passport_issuing_state": "UZB",
    "passport_expiry": "2030-05-31",
    "document_kind": "work_permit",
    "document_number": "WK12345678",
    "purpose": "work",
    "valid_from": "2025-01-15",
    "valid_until": "2026-01-14",
    "status": "active",
    "region": "KZ-75",
}
