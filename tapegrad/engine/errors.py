"""Exception types with TensorFlow's names (``tapegrad.errors.InvalidArgumentError`` …).

Each op error is also the matching Python exception (``InvalidArgumentError`` is a ``ValueError``),
so code written for either convention catches it.
"""

from __future__ import annotations

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
