"""The derived name columns of a person (ICAO form and search keys), computed in one place so
that the service, imports and the data generator always agree with the search."""

from __future__ import annotations

from dataclasses import dataclass

from kervan.identity.names import name_tokens, skeleton
from kervan.identity.translit import detect_script, to_mrz


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


def name_columns(
    primary_name: str,
    secondary_name: str,
    primary_identifier: str | None = None,
    secondary_identifier: str | None = None,
) -> NameColumns:
    """Derive the stored name columns. The ICAO identifiers come from the travel document when
    known (passports may spell a name differently from the table), else by transliteration."""
    primary_id = primary_identifier or to_mrz(primary_name)
    secondary_id = secondary_identifier if secondary_identifier is not None else to_mrz(
        secondary_name
    )
    tokens_written = name_tokens(primary_name, secondary_name)
    tokens_icao = name_tokens(primary_id, secondary_id)
    key_tokens = list(dict.fromkeys([*tokens_written, *tokens_icao]))
    primary_tokens = name_tokens(primary_name, "")
    secondary_tokens = name_tokens("", secondary_name)
    return NameColumns(
        primary_identifier=primary_id,
        secondary_identifier=secondary_id,
        name_script=detect_script(primary_name + secondary_name),
        name_key=" ".join(key_tokens),
        primary_skeleton=skeleton(primary_tokens[0]) if primary_tokens else "",
        secondary_skeleton=skeleton(secondary_tokens[0]) if secondary_tokens else "",
    )
