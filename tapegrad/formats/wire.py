"""Protocol-buffer wire format, by hand: the few messages TF's files hold (Example, TensorProto,
the checkpoint's BundleEntryProto and TrackableObjectGraph) are small and fixed, so a
hundred lines of varints spare tapegrad a dependency on the ``protobuf`` package.

A message is decoded into a dict ``{field number: [values]}`` (repeated fields keep their
order); varints come back as ints, length-delimited fields as bytes, fixed32/64 as bytes.
"""

from __future__ import annotations

import struct

from ..engine.errors import DataLossError

__all__ = ["varint", "field", "ld", "uint", "fixed32", "message", "read_varint", "parse",
           "first", "signed"]

VARINT, FIXED64, LEN, FIXED32 = 0, 1, 2, 5


def varint(n: int) -> bytes:
    """The varint bytes of ``n`` (negative numbers as their 64-bit two's complement).

    >>> from tapegrad.formats.wire import varint
    >>> varint(300).hex()
    'ac02'
    """
    n &= (1 << 64) - 1
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def field(num: int, wire: int, body: bytes) -> bytes:
    return varint(num << 3 | wire) + body


def ld(num: int, data: bytes) -> bytes:
    """A length-delimited field (bytes, string, sub-message, packed values)."""
    return field(num, LEN, varint(len(data)) + data)


def uint(num: int, n: int) -> bytes:
    """A varint field (int32/int64/uint/bool/enum)."""
    return field(num, VARINT, varint(int(n)))


def fixed32(num: int, n: int) -> bytes:
    return field(num, FIXED32, struct.pack("<I", n & 0xFFFFFFFF))


def message(*parts: bytes) -> bytes:
    return b"".join(parts)


def read_varint(data: bytes, i: int, what: str = "message") -> tuple[int, int]:
    """``(value, next index)`` of the varint at ``data[i]``; truncation is a DataLossError."""
    n = shift = 0
    while True:
        if i >= len(data) or shift > 63:
            raise DataLossError(f"{what}: truncated or overlong varint at byte {i}")
        b = data[i]
        n |= (b & 0x7F) << shift
        i += 1
        if not b & 0x80:
            return n, i
        shift += 7


def parse(data: bytes, what: str = "message") -> dict[int, list]:
    """Decode one message into ``{field number: [values]}``.

    >>> from tapegrad.formats.wire import ld, parse, uint
    >>> parse(uint(1, 7) + ld(2, b"ab") + uint(1, 8))
    {1: [7, 8], 2: [b'ab']}
    """
    out: dict[int, list] = {}
    i, end = 0, len(data)
    while i < end:
        key, i = read_varint(data, i, what)
        num, wire = key >> 3, key & 7
        if wire == VARINT:
            val, i = read_varint(data, i, what)
        elif wire == LEN:
            n, i = read_varint(data, i, what)
            if n > end - i:
                raise DataLossError(f"{what}: field {num} claims {n} bytes, {end - i} remain")
            val, i = bytes(data[i:i + n]), i + n
        elif wire in (FIXED32, FIXED64):
            n = 4 if wire == FIXED32 else 8
            if n > end - i:
                raise DataLossError(f"{what}: truncated fixed field {num}")
            val, i = bytes(data[i:i + n]), i + n
        else:
            raise DataLossError(f"{what}: unsupported wire type {wire} for field {num}")
        if num == 0:
            raise DataLossError(f"{what}: field number 0 is invalid")
        out.setdefault(num, []).append(val)
    return out


def first(msg: dict, num: int, default=None):
    """The last value of a non-repeated field (protobuf's rule), or ``default``."""
    vals = msg.get(num)
    return vals[-1] if vals else default


def signed(n: int) -> int:
    """A varint read back as a signed 64-bit integer."""
    return n - (1 << 64) if n >= 1 << 63 else n


def packed_varints(vals: list) -> list[int]:
    """Values of a repeated varint field, packed (bytes) or not (ints)."""
    out: list[int] = []
    for v in vals:
        if isinstance(v, bytes):
            i = 0
            while i < len(v):
                n, i = read_varint(v, i, "packed field")
                out.append(n)
        else:
            out.append(v)
    return out
