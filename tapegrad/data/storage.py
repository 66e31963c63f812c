"""Dataset elements on disk, for ``Dataset.save``/``load`` and ``cache(filename)``; never pickle.

A *record file* is the magic ``TGDS1\\n`` then records, each a frame ``<B kind, Q length,
I crc32>`` (little-endian) and ``length`` payload bytes whose CRC-32 is ``crc32``:

- kind 1, the header: UTF-8 JSON ``{"structure": ...}``, the element's nest structure;
- kind 0, an element: ``<I n>`` leaves, each ``<B k>`` + ``k`` bytes of a NumPy dtype string
  (``<f4``, ``|S5``, ``|b1``: numbers, booleans and byte strings only), ``<B ndim>``,
  ``ndim`` × ``<Q dim>``, then the C-ordered data; text (``tf.string``) has the code
  ``bytes`` and, after the shape, one ``<Q>`` length per string, then the strings;
- kind 2, the end: ``<Q count>`` elements. A file without it is incomplete (a cache whose pass
  was interrupted) and is never read as a whole dataset.

Every length is checked against the bytes the file still holds before anything is allocated,
and every payload's CRC before it is parsed. Files are written under a temporary name in the
same folder and moved into place with ``os.replace`` once complete.
"""

from __future__ import annotations

import collections
import gzip
import json
import os
import re
import struct
import uuid
import zlib
from typing import IO, Any, Iterator

import numpy as np

from ..engine.atomic import open_atomic, publish, temp_path
from ..engine import nest
from ..engine.errors import DataLossError, InvalidArgumentError

__all__ = ["RecordWriter", "ShardWriters", "read_records", "is_complete", "write_json_atomic",
           "read_json"]

MAGIC = b"TGDS1\n"
ELEMENT, HEADER, END = 0, 1, 2
_FRAME = struct.Struct("<BQI")
_DTYPE = re.compile(r"^[<>|=]([biuf][1248]|c(8|16)|S\d{1,9}|b1)$")
_CHUNK = 1 << 24
_TEXT = b"bytes"


# -- structures as JSON ----------------------------------------------------------------------
def encode_structure(element: Any) -> Any:
    """The nest structure of ``element`` as JSON (leaves as ``null``).

    >>> encode_structure(({"b": 1, "a": 2}, 3))
    {'tuple': [{'dict': ['b', 'a'], 'items': [None, None]}, None]}
    """
    if isinstance(element, dict):
        return {"dict": list(element), "items": [encode_structure(v) for v in element.values()]}
    if isinstance(element, tuple):
        out: dict = {"tuple": [encode_structure(v) for v in element]}
        if hasattr(element, "_fields"):
            out["fields"], out["name"] = list(element._fields), type(element).__name__
        return out
    return None


def decode_structure(desc: Any) -> Any:
    """An example structure (leaves ``0``) from :func:`encode_structure`'s JSON."""
    if desc is None:
        return 0
    if "dict" in desc:
        return {str(k): decode_structure(v) for k, v in zip(desc["dict"], desc["items"])}
    items = [decode_structure(v) for v in desc["tuple"]]
    if "fields" in desc:
        return collections.namedtuple(desc["name"], desc["fields"])(*items)
    return tuple(items)


# -- writing ---------------------------------------------------------------------------------
def _open_write(path: str, compression: str | None) -> IO[bytes]:
    if compression == "GZIP":
        return gzip.open(path, "wb")  # type: ignore[return-value]
    if compression in (None, ""):
        return open(path, "wb")
    raise InvalidArgumentError(f"compression must be None or 'GZIP', got {compression!r}.")


def _leaf_bytes(a: np.ndarray) -> bytes:
    if a.dtype.kind == "U":
        a = np.char.encode(a, "utf-8")
    if a.dtype.kind == "O":  # text as tf.string holds it: bytes objects, NULs kept
        return _text_bytes(a)
    if not _DTYPE.match(a.dtype.str):
        raise InvalidArgumentError(f"Dataset.save: cannot store an element of dtype "
                                   f"{a.dtype}; numbers, booleans and byte strings only.")
    code = a.dtype.str.encode("ascii")
    head = struct.pack("<B", len(code)) + code + struct.pack(f"<B{a.ndim}Q", a.ndim, *a.shape)
    return head + a.tobytes(order="C")


