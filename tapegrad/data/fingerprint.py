"""``Dataset.fingerprint()``: a 64-bit digest of what a pipeline computes — its stages, their
arguments, the arrays it slices and the code of its functions — so that the same pipeline
built again (in another program too) has the same fingerprint; ``snapshot`` files its data
under it.

Left out, as TF leaves them out: the state of a pass (a random stage's pass number, an
unseeded stage's fresh entropy, a memory cache's contents) and the options.
"""

from __future__ import annotations

import hashlib
import types
from typing import Any

import numpy as np

__all__ = ["digest"]

_PASS_STATE = {"epoch", "base", "cached", "_options"}
_PLAIN = (bool, int, float, complex, str, bytes, np.ndarray, np.generic)
_DEPTH = 12  # closures that reach deeper than this are identified by their type only


def digest(stage: Any) -> int:
    """The unsigned 64-bit fingerprint of a pipeline stage and everything it reads.

    >>> import tapegrad as tf
    >>> a = tf.data.Dataset.range(4).map(lambda x: x + 1)
    >>> b = tf.data.Dataset.range(4).map(lambda x: x + 1)
    >>> digest(a) == digest(b) != digest(tf.data.Dataset.range(5).map(lambda x: x + 1))
    True
    """
    h = hashlib.blake2b(digest_size=8)
    _feed(h, stage, 0, set())
    return int.from_bytes(h.digest(), "little")


def _feed(h: Any, v: Any, depth: int, seen: set) -> None:
    """Write ``v`` into ``h`` unambiguously (a type tag, then the content)."""
    h.update(type(v).__qualname__.encode() + b"\0")
    if v is None or isinstance(v, (bool, int, float, complex, str, bytes)):
        h.update(repr(v).encode() + b"\0")
    elif isinstance(v, (np.ndarray, np.generic)):
        a = np.asarray(v)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(repr(a.tolist()).encode() if a.dtype.kind == "O" else
                 np.ascontiguousarray(a).tobytes())
    elif depth > _DEPTH or id(v) in seen:
        return
    elif isinstance(v, (list, tuple)):
        seen.add(id(v))
        for x in v:
            _feed(h, x, depth + 1, seen)
    elif isinstance(v, dict):
        seen.add(id(v))
        for k, x in v.items():
            _feed(h, k, depth + 1, seen)
            _feed(h, x, depth + 1, seen)
    elif isinstance(v, (types.FunctionType, types.MethodType)):
        _feed_function(h, v, depth, seen)
    elif isinstance(v, types.CodeType):
        _feed_code(h, v, depth, seen)
    elif hasattr(v, "__dict__") and not isinstance(v, type):
        seen.add(id(v))
        for k, x in sorted(vars(v).items()):
            if k not in _PASS_STATE:
                _feed(h, k, depth + 1, seen)
                _feed(h, x, depth + 1, seen)
    elif " at 0x" not in (text := repr(v)):  # a range, a dtype: their repr says what they are
        h.update(text.encode() + b"\0")


def _feed_function(h: Any, fn: Any, depth: int, seen: set) -> None:
    """A function by its code, its defaults, and the plain values (numbers, text, arrays,
    tuples of them, functions) of its closure and of the globals it reads — what TF's tracing
    bakes in as constants; other objects (a list it appends to, a model) by their type only.
    Not by its name."""
    seen.add(id(fn))
    if isinstance(fn, types.MethodType):
        _feed(h, fn.__self__, depth + 1, seen)
        fn = fn.__func__
    _feed_code(h, fn.__code__, depth, seen)
    _feed(h, fn.__defaults__, depth + 1, seen)
    for cell in fn.__closure__ or ():
        try:
            _feed_constant(h, cell.cell_contents, depth, seen)
        except ValueError:  # an empty cell
            h.update(b"<empty>")
    for name in fn.__code__.co_names:
        if name in fn.__globals__:
            _feed_constant(h, fn.__globals__[name], depth, seen)


def _feed_constant(h: Any, v: Any, depth: int, seen: set) -> None:
    if isinstance(v, _PLAIN + (tuple, types.FunctionType)):
        _feed(h, v, depth + 1, seen)
    else:
        h.update(type(v).__qualname__.encode() + b"\0")


def _feed_code(h: Any, code: types.CodeType, depth: int, seen: set) -> None:
    h.update(code.co_code)
    h.update(repr(code.co_names).encode())
    for c in code.co_consts:
        _feed(h, c, depth + 1, seen)
