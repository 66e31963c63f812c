"""Elementwise math: arithmetic, powers, exponentials, comparisons and logic.

Each primitive's forward, VJP and JVP stand together. VJPs use tapegrad ops (so nested tapes
differentiate them) and accept cotangents with leading batch dimensions (for ``jacobian``).
"""

from __future__ import annotations

import math as _pymath
from typing import Any

from .._backend import xp as np
from .. import dtypes as _dt
from ..primitive import primitive, unbroadcast
from ..tensor import Tensor, Variable, shape_of

__all__ = [
    "add", "subtract", "multiply", "divide", "truediv", "negative", "pow", "square", "sqrt",
    "exp", "log", "tanh", "sigmoid", "abs", "sign", "cast", "identity", "floordiv", "floormod",
    "greater", "greater_equal", "less", "less_equal", "equal", "not_equal", "logical_and",
    "logical_or", "logical_xor", "logical_not",
    "maximum", "minimum", "add_n", "squared_difference", "xlogy", "xdivy", "divide_no_nan",
    "atan2", "reciprocal", "rsqrt", "expm1", "log1p", "softplus", "log_sigmoid", "sin", "cos",
    "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "erf", "erfc",
    "round", "floor", "ceil", "is_nan", "is_inf", "is_finite",
]


def tangent_add(a, b, ans=None):
    """Sum of two tangents where None means zero; broadcast to ``ans`` if one is missing."""
    if a is None:
        a, b = b, a
    if a is None:
        return None
    if b is not None:
        return a + b
    if ans is not None and shape_of(a) != shape_of(ans):
        from .array import broadcast_to
        return broadcast_to(a, shape_of(ans))
    return a


def _neg_or_none(t):
    return None if t is None else -t


# -- arithmetic -----------------------------------------------------------------------------------
@primitive(same_dtype=True)
def add(x, y):
    """x + y elementwise, broadcasting like NumPy (``tf.add``)."""
    return x + y


add.defvjps(lambda g, ans, x, y: unbroadcast(g, x, ans),
            lambda g, ans, x, y: unbroadcast(g, y, ans))


@add.defjvp
def _add_jvp(t, ans, x, y):
    return tangent_add(t[0], t[1], ans)


@primitive(same_dtype=True)
def subtract(x, y):
    """x - y elementwise (``tf.subtract``)."""
    return x - y


subtract.defvjps(lambda g, ans, x, y: unbroadcast(g, x, ans),
                 lambda g, ans, x, y: unbroadcast(-g, y, ans))


@subtract.defjvp
def _subtract_jvp(t, ans, x, y):
    return tangent_add(t[0], _neg_or_none(t[1]), ans)


@primitive(same_dtype=True)
def multiply(x, y):
    """x * y elementwise (``tf.multiply``)."""
    return x * y


multiply.defvjps(lambda g, ans, x, y: unbroadcast(g * y, x, ans),
                 lambda g, ans, x, y: unbroadcast(g * x, y, ans))


@multiply.defjvp
def _multiply_jvp(t, ans, x, y):
    return tangent_add(None if t[0] is None else t[0] * y, None if t[1] is None else x * t[1], ans)


@primitive(same_dtype=True)
def divide(x, y):
    """x / y elementwise; integer inputs give float64, as TF's ``truediv`` (``tf.divide``)."""
    return x / y  # NumPy's true division: int32 / int32 -> float64, as TF


divide.defvjps(lambda g, ans, x, y: unbroadcast(g / y, x, ans),
               lambda g, ans, x, y: unbroadcast(-g * ans / y, y, ans))


@divide.defjvp
def _divide_jvp(t, ans, x, y):
    return tangent_add(None if t[0] is None else t[0] / y,
                       None if t[1] is None else -t[1] * ans / y, ans)


truediv = divide


@primitive
def negative(x):
    """-x elementwise (``tf.negative``)."""
    return -x


negative.defvjp(lambda g, ans, x: (-g,))
negative.defjvp(lambda t, ans, x: -t[0])


@primitive(same_dtype=True)
def pow(x, y):  # noqa: A001 - TF's name
    """x ** y elementwise (``tf.pow``). d/dy uses log(x) only where x > 0 (0 elsewhere), as TF."""
    return x ** y


def _pow_dfdx(x, y):
    ym1 = y - 1 if isinstance(y, (int, float)) else subtract(y, 1)
    return y * pow(x, ym1)


def _safe_log(x):
    if isinstance(x, (int, float)):  # 2.0 ** t: a Python number stays weak, taking g's dtype
        return _pymath.log(x) if x > 0 else 0.0
    from .array import where
    pos = greater(x, 0)
    return where(pos, log(where(pos, x, 1)), 0)


pow.defvjps(lambda g, ans, x, y: unbroadcast(g * _pow_dfdx(x, y), x, ans),
            lambda g, ans, x, y: unbroadcast(g * ans * _safe_log(x), y, ans))


@pow.defjvp
def _pow_jvp(t, ans, x, y):
    dx = None if t[0] is None else t[0] * _pow_dfdx(x, y)
    dy = None if t[1] is None else t[1] * ans * _safe_log(x)
    return tangent_add(dx, dy, ans)


