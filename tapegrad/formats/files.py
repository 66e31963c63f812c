"""File reading with size checks and atomic writes: the one place every format goes through."""

from __future__ import annotations

import os
import tempfile

from ..engine.errors import DataLossError, NotFoundError

__all__ = ["atomic_write", "read_bytes", "MAX_READ"]

MAX_READ = 1 << 34  # 16 GiB: a larger claimed size is damage, not data


def atomic_write(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory renamed into
    place, so a reader never sees half a file.

    >>> import os, tempfile
    >>> from tapegrad.formats.files import atomic_write, read_bytes
    >>> p = os.path.join(tempfile.mkdtemp(), "x.bin")
    >>> atomic_write(p, b"abc"); read_bytes(p)
    b'abc'
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-" + os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def read_bytes(path: str, limit: int = MAX_READ) -> bytes:
    """The whole file, after checking that it exists and its size is below ``limit``."""
    try:
        size = os.path.getsize(path)
    except OSError:
        raise NotFoundError(f"{path}: No such file or directory") from None
    if size > limit:
        raise DataLossError(f"{path}: {size} bytes is more than the {limit} allowed")
    with open(path, "rb") as f:
        return f.read()
