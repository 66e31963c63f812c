"""Exception types with TensorFlow's names (``tapegrad.errors.InvalidArgumentError`` …)."""

from __future__ import annotations


class OpError(Exception):
    """Base class of errors raised while running an op."""


class InvalidArgumentError(OpError, ValueError):
    """An op got an argument it cannot work with (bad shape, NaN under check-numerics, …).

    Also a ``ValueError``, so code written for either convention catches it.
    """


class NotFoundError(OpError, FileNotFoundError):
    """A file or name that an op needs does not exist."""


class UnimplementedError(OpError, NotImplementedError):
    """The operation is not supported by tapegrad."""


class InternalError(OpError, RuntimeError):
    """An internal invariant broke; please report it."""