@primitive
def square(x):
    """x * x elementwise (``tf.square``)."""
    return x * x


square.defvjp(lambda g, ans, x: (g * 2 * x,))
square.defjvp(lambda t, ans, x: t[0] * 2 * x)


@primitive
def sqrt(x):
    """Square root (``tf.sqrt``); its gradient at 0 is inf, as TF's."""
    return np.sqrt(x)


sqrt.defvjp(lambda g, ans, x: (g / (2 * ans),))
sqrt.defjvp(lambda t, ans, x: t[0] / (2 * ans))


@primitive
def exp(x):
    """e ** x (``tf.exp``)."""
    return np.exp(x)


exp.defvjp(lambda g, ans, x: (g * ans,))
exp.defjvp(lambda t, ans, x: t[0] * ans)


@primitive
def log(x):
    """Natural logarithm (``tf.math.log``)."""
    return np.log(x)


log.defvjp(lambda g, ans, x: (g / x,))
log.defjvp(lambda t, ans, x: t[0] / x)


@primitive
def tanh(x):
    """Hyperbolic tangent (``tf.tanh``)."""
    return np.tanh(x)


tanh.defvjp(lambda g, ans, x: (g * (1 - ans * ans),))
tanh.defjvp(lambda t, ans, x: t[0] * (1 - ans * ans))


def _sigmoid_impl(x):
    # numerically stable on both tails: exp of a non-positive number only
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


@primitive
def sigmoid(x):
    """Logistic function 1 / (1 + exp(-x)) (``tf.sigmoid``), stable for large |x|."""
    return _sigmoid_impl(np.asarray(x))[()]


sigmoid.defvjp(lambda g, ans, x: (g * ans * (1 - ans),))
sigmoid.defjvp(lambda t, ans, x: t[0] * ans * (1 - ans))


@primitive
def abs(x):  # noqa: A001 - TF's name
    """|x| (``tf.abs``); the gradient at 0 is 0, as TF's (sign(0) = 0)."""
    return np.abs(x)


abs.defvjp(lambda g, ans, x: (g * sign(x),))
abs.defjvp(lambda t, ans, x: t[0] * sign(x))


@primitive
def sign(x):
    """-1, 0 or 1 by the sign of x (``tf.sign``); its gradient is zero everywhere."""
    return np.sign(x)


sign.defvjp(lambda g, ans, x: (g * 0,))
sign.defjvp(lambda t, ans, x: t[0] * 0)


@primitive
def identity(x):
    """The same value as a new tensor (``tf.identity``); gradient passes through."""
    return x


identity.defvjp(lambda g, ans, x: (g,))
identity.defjvp(lambda t, ans, x: t[0])


@primitive(name="cast")
def _cast(x, *, dtype):
    return x.astype(dtype) if x.dtype != dtype else x


def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """Change the dtype (``tf.cast``). Gradient flows between float dtypes; casting to an
    integer or bool dtype cuts it (the result is not differentiable), as in TF.

    >>> import tapegrad as tf
    >>> tf.cast([1.7, -1.7], tf.int32).numpy()
    array([ 1, -1], dtype=int32)
    """
    try:
        npd = _dt.np_dtype(dtype)
    except TypeError as e:
        what = f"{x.dtype.name}{list(x.shape)}" if isinstance(x, (Tensor, Variable)) else repr(x)
        raise TypeError(f"cast: {e} (input: {what})") from None
    return _cast(x, dtype=npd)


def _cast_vjp(g, ans, x, *, dtype):
    xd = x._value.dtype if isinstance(x, (Tensor, Variable)) else np.asarray(x).dtype
    return (_cast(g, dtype=xd) if xd.kind in "fc" else None,)


_cast.defvjp(_cast_vjp)
_cast.defjvp(lambda t, ans, x, *, dtype: _cast(t[0], dtype=dtype))


@primitive(same_dtype=True, differentiable=False)
def floordiv(x, y):
    """Floor of x / y (``tf.math.floordiv``, Python's ``//``); not differentiable, as TF."""
    return np.floor_divide(x, y)


@primitive(same_dtype=True)
def floormod(x, y):
    """x - floor(x / y) * y (``tf.math.floormod``, Python's ``%``)."""
    return np.mod(x, y)


floormod.defvjps(lambda g, ans, x, y: unbroadcast(g, x, ans),
                 lambda g, ans, x, y: unbroadcast(-g * floordiv(x, y), y, ans))


@floormod.defjvp
def _floormod_jvp(t, ans, x, y):
    return tangent_add(t[0], None if t[1] is None else -t[1] * floordiv(x, y), ans)


# -- comparisons and logic (boolean results, no gradient) ---------------------------------------
@primitive(same_dtype=True, differentiable=False)
def greater(x, y):
    """x > y elementwise (``tf.math.greater``)."""
    return np.greater(x, y)


@primitive(same_dtype=True, differentiable=False)
def greater_equal(x, y):
    """x >= y elementwise."""
    return np.greater_equal(x, y)


@primitive(same_dtype=True, differentiable=False)
def less(x, y):
    """x < y elementwise."""
    return np.less(x, y)


