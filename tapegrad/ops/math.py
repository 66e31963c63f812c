"""Elementwise math: arithmetic, powers, exponentials, comparisons and logic.

Each primitive's forward, VJP and JVP stand together. VJPs use tapegrad ops (so nested tapes
differentiate them) and accept cotangents with leading batch dimensions (for ``jacobian``).
"""

from __future__ import annotations

from typing import Any

from .._backend import xp as np
from .. import dtypes as _dt
from ..primitive import primitive, unbroadcast
from ..tensor import Tensor, Variable, shape_of

__all__ = [
    "add", "subtract", "multiply", "divide", "truediv", "negative", "pow", "square", "sqrt",
    "exp", "log", "tanh", "sigmoid", "abs", "sign", "cast", "identity", "floordiv", "floormod",
    "greater", "greater_equal", "less", "less_equal", "equal", "not_equal", "logical_and",
    "logical_or", "logical_xor", "logical_not", "tangent_add",
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
    if x.dtype.kind in "iub":
        return np.true_divide(x, y)
    return x / y


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
    return _cast(x, dtype=_dt.np_dtype(dtype))


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
