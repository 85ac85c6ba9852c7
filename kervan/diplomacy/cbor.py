"""The small part of CBOR (RFC 8949) a pass needs: integers, byte and text strings, arrays,
maps and tags, written deterministically (§4.2: shortest heads, map keys sorted by their
encoding) and read with hard limits.

Our own rather than a library's so that the tests can check every pass with an independent
decoder (``cbor2``), and because a verifier reads bytes a stranger hands over: the reader
refuses indefinite lengths, floats, nesting deeper than ``MAX_DEPTH`` and lengths beyond the
input, instead of trusting them."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 8
MAX_ITEMS = 256


class CborError(ValueError):
    """The bytes are not the CBOR a pass is made of."""


@dataclass(frozen=True, slots=True)
class Tag:
    number: int
    value: Any


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if value < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, value)
    raise CborError("integer too large")


def encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        return bytes([0xF5 if value is True else 0xF4 if value is False else 0xF6])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list | tuple):
        return _head(4, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, dict):
        pairs = sorted((encode(k), encode(v)) for k, v in value.items())
        return _head(5, len(pairs)) + b"".join(k + v for k, v in pairs)
    if isinstance(value, Tag):
        return _head(6, value.number) + encode(value.value)
    raise CborError(f"cannot encode {type(value).__name__}")


def decode(data: bytes) -> Any:
    """One complete data item; trailing bytes are an error."""
    value, end = _read(data, 0, 0)
    if end != len(data):
        raise CborError("bytes after the end of the item")
    return value


def _argument(data: bytes, pos: int, info: int) -> tuple[int, int]:
    if info < 24:
        return info, pos
    sizes = {24: 1, 25: 2, 26: 4, 27: 8}
    if info not in sizes:
        raise CborError("indefinite lengths and reserved values are not accepted")
    size = sizes[info]
    if pos + size > len(data):
        raise CborError("truncated")
    return int.from_bytes(data[pos : pos + size], "big"), pos + size


def _read(data: bytes, pos: int, depth: int) -> tuple[Any, int]:
    if depth > MAX_DEPTH:
        raise CborError("nested too deeply")
    if pos >= len(data):
        raise CborError("truncated")
    major, info = data[pos] >> 5, data[pos] & 0x1F
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info not in simple:
            raise CborError("floats and other simple values are not accepted")
        return simple[info], pos + 1
    arg, pos = _argument(data, pos + 1, info)
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major in (2, 3):
        if pos + arg > len(data):
            raise CborError("string runs past the end")
        raw = data[pos : pos + arg]
        try:
            return (raw if major == 2 else raw.decode("utf-8")), pos + arg
        except UnicodeDecodeError as exc:
            raise CborError("text is not UTF-8") from exc
    if major == 6:
        inner, pos = _read(data, pos, depth + 1)
        return Tag(arg, inner), pos
    if arg > MAX_ITEMS:
        raise CborError("too many items")
    if major == 4:
        items = []
        for _ in range(arg):
            item, pos = _read(data, pos, depth + 1)
            items.append(item)
        return items, pos
    result: dict[Any, Any] = {}
    for _ in range(arg):
        key, pos = _read(data, pos, depth + 1)
        if not isinstance(key, int | str):
            raise CborError("map keys must be integers or text")
        if key in result:
            raise CborError("duplicate map key")
        result[key], pos = _read(data, pos, depth + 1)
    return result, pos