@primitive(same_dtype=True, differentiable=False)
def less_equal(x, y):
    """x <= y elementwise."""
    return np.less_equal(x, y)


@primitive(same_dtype=True, differentiable=False)
def equal(x, y):
    """x == y elementwise (``tf.math.equal``)."""
    return np.equal(x, y)


@primitive(same_dtype=True, differentiable=False)
def not_equal(x, y):
    """x != y elementwise."""
    return np.not_equal(x, y)


def _bool_check(name, *vals):
    for v in vals:
        if v.dtype != np.bool_:
            raise TypeError(f"{name}: expects bool tensors, got {_dt.from_numpy(v.dtype).name}.")


@primitive(differentiable=False)
def logical_and(x, y):
    """Elementwise AND of bool tensors."""
    _bool_check("logical_and", np.asarray(x), np.asarray(y))
    return np.logical_and(x, y)


@primitive(differentiable=False)
def logical_or(x, y):
    """Elementwise OR of bool tensors."""
    _bool_check("logical_or", np.asarray(x), np.asarray(y))
    return np.logical_or(x, y)


@primitive(differentiable=False)
def logical_xor(x, y):
    """Elementwise XOR of bool tensors."""
    _bool_check("logical_xor", np.asarray(x), np.asarray(y))
    return np.logical_xor(x, y)


@primitive(differentiable=False)
def logical_not(x):
    """Elementwise NOT of a bool tensor."""
    _bool_check("logical_not", np.asarray(x))
    return np.logical_not(x)


# -- binary arithmetic beyond the operators --------------------------------------------------------
def _floats(op: str, *vals) -> None:
    """TF's transcendental kernels take float tensors only; say so instead of silently promoting."""
    for v in vals:
        if v.dtype.kind not in "fc":
            raise TypeError(f"{op}: expects a float tensor, got {_dt.from_numpy(v.dtype).name}"
                            f"{list(np.shape(v))}; cast it first, e.g. tf.cast(x, tf.float32).")


def _masked(cond, g):
    """``g`` where ``cond`` holds, else 0 (``cond`` broadcasts against a batched ``g``)."""
    from .array import where
    return where(cond, g, 0)


@primitive(name="maximum", same_dtype=True)
def _maximum(x, y):
    return np.maximum(x, y)


# TF's MaximumGrad: ties (x == y) send the whole gradient to x.
_maximum.defvjps(lambda g, ans, x, y: unbroadcast(_masked(greater_equal(x, y), g), x, ans),
                 lambda g, ans, x, y: unbroadcast(_masked(less(x, y), g), y, ans))


@_maximum.defjvp
def _maximum_jvp(t, ans, x, y):
    mask = greater_equal(x, y)
    return tangent_add(None if t[0] is None else _masked(mask, t[0]),
                       None if t[1] is None else _masked(logical_not(mask), t[1]), ans)


def maximum(x: Any, y: Any, name: str | None = None) -> Tensor:
    """Elementwise max of ``x`` and ``y`` with broadcasting (``tf.maximum``).

    Where ``x == y`` the whole gradient goes to ``x``, as TF's ``MaximumGrad``.

    >>> import tapegrad as tf
    >>> tf.maximum([1.0, 5.0], 3.0).numpy()
    array([3., 5.], dtype=float32)
    """
    return _maximum(x, y)


@primitive(name="minimum", same_dtype=True)
def _minimum(x, y):
    return np.minimum(x, y)


# TF's MinimumGrad: ties (x == y) send the whole gradient to x.
_minimum.defvjps(lambda g, ans, x, y: unbroadcast(_masked(less_equal(x, y), g), x, ans),
                 lambda g, ans, x, y: unbroadcast(_masked(greater(x, y), g), y, ans))


@_minimum.defjvp
def _minimum_jvp(t, ans, x, y):
    mask = less_equal(x, y)
    return tangent_add(None if t[0] is None else _masked(mask, t[0]),
                       None if t[1] is None else _masked(logical_not(mask), t[1]), ans)


def minimum(x: Any, y: Any, name: str | None = None) -> Tensor:
    """Elementwise min of ``x`` and ``y`` with broadcasting (``tf.minimum``).

    Where ``x == y`` the whole gradient goes to ``x``, as TF's ``MinimumGrad``.

    >>> import tapegrad as tf
    >>> tf.minimum([1.0, 5.0], 3.0).numpy()
    array([1., 3.], dtype=float32)
    """
    return _minimum(x, y)


@primitive(name="add_n")
def _add_n(*xs):
    out = xs[0].copy() if isinstance(xs[0], np.ndarray) else xs[0]
    for x in xs[1:]:
        out = out + x
    return out


_add_n.defvjp(lambda g, ans, *xs: tuple(g for _ in xs))


@_add_n.defjvp
def _add_n_jvp(t, ans, *xs):
    out = None
    for ti in t:
        out = tangent_add(out, ti, ans)
    return out


