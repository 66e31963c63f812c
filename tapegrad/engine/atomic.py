"""Files written all at once or not at all: the one helper every writer in tapegrad uses
(weights files, ``.keras`` archives, dataset snapshots and caches, checkpoints); the one check
of a zip member's declared sizes before anything is read (``check_zip_member``, for ``.npz``
weights and ``.keras`` archives); and the one helper that makes a step of several writes
all-or-nothing under Ctrl-C (``defer_interrupts``).

A file is written to a temporary name next to its destination, flushed to disk, given the mode
a normal ``open(path, "w")`` would give (``0o666`` less the umask), then moved into place with
``os.replace`` — so a reader sees the old file or the new one, never half of one. A temporary
file left by a writer that was killed (SIGKILL, power loss) is removed by the next write to the
same destination, once its process is gone.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import re
import signal
import tempfile
import threading
import zipfile
from typing import IO, Any, Callable, Iterator, TypeVar

__all__ = ["write_atomic", "open_atomic", "publish", "temp_path", "file_mode",
           "defer_interrupts", "deferring_interrupts", "check_zip_member", "DEFLATE_MAX_RATIO"]

_LOCK = threading.Lock()
_DEFERRING = threading.local()  # depth of nested defer_interrupts in this thread
_F = TypeVar("_F", bound=Callable[..., Any])


def _umask() -> int:
    """The process's umask, read without changing it (``os.umask`` must set it to read it,
    which races with other threads creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a newly created file gets: ``0o666`` less the umask."""
    return 0o666 & ~_umask()


def _stale(path: str) -> None:
    """Remove temporary files of ``path`` whose writing process no longer exists."""
    folder, base = os.path.split(os.path.abspath(path))
    pattern = re.compile(re.escape("." + base + ".") + r"(\d+)\.[^.]+\.tmp$")
    for tmp in glob.glob(os.path.join(glob.escape(folder), "." + glob.escape(base) + ".*.tmp")):
        m = pattern.search(os.path.basename(tmp))
        if m is None or int(m.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(m.group(1)), 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                os.remove(tmp)
        except (PermissionError, OverflowError):
            pass  # alive under another user, or not a pid: leave it


def temp_path(path: str) -> str:
    """A new, empty temporary file next to ``path`` (named after it and this process)."""
    _stale(path)
    folder, base = os.path.split(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{base}.{os.getpid()}.", suffix=".tmp")
    os.close(fd)
    return tmp


def publish(tmp: str, path: str) -> None:
    """Move the finished temporary file ``tmp`` into place at ``path``, with a normal file's
    mode (``mkstemp`` makes it ``0o600``)."""
    os.chmod(tmp, file_mode())
    os.replace(tmp, path)


@contextlib.contextmanager
def open_atomic(path: str, mode: str = "wb") -> Iterator[IO]:
    """Write ``path`` through a temporary file; on any exception nothing changes at ``path``.

    >>> import os, tempfile
    >>> from tapegrad.engine.atomic import open_atomic
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> with open_atomic(path, "w") as f:
    ...     _ = f.write("hello")
    >>> open(path).read()
    'hello'
    """
    tmp = temp_path(path)
    try:
        with open(tmp, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        publish(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once or not at all.

    >>> import os, tempfile
    >>> from tapegrad.engine.atomic import write_atomic
    >>> path = os.path.join(tempfile.mkdtemp(), "a.bin")
    >>> write_atomic(path, b"abc"); open(path, "rb").read()
    b'abc'
    """
    with open_atomic(path, "wb") as f:
        f.write(data)


@contextlib.contextmanager
def defer_interrupts() -> Iterator[None]:
    """Hold SIGINT (Ctrl-C) until the block ends, then deliver it: the block runs to its end
    or not at all, never half-way (an optimizer step updates every variable or none).

    Only the main thread receives signals, so elsewhere (and when nested) this does nothing.
    The first use installs one SIGINT handler that passes every signal straight on to the
    handler installed before it, except inside a block, where it waits for the block's end —
    so Ctrl-C still raises ``KeyboardInterrupt``, right after the step. (Installing a handler
    per block costs a system call each time; a flag costs nothing.)

    >>> from tapegrad.engine.atomic import defer_interrupts
    >>> with defer_interrupts():
    ...     total = sum(range(10))
    >>> total
    45
    """
    if (threading.current_thread() is not threading.main_thread()
            or getattr(_DEFERRING, "depth", 0)):
        yield
        return
    if _getsignal(_SIGINT_NUMBER) is not _on_sigint:  # first use, or replaced since
        with _LOCK:
            _SIGINT["previous"] = signal.signal(signal.SIGINT, _on_sigint)
    _DEFERRING.depth = 1
    try:
        yield
    finally:
        _DEFERRING.depth = 0
        pending, _SIGINT["pending"] = _SIGINT["pending"], None
        if pending is not None:
            _deliver(_SIGINT["previous"], pending)


# main thread only: signal handlers run there, and defer_interrupts acts only there
_SIGINT: dict = {"previous": signal.default_int_handler, "pending": None}
_SIGINT_NUMBER = int(signal.SIGINT)
try:  # the C function: signal.getsignal's conversion to an enum costs ~100x more
    from _signal import getsignal as _getsignal
except ImportError:  # another Python
    _getsignal = signal.getsignal


def _on_sigint(signum: int, frame: Any) -> None:
    if getattr(_DEFERRING, "depth", 0):
        _SIGINT["pending"] = frame  # delivered when the block ends
    else:
        _deliver(_SIGINT["previous"], frame)


def _deliver(handler: Any, frame: Any) -> None:
    """Run the SIGINT handler that the signal was meant for."""
    if callable(handler):
        handler(signal.SIGINT, frame)
    elif handler == signal.SIG_DFL:  # the default action: let the signal do what it does
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)


def deferring_interrupts(fn: _F) -> _F:
    """``fn`` wrapped in ``defer_interrupts`` (the decorator form)."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with defer_interrupts():
            return fn(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


# -- reading: a zip member's declared sizes, checked before anything is allocated -----------------
DEFLATE_MAX_RATIO = 1032  # the most deflate can shrink data: a larger claim is a lie


def check_zip_member(info: zipfile.ZipInfo, file_bytes: int, where: str,
                     limit: int | None = None) -> None:
    """Refuse a member of a ``file_bytes``-byte zip archive whose declared sizes no honest
    archive has: compressed bigger than the file, stored but expanding, deflated beyond
    deflate's largest ratio, above ``limit``, or another compression. ``where`` names the API.

    >>> import io, zipfile
    >>> from tapegrad.engine.atomic import check_zip_member
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
    ...     zf.writestr("a.txt", "hello" * 100)
    >>> check_zip_member(zipfile.ZipFile(buf).getinfo("a.txt"), len(buf.getvalue()), "load")
    """
    kind = info.compress_type
    if kind not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ValueError(f"{where}: member {info.filename!r} uses compression method {kind}; "
                         f"only stored and deflated members are read.")
    most = info.compress_size if kind == zipfile.ZIP_STORED else \
        info.compress_size * DEFLATE_MAX_RATIO + 1024
    if limit is not None:
        most = min(most, limit)
    if info.compress_size > file_bytes or info.file_size > most:
        raise ValueError(f"{where}: member {info.filename!r} declares {info.file_size} bytes "
                         f"({info.compress_size} compressed) in a {file_bytes}-byte file"
                         f"{'' if limit is None else f' (limit {limit})'}: a damaged or "
                         f"hostile file; nothing was read.")