def _text_bytes(a: np.ndarray) -> bytes:
    """An object array of ``bytes``: the code ``bytes``, the shape, ``<Q>`` lengths, the data."""
    values = [v.encode("utf-8") if isinstance(v, str) else v for v in a.flat]
    if not all(isinstance(v, (bytes, bytearray)) for v in values):
        raise InvalidArgumentError("Dataset.save: cannot store an element of dtype object "
                                   "that is not text; numbers, booleans and byte strings only.")
    head = struct.pack("<B", len(_TEXT)) + _TEXT + struct.pack(f"<B{a.ndim}Q", a.ndim, *a.shape)
    return head + struct.pack(f"<{len(values)}Q", *map(len, values)) + b"".join(values)


def _parse_text(payload: bytes, pos: int, shape: tuple, path: str) -> tuple[np.ndarray, int]:
    """The inverse of :func:`_text_bytes` from ``pos`` (after the shape); every length is
    checked against the record before it is used."""
    n = int(np.prod(shape, dtype=np.uint64))
    if 8 * n > len(payload) - pos:
        raise DataLossError(f"{path}: a text element of shape {shape} does not fit its record.")
    lengths = struct.unpack_from(f"<{n}Q", payload, pos)
    pos += 8 * n
    if sum(lengths) > len(payload) - pos:
        raise DataLossError(f"{path}: a text element's strings do not fit its record.")
    out = np.empty(n, dtype=object)
    for i, k in enumerate(lengths):
        out[i] = payload[pos:pos + k]
        pos += k
    return out.reshape(shape), pos


class RecordWriter:
    """Writes one record file atomically: ``write`` elements, then ``commit`` (or ``abort``).

    >>> import os, tempfile, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "x.tgds")
    >>> w = RecordWriter(path, (1, 2))
    >>> w.write((np.arange(3), np.float32(0.5))); w.commit()
    >>> [(a.tolist(), float(b)) for a, b in read_records(path)]
    [([0, 1, 2], 0.5)]
    """

    def __init__(self, path: str, example: Any, compression: str | None = None):
        self.path, self.count = path, 0
        self.tmp = temp_path(path)
        self.f = _open_write(self.tmp, compression)
        self.f.write(MAGIC)
        self._frame(HEADER, json.dumps({"structure": encode_structure(example)}).encode())

    def _frame(self, kind: int, payload: bytes) -> None:
        self.f.write(_FRAME.pack(kind, len(payload), zlib.crc32(payload)) + payload)

    def write(self, element: Any) -> None:
        leaves = [np.asarray(a) for a in nest.flatten(element)]
        self._frame(ELEMENT, struct.pack("<I", len(leaves)) +
                    b"".join(_leaf_bytes(a) for a in leaves))
        self.count += 1

    def commit(self) -> None:
        self._frame(END, struct.pack("<Q", self.count))
        self.f.flush()
        self.f.close()
        publish(self.tmp, self.path)

    def abort(self) -> None:
        self.f.close()
        if os.path.exists(self.tmp):
            os.remove(self.tmp)


class ShardWriters:
    """The record files of one writing run in a folder, ``shard-<run>-<k>.tgds``, one per
    shard ``k``: each moved into place by ``commit``, or all removed by ``abort``."""

    def __init__(self, folder: str, compression: str | None):
        self.folder, self.compression = folder, compression
        self.run, self.writers = uuid.uuid4().hex[:8], {}

    def write(self, k: int, element: Any) -> None:
        if k not in self.writers:
            self.writers[k] = RecordWriter(
                os.path.join(self.folder, f"shard-{self.run}-{k:05d}.tgds"), element,
                self.compression)
        self.writers[k].write(element)

    def abort(self) -> None:
        for w in self.writers.values():
            w.abort()

    def commit(self) -> list:
        """``[file name, element count]`` of each shard, in shard order."""
        for w in self.writers.values():
            w.commit()
        return [[os.path.basename(w.path), w.count] for _, w in sorted(self.writers.items())]


def write_json_atomic(path: str, obj: Any) -> None:
    """``obj`` as JSON at ``path``, written to a temporary file and moved into place."""
    with open_atomic(path, "w") as f:
        json.dump(obj, f, indent=1)


def read_json(path: str, limit: int = 1 << 20) -> Any:
    """A small JSON file, refused when larger than ``limit`` bytes."""
    if os.path.getsize(path) > limit:
        raise DataLossError(f"{path}: {os.path.getsize(path)} bytes, more than a dataset spec "
                            f"may hold ({limit}).")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# -- reading ---------------------------------------------------------------------------------