def add_n(inputs: list, name: str | None = None) -> Tensor:
    """Sum of a list of same-shape, same-dtype tensors (``tf.math.add_n``).

    >>> import tapegrad as tf
    >>> tf.math.add_n([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]).numpy()
    array([ 9., 12.], dtype=float32)
    """
    if isinstance(inputs, (Tensor, Variable)) or not isinstance(inputs, (list, tuple)) or \
            len(inputs) == 0:
        raise ValueError("add_n: inputs must be a non-empty list of tensors.")
    from ..tensor import convert_raw
    vals = [x._value if isinstance(x, (Tensor, Variable)) else convert_raw(x) for x in inputs]
    shapes = {np.shape(v) for v in vals}
    dtypes = {v.dtype for v in vals}
    if len(shapes) > 1 or len(dtypes) > 1:
        desc = ", ".join(f"{_dt.from_numpy(v.dtype).name}{list(np.shape(v))}" for v in vals)
        raise ValueError(f"add_n: all inputs must have the same shape and dtype, got {desc}.")
    return _add_n(*inputs)


@primitive(name="squared_difference", same_dtype=True)
def _squared_difference(x, y):
    d = x - y
    return d * d


# d (x - y)^2 = 2 (x - y) (dx - dy)
_squared_difference.defvjps(lambda g, ans, x, y: unbroadcast(g * (2 * (x - y)), x, ans),
                            lambda g, ans, x, y: unbroadcast(g * (2 * (y - x)), y, ans))


@_squared_difference.defjvp
def _squared_difference_jvp(t, ans, x, y):
    dt = tangent_add(t[0], _neg_or_none(t[1]), ans)
    return dt * (2 * (x - y))


def squared_difference(x: Any, y: Any, name: str | None = None) -> Tensor:
    """(x - y) ** 2 elementwise (``tf.math.squared_difference``).

    >>> import tapegrad as tf
    >>> tf.math.squared_difference([1.0, 4.0], 2.0).numpy()
    array([1., 4.], dtype=float32)
    """
    return _squared_difference(x, y)


@primitive(name="xlogy", same_dtype=True)
def _xlogy(x, y):
    _floats("xlogy", x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, np.zeros((), x.dtype), x * np.log(y))[()]


@primitive(name="xdivy", same_dtype=True)
def _xdivy(x, y):
    _floats("xdivy", x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, np.zeros((), x.dtype), x / y)[()]


# TF's XlogyGrad: d/dx = xlogy(x != 0, y) (0 where x == 0), d/dy = xdivy(x, y); both NaN-free
# where x == 0, even at y == 0.
def _nonzero(x):
    return _cast(not_equal(x, 0), dtype=np.asarray(x._value if isinstance(x, (Tensor, Variable))
                                                   else x).dtype)


_xlogy.defvjps(lambda g, ans, x, y: unbroadcast(g * _xlogy(_nonzero(x), y), x, ans),
               lambda g, ans, x, y: unbroadcast(g * _xdivy(x, y), y, ans))
_xlogy.defjvp(lambda t, ans, x, y: tangent_add(
    None if t[0] is None else t[0] * _xlogy(_nonzero(x), y),
    None if t[1] is None else t[1] * _xdivy(x, y), ans))
# xdivy only appears inside xlogy's gradient; d xdivy = dx/y (x != 0) - x dy / y^2
_xdivy.defvjps(lambda g, ans, x, y: unbroadcast(g * _xdivy(_nonzero(x), y), x, ans),
               lambda g, ans, x, y: unbroadcast(-g * _xdivy(ans, y), y, ans))
_xdivy.defjvp(lambda t, ans, x, y: tangent_add(
    None if t[0] is None else t[0] * _xdivy(_nonzero(x), y),
    None if t[1] is None else -t[1] * _xdivy(ans, y), ans))


