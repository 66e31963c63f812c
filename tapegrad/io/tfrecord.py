"""TFRecord files: each record is its length (uint64), the masked CRC-32C of the length, the
bytes, and their masked CRC-32C; files may be GZIP- or ZLIB-compressed as a whole.

The writer writes to a temporary file renamed into place at ``close``; the reader streams
records, checks both CRCs of each, and checks a claimed length against what the file still
holds before reading it.
"""

from __future__ import annotations

import gzip
import io
import os
import struct
import tempfile
import zlib
from typing import Any, Iterator

from ..engine.errors import DataLossError, NotFoundError
from ..formats.crc import masked_crc32c

__all__ = ["TFRecordOptions", "TFRecordWriter", "tf_record_iterator", "frame"]

_KINDS = {None: "", "": "", "NONE": "", "GZIP": "GZIP", "ZLIB": "ZLIB"}
MAX_RECORD = 1 << 31  # a larger claimed record is damage


class TFRecordOptions:
    """``tf.io.TFRecordOptions``: the compression of a TFRecord file ('', 'GZIP', 'ZLIB').

    >>> import tapegrad as tf
    >>> tf.io.TFRecordOptions("GZIP").compression_type
    'GZIP'
    """

    def __init__(self, compression_type: str | None = None, flush_mode: Any = None,
                 input_buffer_size: int | None = None, output_buffer_size: int | None = None,
                 window_bits: int | None = None, compression_level: int | None = None,
                 compression_method: Any = None, mem_level: Any = None,
                 compression_strategy: Any = None):
        self.compression_type = _kind(compression_type)
        self.compression_level = 6 if compression_level is None else int(compression_level)

    @staticmethod
    def get_compression_type_string(options: Any) -> str:
        return _kind(options.compression_type if isinstance(options, TFRecordOptions)
                     else options)


def _kind(options: Any) -> str:
    if isinstance(options, TFRecordOptions):
        return options.compression_type
    key = options.upper() if isinstance(options, str) else options
    if key not in _KINDS:
        raise ValueError(f"TFRecord: compression_type {options!r} is not one of '', 'GZIP', "
                         f"'ZLIB'")
    return _KINDS[key]


def frame(payload: bytes) -> bytes:
    """One framed record."""
    head = struct.pack("<Q", len(payload))
    return (head + struct.pack("<I", masked_crc32c(head)) + payload +
            struct.pack("<I", masked_crc32c(payload)))


class TFRecordWriter:
    """Write records to a TFRecord file (``tf.io.TFRecordWriter``); a context manager.

    >>> import os, tempfile, tapegrad as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "a.tfrecord")
    >>> with tf.io.TFRecordWriter(path, options="GZIP") as w:
    ...     w.write(b"first"); w.write(b"second")
    >>> [r.numpy() for r in tf.data.TFRecordDataset(path, compression_type="GZIP")]
    [b'first', b'second']
    """

    def __init__(self, path: str, options: Any = None):
        self.path = os.fspath(path)
        self._kind = _kind(options)
        level = options.compression_level if isinstance(options, TFRecordOptions) else 6
        folder = os.path.dirname(os.path.abspath(self.path))
        if not os.path.isdir(folder):
            raise NotFoundError(f"TFRecordWriter: directory '{folder}' does not exist")
        fd, self._tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-" + os.path.basename(path))
        self._raw = os.fdopen(fd, "wb")
        self._zlib = zlib.compressobj(level) if self._kind == "ZLIB" else None
        self._out: Any = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=level,
                                       mtime=0) if self._kind == "GZIP" else self._raw

    def write(self, record: Any) -> None:
        """Append one record (bytes, or a string encoded as UTF-8)."""
        if self._out is None:
            raise ValueError(f"TFRecordWriter '{self.path}' is closed")
        data = frame(_as_bytes(record))
        self._out.write(self._zlib.compress(data) if self._zlib else data)

    def flush(self) -> None:
        if self._out is not None:
            self._out.flush()

    def close(self) -> None:
        """Finish the file and move it into place."""
        if self._out is None:
            return
        if self._zlib:
            self._out.write(self._zlib.flush())
        if self._out is not self._raw:
            self._out.close()
        self._raw.close()
        os.replace(self._tmp, self.path)
        self._out = None

    def __enter__(self) -> TFRecordWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _as_bytes(record: Any) -> bytes:
    if isinstance(record, str):
        return record.encode("utf-8")
    if hasattr(record, "numpy"):
        record = record.numpy()
    if hasattr(record, "item") and not isinstance(record, bytes):
        record = record.item()
    if not isinstance(record, (bytes, bytearray, memoryview)):
        raise TypeError(f"TFRecordWriter.write: expected bytes, got {type(record).__name__}")
    return bytes(record)


def _open(path: str, kind: str):
    if not os.path.isfile(path):
        raise NotFoundError(f"{path}; No such file or directory")
    if kind == "GZIP":
        return gzip.open(path, "rb")
    if kind == "ZLIB":
        with open(path, "rb") as f:
            return io.BytesIO(zlib.decompress(f.read()))
    return open(path, "rb")


def _exactly(f: Any, n: int, path: str, offset: int, what: str) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise DataLossError(f"{path}: truncated record at byte {offset} ({what})")
    return data


def tf_record_iterator(path: str, options: Any = None) -> Iterator[bytes]:
    """The records of a TFRecord file, each CRC checked; damage raises ``DataLossError``.

    >>> import os, tempfile, tapegrad as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "a.tfrecord")
    >>> with tf.io.TFRecordWriter(path) as w:
    ...     w.write(b"x")
    >>> list(tf.io.tf_record_iterator(path))
    [b'x']
    """
    path = os.fspath(path)
    size = os.path.getsize(path) if os.path.isfile(path) else 0
    with _open(path, _kind(options)) as f:
        offset = 0
        while True:
            head = f.read(8)
            if not head:
                return
            if len(head) < 8:
                raise DataLossError(f"{path}: truncated record at byte {offset} (length)")
            (crc,) = struct.unpack("<I", _exactly(f, 4, path, offset, "length checksum"))
            if crc != masked_crc32c(head):
                raise DataLossError(f"{path}: corrupted record at byte {offset} (length "
                                    f"checksum mismatch)")
            (n,) = struct.unpack("<Q", head)
            if n > MAX_RECORD or (_kind(options) == "" and offset + 16 + n > size):
                raise DataLossError(f"{path}: record at byte {offset} claims {n} bytes, more "
                                    f"than the file holds (truncated?)")
            payload = _exactly(f, n, path, offset, "data")
            (crc,) = struct.unpack("<I", _exactly(f, 4, path, offset, "data checksum"))
            if crc != masked_crc32c(payload):
                raise DataLossError(f"{path}: corrupted record at byte {offset} (data "
                                    f"checksum mismatch)")
            yield payload
            offset += 16 + n
