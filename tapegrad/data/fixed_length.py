"""``tf.data.FixedLengthRecordDataset``: the fixed-size records of binary files (CIFAR-10's
binary batches, for instance), after a header and before a footer; plain, ``GZIP`` or ``ZLIB``.
"""

from __future__ import annotations

import gzip
import os
import zlib
from typing import Any, Iterator

import numpy as np

from ..engine import dtypes as _dt
from ..engine.errors import InvalidArgumentError
from ..function import TensorSpec
from .dataset import AUTOTUNE, Dataset
from .parallel import interleave, workers_for
from .readers import _filenames, _path

__all__ = ["FixedLengthRecordDataset", "read_fixed_records"]

_CHUNK = 1 << 16


def _bad_body(path: str, header: int, footer: int, body: int, record: int) -> Exception:
    return InvalidArgumentError(
        f"Excluding the header ({header} bytes) and footer ({footer} bytes), input file "
        f"\"{path}\" has body length {body} bytes, which is not an exact multiple of the "
        f"record length ({record} bytes).")


def _chunks(path: str, kind: str) -> Iterator[bytes]:
    """The decompressed bytes of a ``GZIP`` or ``ZLIB`` file, piece by piece."""
    if kind == "GZIP":
        with gzip.open(path, "rb") as f:
            while chunk := f.read(_CHUNK):
                yield chunk
        return
    d = zlib.decompressobj()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            yield d.decompress(chunk)
    yield d.flush()


def read_fixed_records(path: str, record: int, header: int = 0, footer: int = 0,
                       compression_type: str | None = None) -> Iterator[bytes]:
    """The records of one file as ``bytes``; a body that is not a whole number of records is an
    ``InvalidArgumentError`` (before any record of a plain file, at the end of a compressed one).

    >>> import os, pathlib, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "r.bin")
    >>> _ = pathlib.Path(p).write_bytes(b"H" + bytes(range(4)) + b"F")
    >>> list(read_fixed_records(p, 2, header=1, footer=1))
    [b'\\x00\\x01', b'\\x02\\x03']
    """
    kind = (compression_type or "").upper()
    if kind not in ("", "GZIP", "ZLIB"):
        raise InvalidArgumentError(f"FixedLengthRecordDataset: compression_type must be '', "
                                   f"'GZIP' or 'ZLIB', got {compression_type!r}.")
    if kind == "":
        body = os.path.getsize(path) - header - footer
        if body < 0 or body % record:
            raise _bad_body(path, header, footer, body, record)
        with open(path, "rb") as f:
            f.seek(header)
            for _ in range(body // record):
                yield f.read(record)
        return
    buf, skip, body = b"", header, 0
    for chunk in _chunks(path, kind):
        buf += chunk
        if skip:
            cut = min(skip, len(buf))
            buf, skip = buf[cut:], skip - cut
        while not skip and len(buf) >= record + footer:  # the last `footer` bytes may end it
            yield buf[:record]
            buf, body = buf[record:], body + record
    if skip or len(buf) != footer:
        raise _bad_body(path, header, footer, body + len(buf) - footer, record)


def _bytes_arg(n: Any, what: str, least: int) -> int:
    n = 0 if n is None else int(np.asarray(n))
    if n < least:
        raise InvalidArgumentError(f"FixedLengthRecordDataset: {what} must be at least {least}, "
                                   f"got {n}.")
    return n


class FixedLengthRecordDataset(Dataset):
    """Fixed-length records (``tf.string`` scalars) of one or more files, file after file;
    ``num_parallel_reads`` files are interleaved record by record, as in TF.

    >>> import os, pathlib, tempfile, tapegrad as tf
    >>> p = os.path.join(tempfile.mkdtemp(), "r.bin")
    >>> _ = pathlib.Path(p).write_bytes(b"HH" + bytes(range(10)) + b"F")
    >>> ds = tf.data.FixedLengthRecordDataset(p, 5, header_bytes=2, footer_bytes=1)
    >>> [list(r) for r in ds.as_numpy_iterator()]
    [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    """

    _tf_name = "FixedLengthRecord"

    def __init__(self, filenames: Any, record_bytes: int, header_bytes: int | None = None,
                 footer_bytes: int | None = None, buffer_size: int | None = None,
                 compression_type: str | None = None, num_parallel_reads: int | None = None,
                 name: str | None = None):
        self.files = _filenames(filenames)
        self.record = _bytes_arg(record_bytes, "record_bytes", 1)
        self.header = _bytes_arg(header_bytes, "header_bytes", 0)
        self.footer = _bytes_arg(footer_bytes, "footer_bytes", 0)
        self.compression_type = compression_type
        self.reads = 1 if num_parallel_reads is None else workers_for(num_parallel_reads,
                                                                      AUTOTUNE)

    def _records(self, f: Any) -> Iterator[Any]:
        for r in read_fixed_records(_path(f), self.record, self.header, self.footer,
                                    self.compression_type):
            yield np.asarray(r, dtype=object)  # a tf.string scalar: NUL bytes kept

    def _iter(self) -> Iterator[Any]:
        if self.reads == 1:
            for f in self.files._iter():
                yield from self._records(f)
            return
        yield from interleave(self._records, self.files._iter(), self.reads, 1, self.reads)

    def _first_spec(self) -> Any:
        return TensorSpec((), _dt.string)

    def __repr__(self) -> str:
        return f"<FixedLengthRecordDatasetV2 element_spec={self.element_spec}>"
