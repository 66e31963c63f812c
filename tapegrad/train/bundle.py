"""TF's tensor bundle: a checkpoint's ``<prefix>.index`` (a table from tensor key to
``BundleEntryProto``: dtype, shape, offset, size, masked CRC-32C) and its
``<prefix>.data-00000-of-00001`` (the tensors' little-endian bytes, one after another).

The empty key holds the ``BundleHeaderProto`` (one shard, little-endian, format version 1).
String tensors — the object graph is one — are written as TF writes them: varint lengths, a
masked CRC of the lengths, then the bytes.
"""

from __future__ import annotations

import os
import struct

import numpy as np

from ..engine.errors import DataLossError, NotFoundError
from ..formats import wire
from ..formats.files import atomic_write, read_bytes
from ..formats.tfproto import DT_STRING, DTYPE_NAMES, DTYPES, ENUM, parse_shape, shape_proto
from ..formats.crc import crc32c, mask
from .table import build_table, read_table

__all__ = ["DTYPES", "DTYPE_NAMES", "write_bundle", "BundleReader", "index_path", "data_path"]

def index_path(prefix: str) -> str:
    return f"{prefix}.index"


def data_path(prefix: str) -> str:
    return f"{prefix}.data-00000-of-00001"


def _string_bytes(values: list[bytes]) -> tuple[bytes, int]:
    lengths, crc = b"", 0
    for v in values:
        lengths += wire.varint(len(v))
        crc = crc32c(struct.pack("<I", len(v)), crc)
    check = struct.pack("<I", mask(crc))
    crc = crc32c(check, crc)
    body = b"".join(values)
    return lengths + check + body, crc32c(body, crc)


def write_bundle(prefix: str, tensors: dict[str, object]) -> None:
    """Write ``{key: NumPy array or bytes}`` as ``prefix``'s data and index files, each
    atomically (a temporary file renamed into place)."""
    chunks, entries, offset = [], [], 0
    for key, value in tensors.items():
        if isinstance(value, bytes):
            raw, crc = _string_bytes([value])
            dtype, shape = DT_STRING, ()
        else:
            a = np.asarray(value)
            if a.dtype not in ENUM:
                raise TypeError(f"checkpoint: cannot save '{key}' of dtype {a.dtype}")
            raw = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
            dtype, shape, crc = ENUM[a.dtype], a.shape, crc32c(raw)
        entry = (wire.uint(1, dtype) + wire.ld(2, shape_proto(shape)) +
                 (wire.uint(4, offset) if offset else b"") +
                 (wire.uint(5, len(raw)) if raw else b"") +
                 wire.fixed32(6, mask(crc)))
        entries.append((key.encode(), entry))
        chunks.append(raw)
        offset += len(raw)
    header = wire.uint(1, 1) + wire.ld(3, wire.uint(1, 1))
    atomic_write(data_path(prefix), b"".join(chunks))
    atomic_write(index_path(prefix), build_table([(b"", header)] + entries))


class BundleReader:
    """Read a checkpoint's tensors by key (``tf.train.load_checkpoint`` returns one).

    Shapes and dtypes come from the index; a tensor's bytes are read only when asked for,
    after checking that its extent lies inside the data file, and its CRC is verified.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix
        if not os.path.exists(index_path(prefix)):
            raise NotFoundError(f"checkpoint: no index file '{index_path(prefix)}'; give the "
                                f"checkpoint's prefix (e.g. 'ckpt-3', not 'ckpt-3.index') or "
                                f"a directory with a 'checkpoint' file")
        what = f"checkpoint index '{index_path(prefix)}'"
        self.entries = {}
        for key, value in read_table(read_bytes(index_path(prefix)), what):
            if key:
                self.entries[key.decode("utf-8", "replace")] = wire.parse(value, what)
        self._data_size: int | None = None

    def keys(self) -> list[str]:
        return sorted(self.entries)

    def dtype_enum(self, key: str) -> int:
        return wire.first(self._entry(key), 1, 0)

    def shape(self, key: str) -> tuple:
        return parse_shape(wire.first(self._entry(key), 2, b""))

    def _entry(self, key: str) -> dict:
        try:
            return self.entries[key]
        except KeyError:
            raise NotFoundError(f"Key {key} not found in checkpoint '{self.prefix}'") from None

    def _bytes(self, key: str) -> bytes:
        path = data_path(self.prefix)
        if self._data_size is None:
            if not os.path.isfile(path):
                raise NotFoundError(f"checkpoint '{self.prefix}': its data file '{path}' is "
                                    f"missing")
            self._data_size = os.path.getsize(path)
        e = self._entry(key)
        if wire.first(e, 3, 0):
            raise DataLossError(f"checkpoint '{self.prefix}': sharded checkpoints are not "
                                f"supported (key {key} is in shard {wire.first(e, 3)})")
        offset, size = wire.first(e, 4, 0), wire.first(e, 5, 0)
        if offset + size > self._data_size:
            raise DataLossError(f"checkpoint '{self.prefix}': '{key}' claims bytes "
                                f"{offset}..{offset + size} of a {self._data_size}-byte data "
                                f"file (truncated?)")
        with open(path, "rb") as f:  # only this tensor's bytes, after the extent was checked
            f.seek(offset)
            raw = f.read(size)
        return raw

    def _check(self, key: str, crc: int) -> None:
        stored = struct.unpack("<I", wire.first(self._entry(key), 6, b"\0\0\0\0"))[0]
        if mask(crc) != stored:
            raise DataLossError(f"checkpoint '{self.prefix}': checksum mismatch for '{key}' "
                                f"(the data file is corrupted)")

    def get_tensor(self, key: str):
        """The value stored under ``key``: a NumPy array, or ``bytes`` for a string scalar."""
        dtype, shape, raw = self.dtype_enum(key), self.shape(key), self._bytes(key)
        if dtype == DT_STRING:
            return self._strings(key, raw, shape)
        if dtype not in DTYPES:
            raise DataLossError(f"checkpoint '{self.prefix}': '{key}' has dtype enum {dtype}, "
                                f"which tapegrad does not read")
        npd = np.dtype(DTYPES[dtype]).newbyteorder("<")
        if len(raw) != npd.itemsize * int(np.prod(shape, dtype=np.int64)):
            raise DataLossError(f"checkpoint '{self.prefix}': '{key}' has {len(raw)} bytes for "
                                f"shape {list(shape)} of {DTYPE_NAMES[dtype]}")
        self._check(key, crc32c(raw))
        return np.frombuffer(raw, npd).astype(npd.newbyteorder("="), copy=True).reshape(shape)

    def _strings(self, key: str, raw: bytes, shape: tuple):
        n, i, lens, crc = int(np.prod(shape, dtype=np.int64)), 0, [], 0
        for _ in range(n):
            length, i = wire.read_varint(raw, i, key)
            lens.append(length)
            crc = crc32c(struct.pack("<I", length), crc)
        if i + 4 + sum(lens) != len(raw):
            raise DataLossError(f"checkpoint '{self.prefix}': string tensor '{key}' is damaged")
        crc = crc32c(raw[i:i + 4], crc)
        crc = crc32c(raw[i + 4:], crc)
        self._check(key, crc)
        out, j = [], i + 4
        for length in lens:
            out.append(raw[j:j + length])
            j += length
        if not shape:
            return out[0]
        return np.array(out, dtype=object).reshape(shape)
