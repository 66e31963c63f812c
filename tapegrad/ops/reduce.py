"""Reductions over axes: sum, mean (and the axis handling they share)."""

from __future__ import annotations

from typing import Any

from .._backend import xp as np
from ..primitive import primitive
from ..tensor import Tensor, _Base, shape_of
from .array import _broadcast_to, _nb, _reshape

__all__ = ["reduce_sum", "reduce_mean", "normalize_axes", "kept_shape"]


def normalize_axes(axis: Any, rank: int, op: str) -> tuple | None:
    """``axis`` (None, int, list or tensor) as a sorted tuple of non-negative ints.

    None means all axes. Out-of-range axes raise ValueError naming the op and the rank.
    """
    if axis is None:
        return None
    if isinstance(axis, _Base):
        axis = axis._value.tolist()
    if isinstance(axis, (int, np.integer)):
        axis = (int(axis),)
    out = set()
    for a in axis:
        a = int(a)
        if not -rank <= a < max(rank, 1):
            raise ValueError(f"{op}: invalid reduction axis {a} for an input of rank {rank} "
                             f"(valid: [{-rank}, {rank})).")
        out.add(a % rank if rank else 0)
    return tuple(sorted(out))


def kept_shape(xshape: tuple, axes: tuple | None) -> tuple:
    """The shape a reduction with ``keepdims=True`` has (1 at each reduced axis)."""
    if axes is None:
        return (1,) * len(xshape)
    return tuple(1 if i in axes else d for i, d in enumerate(xshape))


def _expand_to_input(g, ans, x, axes):
    """Broadcast a reduction's cotangent (maybe batched) back over the reduced axes of ``x``."""
    nb = _nb(g, ans)
    lead = tuple(g.shape[:nb])
    xshape = shape_of(x)
    g = _reshape(g, shape=lead + kept_shape(xshape, axes))
    return _broadcast_to(g, shape=lead + xshape)


@primitive(name="reduce_sum")
def _reduce_sum(x, *, axes, keepdims):
    return np.sum(x, axis=axes, keepdims=keepdims)


_reduce_sum.defvjp(lambda g, ans, x, *, axes, keepdims: (_expand_to_input(g, ans, x, axes),))
_reduce_sum.defjvp(lambda t, ans, x, *, axes, keepdims: _reduce_sum(t[0], axes=axes,
                                                                    keepdims=keepdims))


def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Sum over ``axis`` (all axes by default) (``tf.reduce_sum``).

    >>> import tapegrad as tf
    >>> tf.reduce_sum([[1.0, 2.0], [3.0, 4.0]], axis=0).numpy()
    array([4., 6.], dtype=float32)
    """
    rank = len(shape_of(input_tensor))
    return _reduce_sum(input_tensor, axes=normalize_axes(axis, rank, "reduce_sum"),
                       keepdims=bool(keepdims))


def _count(x, axes) -> int:
    shape = shape_of(x)
    if axes is None:
        return int(np.prod(shape, dtype=np.int64))
    return int(np.prod([shape[a] for a in axes], dtype=np.int64))


@primitive(name="reduce_mean")
def _reduce_mean(x, *, axes, keepdims):
    if x.dtype.kind in "iu":  # TF: integer mean is an integer (truncating) division
        s = np.sum(x, axis=axes, keepdims=keepdims)
        return (s // max(_count(x, axes), 1)).astype(x.dtype)
    return np.mean(x, axis=axes, keepdims=keepdims)


_reduce_mean.defvjp(lambda g, ans, x, *, axes, keepdims: (
    _expand_to_input(g, ans, x, axes) / _count(x, axes),))
_reduce_mean.defjvp(lambda t, ans, x, *, axes, keepdims: _reduce_mean(t[0], axes=axes,
                                                                      keepdims=keepdims))


def reduce_mean(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                name: str | None = None) -> Tensor:
    """Mean over ``axis`` (all axes by default) (``tf.reduce_mean``).

    >>> import tapegrad as tf
    >>> tf.reduce_mean([[1.0, 2.0], [3.0, 4.0]], axis=1).numpy()
    array([1.5, 3.5], dtype=float32)
    """
    rank = len(shape_of(input_tensor))
    return _reduce_mean(input_tensor, axes=normalize_axes(axis, rank, "reduce_mean"),
                        keepdims=bool(keepdims))