def xlogy(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x * log(y), and exactly 0 where x == 0 (even if y == 0) (``tf.math.xlogy``).

    The gradient is NaN-safe as TF's: where x == 0 both partial derivatives are 0.

    >>> import tapegrad as tf
    >>> tf.math.xlogy([0.0, 2.0], [0.0, 1.0]).numpy()
    array([0., 0.], dtype=float32)
    """
    return _xlogy(x, y)


def xdivy(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x / y, and exactly 0 where x == 0 (even if y == 0) (``tf.math.xdivy``).

    >>> import tapegrad as tf
    >>> tf.math.xdivy([0.0, 2.0], [0.0, 4.0]).numpy()
    array([0. , 0.5], dtype=float32)
    """
    return _xdivy(x, y)


@primitive(name="divide_no_nan", same_dtype=True)
def _divide_no_nan(x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(y == 0, np.zeros((), np.result_type(x, y)), x / y)[()]


# TF's DivNoNanGrad: dx = g / y, dy = g * (-x / y) / y, each 0 where y == 0.
_divide_no_nan.defvjps(
    lambda g, ans, x, y: unbroadcast(_divide_no_nan(g, y), x, ans),
    lambda g, ans, x, y: unbroadcast(g * _divide_no_nan(_divide_no_nan(-x, y), y), y, ans))
_divide_no_nan.defjvp(lambda t, ans, x, y: tangent_add(
    None if t[0] is None else _divide_no_nan(t[0], y),
    None if t[1] is None else t[1] * _divide_no_nan(_divide_no_nan(-x, y), y), ans))


def divide_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x / y, and 0 where y == 0 (``tf.math.divide_no_nan``); its gradient is 0 there too.

    >>> import tapegrad as tf
    >>> tf.math.divide_no_nan([1.0, 3.0], [0.0, 2.0]).numpy()
    array([0. , 1.5], dtype=float32)
    """
    return _divide_no_nan(x, y)


@primitive(name="atan2", same_dtype=True)
def _atan2(y, x):
    _floats("atan2", y)
    return np.arctan2(y, x)


# d atan2(y, x) = (x dy - y dx) / (x^2 + y^2)
_atan2.defvjps(lambda g, ans, y, x: unbroadcast(g * x / (x * x + y * y), y, ans),
               lambda g, ans, y, x: unbroadcast(-g * y / (x * x + y * y), x, ans))
_atan2.defjvp(lambda t, ans, y, x: tangent_add(
    None if t[0] is None else t[0] * x / (x * x + y * y),
    None if t[1] is None else -t[1] * y / (x * x + y * y), ans))


def atan2(y: Any, x: Any, name: str | None = None) -> Tensor:
    """The angle of the point (x, y), in (-pi, pi] (``tf.math.atan2``; note y comes first).

    >>> import tapegrad as tf
    >>> tf.math.atan2([1.0, 1.0], [1.0, -1.0]).numpy()
    array([0.7853981, 2.3561945], dtype=float32)
    """
    return _atan2(y, x)


# -- elementwise unary: powers, exponentials, logs ------------------------------------------------
@primitive(name="reciprocal")
def _reciprocal(x):
    _floats("reciprocal", x)
    return 1 / x


# d(1/x) = -dx / x^2 = -ans^2 dx
_reciprocal.defvjp(lambda g, ans, x: (-g * (ans * ans),))
_reciprocal.defjvp(lambda t, ans, x: -t[0] * (ans * ans))


def reciprocal(x: Any, name: str | None = None) -> Tensor:
    """1 / x elementwise (``tf.math.reciprocal``).

    >>> import tapegrad as tf
    >>> tf.math.reciprocal([2.0, 4.0]).numpy()
    array([0.5 , 0.25], dtype=float32)
    """
    return _reciprocal(x)


@primitive(name="rsqrt")
def _rsqrt(x):
    _floats("rsqrt", x)
    return 1 / np.sqrt(x)


# d x^(-1/2) = -1/2 x^(-3/2) dx = -ans^3 / 2 dx
_rsqrt.defvjp(lambda g, ans, x: (g * (-0.5 * ans * ans * ans),))
_rsqrt.defjvp(lambda t, ans, x: t[0] * (-0.5 * ans * ans * ans))


def rsqrt(x: Any, name: str | None = None) -> Tensor:
    """1 / sqrt(x) elementwise (``tf.math.rsqrt``).

    >>> import tapegrad as tf
    >>> tf.math.rsqrt([4.0, 16.0]).numpy()
    array([0.5 , 0.25], dtype=float32)
    """
    return _rsqrt(x)


@primitive(name="expm1")
def _expm1(x):
    _floats("expm1", x)
    return np.expm1(x)


_expm1.defvjp(lambda g, ans, x: (g * (ans + 1),))
_expm1.defjvp(lambda t, ans, x: t[0] * (ans + 1))


def expm1(x: Any, name: str | None = None) -> Tensor:
    """exp(x) - 1, accurate for small x (``tf.math.expm1``).

    >>> import tapegrad as tf
    >>> tf.math.expm1([0.0, 1e-10], ).numpy()
    array([0.e+00, 1.e-10], dtype=float32)
    """
    return _expm1(x)


@primitive(name="log1p")
def _log1p(x):
    _floats("log1p", x)
    return np.log1p(x)


_log1p.defvjp(lambda g, ans, x: (g / (1 + x),))
_log1p.defjvp(lambda t, ans, x: t[0] / (1 + x))


def log1p(x: Any, name: str | None = None) -> Tensor:
    """log(1 + x), accurate for small x (``tf.math.log1p``).

    >>> import tapegrad as tf
    >>> tf.math.log1p([0.0, 1e-10]).numpy()
    array([0.e+00, 1.e-10], dtype=float32)
    """
    return _log1p(x)


@primitive(name="softplus")
def _softplus(x):
    _floats("softplus", x)
    return np.logaddexp(np.zeros((), x.dtype), x)


# d log(1 + e^x) = sigmoid(x) dx
_softplus.defvjp(lambda g, ans, x: (g * sigmoid(x),))
_softplus.defjvp(lambda t, ans, x: t[0] * sigmoid(x))


def softplus(features: Any, name: str | None = None) -> Tensor:
    """log(1 + exp(x)), stable for large |x| (``tf.math.softplus``, ``tf.nn.softplus``);
    its gradient is sigmoid(x).

    >>> import tapegrad as tf
    >>> tf.math.softplus([0.0, 100.0]).numpy()
    array([  0.6931472, 100.       ], dtype=float32)
    """
    return _softplus(features)


def log_sigmoid(x: Any, name: str | None = None) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x), stable for large |x| (``tf.math.log_sigmoid``).

    >>> import tapegrad as tf
    >>> tf.math.log_sigmoid([0.0, -100.0]).numpy()
    array([  -0.6931472, -100.       ], dtype=float32)
    """
    return negative(_softplus(negative(x)))


# -- trigonometric and hyperbolic -----------------------------------------------------------------
@primitive(name="sin")
def _sin(x):
    _floats("sin", x)
    return np.sin(x)


@primitive(name="cos")
def _cos(x):
    _floats("cos", x)
    return np.cos(x)


_sin.defvjp(lambda g, ans, x: (g * _cos(x),))
_sin.defjvp(lambda t, ans, x: t[0] * _cos(x))
_cos.defvjp(lambda g, ans, x: (-g * _sin(x),))
_cos.defjvp(lambda t, ans, x: -t[0] * _sin(x))


def sin(x: Any, name: str | None = None) -> Tensor:
    """Sine (``tf.math.sin``).

    >>> import tapegrad as tf
    >>> tf.math.sin([0.0, 1.5707964]).numpy()
    array([0., 1.], dtype=float32)
    """
    return _sin(x)


def cos(x: Any, name: str | None = None) -> Tensor:
    """Cosine (``tf.math.cos``).

    >>> import tapegrad as tf
    >>> tf.math.cos([0.0, 3.1415927]).numpy()
    array([ 1., -1.], dtype=float32)
    """
    return _cos(x)


@primitive(name="tan")
def _tan(x):
    _floats("tan", x)
    return np.tan(x)


# d tan = (1 + tan^2) dx
_tan.defvjp(lambda g, ans, x: (g * (1 + ans * ans),))
_tan.defjvp(lambda t, ans, x: t[0] * (1 + ans * ans))


def tan(x: Any, name: str | None = None) -> Tensor:
    """Tangent (``tf.math.tan``).

    >>> import tapegrad as tf
    >>> tf.math.tan([0.0, 0.7853982]).numpy()
    array([0., 1.], dtype=float32)
    """
    return _tan(x)


@primitive(name="asin")
def _asin(x):
    _floats("asin", x)
    return np.arcsin(x)


@primitive(name="acos")
def _acos(x):
    _floats("acos", x)
    return np.arccos(x)


# d asin = dx / sqrt(1 - x^2) = -d acos
_asin.defvjp(lambda g, ans, x: (g / sqrt(1 - x * x),))
_asin.defjvp(lambda t, ans, x: t[0] / sqrt(1 - x * x))
_acos.defvjp(lambda g, ans, x: (-g / sqrt(1 - x * x),))
_acos.defjvp(lambda t, ans, x: -t[0] / sqrt(1 - x * x))


def asin(x: Any, name: str | None = None) -> Tensor:
    """Inverse sine, in [-pi/2, pi/2] (``tf.math.asin``).

    >>> import tapegrad as tf
    >>> tf.math.asin([0.0, 1.0]).numpy()
    array([0.       , 1.5707964], dtype=float32)
    """
    return _asin(x)


def acos(x: Any, name: str | None = None) -> Tensor:
    """Inverse cosine, in [0, pi] (``tf.math.acos``).

    >>> import tapegrad as tf
    >>> tf.math.acos([1.0, -1.0]).numpy()
    array([0.       , 3.1415927], dtype=float32)
    """
    return _acos(x)


@primitive(name="atan")
def _atan(x):
    _floats("atan", x)
    return np.arctan(x)


_atan.defvjp(lambda g, ans, x: (g / (1 + x * x),))
_atan.defjvp(lambda t, ans, x: t[0] / (1 + x * x))


def atan(x: Any, name: str | None = None) -> Tensor:
    """Inverse tangent (``tf.math.atan``).

    >>> import tapegrad as tf
    >>> tf.math.atan([0.0, 1.0]).numpy()
    array([0.       , 0.7853982], dtype=float32)
    """
    return _atan(x)


@primitive(name="sinh")
def _sinh(x):
    _floats("sinh", x)
    return np.sinh(x)


@primitive(name="cosh")
def _cosh(x):
    _floats("cosh", x)
    return np.cosh(x)


_sinh.defvjp(lambda g, ans, x: (g * _cosh(x),))
_sinh.defjvp(lambda t, ans, x: t[0] * _cosh(x))
_cosh.defvjp(lambda g, ans, x: (g * _sinh(x),))
_cosh.defjvp(lambda t, ans, x: t[0] * _sinh(x))


def sinh(x: Any, name: str | None = None) -> Tensor:
    """Hyperbolic sine (``tf.math.sinh``).

    >>> import tapegrad as tf
    >>> tf.math.sinh([0.0, 1.0]).numpy()
    array([0.       , 1.1752012], dtype=float32)
    """
    return _sinh(x)


def cosh(x: Any, name: str | None = None) -> Tensor:
    """Hyperbolic cosine (``tf.math.cosh``).

    >>> import tapegrad as tf
    >>> tf.math.cosh([0.0, 1.0]).numpy()
    array([1.       , 1.5430807], dtype=float32)
    """
    return _cosh(x)


@primitive(name="asinh")
def _asinh(x):
    _floats("asinh", x)
    return np.arcsinh(x)


@primitive(name="acosh")
def _acosh(x):
    _floats("acosh", x)
    return np.arccosh(x)


# TF's AsinhGrad / AcoshGrad: d asinh = dx / cosh(ans), d acosh = dx / sinh(ans)
_asinh.defvjp(lambda g, ans, x: (g / _cosh(ans),))
_asinh.defjvp(lambda t, ans, x: t[0] / _cosh(ans))
_acosh.defvjp(lambda g, ans, x: (g / _sinh(ans),))
_acosh.defjvp(lambda t, ans, x: t[0] / _sinh(ans))


def asinh(x: Any, name: str | None = None) -> Tensor:
    """Inverse hyperbolic sine (``tf.math.asinh``).

    >>> import tapegrad as tf
    >>> tf.math.asinh([0.0, 1.0]).numpy()
    array([0.       , 0.8813736], dtype=float32)
    """
    return _asinh(x)


def acosh(x: Any, name: str | None = None) -> Tensor:
    """Inverse hyperbolic cosine, for x >= 1 (``tf.math.acosh``).

    >>> import tapegrad as tf
    >>> tf.math.acosh([1.0, 2.0]).numpy()
    array([0.      , 1.316958], dtype=float32)
    """
    return _acosh(x)


@primitive(name="atanh")
def _atanh(x):
    _floats("atanh", x)
    return np.arctanh(x)


_atanh.defvjp(lambda g, ans, x: (g / (1 - x * x),))
_atanh.defjvp(lambda t, ans, x: t[0] / (1 - x * x))


def atanh(x: Any, name: str | None = None) -> Tensor:
    """Inverse hyperbolic tangent, for |x| < 1 (``tf.math.atanh``).

    >>> import tapegrad as tf
    >>> tf.math.atanh([0.0, 0.5]).numpy()
    array([0.        , 0.54930615], dtype=float32)
    """
    return _atanh(x)


# -- the error function ---------------------------------------------------------------------------
# W. J. Cody's rational Chebyshev approximations (Math. Comp. 1969; Netlib specfun CALERF),
# accurate to about 1e-16 in float64, vectorized over three ranges of |x|.
_ERF_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
          3.20937758913846947e03, 1.85777706184603153e-1)
_ERF_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
          2.84423683343917062e03)
