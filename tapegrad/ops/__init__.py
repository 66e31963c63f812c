"""Op families: each primitive's forward, VJP and JVP stand together in its family file.

Importing this package also gives Tensor its Python operators (``+``, ``@``, ``x[i]`` …) and
``unbroadcast`` its reduction: the engine's tensor module sits below the families and leaves
those entries for them to fill, here, in one place.
"""

from __future__ import annotations

from functools import partial

from ..engine.registry import bind
from ..engine.operators import OPERATORS
from . import array, linalg, math, reduce


def _sum_to(g, axes: tuple, target: tuple):
    """``g`` summed over ``axes`` and shaped ``target`` (unbroadcast's one reduction)."""
    if axes:
        g = reduce._reduce_sum(g, axes=axes, keepdims=False)
        if g._value.shape == target:  # only leading axes summed (a bias add): no reshape
            return g
    return array._reshape(g, shape=target)


def _densify(values, indices, shape):
    return array.unsorted_segment_sum_dense(values, indices, shape=shape)


# + - * / and unary - bind their primitive directly (one call less): they must stay primitives
OPERATORS.add = partial(bind, math.add)
OPERATORS.subtract = partial(bind, math.subtract)
OPERATORS.multiply = partial(bind, math.multiply)
OPERATORS.truediv = partial(bind, math.truediv)
OPERATORS.negative = partial(bind, math.negative)
OPERATORS.floordiv = math.floordiv
OPERATORS.floormod = math.floormod
OPERATORS.pow = math.pow
OPERATORS.abs = math.abs
OPERATORS.logical_not = math.logical_not
OPERATORS.logical_and = math.logical_and
OPERATORS.logical_or = math.logical_or
OPERATORS.logical_xor = math.logical_xor
OPERATORS.less = math.less
OPERATORS.less_equal = math.less_equal
OPERATORS.greater = math.greater
OPERATORS.greater_equal = math.greater_equal
OPERATORS.equal = math.equal
OPERATORS.not_equal = math.not_equal
OPERATORS.matmul = linalg.matmul
OPERATORS.cast = math.cast
OPERATORS.concat = array.concat
OPERATORS.reshape = array.reshape
OPERATORS.stack = array.stack
OPERATORS.transpose = array.transpose
OPERATORS.getitem = array.getitem
OPERATORS.sum_to = _sum_to
OPERATORS.densify = _densify
