"""One place for atomic file writes: the bytes go to a temporary file beside the target, which
then replaces it (``os.replace``), so a crash mid-write leaves the old file as it was."""

from __future__ import annotations

import os
import tempfile

__all__ = ["write_atomic"]


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to a temporary file next to ``path``, fsync, then ``os.replace``.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "x.bin")
    >>> write_atomic(path, b"abc")
    >>> os.path.getsize(path)
    3
    """
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".",
                               suffix=".tmp")
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
