"""Exception types with TensorFlow's names (``tapegrad.errors.InvalidArgumentError`` …).

Each op error is also the matching Python exception (``InvalidArgumentError`` is a ``ValueError``),
so code written for either convention catches it.
"""

from __future__ import annotations

import numpy as np

from . import dtypes as _dt
from .backend import ArrayTypes
from .state import entry_name

__all__ = ["OpError", "InvalidArgumentError", "NotFoundError", "UnimplementedError",
           "InternalError", "CancelledError", "UnknownError", "DeadlineExceededError",
           "AlreadyExistsError", "PermissionDeniedError", "UnauthenticatedError",
           "ResourceExhaustedError", "FailedPreconditionError", "AbortedError",
           "OutOfRangeError", "UnavailableError", "DataLossError"]


class OpError(Exception):
    """Base class of errors raised while running an op."""


class InvalidArgumentError(OpError, ValueError):
    """An op got an argument it cannot work with (bad shape, NaN under check-numerics, …).

    Also a ``ValueError``, so code written for either convention catches it.
    """


__all__ += ["IndexOutOfRangeError"]


class IndexOutOfRangeError(InvalidArgumentError, IndexError):
    """An index out of range: TF's ``InvalidArgumentError``, also an ``IndexError`` so that
    Python code catching that (and its sequence protocols) keeps working."""


class NotFoundError(OpError, FileNotFoundError):
    """A file or name that an op needs does not exist."""


class UnimplementedError(OpError, NotImplementedError):
    """The operation is not supported by tapegrad."""


class InternalError(OpError, RuntimeError):
    """An internal invariant broke; please report it."""


# The rest of TensorFlow's error classes, so ``except tf.errors.X`` in ported code resolves.
class CancelledError(OpError):
    """An operation was cancelled."""


class UnknownError(OpError):
    """An error with no better category."""


class DeadlineExceededError(OpError):
    """A deadline passed before the operation finished."""


class AlreadyExistsError(OpError):
    """Something to be created already exists."""


class PermissionDeniedError(OpError, PermissionError):
    """The caller may not run the operation."""


class UnauthenticatedError(OpError):
    """The request has no valid credentials."""


class ResourceExhaustedError(OpError, MemoryError):
    """Memory (or another resource) ran out."""


class FailedPreconditionError(OpError):
    """The system is not in a state the operation needs (e.g. an uninitialized value)."""


class AbortedError(OpError):
    """The operation was aborted."""


class OutOfRangeError(OpError):
    """Iteration or a read went past the valid range (e.g. the end of a dataset)."""


class UnavailableError(OpError):
    """A service is unavailable."""


class DataLossError(OpError):
    """Unrecoverable data loss or corruption."""


__all__ += ["named"]


def named(e: BaseException, op: str | None = None, *, keep_class: bool = False) -> BaseException:
    """``e`` with its message led by the op that failed (``op``) and the public op the user
    called, where it does not name them yet; the class is kept, or mapped to TF's
    (``AttributeError`` → ``TypeError``, ``OverflowError`` → ``InvalidArgumentError``,
    ``MemoryError`` → ``ResourceExhaustedError``) unless ``keep_class`` (TF's own class).

    >>> from tapegrad.engine.errors import named
    >>> str(named(ValueError("bad axis"), "reduce_sum"))
    'reduce_sum: bad axis'
    """
    cls = type(e) if keep_class or isinstance(e, OpError) else next(
        (_TF_CLASS[c] for c in type(e).__mro__ if c in _TF_CLASS), type(e))
    msg = str(e)
    for name in (op, entry_name()):
        if name and name not in msg:
            msg = f"{name}: {msg}"
    if msg == str(e) and cls is type(e):
        return e
    try:
        return cls(msg)
    except Exception:  # noqa: BLE001 - an exception class with another constructor: keep it
        return e


_TF_CLASS: dict = {AttributeError: TypeError, OverflowError: InvalidArgumentError,
                   MemoryError: ResourceExhaustedError}


__all__ += ["op_error", "op_type_error"]


def op_error(op: str, vals: list, e: Exception) -> Exception:
    """A NumPy failure inside ``op``, re-raised with the op, the shapes and the dtypes a user
    can act on."""
    desc = ", ".join(f"{_dt.from_numpy(np.asarray(v).dtype).name}{list(np.shape(v))}"
                     if isinstance(v, ArrayTypes) else repr(v) for v in vals)
    msg = str(e) if str(e).startswith(op + ":") else f"{op}: {e}"  # named by the op itself
    return InvalidArgumentError(f"{msg} (inputs: {desc})")


def op_type_error(op: str, vals: list, e: Exception) -> TypeError:
    """An op's own TypeError (named by it) as it is; NumPy's with the op and the dtypes."""
    if isinstance(e, TypeError) and str(e).startswith(op + ":"):
        return e
    desc = ", ".join(_dt.from_numpy(np.asarray(v).dtype).name for v in vals
                     if isinstance(v, ArrayTypes))
    return TypeError(f"{op}: no kernel for inputs of dtype {desc or 'unknown'} ({e}); "
                     f"cast the input to a dtype the op supports.")