class _Reader:
    """Reads exact byte counts, never allocating more than the file can still hold."""

    def __init__(self, path: str, compression: str | None):
        self.path = path
        self.plain = compression in (None, "")
        if not self.plain and compression != "GZIP":
            raise InvalidArgumentError(f"compression must be None or 'GZIP', got "
                                       f"{compression!r}.")
        self.f: IO[bytes] = open(path, "rb") if self.plain else gzip.open(path, "rb")
        self.left = os.path.getsize(path) if self.plain else None

    def read(self, n: int, what: str) -> bytes:
        if self.left is not None and n > self.left:
            raise DataLossError(f"{self.path}: {what} claims {n} bytes but the file holds "
                                f"{self.left} more; the file is truncated or corrupt.")
        parts, got = [], 0
        while got < n:  # a compressed stream proves its length chunk by chunk
            part = self.f.read(min(n - got, _CHUNK))
            if not part:
                raise DataLossError(f"{self.path}: the file ends inside {what} ({got} of {n} "
                                    f"bytes); it is truncated.")
            parts.append(part)
            got += len(part)
        if self.left is not None:
            self.left -= n
        return b"".join(parts)

    def frame(self) -> tuple[int, bytes] | None:
        head = self.f.read(_FRAME.size) if self.left is None else (
            self.read(_FRAME.size, "a record frame") if self.left else b"")
        if not head:
            return None
        if len(head) < _FRAME.size:
            raise DataLossError(f"{self.path}: the file ends inside a record frame.")
        kind, n, crc = _FRAME.unpack(head)
        payload = self.read(n, "a record")
        if zlib.crc32(payload) != crc or kind not in (ELEMENT, HEADER, END):
            raise DataLossError(f"{self.path}: a record fails its CRC-32 check; the file is "
                                f"corrupt.")
        return kind, payload


def _parse_element(payload: bytes, example: Any, path: str) -> Any:
    view, pos = memoryview(payload), 4
    (n,) = struct.unpack_from("<I", payload)
    leaves = []
    for _ in range(n):
        k = payload[pos]
        code = bytes(view[pos + 1:pos + 1 + k]).decode("ascii", "replace")
        if code == _TEXT.decode():
            ndim = payload[pos + 1 + k]
            shape = struct.unpack_from(f"<{ndim}Q", payload, pos + 2 + k)
            leaf, pos = _parse_text(payload, pos + 2 + k + 8 * ndim, shape, path)
            leaves.append(leaf)
            continue
        if not _DTYPE.match(code):
            raise DataLossError(f"{path}: unknown element dtype {code!r}.")
        pos += 1 + k
        ndim = payload[pos]
        shape = struct.unpack_from(f"<{ndim}Q", payload, pos + 1)
        pos += 1 + 8 * ndim
        dtype = np.dtype(code)
        size = int(np.prod(shape, dtype=np.uint64)) * dtype.itemsize
        if size > len(payload) - pos:
            raise DataLossError(f"{path}: an element of shape {shape} {dtype} does not fit "
                                f"its record.")
        leaves.append(np.frombuffer(payload, dtype, int(np.prod(shape)), pos).reshape(shape))
        pos += size
    if pos != len(payload) or len(leaves) != len(nest.flatten(example)):
        raise DataLossError(f"{path}: a record does not match the file's element structure.")
    return nest.pack_sequence_as(example, leaves)


def read_records(path: str, compression: str | None = None) -> Iterator[Any]:
    """The elements of a complete record file, checked as they are read.

    An incomplete file (no end record) raises ``DataLossError`` when its end is reached.
    """
    r = _Reader(path, compression)
    with r.f:
        if r.read(len(MAGIC), "the magic") != MAGIC:
            raise DataLossError(f"{path}: not a tapegrad dataset file (bad magic).")
        first = r.frame()
        if first is None or first[0] != HEADER:
            raise DataLossError(f"{path}: the header record is missing.")
        example = decode_structure(json.loads(first[1].decode("utf-8"))["structure"])
        count = 0
        while (rec := r.frame()) is not None:
            kind, payload = rec
            if kind == END:
                if len(payload) != 8 or struct.unpack("<Q", payload)[0] != count:
                    raise DataLossError(f"{path}: the end record does not match the "
                                        f"{count} elements read.")
                return
            yield _parse_element(payload, example, path)
            count += 1
        raise DataLossError(f"{path}: the file has no end record; it is incomplete.")


def is_complete(path: str) -> bool:
    """Whether an uncompressed record file ends with a valid end record (cheap: reads the tail).

    >>> is_complete("/nonexistent/file")
    False
    """
    end = _FRAME.size + 8
    try:
        size = os.path.getsize(path)
        if size < len(MAGIC) + end:
            return False
        with open(path, "rb") as f:
            magic = f.read(len(MAGIC))
            f.seek(size - end)
            tail = f.read(end)
    except OSError:
        return False
    kind, n, crc = _FRAME.unpack_from(tail)
    return magic == MAGIC and kind == END and n == 8 and zlib.crc32(tail[_FRAME.size:]) == crc