_ERF_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
          2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
          2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_ERF_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
          1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
          3.43936767414372164e03, 1.23033935480374942e03)
_ERF_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
          1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_ERF_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
          6.05183413124413191e-2, 2.33520497626869185e-3)
_ONE_OVER_SQRT_PI = 5.6418958354775628695e-1
_TWO_OVER_SQRT_PI = 2 * _ONE_OVER_SQRT_PI


def _ratio(t, num, den, lead):
    """(((num[-1] t + num[0]) t + num[1]) t ...) / (((t + den[0]) t + den[1]) t ...), the
    numerator/denominator pair of Cody's rational forms, evaluated in place (few temporaries:
    this runs on every element)."""
    n = t * num[-1]
    d = t.copy()
    for a, b in zip(num[:lead], den[:lead], strict=True):
        n += a
        n *= t
        d += b
        d *= t
    n += num[lead]
    d += den[lead]
    n /= d
    return n


def _times_exp_minus_square(r, y):
    """r * exp(-y^2), with y^2 split as ys^2 + (y - ys)(y + ys), ys = y rounded down to 1/16:
    keeps erfc's relative accuracy for large y (Cody's trick)."""
    ys = np.trunc(y * 16)
    ys /= 16
    d = y - ys
    d *= y + ys  # the two exponents stay separate: their sum would round away the low bits
    ys *= ys
    np.negative(ys, out=ys)
    r *= np.exp(ys, out=ys)
    np.negative(d, out=d)
    r *= np.exp(d, out=d)
    return r


