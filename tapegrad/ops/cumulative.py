"""Running sums and products along an axis: the ``cumsum`` and ``cumprod`` primitives.

Their own family, below ``reduce`` (whose ``reduce_prod`` gradient is built from exclusive
running products) and ``scan`` (which holds the public ``tf.math.cumsum``/``cumprod``).
"""

from __future__ import annotations

from ..engine.backend import xp as np
from ..engine.registry import primitive
from .array import _nb

__all__: list = []


def _scan(fn, x, axis, exclusive, reverse, fill):
    if reverse:
        x = np.flip(x, axis)
    out = fn(x, axis=axis, dtype=x.dtype)
    if exclusive:
        pad = np.full_like(np.take(out, [0], axis=axis), fill)
        out = np.concatenate([pad, np.take(out, np.arange(x.shape[axis] - 1), axis=axis)], axis)
    return np.flip(out, axis) if reverse else out


@primitive(name="cumsum")
def _cumsum(x, *, axis, exclusive, reverse):
    return _scan(np.cumsum, x, axis, exclusive, reverse, 0)


# the transpose of a running sum is the running sum in the other direction
_cumsum.defvjp(lambda g, ans, x, *, axis, exclusive, reverse: (
    _cumsum(g, axis=axis + _nb(g, ans), exclusive=exclusive, reverse=not reverse),))
_cumsum.defjvp(lambda t, ans, x, *, axis, exclusive, reverse: _cumsum(
    t[0], axis=axis, exclusive=exclusive, reverse=reverse))


@primitive(name="cumprod")
def _cumprod(x, *, axis, exclusive, reverse):
    return _scan(np.cumprod, x, axis, exclusive, reverse, 1)


# TF's CumprodGrad: dx = cumsum(ans * g, reverse=not reverse) / x (divides by x: inputs with
# zeros get NaN gradients, as in TF). Forward: d ans = ans * cumsum(dx / x).
_cumprod.defvjp(lambda g, ans, x, *, axis, exclusive, reverse: (
    _cumsum(ans * g, axis=axis + _nb(g, ans), exclusive=exclusive, reverse=not reverse) / x,))
_cumprod.defjvp(lambda t, ans, x, *, axis, exclusive, reverse: ans * _cumsum(
    t[0] / x, axis=axis, exclusive=exclusive, reverse=reverse))
