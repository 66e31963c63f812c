"""Keep freed array memory in the process (glibc), so a training step's large temporaries
reuse pages instead of page-faulting fresh ones from the OS on every step.

glibc serves blocks above ``M_MMAP_THRESHOLD`` (128 KiB at start, raised as such blocks are
freed) with ``mmap`` and returns them with ``munmap`` on ``free``, and gives the top of the heap
back to the OS once more than ``M_TRIM_THRESHOLD`` of it is free. An autodiff step allocates and
frees the same few-hundred-KiB-to-MiB arrays (activations, cotangents, ``lr * g``) every step,
so each step pays a page fault per 4 KiB of them: measured 1.5-2x the hand-written NumPy step at
batch 1024. Raising both thresholds once at import makes later steps reuse the freed heap.

Nothing changes when the user set glibc's own variables (``MALLOC_MMAP_THRESHOLD_``,
``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_TOP_PAD_``), when ``TAPEGRAD_KEEP_FREED_MEMORY=0``, or on
other C libraries (musl, macOS, Windows). Imports nothing of tapegrad.
"""

from __future__ import annotations

import ctypes
import os

M_TRIM_THRESHOLD = -1      # glibc's mallopt parameter numbers (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20  # glibc's own ceiling for its dynamic threshold (64-bit)
TRIM_THRESHOLD = 128 << 20  # free heap kept at most: 128 MiB

_GLIBC_VARS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")


def _glibc() -> bool:
    try:
        return os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")
    except (ValueError, OSError, AttributeError):  # not a glibc system (or no confstr)
        return False


def keep_freed_memory(environ: dict | None = None) -> bool:
    """Raise glibc's mmap and trim thresholds unless told not to; True when they were set.

    >>> from tapegrad.engine.allocator import keep_freed_memory
    >>> keep_freed_memory({"TAPEGRAD_KEEP_FREED_MEMORY": "0"})
    False
    """
    env = os.environ if environ is None else environ
    if env.get("TAPEGRAD_KEEP_FREED_MEMORY", "1") in ("0", "false", "no", "off"):
        return False
    if any(v in env for v in _GLIBC_VARS) or not _glibc():
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
