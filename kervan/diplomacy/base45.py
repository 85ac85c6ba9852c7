"""Base45 (RFC 9285): bytes as the characters of a QR code's alphanumeric mode, which packs
them 5.5 bits each instead of 8 in byte mode."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


class Base45Error(ValueError):
    """The text is not Base45."""


def encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out += [ALPHABET[n % 45], ALPHABET[n // 45 % 45], ALPHABET[n // 2025]]
    if len(data) % 2:
        out += [ALPHABET[data[-1] % 45], ALPHABET[data[-1] // 45]]
    return "".join(out)


def decode(text: str) -> bytes:
    try:
        values = [_VALUE[c] for c in text]
    except KeyError as exc:
        raise Base45Error(f"character {exc.args[0]!r} is not Base45") from None
    if len(values) % 3 == 1:
        raise Base45Error("length is not a Base45 length")
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i : i + 3]
        n = sum(v * 45**k for k, v in enumerate(chunk))
        if len(chunk) == 3:
            if n > 0xFFFF:
                raise Base45Error("a triple is out of range")
            out += n.to_bytes(2, "big")
        else:
            if n > 0xFF:
                raise Base45Error("a pair is out of range")
            out.append(n)
    return bytes(out)
