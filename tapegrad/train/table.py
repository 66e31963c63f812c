"""The sorted string table of a checkpoint's ``.index`` file (TF's ``core/lib/io/table``, the
LevelDB layout): data blocks of prefix-compressed entries with restart points, an index block
pointing at them, an empty meta-index block and a 48-byte footer ending in a magic number.

Every block is followed by a type byte (0: uncompressed) and the masked CRC-32C of block and
type; the reader checks each CRC and every offset against the file's size before reading.
"""

from __future__ import annotations

import struct

from ..engine.errors import DataLossError
from ..formats.wire import read_varint, varint
from ..formats.crc import crc32c, masked_crc32c, unmask

__all__ = ["build_table", "read_table"]

MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
BLOCK_SIZE = 262144      # TF's default table block size
RESTART_INTERVAL = 16    # TF's default; the index block restarts at every entry


def _block(entries: list[tuple[bytes, bytes]], interval: int) -> bytes:
    out, restarts, last = bytearray(), [], b""
    for k, (key, value) in enumerate(entries):
        shared = 0
        if k % interval:
            while shared < min(len(last), len(key)) and last[shared] == key[shared]:
                shared += 1
        else:
            restarts.append(len(out))
        out += varint(shared) + varint(len(key) - shared) + varint(len(value))
        out += key[shared:] + value
        last = key
    restarts = restarts or [0]
    out += b"".join(struct.pack("<I", r) for r in restarts) + struct.pack("<I", len(restarts))
    return bytes(out)


def _short_successor(key: bytes) -> bytes:
    """The shortest key >= ``key`` (TF's FindShortSuccessor): bump the first byte not 0xff."""
    for i, b in enumerate(key):
        if b != 0xFF:
            return key[:i] + bytes([b + 1])
    return key


def build_table(items: list[tuple[bytes, bytes]]) -> bytes:
    """The bytes of a table holding ``items`` (sorted by key here, as TF's builder requires).

    >>> from tapegrad.train.table import build_table, read_table
    >>> read_table(build_table([(b"b", b"2"), (b"a", b"1")]))
    [(b'a', b'1'), (b'b', b'2')]
    """
    items = sorted(items)
    out, index = bytearray(), []

    def flush(block_items: list, last: bool) -> None:
        body = _block(block_items, RESTART_INTERVAL)
        handle = varint(len(out)) + varint(len(body))
        out.extend(body + b"\0" + struct.pack("<I", masked_crc32c(body + b"\0")))
        key = block_items[-1][0]
        index.append((_short_successor(key) if last else key, handle))

    pending: list = []
    size = 0
    for key, value in items:
        pending.append((key, value))
        size += len(key) + len(value) + 12
        if size >= BLOCK_SIZE:
            flush(pending, False)
            pending, size = [], 0
    if pending:
        flush(pending, True)
    meta = _block([], 1)
    meta_handle = varint(len(out)) + varint(len(meta))
    out += meta + b"\0" + struct.pack("<I", masked_crc32c(meta + b"\0"))
    idx = _block(index, 1)
    idx_handle = varint(len(out)) + varint(len(idx))
    out += idx + b"\0" + struct.pack("<I", masked_crc32c(idx + b"\0"))
    footer = (meta_handle + idx_handle).ljust(FOOTER_SIZE - 8, b"\0")
    return bytes(out + footer + struct.pack("<Q", MAGIC))


def _read_block(data: bytes, handle: bytes, what: str) -> bytes:
    offset, i = read_varint(handle, 0, what)
    size, _ = read_varint(handle, i, what)
    if offset + size + 5 > len(data) - FOOTER_SIZE:
        raise DataLossError(f"{what}: block at {offset} of {size} bytes lies past the end of "
                            f"the {len(data)}-byte file (truncated?)")
    body = data[offset:offset + size]
    kind = data[offset + size]
    (stored,) = struct.unpack("<I", data[offset + size + 1:offset + size + 5])
    if crc32c(body + bytes([kind])) != unmask(stored):
        raise DataLossError(f"{what}: block checksum mismatch at byte {offset} (corrupted)")
    if kind != 0:
        raise DataLossError(f"{what}: compressed table blocks (type {kind}) are not supported")
    return body


def _entries(block: bytes, what: str) -> list[tuple[bytes, bytes]]:
    if len(block) < 4:
        raise DataLossError(f"{what}: block too short")
    (n_restarts,) = struct.unpack("<I", block[-4:])
    end = len(block) - 4 - 4 * n_restarts
    if end < 0:
        raise DataLossError(f"{what}: bad restart count {n_restarts}")
    out, i, last = [], 0, b""
    while i < end:
        shared, i = read_varint(block, i, what)
        unshared, i = read_varint(block, i, what)
        vlen, i = read_varint(block, i, what)
        if shared > len(last) or i + unshared + vlen > end:
            raise DataLossError(f"{what}: entry at byte {i} overruns its block")
        key = last[:shared] + block[i:i + unshared]
        out.append((key, block[i + unshared:i + unshared + vlen]))
        i += unshared + vlen
        last = key
    return out


def read_table(data: bytes, what: str = "table") -> list[tuple[bytes, bytes]]:
    """All ``(key, value)`` pairs of a table, in key order; damage is a ``DataLossError``."""
    if len(data) < FOOTER_SIZE or struct.unpack("<Q", data[-8:])[0] != MAGIC:
        raise DataLossError(f"{what}: not a TF table (too short or bad magic number); the file "
                            f"is truncated or is not a checkpoint index")
    footer = data[-FOOTER_SIZE:-8]
    _, i = read_varint(footer, 0, what)
    _, i = read_varint(footer, i, what)
    idx_handle_start = i
    _, i = read_varint(footer, i, what)
    _, i = read_varint(footer, i, what)
    index = _entries(_read_block(data, footer[idx_handle_start:i], what), what)
    out = []
    for _, handle in index:
        out.extend(_entries(_read_block(data, handle, what), what))
    return out
