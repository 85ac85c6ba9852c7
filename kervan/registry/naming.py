"""The derived name columns of a person (ICAO form and search keys), computed in one place so
that the service, imports and the data generator always agree with the search.

Names repeat a great deal in a register (a few thousand given and family names cover most
people), so the per-word work is cached: deriving the columns of a million persons then costs
little more than a dictionary look-up per name part.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kervan.identity.names import fold, name_tokens, skeleton
from kervan.identity.translit import detect_script, to_mrz

_CACHE_SIZE = 1 << 17


@dataclass(frozen=True, slots=True)
class NameColumns:
    primary_identifier: str
    secondary_identifier: str
    name_script: str
    name_key: str
    primary_skeleton: str
    secondary_skeleton: str

    def as_dict(self) -> dict[str, str]:
        return {
            "primary_identifier": self.primary_identifier,
            "secondary_identifier": self.secondary_identifier,
            "name_script": self.name_script,
            "name_key": self.name_key,
            "primary_skeleton": self.primary_skeleton,
            "secondary_skeleton": self.secondary_skeleton,
        }


@lru_cache(maxsize=_CACHE_SIZE)
def part_tokens(part: str) -> tuple[str, ...]:
    """The folded words of one name part (family or given names), patronymics left out —
    unless the part is nothing but a patronymic form: Kyrgyz family names such as
    «Асан уулу» are written that way, and must still be searchable."""
    if not part:
        return ()
    return tuple(name_tokens(part, "")) or tuple(fold(part).split())


@lru_cache(maxsize=_CACHE_SIZE)
def token_skeleton(token: str) -> str:
    return skeleton(token)


@lru_cache(maxsize=_CACHE_SIZE)
def mrz_form(part: str) -> str:
    return to_mrz(part)


@lru_cache(maxsize=_CACHE_SIZE)
def _script(text: str) -> str:
    return detect_script(text)


def _name_script(primary_name: str, secondary_name: str) -> str:
    # Cached per part (parts repeat, whole names rarely do); a mixed name is judged whole.
    primary, secondary = _script(primary_name), _script(secondary_name)
    if not secondary_name or primary == secondary:
        return primary
    return _script(primary_name + secondary_name)


def name_columns(
    primary_name: str,
    secondary_name: str,
    primary_identifier: str | None = None,
    secondary_identifier: str | None = None,
) -> NameColumns:
    """Derive the stored name columns. The ICAO identifiers come from the travel document when
    known (passports may spell a name differently from the table), else by transliteration."""
    primary_id = primary_identifier or mrz_form(primary_name)
    secondary_id = (
        secondary_identifier if secondary_identifier is not None else mrz_form(secondary_name)
    )
    primary_tokens = part_tokens(primary_name)
    secondary_tokens = part_tokens(secondary_name)
    key_tokens = dict.fromkeys(
        [*primary_tokens, *secondary_tokens, *part_tokens(primary_id), *part_tokens(secondary_id)]
    )
    return NameColumns(
        primary_identifier=primary_id,
        secondary_identifier=secondary_id,
        name_script=_name_script(primary_name, secondary_name),
        name_key=" ".join(key_tokens),
        primary_skeleton=token_skeleton(primary_tokens[0]) if primary_tokens else "",
        secondary_skeleton=token_skeleton(secondary_tokens[0]) if secondary_tokens else "",
    )