_PY_ERF = np.frompyfunc(_pymath.erf, 1, 1)
_PY_ERFC = np.frompyfunc(_pymath.erfc, 1, 1)


def _erf_erfc(x, want_erfc: bool):
    """erf(x) or erfc(x) for a float array, computed in float64."""
    if np.size(x) <= 512:  # small arrays: the C library's erf per element is faster
        out = (_PY_ERFC if want_erfc else _PY_ERF)(x)
        return np.asarray(out, dtype=np.asarray(x).dtype)[()]
    x64 = np.asarray(x, dtype=np.float64)
    y = np.abs(x64)
    out = np.empty(y.shape)
    small = y <= 0.46875
    if small.all():  # one range only: no masking
        r = _ratio(y * y, _ERF_A, _ERF_B, 3)
        r *= x64
        return (1 - r if want_erfc else r).astype(np.asarray(x).dtype)[()]
    if small.any():
        xs = x64[small]
        e = _ratio(xs * xs, _ERF_A, _ERF_B, 3)
        e *= xs
        out[small] = 1 - e if want_erfc else e
    rest = ~small
    yr = y[rest]
    r = np.empty(yr.shape)
    mid = yr <= 4.0
    if mid.any():  # erfc(|x|) on 0.46875 < |x| <= 4
        ym = yr[mid]
        r[mid] = _times_exp_minus_square(_ratio(ym, _ERF_C, _ERF_D, 7), ym)
    big = ~mid
    if big.any():  # erfc(|x|) on |x| > 4 (0 beyond 26.543, where it underflows; NaN stays NaN)
        yb = np.minimum(yr[big], 27.0)
        yb[np.isnan(yr[big])] = np.nan
        z = 1 / (yb * yb)
        t = _ratio(z, _ERF_P, _ERF_Q, 4)
        t *= z
        t = (_ONE_OVER_SQRT_PI - t) / yb
        t = _times_exp_minus_square(t, yb)
        t[yb >= 26.543] = 0.0
        r[big] = t
    neg = x64[rest] < 0
    if want_erfc:
        out[rest] = np.where(neg, 2 - r, r)
    else:
        r = (0.5 - r) + 0.5
        out[rest] = np.where(neg, -r, r)
    return out.astype(np.asarray(x).dtype)[()]


