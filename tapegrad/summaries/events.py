"""TensorBoard event files without dependencies: the TFRecord framing (length, masked
CRC-32C, payload, masked CRC-32C) around ``Event`` protocol buffers encoded by hand.

Only the few message fields TensorBoard reads are written (``Event``: wall_time, step,
file_version, summary; ``Summary.Value``: tag, simple_value, image, histo, tensor, metadata).
"""

from __future__ import annotations

import struct

from ..formats.crc import crc32c, masked_crc32c  # one CRC for every format

__all__ = ["crc32c", "masked_crc32c", "record", "read_records", "event", "value"]


def record(payload: bytes) -> bytes:
    """One TFRecord: length, its masked CRC, the payload, its masked CRC."""
    head = struct.pack("<Q", len(payload))
    return (head + struct.pack("<I", masked_crc32c(head)) + payload +
            struct.pack("<I", masked_crc32c(payload)))


def read_records(data: bytes) -> list[bytes]:
    """The payloads of a TFRecord byte string; a bad length or checksum is a ValueError.

    >>> from tapegrad.summaries.events import record, read_records
    >>> read_records(record(b"a") + record(b"bc"))
    [b'a', b'bc']
    """
    out, i = [], 0
    while i < len(data):
        if i + 12 > len(data):
            raise ValueError(f"read_records: truncated record header at byte {i}.")
        head = data[i:i + 8]
        (n,) = struct.unpack("<Q", head)
        if struct.unpack("<I", data[i + 8:i + 12])[0] != masked_crc32c(head):
            raise ValueError(f"read_records: bad length checksum at byte {i}.")
        if i + 16 + n > len(data):
            raise ValueError(f"read_records: record at byte {i} claims {n} bytes past the end.")
        payload = data[i + 12:i + 12 + n]
        if struct.unpack("<I", data[i + 12 + n:i + 16 + n])[0] != masked_crc32c(payload):
            raise ValueError(f"read_records: bad payload checksum at byte {i}.")
        out.append(payload)
        i += 16 + n
    return out


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(num: int, wire: int, body: bytes) -> bytes:
    return _varint(num << 3 | wire) + body


def _bytes(num: int, data: bytes) -> bytes:
    return _field(num, 2, _varint(len(data)) + data)


def _double(num: int, x: float) -> bytes:
    return _field(num, 1, struct.pack("<d", x))


def _int(num: int, n: int) -> bytes:
    return _field(num, 0, _varint(int(n)))


def plugin_metadata(plugin: str, content: bytes = b"") -> bytes:
    data = _bytes(1, plugin.encode()) + (_bytes(2, content) if content else b"")
    return _bytes(1, data)


def histogram_proto(mn: float, mx: float, num: float, total: float, sum_sq: float,
                    limits: list, counts: list) -> bytes:
    packed = lambda xs: b"".join(struct.pack("<d", float(x)) for x in xs)  # noqa: E731
    return (_double(1, mn) + _double(2, mx) + _double(3, num) + _double(4, total) +
            _double(5, sum_sq) + _bytes(6, packed(limits)) + _bytes(7, packed(counts)))


def image_proto(height: int, width: int, channels: int, png: bytes) -> bytes:
    return _int(1, height) + _int(2, width) + _int(3, channels) + _bytes(4, png)


def string_tensor(data: bytes) -> bytes:
    """A scalar DT_STRING TensorProto (dtype 7, empty shape, one string_val)."""
    return _int(1, 7) + _bytes(2, b"") + _bytes(8, data)


def value(tag: str, simple_value: float | None = None, image: bytes | None = None,
          histo: bytes | None = None, tensor: bytes | None = None,
          metadata: bytes | None = None) -> bytes:
    """One ``Summary.Value`` message."""
    out = _bytes(1, tag.encode())
    if simple_value is not None:
        out += _field(2, 5, struct.pack("<f", simple_value))
    if image is not None:
        out += _bytes(4, image)
    if histo is not None:
        out += _bytes(5, histo)
    if tensor is not None:
        out += _bytes(8, tensor)
    if metadata is not None:
        out += _bytes(9, metadata)
    return out


def event(wall_time: float, step: int = 0, file_version: str | None = None,
          summary_values: list | None = None) -> bytes:
    """One ``Event`` message."""
    out = _double(1, wall_time) + _int(2, step)
    if file_version is not None:
        out += _bytes(3, file_version.encode())
    if summary_values is not None:
        out += _bytes(5, b"".join(_bytes(1, v) for v in summary_values))
    return out
