"""What text a person types may hold: any script, any punctuation, but no control characters.

PostgreSQL cannot store NUL at all (a NUL in a name failed the request there while SQLite kept
it), and no control character belongs in a name, a token's label or a form field; refusing them
where the text comes in keeps both databases alike."""

from __future__ import annotations

#: For ``StringConstraints(pattern=...)``: tab, line feed and carriage return stay allowed.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
