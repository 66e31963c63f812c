"""TensorShape: a tensor's shape, a tuple of ints that prints like TF's."""

from __future__ import annotations

__all__ = ["TensorShape"]


class TensorShape(tuple):
    """A tensor's shape: a tuple of ints that prints like TF's.

    >>> import tapegrad as tf
    >>> s = tf.zeros((4, 2)).shape
    >>> s == (4, 2), s.as_list(), s.rank
    (True, [4, 2], 2)
    """

    __slots__ = ()

    def as_list(self) -> list[int]:
        return list(self)

    @property
    def rank(self) -> int:
        return len(self)

    @property
    def ndims(self) -> int:
        return len(self)

    def num_elements(self) -> int:
        n = 1
        for d in self:
            n *= d
        return n

    def is_fully_defined(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
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
