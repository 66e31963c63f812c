"""``tf.io.read_file`` / ``write_file`` and ``tf.io.gfile``: local files with TF's names.

Errors are TF's: a missing file is ``NotFoundError`` (also a ``FileNotFoundError``), an existing
target where overwriting was not allowed ``AlreadyExistsError``. Remote file systems (``gs://``,
``s3://``, ``hdfs://``) are not supported.
"""

from __future__ import annotations

import glob as _glob
import os
import shutil
from typing import Any, Iterator, NamedTuple

from ..engine.errors import AlreadyExistsError, NotFoundError, UnimplementedError
from ..engine.tensor import _Base
from ..formats.files import atomic_write, read_bytes

__all__ = ["read_file", "write_file", "exists", "glob", "makedirs", "mkdir", "listdir", "isdir",
           "remove", "rename", "copy", "rmtree", "walk", "stat", "GFile", "FileStatistics",
           "join", "get_registered_schemes"]

join = os.path.join  # tf.io.gfile.join


def get_registered_schemes() -> list[str]:
    """The file systems tapegrad reads: local files only."""
    return ["", "file"]


def _path(p: Any) -> str:
    if isinstance(p, _Base):
        p = p._value.item()
    p = os.fsdecode(p) if isinstance(p, bytes) else os.fspath(p)
    if "://" in p and not p.startswith("file://"):
        raise UnimplementedError(f"File system scheme '{p.split('://')[0]}' not implemented "
                                 f"(file: '{p}'); tapegrad reads local files only")
    return p[len("file://"):] if p.startswith("file://") else p


def read_file(filename: Any, name: str | None = None) -> bytes:
    """The bytes of a file (``tf.io.read_file``; Python ``bytes`` until string tensors).

    >>> import os, tempfile, tapegrad as tf
    >>> p = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> tf.io.write_file(p, "hello")
    >>> tf.io.read_file(p)
    b'hello'
    """
    return read_bytes(_path(filename))


def write_file(filename: Any, contents: Any, name: str | None = None) -> None:
    """Write ``contents`` (bytes or str) to a file atomically, creating its directory.

    >>> import os, tempfile, tapegrad as tf
    >>> p = os.path.join(tempfile.mkdtemp(), "new", "a.bin")
    >>> tf.io.write_file(p, b"\\x00\\x01"); tf.io.read_file(p)
    b'\\x00\\x01'
    """
    if isinstance(contents, _Base):
        contents = contents._value.item()
    atomic_write(_path(filename), contents.encode() if isinstance(contents, str) else
                 bytes(contents))


def exists(path: Any) -> bool:
    """Whether ``path`` exists.

    >>> import tempfile, tapegrad as tf
    >>> tf.io.gfile.exists(tempfile.gettempdir()), tf.io.gfile.exists("/no/such/path")
    (True, False)
    """
    return os.path.exists(_path(path))


def isdir(path: Any) -> bool:
    """Whether ``path`` is a directory.

    >>> import tempfile, tapegrad as tf
    >>> tf.io.gfile.isdir(tempfile.gettempdir())
    True
    """
    return os.path.isdir(_path(path))


def glob(pattern: Any) -> list[str]:
    """Paths matching ``pattern`` (``*``, ``?``, ``[...]``), sorted.

    >>> import os, tempfile, tapegrad as tf
    >>> d = tempfile.mkdtemp()
    >>> for n in ("a.txt", "b.txt", "c.csv"):
    ...     tf.io.write_file(os.path.join(d, n), "")
    >>> [os.path.basename(p) for p in tf.io.gfile.glob(os.path.join(d, "*.txt"))]
    ['a.txt', 'b.txt']
    """
    return sorted(_glob.glob(_path(pattern)))


def makedirs(path: Any) -> None:
    """Create a directory and its parents (no error if it exists).

    >>> import os, tempfile, tapegrad as tf
    >>> d = os.path.join(tempfile.mkdtemp(), "a", "b")
    >>> tf.io.gfile.makedirs(d); tf.io.gfile.makedirs(d); tf.io.gfile.isdir(d)
    True
    """
    os.makedirs(_path(path), exist_ok=True)


def mkdir(path: Any) -> None:
    """Create one directory (its parent must exist).

    >>> import os, tempfile, tapegrad as tf
    >>> d = os.path.join(tempfile.mkdtemp(), "one")
    >>> tf.io.gfile.mkdir(d); tf.io.gfile.listdir(os.path.dirname(d))
    ['one']
    """
    try:
        os.mkdir(_path(path))
    except FileExistsError:
        raise AlreadyExistsError(f"{_path(path)}: directory already exists") from None
    except FileNotFoundError:
        raise NotFoundError(f"{_path(path)}: parent directory does not exist") from None


def listdir(path: Any) -> list[str]:
    """Names of the entries of a directory, sorted (``NotFoundError`` if it is not one).

    >>> import os, tempfile, tapegrad as tf
    >>> d = tempfile.mkdtemp()
    >>> tf.io.write_file(os.path.join(d, "b"), ""); tf.io.gfile.makedirs(os.path.join(d, "a"))
    >>> tf.io.gfile.listdir(d)
    ['a', 'b']
    """
    p = _path(path)
    if not os.path.isdir(p):
        raise NotFoundError(f"Could not find directory {p}")
    return sorted(os.listdir(p))


