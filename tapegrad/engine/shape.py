"""TensorShape: a tensor's shape, a tuple of ints (``None`` for an unknown dimension) that
prints and compares like TF's; ``TensorShape(None)`` is a shape of unknown rank."""

from __future__ import annotations

import operator
from typing import Any

__all__ = ["TensorShape"]


def _dim(d: Any) -> int | None:
    """One dimension as TF accepts it: an int, None, or an object with ``.value`` (TF1's
    ``Dimension``)."""
    if d is None:
        return None
    if hasattr(d, "value") and not isinstance(d, int):
        d = d.value
        if d is None:
            return None
    try:
        n = operator.index(d)
    except TypeError:
        raise TypeError(f"TensorShape: a dimension must be an int or None, got {d!r} "
                        f"({type(d).__name__}).") from None
    if n < 0:
        raise ValueError(f"TensorShape: dimension {n} is negative; use None for an unknown "
                         f"dimension.")
    return n


class TensorShape(tuple):
    """A tensor's shape: a tuple of ints, ``None`` where a dimension is unknown.

    An eager tensor's shape is always fully defined; shapes with ``None`` come from
    ``TensorSpec``, ``input_signature`` and ragged tensors. ``TensorShape(None)`` has
    unknown rank.

    >>> import tapegrad as tf
    >>> s = tf.zeros((4, 2)).shape
    >>> s == (4, 2), s.as_list(), s.rank
    (True, [4, 2], 2)
    >>> p = tf.TensorShape([None, 3])
    >>> p.is_fully_defined(), p.is_compatible_with([8, 3]), p.merge_with([8, None])
    (False, True, TensorShape([8, 3]))
    """

    __slots__ = ()

    def __new__(cls, dims: Any = ()) -> TensorShape:
        if type(dims) is tuple and cls is TensorShape:  # a NumPy shape: ints already
            return tuple.__new__(cls, dims)
        if dims is None or cls is _UnknownShape:
            return tuple.__new__(_UnknownShape, ())
        if isinstance(dims, _UnknownShape):
            return dims
        if hasattr(dims, "__index__") and getattr(dims, "ndim", 0) == 0:
            dims = [dims]  # TF: TensorShape(3) is the shape [3]
        return tuple.__new__(TensorShape, [_dim(d) for d in dims])

    # -- what TF's TensorShape answers -------------------------------------------------------
    @property
    def rank(self) -> int | None:
        return len(self)

    @property
    def ndims(self) -> int | None:
        return self.rank

    @property
    def dims(self) -> list | None:
        return list(self)

    def as_list(self) -> list:
        return list(self)

    def num_elements(self) -> int | None:
        n = 1
        for d in self:
            if d is None:
                return None
            n *= d
        return n

    def is_fully_defined(self) -> bool:
        return None not in tuple(self)

    def is_compatible_with(self, other: Any) -> bool:
        other = TensorShape(other)
        if self.rank is None or other.rank is None:
            return True
        if self.rank != other.rank:
            return False
        return all(a is None or b is None or a == b for a, b in zip(self, other))

    def assert_is_compatible_with(self, other: Any) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are incompatible")

    def merge_with(self, other: Any) -> TensorShape:
        """The most specific shape compatible with both (``None`` filled in from either)."""
        other = TensorShape(other)
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        if self.rank is None:
            return other
        if other.rank is None:
            return self
        return TensorShape([b if a is None else a for a, b in zip(self, other)])

    def most_specific_compatible_shape(self, other: Any) -> TensorShape:
        """The most specific shape that both shapes are compatible with."""
        other = TensorShape(other)
        if self.rank is None or other.rank is None or self.rank != other.rank:
            return TensorShape(None)
        return TensorShape([a if a == b else None for a, b in zip(self, other)])

    def is_subtype_of(self, other: Any) -> bool:
        other = TensorShape(other)
        if other.rank is None:
            return True
        if self.rank != other.rank:
            return False
        return all(b is None or a == b for a, b in zip(self, other))

    def concatenate(self, other: Any) -> TensorShape:
        other = TensorShape(other)
        if self.rank is None or other.rank is None:
            return TensorShape(None)
        return TensorShape(list(self) + list(other))

    def __add__(self, other: Any) -> TensorShape:
        return self.concatenate(other)

    def __radd__(self, other: Any) -> TensorShape:
        return TensorShape(other).concatenate(self)

    def assert_is_fully_defined(self) -> None:
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def assert_has_rank(self, rank: int) -> None:
        if self.rank not in (None, rank):
            raise ValueError(f"Shape {self} must have rank {rank}")

    def assert_same_rank(self, other: Any) -> None:
        other = TensorShape(other)
        if self.rank is not None and other.rank is not None and self.rank != other.rank:
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def with_rank(self, rank: int) -> TensorShape:
        if self.rank is None:
            return TensorShape([None] * rank)
        self.assert_has_rank(rank)
        return self

    def with_rank_at_least(self, rank: int) -> TensorShape:
        if self.rank is not None and self.rank < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank: int) -> TensorShape:
        if self.rank is not None and self.rank > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    # -- a tuple that compares and prints like TF's --------------------------------------------
    def __eq__(self, other: object) -> bool:
        if isinstance(self, _UnknownShape) or isinstance(other, _UnknownShape):
            return isinstance(self, _UnknownShape) and isinstance(other, _UnknownShape)
        if isinstance(other, list):
            other = tuple(other)
        return tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = tuple.__hash__

    def __getitem__(self, i):
        r = tuple.__getitem__(self, i)
        return TensorShape(r) if isinstance(i, slice) else r

    def __repr__(self) -> str:
        return f"TensorShape({list(self)})"

    def __str__(self) -> str:
        return tuple.__repr__(self)


class _UnknownShape(TensorShape):
    """A shape of unknown rank: ``TensorShape(None)``."""

    __slots__ = ()

    rank = None  # type: ignore[assignment]
    dims = None  # type: ignore[assignment]

    @property
    def ndims(self) -> None:
        return None

    def as_list(self) -> list:
        raise ValueError("as_list() is not defined on an unknown TensorShape.")

    def num_elements(self) -> None:
        return None

    def is_fully_defined(self) -> bool:
        return False

    def __len__(self) -> int:
        raise ValueError("Cannot take the length of shape with unknown rank.")

    def __bool__(self) -> bool:
        return False

    def __getitem__(self, i):
        if isinstance(i, slice):  # a slice of known length is that many unknown dimensions
            if i.stop is None or i.step not in (None, 1) or (i.start or 0) < 0 or i.stop < 0:
                return TensorShape(None)
            return TensorShape([None] * max(i.stop - (i.start or 0), 0))
        return None

    def __repr__(self) -> str:
        return "TensorShape(None)"

    def __str__(self) -> str:
        return "<unknown>"
