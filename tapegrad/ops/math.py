"""Elementwise math: arithmetic, powers, exponentials, comparisons, logic and casts.

Each primitive's forward, VJP and JVP stand together. VJPs use tapegrad ops (so nested tapes
differentiate them) and accept cotangents with leading batch dimensions (for ``jacobian``).
The transcendental functions beyond exp/log/tanh/sigmoid live in ``special``.
"""

from __future__ import annotations

import math as _pymath
from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.errors import InvalidArgumentError, named
from ..engine.registry import primitive, unbroadcast
from ..engine.tensor import Tensor, convert_raw, shape_of
from ..engine.variable import Variable
from .array import broadcast_to
from .complex import _complex, _conj, _real
from .indexing import where

__all__ = [
    "add", "subtract", "multiply", "divide", "truediv", "negative", "pow", "square", "sqrt",
    "exp", "log", "tanh", "sigmoid", "abs", "sign", "cast", "identity", "floordiv", "floormod",
    "greater", "greater_equal", "less", "less_equal", "equal", "not_equal", "logical_and",
    "logical_or", "logical_xor", "logical_not",
    "maximum", "minimum", "add_n", "squared_difference", "xlogy", "xdivy", "divide_no_nan",
    "reciprocal", "rsqrt",
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


multiply.defvjps(lambda g, ans, x, y: unbroadcast(g * _conj_of_complex(y), x, ans),
                 lambda g, ans, x, y: unbroadcast(g * _conj_of_complex(x), y, ans))


def _conj_of_complex(y):
    """conj(y) for a complex tensor (TF's Mul gradient is g * conj(y)), else y itself."""
    return _conj(y) if isinstance(y, Tensor) and y._value.dtype.kind == "c" else y


@multiply.defjvp
def _multiply_jvp(t, ans, x, y):
    return tangent_add(None if t[0] is None else t[0] * y, None if t[1] is None else x * t[1], ans)


def _truediv_dtype(op: str, x, y):
    """TF's truediv: 8- and 16-bit integers divide in float32, wider ones in float64; no bool."""
    dt = np.result_type(x, y)
    if dt.kind == "b":
        raise TypeError(f"{op}: cannot divide bool tensors; cast them first, e.g. "
                        f"tf.cast(x, tf.float32).")
    return np.float32 if dt.kind in "iu" and dt.itemsize <= 2 else None


@primitive(same_dtype=True)
def divide(x, y):
    """x / y elementwise; integer inputs give float32 (8, 16 bits) or float64, as TF's
    ``truediv`` (``tf.divide``)."""
    return np.true_divide(x, y, dtype=_truediv_dtype("divide", x, y))


divide.defvjps(lambda g, ans, x, y: unbroadcast(g / y, x, ans),
               lambda g, ans, x, y: unbroadcast(-g * ans / y, y, ans))


@divide.defjvp
def _divide_jvp(t, ans, x, y):
    return tangent_add(None if t[0] is None else t[0] / y,
                       None if t[1] is None else -t[1] * ans / y, ans)


truediv = divide


def _signed(op: str, x) -> None:
    """TF's Neg, Abs and Sign have no unsigned kernels: -x of a uint8 would wrap around."""
    if x.dtype.kind in "ub":
        raise TypeError(f"{op}: no kernel for {_dt.from_numpy(x.dtype).name} tensors; cast to "
                        f"a signed dtype first, e.g. tf.cast(x, tf.int32).")


def _ordered(op: str, x, y) -> None:
    """TF's comparisons, max and min refuse complex numbers: they have no order."""
    for v in (x, y):
        if getattr(v, "dtype", None) is not None and v.dtype.kind == "c":
            raise TypeError(f"{op}: {_dt.from_numpy(v.dtype).name} numbers have no order; "
                            f"compare their real parts or tf.abs instead.")


@primitive
def negative(x):
    """-x elementwise (``tf.negative``)."""
    if x.dtype.kind == "u":
        _signed("negative", x)
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
    _floats("sqrt", x)
    return np.sqrt(x)


sqrt.defvjp(lambda g, ans, x: (g / (2 * ans),))
sqrt.defjvp(lambda t, ans, x: t[0] / (2 * ans))


@primitive
def exp(x):
    """e ** x (``tf.exp``)."""
    _floats("exp", x)
    return np.exp(x)


exp.defvjp(lambda g, ans, x: (g * ans,))
exp.defjvp(lambda t, ans, x: t[0] * ans)


@primitive
def log(x):
    """Natural logarithm (``tf.math.log``)."""
    _floats("log", x)
    return np.log(x)


log.defvjp(lambda g, ans, x: (g / x,))
log.defjvp(lambda t, ans, x: t[0] / x)


@primitive
def tanh(x):
    """Hyperbolic tangent (``tf.tanh``)."""
    _floats("tanh", x)
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
    _floats("sigmoid", x)
    x = np.asarray(x)
    if x.dtype.kind == "c":  # TF's complex kernel: the formula itself, no real-only shortcut
        return (1 / (1 + np.exp(-x)))[()]
    return _sigmoid_impl(x)[()]


sigmoid.defvjp(lambda g, ans, x: (g * ans * (1 - ans),))
sigmoid.defjvp(lambda t, ans, x: t[0] * ans * (1 - ans))


@primitive
def abs(x):  # noqa: A001 - TF's name
    """|x| (``tf.abs``); the gradient at 0 is 0, as TF's (sign(0) = 0)."""
    if x.dtype.kind in "ub":
        _signed("abs", x)
    return np.abs(x)


def _abs_vjp(g, ans, x):
    if ans._value.dtype == x._value.dtype:
        return (g * sign(x),)
    # |z| of a complex z: the cotangent is g z / |z| (0 at z = 0), as TF's ComplexAbs
    return (_complex(_divide_no_nan(g, ans), g * 0) * x,)


abs.defvjp(_abs_vjp)
abs.defjvp(lambda t, ans, x: t[0] * sign(x) if ans._value.dtype == x._value.dtype
           else _divide_no_nan(_real(t[0] * _conj(x)), ans))


@primitive
def sign(x):
    """-1, 0 or 1 by the sign of x (``tf.sign``); its gradient is zero everywhere."""
    if x.dtype.kind == "u":
        _signed("sign", x)
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
    if x.dtype.kind == "c" and np.dtype(dtype).kind != "c":  # TF keeps the real part, silently
        x = x.real
    return x.astype(dtype) if x.dtype != dtype else x


def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """Change the dtype (``tf.cast``). Gradient flows between float dtypes; casting to an
    integer or bool dtype cuts it (the result is not differentiable), as in TF.

    >>> import tapegrad as tf
    >>> tf.cast([1.7, -1.7], tf.int32).numpy()
    array([ 1, -1], dtype=int32)
    """
    if dtype is None:
        raise TypeError("cast: cannot convert None to a dtype: give the dtype to cast to, e.g. "
                        "tf.cast(x, tf.float32).")
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
    """Floor of x / y (``tf.math.floordiv``, Python's ``//``); not differentiable, as TF.
    Integer division by zero raises ``InvalidArgumentError``, as TF."""
    _no_integer_zero("floordiv", y)
    return np.floor_divide(x, y)


@primitive(same_dtype=True)
def floormod(x, y):
    """x - floor(x / y) * y (``tf.math.floormod``, Python's ``%``). Integer division by zero
    raises ``InvalidArgumentError``, as TF."""
    _no_integer_zero("floormod", y)
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
    _ordered("greater", x, y)
    return np.greater(x, y)


@primitive(same_dtype=True, differentiable=False)
def greater_equal(x, y):
    """x >= y elementwise."""
    _ordered("greater_equal", x, y)
    return np.greater_equal(x, y)


@primitive(same_dtype=True, differentiable=False)
def less(x, y):
    """x < y elementwise."""
    _ordered("less", x, y)
    return np.less(x, y)


@primitive(same_dtype=True, differentiable=False)
def less_equal(x, y):
    """x <= y elementwise."""
    _ordered("less_equal", x, y)
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
def _no_integer_zero(op: str, y) -> None:
    y = np.asarray(y)
    if y.dtype.kind in "iu" and not np.all(y):
        raise InvalidArgumentError(f"{op}: Integer division by zero (the divisor holds a 0).")


def _real_floats(op: str, *vals) -> None:
    """TF kernels that take real floats only (no complex): say so."""
    for v in vals:
        if v.dtype.kind != "f":
            raise InvalidArgumentError(f"{op}: expects a real float tensor, got "
                                       f"{_dt.from_numpy(v.dtype).name}{list(np.shape(v))}; "
                                       f"TF has no {op} kernel for it.")


def _floats(op: str, *vals) -> None:
    """TF's transcendental kernels take float tensors only; say so instead of silently promoting."""
    for v in vals:
        if v.dtype.kind not in "fc":
            raise TypeError(f"{op}: expects a float tensor, got {_dt.from_numpy(v.dtype).name}"
                            f"{list(np.shape(v))}; cast it first, e.g. tf.cast(x, tf.float32).")


def _masked(cond, g):
    """``g`` where ``cond`` holds, else 0 (``cond`` broadcasts against a batched ``g``)."""
    return where(cond, g, 0)


@primitive(name="maximum", same_dtype=True)
def _maximum(x, y):
    _ordered("maximum", x, y)
    return np.maximum(x, y)


# TF's MaximumGrad: ties (x == y) send the whole gradient to x.
_maximum.defvjps(lambda g, ans, x, y: unbroadcast(_masked(greater_equal(x, y), g), x, ans),
                 lambda g, ans, x, y: unbroadcast(_masked(less(x, y), g), y, ans))


def _pick_jvp(mask, t, ans):
    """Tangent of an elementwise pick: x's tangent where ``mask`` holds, else y's."""
    return tangent_add(None if t[0] is None else _masked(mask, t[0]),
                       None if t[1] is None else _masked(logical_not(mask), t[1]), ans)


_maximum.defjvp(lambda t, ans, x, y: _pick_jvp(greater_equal(x, y), t, ans))


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
    _ordered("minimum", x, y)
    return np.minimum(x, y)


# TF's MinimumGrad: ties (x == y) send the whole gradient to x.
_minimum.defvjps(lambda g, ans, x, y: unbroadcast(_masked(less_equal(x, y), g), x, ans),
                 lambda g, ans, x, y: unbroadcast(_masked(greater(x, y), g), y, ans))


_minimum.defjvp(lambda t, ans, x, y: _pick_jvp(less_equal(x, y), t, ans))


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
        raise named(ValueError("add_n: inputs must be a non-empty list of tensors."))
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
    dt = _truediv_dtype("divide_no_nan", x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.true_divide(x, y, dtype=dt)
        return np.where(y == 0, np.zeros((), q.dtype), q)[()]


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