@primitive(name="erf")
def _erf(x):
    _floats("erf", x)
    return _erf_erfc(x, want_erfc=False)


@primitive(name="erfc")
def _erfc(x):
    _floats("erfc", x)
    return _erf_erfc(x, want_erfc=True)


# erf'(x) = 2/sqrt(pi) exp(-x^2) = -erfc'(x)
_erf.defvjp(lambda g, ans, x: (g * (_TWO_OVER_SQRT_PI * exp(-(x * x))),))
_erf.defjvp(lambda t, ans, x: t[0] * (_TWO_OVER_SQRT_PI * exp(-(x * x))))
_erfc.defvjp(lambda g, ans, x: (g * (-_TWO_OVER_SQRT_PI * exp(-(x * x))),))
_erfc.defjvp(lambda t, ans, x: t[0] * (-_TWO_OVER_SQRT_PI * exp(-(x * x))))


def erf(x: Any, name: str | None = None) -> Tensor:
    """The Gauss error function (``tf.math.erf``), to float64 precision without SciPy.

    >>> import tapegrad as tf
    >>> tf.math.erf([0.0, 1.0]).numpy()
    array([0.       , 0.8427008], dtype=float32)
    """
    return _erf(x)


def erfc(x: Any, name: str | None = None) -> Tensor:
    """1 - erf(x), accurate where erf(x) is close to 1 (``tf.math.erfc``).

    >>> import tapegrad as tf
    >>> tf.math.erfc([0.0, 5.0]).numpy()
    array([1.0000000e+00, 1.5374598e-12], dtype=float32)
    """
    return _erfc(x)


# -- rounding and predicates (no gradient: TF registers None for Round, Floor, Ceil) ------------
@primitive(name="round", differentiable=False)
def _round(x):
    return np.round(x) if x.dtype.kind in "fc" else x


def round(x: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's name
    """Round half to even, elementwise (``tf.math.round``); no gradient, as TF.

    >>> import tapegrad as tf
    >>> tf.math.round([0.5, 1.5, 2.5, -1.7]).numpy()
    array([ 0.,  2.,  2., -2.], dtype=float32)
    """
    return _round(x)


@primitive(name="floor", differentiable=False)
def _floor(x):
    return np.floor(x) if x.dtype.kind in "fc" else x


def floor(x: Any, name: str | None = None) -> Tensor:
    """Largest integer <= x, elementwise (``tf.math.floor``); no gradient, as TF.

    >>> import tapegrad as tf
    >>> tf.math.floor([1.5, -1.5]).numpy()
    array([ 1., -2.], dtype=float32)
    """
    return _floor(x)


@primitive(name="ceil", differentiable=False)
def _ceil(x):
    return np.ceil(x) if x.dtype.kind in "fc" else x


def ceil(x: Any, name: str | None = None) -> Tensor:
    """Smallest integer >= x, elementwise (``tf.math.ceil``); no gradient, as TF.

    >>> import tapegrad as tf
    >>> tf.math.ceil([1.5, -1.5]).numpy()
    array([ 2., -1.], dtype=float32)
    """
    return _ceil(x)


@primitive(name="is_nan", differentiable=False)
def _is_nan(x):
    _floats("is_nan", x)
    return np.isnan(x)


def is_nan(x: Any, name: str | None = None) -> Tensor:
    """True where x is NaN (``tf.math.is_nan``).

    >>> import tapegrad as tf
    >>> tf.math.is_nan([1.0, float("nan")]).numpy()
    array([False,  True])
    """
    return _is_nan(x)


@primitive(name="is_inf", differentiable=False)
def _is_inf(x):
    _floats("is_inf", x)
    return np.isinf(x)


def is_inf(x: Any, name: str | None = None) -> Tensor:
    """True where x is +inf or -inf (``tf.math.is_inf``).

    >>> import tapegrad as tf
    >>> tf.math.is_inf([1.0, float("-inf")]).numpy()
    array([False,  True])
    """
    return _is_inf(x)


@primitive(name="is_finite", differentiable=False)
def _is_finite(x):
    _floats("is_finite", x)
    return np.isfinite(x)


def is_finite(x: Any, name: str | None = None) -> Tensor:
    """True where x is neither inf nor NaN (``tf.math.is_finite``).

    >>> import tapegrad as tf
    >>> tf.math.is_finite([1.0, float("inf"), float("nan")]).numpy()
    array([ True, False, False])
    """
    return _is_finite(x)