def remove(path: Any) -> None:
    """Delete a file (``NotFoundError`` if there is none).

    >>> import os, tempfile, tapegrad as tf
    >>> p = os.path.join(tempfile.mkdtemp(), "x"); tf.io.write_file(p, "")
    >>> tf.io.gfile.remove(p); tf.io.gfile.exists(p)
    False
    """
    try:
        os.remove(_path(path))
    except FileNotFoundError:
        raise NotFoundError(f"{_path(path)}; No such file or directory") from None


def rmtree(path: Any) -> None:
    """Delete a directory and everything in it.

    >>> import os, tempfile, tapegrad as tf
    >>> d = tempfile.mkdtemp(); tf.io.write_file(os.path.join(d, "in", "x"), "")
    >>> tf.io.gfile.rmtree(d); tf.io.gfile.exists(d)
    False
    """
    if not os.path.isdir(_path(path)):
        raise NotFoundError(f"{_path(path)}; No such file or directory")
    shutil.rmtree(_path(path))


def _guard(dst: str, overwrite: bool) -> None:
    if os.path.exists(dst) and not overwrite:
        raise AlreadyExistsError(f"file already exists: {dst} (pass overwrite=True)")


def rename(src: Any, dst: Any, overwrite: bool = False) -> None:
    """Move ``src`` to ``dst``; ``AlreadyExistsError`` if ``dst`` exists unless ``overwrite``.

    >>> import os, tempfile, tapegrad as tf
    >>> d = tempfile.mkdtemp(); tf.io.write_file(os.path.join(d, "a"), "1")
    >>> tf.io.gfile.rename(os.path.join(d, "a"), os.path.join(d, "b")); tf.io.gfile.listdir(d)
    ['b']
    """
    s, d = _path(src), _path(dst)
    if not os.path.exists(s):
        raise NotFoundError(f"{s}; No such file or directory")
    _guard(d, overwrite)
    os.replace(s, d)


def copy(src: Any, dst: Any, overwrite: bool = False) -> None:
    """Copy a file; ``AlreadyExistsError`` if ``dst`` exists unless ``overwrite``.

    >>> import os, tempfile, tapegrad as tf
    >>> d = tempfile.mkdtemp(); tf.io.write_file(os.path.join(d, "a"), "1")
    >>> tf.io.gfile.copy(os.path.join(d, "a"), os.path.join(d, "b"))
    >>> tf.io.read_file(os.path.join(d, "b"))
    b'1'
    """
    s, d = _path(src), _path(dst)
    if not os.path.isfile(s):
        raise NotFoundError(f"{s}; No such file or directory")
    _guard(d, overwrite)
    shutil.copyfile(s, d)


def walk(top: Any, topdown: bool = True, onerror: Any = None
         ) -> Iterator[tuple[str, list[str], list[str]]]:
    """``(dirpath, dirnames, filenames)`` for each directory under ``top``, as ``os.walk``.

    >>> import os, tempfile, tapegrad as tf
    >>> d = tempfile.mkdtemp(); tf.io.write_file(os.path.join(d, "s", "f"), "")
    >>> [(os.path.relpath(p, d), ds, fs) for p, ds, fs in tf.io.gfile.walk(d)]
    [('.', ['s'], []), ('s', [], ['f'])]
    """
    yield from os.walk(_path(top), topdown=topdown, onerror=onerror)


class FileStatistics(NamedTuple):
    """``length`` in bytes, ``mtime_nsec``, ``is_directory`` (TF's ``FileStatistics``)."""

    length: int
    mtime_nsec: int
    is_directory: bool


def stat(path: Any) -> FileStatistics:
    """Size, modification time and kind of ``path``.

    >>> import os, tempfile, tapegrad as tf
    >>> p = os.path.join(tempfile.mkdtemp(), "f"); tf.io.write_file(p, "abc")
    >>> tf.io.gfile.stat(p).length, tf.io.gfile.stat(p).is_directory
    (3, False)
    """
    try:
        st = os.stat(_path(path))
    except FileNotFoundError:
        raise NotFoundError(f"{_path(path)}; No such file or directory") from None
    return FileStatistics(st.st_size, st.st_mtime_ns, os.path.isdir(_path(path)))


class GFile:
    """``tf.io.gfile.GFile``: a file object (text unless the mode has ``b``) over a local path.

    >>> import os, tempfile, tapegrad as tf
    >>> p = os.path.join(tempfile.mkdtemp(), "g.txt")
    >>> with tf.io.gfile.GFile(p, "w") as f:
    ...     _ = f.write("one\\ntwo\\n")
    >>> with tf.io.gfile.GFile(p) as f:
    ...     [line.strip() for line in f]
    ['one', 'two']
    """

    def __init__(self, name: Any, mode: str = "r"):
        self.name, self.mode = _path(name), mode
        try:
            self._f = open(self.name, mode) if "b" in mode else open(self.name, mode,
                                                                     encoding="utf-8")
        except FileNotFoundError:
            raise NotFoundError(f"{self.name}; No such file or directory") from None

    def __getattr__(self, attr: str) -> Any:  # read, write, readline, seek, tell, flush …
        return getattr(self._f, attr)

    def size(self) -> int:
        return os.path.getsize(self.name)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._f)

    def __enter__(self) -> GFile:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._f.close()
