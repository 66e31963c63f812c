"""``keras.ops``: Keras 3's backend-neutral ops, with Keras's names and argument conventions
(``x1, x2``, ``axis=None`` over everything, ``keepdims``, NumPy-style dtype promotion between
operands), each mapped onto tapegrad's ops: gradients, dtypes and errors are theirs.

>>> import numpy as np
>>> from tapegrad.keras import ops
>>> x = ops.convert_to_tensor(np.array([[1.0, 2.0], [3.0, 4.0]], "float32"))
>>> ops.sum(ops.matmul(x, ops.transpose(x)), axis=1).numpy().tolist()
[16.0, 36.0]
>>> ops.add(ops.arange(3), 0.5).dtype      # int32 and a Python float give float32
tf.float32

What is missing is listed in ``docs/keras-ops.md``.
"""

from __future__ import annotations

import builtins
from typing import Any, Callable

import numpy as _np

from ..custom import custom_gradient, stop_gradient as _stop_gradient
from ..engine import dtypes as _dt
from ..engine.convert import convert_to_tensor as _convert
from ..engine.tensor import Tensor, _Base, shape_of
from ..ops import array as _a
from ..ops import complex as _cx
from ..ops import conv as _conv
from ..ops import control_flow as _cf
from ..ops import creation as _c
from ..ops import einsum as _e
from ..ops import fft as _fft
from ..ops import indexing as _i
from ..ops import linalg as _la
from ..ops import math as _m
from ..ops import nn as _nn
from ..ops import norms as _no
from ..ops import reduce as _r
from ..ops import scan as _sc
from ..ops import special as _s

__all__ = ["custom_gradient"]  # extended below, one name per wrapper


def _export(fn: Callable) -> Callable:
    __all__.append(fn.__name__)
    return fn


# -- conversion and dtype promotion ----------------------------------------------------------
_KIND = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def _t(x: Any, dtype: Any = None) -> Tensor:
    if dtype is not None:
        return _m.cast(_convert(x), dtype)
    if isinstance(x, _Base):
        return x
    if isinstance(x, float) or (isinstance(x, (list, tuple)) and _np.asarray(x).dtype.kind == "f"):
        return _convert(x, dtype=_dt.float32)  # Keras's floatx for Python floats
    return _convert(x)


def result_type(*dtypes: Any) -> str:
    """The dtype Keras gives an op on operands of these dtypes (bool < int < float < complex;
    the wider of one kind).

    >>> from tapegrad.keras import ops
    >>> ops.result_type("int32", "float32"), ops.result_type("float16", "float64")
    ('float32', 'float64')
    """
    npds = [_np.dtype(_dt.np_dtype(d)) for d in dtypes]
    top = builtins.max(_KIND[d.kind] for d in npds)
    same = [d for d in npds if _KIND[d.kind] == top]
    return builtins.max(same, key=lambda d: d.itemsize).name


def _pair(x1: Any, x2: Any) -> tuple:
    """Two operands as tensors of one dtype; a Python number takes the tensor's dtype, unless a
    float meets an int tensor (then float32, as Keras)."""
    scalars = (int, float, bool)
    if isinstance(x1, scalars) and not isinstance(x2, scalars):
        b, a = _pair(x2, x1)
        return a, b
    a = _t(x1)
    if isinstance(x2, scalars) and not isinstance(x2, bool):
        if isinstance(x2, float) and a.dtype.is_integer:
            a = _m.cast(a, _dt.float32)
        return a, _convert(x2, dtype=a.dtype)
    b = _t(x2)
    if a.dtype != b.dtype:
        want = result_type(a.dtype, b.dtype)
        a, b = _m.cast(a, want), _m.cast(b, want)
    return a, b


def _floating(x: Any) -> Tensor:
    t = _t(x)
    return t if t.dtype.is_floating or t.dtype.is_complex else _m.cast(t, _dt.float32)


@_export
def convert_to_tensor(x: Any, dtype: Any = None, sparse: Any = None, ragged: Any = None) -> Tensor:
    """``x`` as a tensor (Python floats as float32).

    >>> from tapegrad.keras import ops
    >>> ops.convert_to_tensor([1.5, 2.0]).dtype
    tf.float32
    """
    return _t(x, dtype)


@_export
def convert_to_numpy(x: Any) -> _np.ndarray:
    """``x`` as a NumPy array.

    >>> from tapegrad.keras import ops
    >>> ops.convert_to_numpy(ops.ones(2)).tolist()
    [1.0, 1.0]
    """
    return _np.asarray(x.numpy() if isinstance(x, _Base) else x)


@_export
def cast(x: Any, dtype: Any) -> Tensor:
    """``x`` cast to ``dtype``."""
    return _m.cast(_t(x), dtype)


@_export
def is_tensor(x: Any) -> bool:
    """Whether ``x`` is a tensor."""
    return isinstance(x, _Base)


@_export
def shape(x: Any) -> tuple:
    """The static shape as a tuple of ints (Keras 3 returns a tuple, not a tensor).

    >>> from tapegrad.keras import ops
    >>> ops.shape(ops.zeros((2, 3)))
    (2, 3)
    """
    return tuple(shape_of(_t(x)))


@_export
def ndim(x: Any) -> int:
    """The rank."""
    return len(shape_of(_t(x)))


@_export
def size(x: Any) -> int:
    """The number of elements."""
    return int(_np.prod(shape_of(_t(x)), dtype=_np.int64))


@_export
def dtype(x: Any) -> str:
    """The dtype's name, as Keras's standardized string.

    >>> from tapegrad.keras import ops
    >>> ops.dtype(ops.ones(2))
    'float32'
    """
    return _t(x).dtype.name


@_export
def stop_gradient(variable: Any) -> Tensor:
    """``variable`` with no gradient flowing through it."""
    return _stop_gradient(_t(variable))


# -- elementwise: binary (NumPy promotion) --------------------------------------------------
@_export
def add(x1: Any, x2: Any) -> Tensor:
    """``x1 + x2``.

    >>> from tapegrad.keras import ops
    >>> ops.add([1, 2], 3).numpy().tolist()
    [4, 5]
    """
    return _m.add(*_pair(x1, x2))


@_export
def subtract(x1: Any, x2: Any) -> Tensor:
    """``x1 - x2``."""
    return _m.subtract(*_pair(x1, x2))


@_export
def multiply(x1: Any, x2: Any) -> Tensor:
    """``x1 * x2``."""
    return _m.multiply(*_pair(x1, x2))


@_export
def divide(x1: Any, x2: Any) -> Tensor:
    """``x1 / x2``; integers divide as float32, as Keras.

    >>> from tapegrad.keras import ops
    >>> ops.divide(3, 2).numpy()
    np.float32(1.5)
    """
    a, b = _pair(x1, x2)
    if not (a.dtype.is_floating or a.dtype.is_complex):
        a, b = _m.cast(a, _dt.float32), _m.cast(b, _dt.float32)
    return _m.divide(a, b)


true_divide = _export(divide)


@_export
def divide_no_nan(x1: Any, x2: Any) -> Tensor:
    """``x1 / x2``, 0 where ``x2`` is 0."""
    return _m.divide_no_nan(*_pair(x1, x2))


@_export
def floor_divide(x1: Any, x2: Any) -> Tensor:
    """``x1 // x2``."""
    return _m.floordiv(*_pair(x1, x2))


@_export
def mod(x1: Any, x2: Any) -> Tensor:
    """``x1 % x2`` (the sign of ``x2``, as NumPy)."""
    return _m.floormod(*_pair(x1, x2))


@_export
def power(x1: Any, x2: Any) -> Tensor:
    """``x1 ** x2``."""
    return _m.pow(*_pair(x1, x2))


@_export
def maximum(x1: Any, x2: Any) -> Tensor:
    """The elementwise maximum."""
    return _m.maximum(*_pair(x1, x2))


@_export
def minimum(x1: Any, x2: Any) -> Tensor:
    """The elementwise minimum."""
    return _m.minimum(*_pair(x1, x2))


@_export
def arctan2(x1: Any, x2: Any) -> Tensor:
    """``atan2(x1, x2)``."""
    return _s.atan2(*_pair(_floating(x1), _floating(x2)))


@_export
def hypot(x1: Any, x2: Any) -> Tensor:
    """``sqrt(x1² + x2²)``."""
    a, b = _pair(_floating(x1), _floating(x2))
    return _m.sqrt(a * a + b * b)


@_export
def logaddexp(x1: Any, x2: Any) -> Tensor:
    """``log(exp(x1) + exp(x2))``, computed stably."""
    a, b = _pair(_floating(x1), _floating(x2))
    hi = _m.maximum(a, b)
    return hi + _s.log1p(_m.exp(-_m.abs(a - b)))


@_export
def squared_difference(x1: Any, x2: Any) -> Tensor:
    """``(x1 - x2)²``."""
    return _m.squared_difference(*_pair(x1, x2))


@_export
def equal(x1: Any, x2: Any) -> Tensor:
    """``x1 == x2``."""
    return _m.equal(*_pair(x1, x2))


@_export
def not_equal(x1: Any, x2: Any) -> Tensor:
    """``x1 != x2``."""
    return _m.not_equal(*_pair(x1, x2))


@_export
def greater(x1: Any, x2: Any) -> Tensor:
    """``x1 > x2``."""
    return _m.greater(*_pair(x1, x2))


@_export
def greater_equal(x1: Any, x2: Any) -> Tensor:
    """``x1 >= x2``."""
    return _m.greater_equal(*_pair(x1, x2))


@_export
def less(x1: Any, x2: Any) -> Tensor:
    """``x1 < x2``."""
    return _m.less(*_pair(x1, x2))


@_export
def less_equal(x1: Any, x2: Any) -> Tensor:
    """``x1 <= x2``."""
    return _m.less_equal(*_pair(x1, x2))


def _bool(x: Any) -> Tensor:
    t = _t(x)
    return t if t.dtype.is_bool else _m.not_equal(t, _convert(0, dtype=t.dtype))


@_export
def logical_and(x1: Any, x2: Any) -> Tensor:
    """Elementwise and (non-zero is True)."""
    return _m.logical_and(_bool(x1), _bool(x2))


@_export
def logical_or(x1: Any, x2: Any) -> Tensor:
    """Elementwise or."""
    return _m.logical_or(_bool(x1), _bool(x2))


@_export
def logical_xor(x1: Any, x2: Any) -> Tensor:
    """Elementwise exclusive or."""
    return _m.logical_xor(_bool(x1), _bool(x2))


@_export
def logical_not(x: Any) -> Tensor:
    """Elementwise not."""
    return _m.logical_not(_bool(x))


@_export
def isclose(x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8,
            equal_nan: bool = False) -> Tensor:
    """``|x1 - x2| <= atol + rtol |x2|``, as NumPy."""
    a, b = _pair(x1, x2)
    close = _m.less_equal(_m.abs(a - b), atol + rtol * _m.abs(b))
    if equal_nan and a.dtype.is_floating:
        close = _m.logical_or(close, _m.logical_and(_s.is_nan(a), _s.is_nan(b)))
    return close


@_export
def allclose(x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8,
             equal_nan: bool = False) -> Tensor:
    """Whether all elements are close (``isclose``)."""
    return _r.reduce_all(isclose(x1, x2, rtol, atol, equal_nan))


# -- elementwise: unary -----------------------------------------------------------------------
@_export
def negative(x: Any) -> Tensor:
    """``-x``."""
    return _m.negative(_t(x))


@_export
def abs(x: Any) -> Tensor:  # noqa: A001 - Keras's name
    """``|x|``."""
    return _m.abs(_t(x))


absolute = _export(abs)


@_export
def square(x: Any) -> Tensor:
    """``x²``."""
    return _m.square(_t(x))


@_export
def sqrt(x: Any) -> Tensor:
    """``√x`` (integers as float32)."""
    return _m.sqrt(_floating(x))


@_export
def rsqrt(x: Any) -> Tensor:
    """``1 / √x``."""
    return _m.rsqrt(_floating(x))


@_export
def reciprocal(x: Any) -> Tensor:
    """``1 / x``."""
    return _m.reciprocal(_floating(x))


@_export
def exp(x: Any) -> Tensor:
    """``eˣ``."""
    return _m.exp(_floating(x))


@_export
def exp2(x: Any) -> Tensor:
    """``2ˣ``."""
    t = _floating(x)
    return _m.exp(t * _convert(_np.log(2.0), dtype=t.dtype))


@_export
def expm1(x: Any) -> Tensor:
    """``eˣ - 1``."""
    return _s.expm1(_floating(x))


@_export
def log(x: Any) -> Tensor:
    """The natural logarithm."""
    return _m.log(_floating(x))


@_export
def log1p(x: Any) -> Tensor:
    """``log(1 + x)``."""
    return _s.log1p(_floating(x))


@_export
def log2(x: Any) -> Tensor:
    """The base-2 logarithm."""
    t = _floating(x)
    return _m.log(t) / _convert(_np.log(2.0), dtype=t.dtype)


@_export
def log10(x: Any) -> Tensor:
    """The base-10 logarithm."""
    t = _floating(x)
    return _m.log(t) / _convert(_np.log(10.0), dtype=t.dtype)


@_export
def sign(x: Any) -> Tensor:
    """-1, 0 or 1."""
    return _m.sign(_t(x))


@_export
def floor(x: Any) -> Tensor:
    """The floor."""
    return _s.floor(_floating(x))


@_export
def ceil(x: Any) -> Tensor:
    """The ceiling."""
    return _s.ceil(_floating(x))


@_export
def round(x: Any, decimals: int = 0) -> Tensor:  # noqa: A001 - Keras's name
    """Round half to even, to ``decimals`` places.

    >>> from tapegrad.keras import ops
    >>> ops.round([0.5, 1.5, 2.26], decimals=0).numpy().tolist()
    [0.0, 2.0, 2.0]
    """
    t = _t(x)
    if not decimals:
        return _s.round(t)
    scale = _convert(10.0 ** decimals, dtype=t.dtype)
    return _s.round(t * scale) / scale


@_export
def trunc(x: Any) -> Tensor:
    """Round toward zero."""
    t = _floating(x)
    return _m.sign(t) * _s.floor(_m.abs(t))


@_export
def clip(x: Any, x_min: Any, x_max: Any) -> Tensor:
    """``x`` limited to ``[x_min, x_max]``."""
    t = _t(x)
    return _m.minimum(_m.maximum(*_pair(t, x_min)), _pair(t, x_max)[1])


@_export
def nan_to_num(x: Any, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Tensor:
    """NaN and ±inf replaced by finite numbers (the dtype's extremes by default)."""
    t = _t(x)
    if not t.dtype.is_floating:
        return t
    info = _np.finfo(t.dtype.as_numpy_dtype)
    hi = info.max if posinf is None else posinf
    lo = info.min if neginf is None else neginf
    t = _i.where(_s.is_nan(t), _convert(nan, dtype=t.dtype), t)
    t = _i.where(_m.logical_and(_s.is_inf(t), t > 0), _convert(hi, dtype=t.dtype), t)
    return _i.where(_m.logical_and(_s.is_inf(t), t < 0), _convert(lo, dtype=t.dtype), t)


@_export
def isnan(x: Any) -> Tensor:
    """Whether each element is NaN."""
    t = _t(x)
    return _s.is_nan(t) if t.dtype.is_floating else _m.not_equal(t, t)


@_export
def isinf(x: Any) -> Tensor:
    """Whether each element is ±inf."""
    t = _t(x)
    return _s.is_inf(t) if t.dtype.is_floating else _m.not_equal(t, t)


@_export
def isfinite(x: Any) -> Tensor:
    """Whether each element is finite."""
    t = _t(x)
    return _s.is_finite(t) if t.dtype.is_floating else _m.equal(t, t)


def _unary(op: Callable, keras_name: str) -> Callable:
    def fn(x: Any) -> Tensor:
        return op(_floating(x))
    fn.__name__ = fn.__qualname__ = keras_name
    fn.__doc__ = f"Elementwise ``{keras_name}`` (``{getattr(op, '__name__', keras_name)}``)."
    return _export(fn)


sin = _unary(_s.sin, "sin")
cos = _unary(_s.cos, "cos")
tan = _unary(_s.tan, "tan")
arcsin = _unary(_s.asin, "arcsin")
arccos = _unary(_s.acos, "arccos")
arctan = _unary(_s.atan, "arctan")
sinh = _unary(_s.sinh, "sinh")
cosh = _unary(_s.cosh, "cosh")
tanh = _unary(_m.tanh, "tanh")
arcsinh = _unary(_s.asinh, "arcsinh")
arccosh = _unary(_s.acosh, "arccosh")
arctanh = _unary(_s.atanh, "arctanh")
erf = _unary(_s.erf, "erf")
erfc = _unary(_s.erfc, "erfc")
sigmoid = _unary(_m.sigmoid, "sigmoid")
relu = _unary(_nn.relu, "relu")
relu6 = _unary(_nn.relu6, "relu6")
softplus = _unary(_s.softplus, "softplus")
softsign = _unary(_nn.softsign, "softsign")
silu = _unary(_nn.silu, "silu")
swish = _unary(_nn.silu, "swish")
selu = _unary(_nn.selu, "selu")
log_sigmoid = _unary(_s.log_sigmoid, "log_sigmoid")


@_export
def real(x: Any) -> Tensor:
    """The real part."""
    return _cx.real(_t(x))


@_export
def imag(x: Any) -> Tensor:
    """The imaginary part."""
    return _cx.imag(_t(x))


@_export
def conj(x: Any) -> Tensor:
    """The complex conjugate."""
    return _cx.conj(_t(x))


conjugate = _export(conj)


# -- reductions -------------------------------------------------------------------------------
def _axis(axis: Any) -> Any:
    return list(axis) if isinstance(axis, tuple) else axis


@_export
def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """The sum over ``axis`` (all axes when None); bools count as int32.

    >>> from tapegrad.keras import ops
    >>> ops.sum([[1.0, 2.0], [3.0, 4.0]], axis=0).numpy().tolist()
    [4.0, 6.0]
    """
    t = _t(x)
    if t.dtype.is_bool:
        t = _m.cast(t, _dt.int32)
    return _r.reduce_sum(t, _axis(axis), keepdims)


@_export
def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The mean over ``axis`` (integers averaged as float32)."""
    return _r.reduce_mean(_floating(x), _axis(axis), keepdims)


@_export
def max(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> Tensor:  # noqa: A001
    """The maximum over ``axis``; ``initial`` joins the comparison."""
    out = _r.reduce_max(_t(x), _axis(axis), keepdims)
    return out if initial is None else maximum(out, initial)


@_export
def min(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> Tensor:  # noqa: A001
    """The minimum over ``axis``; ``initial`` joins the comparison."""
    out = _r.reduce_min(_t(x), _axis(axis), keepdims)
    return out if initial is None else minimum(out, initial)


amax = _export(max)
amin = _export(min)


@_export
def prod(x: Any, axis: Any = None, keepdims: bool = False, dtype: Any = None) -> Tensor:
    """The product over ``axis``."""
    return _r.reduce_prod(_t(x, dtype), _axis(axis), keepdims)


@_export
def var(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The (population) variance over ``axis``."""
    return _r.reduce_variance(_floating(x), _axis(axis), keepdims)


@_export
def std(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The (population) standard deviation over ``axis``."""
    return _r.reduce_std(_floating(x), _axis(axis), keepdims)


@_export
def all(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Whether all elements are true (non-zero) over ``axis``."""
    return _r.reduce_all(_bool(x), _axis(axis), keepdims)


@_export
def any(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Whether any element is true (non-zero) over ``axis``."""
    return _r.reduce_any(_bool(x), _axis(axis), keepdims)


@_export
def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """``log(sum(exp(x)))`` over ``axis``, computed stably."""
    return _r.reduce_logsumexp(_floating(x), _axis(axis), keepdims)


@_export
def count_nonzero(x: Any, axis: Any = None) -> Tensor:
    """The number of non-zero elements over ``axis`` (int32)."""
    return _m.cast(_r.count_nonzero(_t(x), _axis(axis)), _dt.int32)


def _arg(op: Callable, x: Any, axis: Any, keepdims: bool) -> Tensor:
    t = _t(x)
    if axis is None:
        t, axis = _a.reshape(t, [-1]), 0
    out = op(t, axis, output_type=_dt.int32)
    return _a.expand_dims(out, axis) if keepdims else out


@_export
def argmax(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The index of the maximum (over the flattened input when ``axis`` is None), int32."""
    return _arg(_sc.argmax, x, axis, keepdims)


@_export
def argmin(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The index of the minimum (over the flattened input when ``axis`` is None), int32."""
    return _arg(_sc.argmin, x, axis, keepdims)


@_export
def cumsum(x: Any, axis: Any = None, dtype: Any = None) -> Tensor:
    """The running sum along ``axis`` (of the flattened input when None)."""
    t = _t(x, dtype)
    return _sc.cumsum(_a.reshape(t, [-1]), 0) if axis is None else _sc.cumsum(t, axis)


@_export
def cumprod(x: Any, axis: Any = None, dtype: Any = None) -> Tensor:
    """The running product along ``axis`` (of the flattened input when None)."""
    t = _t(x, dtype)
    return _sc.cumprod(_a.reshape(t, [-1]), 0) if axis is None else _sc.cumprod(t, axis)


@_export
def average(x: Any, axis: Any = None, weights: Any = None) -> Tensor:
    """The mean over ``axis``, weighted by ``weights`` (1-D along ``axis``, or ``x``'s shape)."""
    t = _floating(x)
    if weights is None:
        return mean(t, axis)
    w = _m.cast(_t(weights), t.dtype)
    if axis is not None and len(shape_of(w)) == 1 and len(shape_of(t)) > 1:
        shape = [1] * len(shape_of(t))
        shape[axis] = -1
        w = _a.reshape(w, shape)
    return _r.reduce_sum(t * w, _axis(axis)) / _r.reduce_sum(w + t * 0, _axis(axis))


# -- shapes -----------------------------------------------------------------------------------
@_export
def reshape(x: Any, newshape: Any) -> Tensor:
    """``x`` with shape ``newshape`` (one entry may be -1)."""
    return _a.reshape(_t(x), list(newshape) if isinstance(newshape, tuple) else newshape)


@_export
def transpose(x: Any, axes: Any = None) -> Tensor:
    """Axes permuted (reversed when None)."""
    return _a.transpose(_t(x), axes)


@_export
def expand_dims(x: Any, axis: Any) -> Tensor:
    """A new axis of length 1 at ``axis`` (or at each of a tuple of axes)."""
    t = _t(x)
    if isinstance(axis, (tuple, list)):
        rank = len(shape_of(t)) + len(axis)
        for ax in sorted(a % rank for a in axis):
            t = _a.expand_dims(t, ax)
        return t
    return _a.expand_dims(t, axis)


@_export
def squeeze(x: Any, axis: Any = None) -> Tensor:
    """Axes of length 1 removed (those of ``axis``, or all)."""
    return _a.squeeze(_t(x), _axis(axis))


@_export
def ravel(x: Any) -> Tensor:
    """The flattened input."""
    return _a.reshape(_t(x), [-1])


@_export
def concatenate(xs: Any, axis: int = 0) -> Tensor:
    """The tensors of ``xs`` joined along ``axis`` (dtypes promoted)."""
    ts = [_t(v) for v in xs]
    want = result_type(*[v.dtype for v in ts])
    return _a.concat([_m.cast(v, want) for v in ts], axis)


@_export
def append(x1: Any, x2: Any, axis: Any = None) -> Tensor:
    """``x2`` appended to ``x1`` along ``axis`` (both flattened when None)."""
    if axis is None:
        return concatenate([ravel(x1), ravel(x2)], 0)
    return concatenate([x1, x2], axis)


@_export
def stack(x: Any, axis: int = 0) -> Tensor:
    """The tensors of ``x`` stacked on a new ``axis``."""
    ts = [_t(v) for v in x]
    want = result_type(*[v.dtype for v in ts])
    return _a.stack([_m.cast(v, want) for v in ts], axis)


@_export
def unstack(x: Any, num: Any = None, axis: int = 0) -> list:
    """The slices of ``x`` along ``axis``."""
    return _a.unstack(_t(x), num, axis)


@_export
def split(x: Any, indices_or_sections: Any, axis: int = 0) -> list:
    """NumPy's split: equal sections, or cut at the given indices.

    >>> from tapegrad.keras import ops
    >>> [p.numpy().tolist() for p in ops.split(ops.arange(5), [1, 3])]
    [[0], [1, 2], [3, 4]]
    """
    t = _t(x)
    if isinstance(indices_or_sections, int):
        return _a.split(t, indices_or_sections, axis)
    n = shape_of(t)[axis]
    cuts = [0] + [int(i) for i in indices_or_sections] + [n]
    return _a.split(t, [b - a for a, b in zip(cuts[:-1], cuts[1:])], axis)


@_export
def tile(x: Any, repeats: Any) -> Tensor:
    """``x`` tiled ``repeats`` times (NumPy's rule when the lengths differ)."""
    t = _t(x)
    reps = [repeats] if isinstance(repeats, int) else list(repeats)
    rank = len(shape_of(t))
    if len(reps) > rank:
        t = _a.reshape(t, [1] * (len(reps) - rank) + list(shape_of(t)))
    reps = [1] * (len(shape_of(t)) - len(reps)) + reps
    return _a.tile(t, reps)


@_export
def repeat(x: Any, repeats: Any, axis: Any = None) -> Tensor:
    """Each element repeated ``repeats`` times along ``axis`` (of the flattened input when
    None); a gather, so the gradient sums the copies.

    >>> from tapegrad.keras import ops
    >>> ops.repeat([1, 2], 2).numpy().tolist()
    [1, 1, 2, 2]
    """
    t = _t(x)
    if axis is None:
        t, axis = _a.reshape(t, [-1]), 0
    n = shape_of(t)[axis]
    idx = _np.repeat(_np.arange(n), _np.asarray(repeats))
    return _i.gather(t, idx, axis=axis)


@_export
def broadcast_to(x: Any, shape: Any) -> Tensor:
    """``x`` broadcast to ``shape``."""
    return _a.broadcast_to(_t(x), list(shape))


@_export
def flip(x: Any, axis: Any = None) -> Tensor:
    """``x`` reversed along ``axis`` (all axes when None)."""
    t = _t(x)
    axes = list(range(len(shape_of(t)))) if axis is None else \
        ([axis] if isinstance(axis, int) else list(axis))
    return _a.reverse(t, axes)


@_export
def roll(x: Any, shift: Any, axis: Any = None) -> Tensor:
    """Elements shifted by ``shift`` along ``axis`` (of the flattened input when None),
    wrapping around; a gather, so the gradient rolls back.

    >>> from tapegrad.keras import ops
    >>> ops.roll([1, 2, 3, 4], 1).numpy().tolist()
    [4, 1, 2, 3]
    """
    t = _t(x)
    if axis is None:
        return _a.reshape(roll(_a.reshape(t, [-1]), shift, 0), list(shape_of(t)))
    shifts = [shift] if isinstance(shift, int) else list(shift)
    axes = [axis] if isinstance(axis, int) else list(axis)
    for s, ax in zip(shifts, axes):
        n = shape_of(t)[ax]
        t = _i.gather(t, _np.roll(_np.arange(n), int(s)), axis=ax)
    return t


@_export
def moveaxis(x: Any, source: Any, destination: Any) -> Tensor:
    """Axes moved from ``source`` to ``destination``."""
    t = _t(x)
    r = len(shape_of(t))
    src = [a % r for a in ([source] if isinstance(source, int) else source)]
    dst = [a % r for a in ([destination] if isinstance(destination, int) else destination)]
    perm = [a for a in range(r) if a not in src]
    for d, s in sorted(zip(dst, src)):  # NumPy's rule
        perm.insert(d, s)
    return _a.transpose(t, perm)


@_export
def swapaxes(x: Any, axis1: int, axis2: int) -> Tensor:
    """Two axes exchanged."""
    t = _t(x)
    perm = list(range(len(shape_of(t))))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return _a.transpose(t, perm)


@_export
def pad(x: Any, pad_width: Any, mode: str = "constant", constant_values: Any = None) -> Tensor:
    """``x`` padded by ``pad_width`` (``[[before, after], …]``) with ``mode`` 'constant',
    'reflect' or 'symmetric'."""
    t = _t(x)
    widths = _np.broadcast_to(_np.asarray(pad_width, _np.int64),
                              (len(shape_of(t)), 2)).tolist()
    return _a.pad(t, widths, mode.upper(), 0 if constant_values is None else constant_values)


@_export
def take(x: Any, indices: Any, axis: Any = None) -> Tensor:
    """Elements at ``indices`` along ``axis`` (of the flattened input when None); negative
    indices count from the end."""
    t = _t(x)
    if axis is None:
        t, axis = _a.reshape(t, [-1]), 0
    idx = _t(indices)
    idx = _i.where(idx < 0, idx + shape_of(t)[axis], idx)
    return _i.gather(t, idx, axis=axis)


@_export
def take_along_axis(x: Any, indices: Any, axis: Any = None) -> Tensor:
    """NumPy's ``take_along_axis``: ``indices`` broadcast against ``x`` except on ``axis``."""
    t = _t(x)
    if axis is None:
        t, axis = _a.reshape(t, [-1]), 0
    idx = _np.asarray(convert_to_numpy(indices))
    rank = len(shape_of(t))
    axis %= rank
    grids = _np.meshgrid(*[_np.arange(d) for d in idx.shape], indexing="ij")
    full = [_np.broadcast_to(g, idx.shape) if a != axis else idx for a, g in enumerate(grids)]
    return _i.gather_nd(t, _np.stack(full, -1))


@_export
def where(condition: Any, x1: Any = None, x2: Any = None) -> Tensor:
    """``x1`` where ``condition`` holds, else ``x2``; with only ``condition``, its non-zero
    positions as a tuple of index tensors (NumPy's rule)."""
    if x1 is None and x2 is None:
        return nonzero(condition)
    a, b = _pair(x1, x2)
    return _i.where(_bool(condition), a, b)


@_export
def nonzero(x: Any) -> tuple:
    """The indices of the non-zero elements, one int tensor per axis."""
    idx = _i.where(_bool(x))
    return tuple(_a.unstack(_a.transpose(idx), len(shape_of(_t(x)))))


@_export
def slice(inputs: Any, start_indices: Any, shape: Any) -> Tensor:  # noqa: A001
    """The block of ``shape`` starting at ``start_indices``."""
    return _a.slice(_t(inputs), list(start_indices), list(shape))


@_export
def tril(x: Any, k: int = 0) -> Tensor:
    """The lower triangle (diagonal ``k`` and below) of the last two axes."""
    t = _t(x)
    n, m = shape_of(t)[-2:]
    mask = _np.tril(_np.ones((n, m), bool), k)
    return _i.where(mask, t, t * 0)


@_export
def triu(x: Any, k: int = 0) -> Tensor:
    """The upper triangle (diagonal ``k`` and above) of the last two axes."""
    t = _t(x)
    n, m = shape_of(t)[-2:]
    mask = _np.triu(_np.ones((n, m), bool), k)
    return _i.where(mask, t, t * 0)


# -- creation ---------------------------------------------------------------------------------
def _dtype_or(dtype: Any, default: Any) -> Any:
    return default if dtype is None else dtype


@_export
def zeros(shape: Any, dtype: Any = None) -> Tensor:
    """Zeros of ``shape`` (float32 by default)."""
    return _c.zeros(list(shape) if isinstance(shape, tuple) else shape,
                    _dtype_or(dtype, _dt.float32))


@_export
def ones(shape: Any, dtype: Any = None) -> Tensor:
    """Ones of ``shape`` (float32 by default)."""
    return _c.ones(list(shape) if isinstance(shape, tuple) else shape,
                   _dtype_or(dtype, _dt.float32))


@_export
def zeros_like(x: Any, dtype: Any = None) -> Tensor:
    """Zeros shaped like ``x``."""
    return _c.zeros_like(_t(x), dtype)


@_export
def ones_like(x: Any, dtype: Any = None) -> Tensor:
    """Ones shaped like ``x``."""
    return _c.ones_like(_t(x), dtype)


@_export
def full(shape: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    """``shape`` filled with ``fill_value``."""
    v = _t(fill_value, dtype)
    return _a.broadcast_to(v, list(shape) if isinstance(shape, (tuple, list)) else [shape])


@_export
def full_like(x: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    """``fill_value`` shaped like ``x`` (its dtype unless ``dtype``)."""
    t = _t(x)
    return full(shape_of(t), fill_value, _dtype_or(dtype, t.dtype))


@_export
def empty(shape: Any, dtype: Any = None) -> Tensor:
    """An uninitialised tensor (zeros here)."""
    return zeros(shape, dtype)


@_export
def arange(start: Any, stop: Any = None, step: Any = 1, dtype: Any = None) -> Tensor:
    """``start, start + step, …`` below ``stop`` (int32 for ints, float32 for floats).

    >>> from tapegrad.keras import ops
    >>> ops.arange(1, 7, 2).numpy().tolist()
    [1, 3, 5]
    """
    values = [v for v in (start, stop, step) if v is not None]
    floaty = builtins.any(isinstance(v, float) for v in values)
    want = _dtype_or(dtype, _dt.float32 if floaty else _dt.int32)
    return _c.range(start, stop, step, dtype=want)


@_export
def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, retstep: bool = False,
             dtype: Any = None, axis: int = 0) -> Any:
    """``num`` evenly spaced values from ``start`` to ``stop`` (float32 by default)."""
    want = _np.dtype(_dt.np_dtype(_dtype_or(dtype, _dt.float32)))
    values = _np.linspace(convert_to_numpy(start), convert_to_numpy(stop), num,
                          endpoint=endpoint, retstep=retstep, axis=axis)
    if retstep:
        return _convert(values[0].astype(want)), values[1]
    return _convert(values.astype(want))


@_export
def eye(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> Tensor:  # noqa: N803
    """An ``N × M`` matrix with ones on diagonal ``k``."""
    want = _np.dtype(_dt.np_dtype(_dtype_or(dtype, _dt.float32)))
    return _convert(_np.eye(N, M, k, dtype=want))


@_export
def identity(n: int, dtype: Any = None) -> Tensor:
    """The ``n × n`` identity."""
    return eye(n, dtype=dtype)


@_export
def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> Tensor:  # noqa: N803
    """Ones at and below diagonal ``k``."""
    want = _np.dtype(_dt.np_dtype(_dtype_or(dtype, _dt.float32)))
    return _convert(_np.tri(N, M, k, dtype=want))


@_export
def meshgrid(*x: Any, indexing: str = "xy") -> list:
    """Coordinate grids of the 1-D inputs."""
    return _a.meshgrid(*[_t(v) for v in x], indexing=indexing)


# -- linear algebra ---------------------------------------------------------------------------
@_export
def matmul(x1: Any, x2: Any) -> Tensor:
    """The matrix product (a 1-D operand is a vector, as NumPy)."""
    a, b = _pair(x1, x2)
    ra, rb = len(shape_of(a)), len(shape_of(b))
    if ra == 1 and rb == 1:
        return _r.reduce_sum(a * b)
    if ra == 1:
        return _a.squeeze(_la.matmul(_a.expand_dims(a, 0), b), -2)
    if rb == 1:
        return _a.squeeze(_la.matmul(a, _a.expand_dims(b, -1)), -1)
    return _la.matmul(a, b)


@_export
def dot(x1: Any, x2: Any) -> Tensor:
    """NumPy's dot: the matmul of matrices, the sum over ``x1``'s last and ``x2``'s
    second-to-last axes in general."""
    a, b = _pair(x1, x2)
    ra, rb = len(shape_of(a)), len(shape_of(b))
    if ra == 0 or rb == 0:
        return a * b
    if ra <= 2 and rb <= 2:
        return matmul(a, b)
    return _e.tensordot(a, b, [[ra - 1], [builtins.max(rb - 2, 0)]])


@_export
def tensordot(x1: Any, x2: Any, axes: Any = 2) -> Tensor:
    """The sum over the given axes of the two operands."""
    return _e.tensordot(*_pair(x1, x2), axes)


@_export
def einsum(subscripts: str, *operands: Any, **kwargs: Any) -> Tensor:
    """Einstein summation."""
    ts = [_t(o) for o in operands]
    want = result_type(*[t.dtype for t in ts])
    return _e.einsum(subscripts, *[_m.cast(t, want) for t in ts])


@_export
def outer(x1: Any, x2: Any) -> Tensor:
    """The outer product of the flattened operands."""
    a, b = _pair(x1, x2)
    return _a.reshape(a, [-1, 1]) * _a.reshape(b, [1, -1])


@_export
def inner(x1: Any, x2: Any) -> Tensor:
    """The sum over the last axes of both operands."""
    a, b = _pair(x1, x2)
    if not shape_of(a) or not shape_of(b):
        return a * b
    return _e.tensordot(a, b, [[-1 % len(shape_of(a))], [-1 % len(shape_of(b))]])


@_export
def vdot(x1: Any, x2: Any) -> Tensor:
    """The dot product of the flattened operands (the first conjugated)."""
    a, b = _pair(x1, x2)
    return _r.reduce_sum(_cx.conj(_a.reshape(a, [-1])) * _a.reshape(b, [-1]))


@_export
def trace(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The sum of diagonal ``offset`` of the plane ``(axis1, axis2)``."""
    return _r.reduce_sum(diagonal(x, offset, axis1, axis2), -1)


@_export
def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """Diagonal ``offset`` of the plane ``(axis1, axis2)``, as the last axis."""
    t = moveaxis(_t(x), [axis1, axis2], [-2, -1])
    n, m = shape_of(t)[-2:]
    rows = _np.arange(builtins.max(0, -offset), builtins.min(n, m - offset))
    idx = _np.stack([rows, rows + offset], -1)
    flat = _a.reshape(t, [-1, n, m])
    out = _i.gather_nd(flat, _np.broadcast_to(idx, (shape_of(flat)[0],) + idx.shape),
                       batch_dims=1)
    return _a.reshape(out, list(shape_of(t)[:-2]) + [len(rows)])


@_export
def diag(x: Any, k: int = 0) -> Tensor:
    """A 1-D input on diagonal ``k`` of a square matrix; a 2-D input's diagonal ``k``."""
    t = _t(x)
    if len(shape_of(t)) == 2:
        return diagonal(t, k)
    n = shape_of(t)[0] + builtins.abs(k)
    rows = _np.arange(shape_of(t)[0]) + builtins.max(0, -k)
    idx = _np.stack([rows, rows + k], -1)
    return _i.tensor_scatter_nd_update(_c.zeros([n, n], t.dtype), idx, t)


@_export
def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A002
    """The vector or matrix norm (``tf.norm``'s orders)."""
    return _no.norm(_floating(x), "euclidean" if ord is None else ord, _axis(axis), keepdims)


@_export
def normalize(x: Any, axis: int = -1, order: int = 2, epsilon: float | None = None) -> Tensor:
    """``x`` divided by its ``order``-norm along ``axis``."""
    t = _floating(x)
    if order == 2:
        return _no.l2_normalize(t, axis, 1e-12 if epsilon is None else epsilon)
    n = _no.norm(t, order, axis, True)
    return t / _m.maximum(n, _convert(1e-12 if epsilon is None else epsilon, dtype=t.dtype))


@_export
def sort(x: Any, axis: int = -1) -> Tensor:
    """Sorted ascending along ``axis``."""
    return _i.sort(_t(x), axis)


@_export
def argsort(x: Any, axis: int = -1) -> Tensor:
    """The indices that sort ``x`` along ``axis`` (stable)."""
    return _i.argsort(_t(x), axis, stable=True)


@_export
def top_k(x: Any, k: int, sorted: bool = True) -> tuple:  # noqa: A002
    """The ``k`` largest values along the last axis and their indices."""
    res = _sc.top_k(_t(x), k, sorted)
    return res.values, res.indices


@_export
def one_hot(x: Any, num_classes: int, axis: int = -1, dtype: Any = None,
            sparse: bool = False) -> Tensor:
    """One-hot vectors of ``num_classes`` (float32 by default)."""
    return _i.one_hot(_t(x), num_classes, axis=axis, dtype=_dtype_or(dtype, _dt.float32))


@_export
def multi_hot(inputs: Any, num_classes: int, axis: int = -1, dtype: Any = None,
              sparse: bool = False, **kwargs: Any) -> Tensor:
    """Multi-hot vectors: the one-hot vectors of each row's integers, or-ed (the last axis)."""
    oh = _i.one_hot(_t(inputs), num_classes, axis=-1, dtype=_dtype_or(dtype, _dt.float32))
    out = _r.reduce_max(oh, -2) if len(shape_of(oh)) > 1 else oh
    return out if axis == -1 else moveaxis(out, -1, axis)


@_export
def inv(x: Any) -> Tensor:
    """The matrix inverse."""
    return _la.inv(_floating(x))


@_export
def det(x: Any) -> Tensor:
    """The determinant."""
    return _la.det(_floating(x))


@_export
def slogdet(x: Any) -> tuple:
    """``(sign, log|det|)``."""
    return _la.slogdet(_floating(x))


@_export
def logdet(x: Any) -> Tensor:
    """``log det`` of a positive-definite matrix."""
    return _la.logdet(_floating(x))


@_export
def solve(a: Any, b: Any) -> Tensor:
    """``x`` with ``a @ x = b``."""
    return _la.solve(*_pair(_floating(a), _floating(b)))


@_export
def solve_triangular(a: Any, b: Any, lower: bool = False) -> Tensor:
    """``x`` with ``tri(a) @ x = b``."""
    return _la.triangular_solve(*_pair(_floating(a), _floating(b)), lower=lower)


@_export
def cholesky(x: Any, upper: bool = False) -> Tensor:
    """The Cholesky factor (lower, or its transpose when ``upper``)."""
    low = _la.cholesky(_floating(x))
    return _la.adjoint(low) if upper else low


@_export
def eigh(x: Any) -> tuple:
    """Eigenvalues and eigenvectors of symmetric matrices."""
    return _la.eigh(_floating(x))


@_export
def qr(x: Any, mode: str = "reduced") -> tuple:
    """The QR decomposition (``mode`` 'reduced' or 'complete')."""
    return _la.qr(_floating(x), full_matrices=mode == "complete")


@_export
def svd(x: Any, full_matrices: bool = True, compute_uv: bool = True) -> Any:
    """``(u, s, vh)`` as NumPy's (``s`` alone without ``compute_uv``)."""
    if not compute_uv:
        return _la.svd(_floating(x), full_matrices, False)
    s, u, v = _la.svd(_floating(x), full_matrices, True)
    return u, s, _la.adjoint(v)


# -- neural-network ops -----------------------------------------------------------------------
@_export
def softmax(x: Any, axis: int = -1) -> Tensor:
    """The softmax along ``axis`` (or several axes)."""
    t = _floating(x)
    if isinstance(axis, (tuple, list)):
        return _m.exp(t - _r.reduce_logsumexp(t, list(axis), True))
    return _nn.softmax(t, axis)


@_export
def log_softmax(x: Any, axis: int = -1) -> Tensor:
    """The log of the softmax along ``axis``."""
    return _nn.log_softmax(_floating(x), axis)


@_export
def gelu(x: Any, approximate: bool = True) -> Tensor:
    """GELU; the tanh approximation by default, as Keras's (``tf.nn.gelu`` defaults to exact).
    """
    return _nn.gelu(_floating(x), approximate)


@_export
def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """``x`` for x > 0, ``alpha (eˣ - 1)`` otherwise."""
    t = _floating(x)
    return _i.where(t > 0, t, _s.expm1(_m.minimum(t, t * 0)) * alpha)


@_export
def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    """``x`` for x > 0, ``negative_slope · x`` otherwise."""
    return _nn.leaky_relu(_floating(x), negative_slope)


@_export
def hard_sigmoid(x: Any) -> Tensor:
    """``relu6(x + 3) / 6``."""
    t = _floating(x)
    return _nn.relu6(t + 3.0) / 6.0


@_export
def hard_silu(x: Any) -> Tensor:
    """``x · hard_sigmoid(x)``."""
    t = _floating(x)
    return t * hard_sigmoid(t)


hard_swish = _export(hard_silu)


@_export
def celu(x: Any, alpha: float = 1.0) -> Tensor:
    """``max(0, x) + min(0, alpha (e^(x/alpha) - 1))``."""
    t = _floating(x)
    return _nn.relu(t) + _m.minimum(t * 0, _s.expm1(t / alpha) * alpha)


@_export
def glu(x: Any, axis: int = -1) -> Tensor:
    """The gated linear unit: ``a · sigmoid(b)`` of ``x``'s two halves along ``axis``."""
    a, b = _a.split(_floating(x), 2, axis)
    return a * _m.sigmoid(b)


@_export
def moments(x: Any, axes: Any, keepdims: bool = False, synchronized: bool = False) -> tuple:
    """The mean and variance over ``axes``."""
    return _nn.moments(_floating(x), list(axes) if isinstance(axes, tuple) else axes,
                       keepdims=keepdims)


@_export
def batch_normalization(x: Any, mean: Any, variance: Any, axis: int, offset: Any = None,
                        scale: Any = None, epsilon: float = 1e-3) -> Tensor:
    """``(x - mean) / sqrt(variance + epsilon) · scale + offset``; the statistics are 1-D along
    ``axis``."""
    t = _floating(x)
    shape = [1] * len(shape_of(t))
    shape[axis] = -1

    def b(v):
        return None if v is None else _a.reshape(_m.cast(_t(v), t.dtype), shape)
    return _nn.batch_normalization(t, b(mean), b(variance), b(offset), b(scale), epsilon)


@_export
def layer_normalization(x: Any, gamma: Any = None, beta: Any = None, axis: int = -1,
                        epsilon: float | None = None, **kwargs: Any) -> Tensor:
    """``x`` normalised over ``axis``, then scaled by ``gamma`` and shifted by ``beta``."""
    t = _floating(x)
    m, v = _nn.moments(t, [axis], keepdims=True)
    out = (t - m) * _m.rsqrt(v + (1e-7 if epsilon is None else epsilon))  # Keras: epsilon()
    out = out if gamma is None else out * _m.cast(_t(gamma), t.dtype)
    return out if beta is None else out + _m.cast(_t(beta), t.dtype)


@_export
def rms_normalization(x: Any, scale: Any = 1, axis: int = -1,
                      epsilon: float | None = None) -> Tensor:
    """``x / sqrt(mean(x²) + epsilon) · scale`` over ``axis``."""
    t = _floating(x)
    eps = 1e-7 if epsilon is None else epsilon  # Keras's backend epsilon
    return t * _m.rsqrt(_r.reduce_mean(t * t, [axis], True) + eps) * scale


def _clip_probs(p: Tensor) -> Tensor:
    eps = 1e-7
    return _m.minimum(_m.maximum(p, p * 0 + eps), p * 0 + (1.0 - eps))


@_export
def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Tensor:
    """Elementwise binary cross-entropy (Keras's backend op: no reduction).

    >>> from tapegrad.keras import ops
    >>> print(f"{float(ops.binary_crossentropy([1.0], [0.5])[0]):.4f}")
    0.6931
    """
    y, p = _pair(_floating(target), _floating(output))
    if from_logits:
        return _nn.sigmoid_cross_entropy_with_logits(labels=y, logits=p)
    p = _clip_probs(p)
    return -(y * _m.log(p) + (1.0 - y) * _m.log(1.0 - p))


@_export
def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False,
                             axis: int = -1) -> Tensor:
    """Cross-entropy of one-hot ``target`` against probabilities (or logits) along ``axis``."""
    y, p = _pair(_floating(target), _floating(output))
    if from_logits:
        return -_r.reduce_sum(y * _nn.log_softmax(p, axis), axis)
    p = _clip_probs(p / _r.reduce_sum(p, axis, True))
    return -_r.reduce_sum(y * _m.log(p), axis)


@_export
def sparse_categorical_crossentropy(target: Any, output: Any, from_logits: bool = False,
                                    axis: int = -1) -> Tensor:
    """Cross-entropy of integer ``target`` against probabilities (or logits) along ``axis``."""
    p = _floating(output)
    y = _i.one_hot(_m.cast(_t(target), _dt.int32), shape_of(p)[axis], axis=axis, dtype=p.dtype)
    return categorical_crossentropy(y, p, from_logits, axis)


def _spatial(v: Any, n: int) -> list:
    return [int(v)] * n if isinstance(v, int) else [int(a) for a in v]


def _channels_last(inputs: Any, data_format: Any, op: str) -> None:
    if data_format not in (None, "channels_last"):
        raise NotImplementedError(f"keras.ops.{op}: only data_format='channels_last' is "
                                  f"supported; transpose the input to channels last.")


@_export
def conv(inputs: Any, kernel: Any, strides: Any = 1, padding: str = "valid",
         data_format: Any = None, dilation_rate: Any = 1) -> Tensor:
    """1-D or 2-D convolution, channels last (kernel ``[*window, in, out]``)."""
    _channels_last(inputs, data_format, "conv")
    x, k = _pair(_floating(inputs), _floating(kernel))
    rank = len(shape_of(x)) - 2
    pad_ = padding.upper()
    if rank == 1:
        return _conv.conv1d(x, k, _spatial(strides, 1)[0], pad_,
                            dilations=_spatial(dilation_rate, 1)[0])
    if rank == 2:
        return _conv.conv2d(x, k, _spatial(strides, 2), pad_, dilations=_spatial(dilation_rate, 2))
    raise NotImplementedError(f"keras.ops.conv: {rank}-D convolution is not supported (1-D and "
                              f"2-D are); input shape {list(shape_of(x))}.")


@_export
def depthwise_conv(inputs: Any, kernel: Any, strides: Any = 1, padding: str = "valid",
                   data_format: Any = None, dilation_rate: Any = 1) -> Tensor:
    """2-D depthwise convolution, channels last (kernel ``[kh, kw, in, multiplier]``)."""
    _channels_last(inputs, data_format, "depthwise_conv")
    x, k = _pair(_floating(inputs), _floating(kernel))
    s = _spatial(strides, 2)
    return _conv.depthwise_conv2d(x, k, [1, s[0], s[1], 1], padding.upper(),
                                  dilations=_spatial(dilation_rate, 2))


def _pool(op: Callable, name: str, inputs: Any, pool_size: Any, strides: Any, padding: str,
          data_format: Any) -> Tensor:
    _channels_last(inputs, data_format, name)
    x = _floating(inputs)
    n = len(shape_of(x)) - 2
    size_ = _spatial(pool_size, n)
    return op(x, size_, size_ if strides is None else _spatial(strides, n), padding.upper())


@_export
def max_pool(inputs: Any, pool_size: Any, strides: Any = None, padding: str = "valid",
             data_format: Any = None) -> Tensor:
    """1-D or 2-D max pooling, channels last (strides default to the pool size)."""
    return _pool(_conv.max_pool, "max_pool", inputs, pool_size, strides, padding, data_format)


@_export
def average_pool(inputs: Any, pool_size: Any, strides: Any = None, padding: str = "valid",
                 data_format: Any = None) -> Tensor:
    """1-D or 2-D average pooling, channels last."""
    return _pool(_conv.avg_pool, "average_pool", inputs, pool_size, strides, padding,
                 data_format)


@_export
def dot_product_attention(query: Any, key: Any, value: Any, bias: Any = None, mask: Any = None,
                          scale: Any = None, is_causal: bool = False,
                          flash_attention: Any = None, attn_logits_soft_cap: Any = None) -> Tensor:
    """Scaled dot-product attention on ``[batch, length, heads, head_dim]`` tensors."""
    q, k = _pair(_floating(query), _floating(key))
    v = _m.cast(_t(value), q.dtype)
    d = shape_of(q)[-1]
    scale = float(1.0 / _np.sqrt(d) if scale is None else scale)
    logits = _e.einsum("btnh,bsnh->bnts", q, k) * scale
    if attn_logits_soft_cap is not None:
        logits = _m.tanh(logits / attn_logits_soft_cap) * attn_logits_soft_cap
    if bias is not None:
        logits = logits + _m.cast(_t(bias), q.dtype)
    keep = None if mask is None else _bool(mask)
    if is_causal:
        t, s = shape_of(logits)[-2:]
        causal = _convert(_np.tril(_np.ones((t, s), bool)))
        keep = causal if keep is None else _m.logical_and(keep, causal)
    if keep is not None:
        big = _convert(_np.finfo(q.dtype.as_numpy_dtype).min / 2, dtype=q.dtype)
        logits = _i.where(keep, logits, logits * 0 + big)
    return _e.einsum("bnts,bsnh->btnh", _nn.softmax(logits, -1), v)


# -- control flow -----------------------------------------------------------------------------
@_export
def cond(pred: Any, true_fn: Callable, false_fn: Callable) -> Any:
    """``true_fn()`` if ``pred`` else ``false_fn()``."""
    return _cf.cond(pred, true_fn, false_fn)


@_export
def while_loop(cond: Callable, body: Callable, loop_vars: Any,
               maximum_iterations: Any = None) -> Any:
    """Run ``body`` while ``cond`` holds (a tuple of loop variables is unpacked into both)."""
    single = not isinstance(loop_vars, (tuple, list))
    lv = (loop_vars,) if single else tuple(loop_vars)
    out = _cf.while_loop(lambda *v: cond(*v), lambda *v: tuple(_as_tuple(body(*v))), lv,
                         maximum_iterations=maximum_iterations)
    return out[0] if single else out


def _as_tuple(v: Any) -> tuple:
    return tuple(v) if isinstance(v, (tuple, list)) else (v,)


@_export
def fori_loop(lower: int, upper: int, body_fun: Callable, init_val: Any) -> Any:
    """``val = body_fun(i, val)`` for ``i`` in ``range(lower, upper)``."""
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


@_export
def scan(f: Callable, init: Any, xs: Any = None, length: Any = None, reverse: bool = False,
         unroll: int = 1) -> tuple:
    """JAX's scan: ``carry, y = f(carry, x)`` over the leading axis of ``xs``; returns the last
    carry and the stacked ``y``.

    >>> from tapegrad.keras import ops
    >>> carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, ops.arange(1.0, 4.0))
    >>> float(carry), ys.numpy().tolist()
    (6.0, [0.0, 2.0, 9.0])
    """
    n = shape_of(_t(xs))[0] if xs is not None else int(length)
    items = _a.unstack(_t(xs), n, 0) if xs is not None else [None] * n
    order = range(n - 1, -1, -1) if reverse else range(n)
    carry, ys = init, [None] * n
    for i in order:
        carry, ys[i] = f(carry, items[i])
    if ys and ys[0] is not None:
        return carry, _a.stack([_t(y) for y in ys], 0)
    return carry, None


@_export
def map(f: Callable, xs: Any) -> Any:  # noqa: A001 - Keras's name
    """``f`` applied to each slice of ``xs`` along its leading axis, stacked."""
    return _cf.map_fn(f, xs)


@_export
def switch(index: Any, branches: list, *operands: Any) -> Any:
    """``branches[index](*operands)`` (the index clamped into range)."""
    i = int(builtins.min(builtins.max(int(_t(index).numpy()), 0), len(branches) - 1))
    return branches[i](*operands)


@_export
def vectorized_map(function: Callable, elements: Any) -> Any:
    """``function`` on each slice of ``elements`` along the leading axis, stacked (a loop)."""
    return _cf.map_fn(function, elements)


# -- segments, signal -------------------------------------------------------------------------
def _segment(op: Callable, data: Any, segment_ids: Any, num_segments: Any) -> Tensor:
    ids = _t(segment_ids)
    n = int(_np.max(ids.numpy())) + 1 if num_segments is None else int(num_segments)
    return op(_t(data), ids, n)


@_export
def segment_sum(data: Any, segment_ids: Any, num_segments: Any = None,
                sorted: bool = False) -> Tensor:  # noqa: A002
    """Sums of ``data``'s rows by segment id (``num_segments`` defaults to max id + 1)."""
    return _segment(_sc.unsorted_segment_sum, data, segment_ids, num_segments)


@_export
def segment_max(data: Any, segment_ids: Any, num_segments: Any = None,
                sorted: bool = False) -> Tensor:  # noqa: A002
    """Maxima of ``data``'s rows by segment id."""
    return _segment(_sc.unsorted_segment_max, data, segment_ids, num_segments)


@_export
def segment_min(data: Any, segment_ids: Any, num_segments: Any = None,
                sorted: bool = False) -> Tensor:  # noqa: A002
    """Minima of ``data``'s rows by segment id."""
    return _segment(_sc.unsorted_segment_min, data, segment_ids, num_segments)


def _parts(x: Any) -> Tensor:
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError("keras.ops: complex inputs are a tuple (real, imag) of float tensors, "
                         f"as Keras's; got {type(x).__name__}.")
    re, im = _pair(_floating(x[0]), _floating(x[1]))
    return _cx.complex(re, im)


def _split_parts(z: Tensor) -> tuple:
    return _cx.real(z), _cx.imag(z)


@_export
def fft(x: Any) -> tuple:
    """The FFT over the last axis of ``(real, imag)``; returns ``(real, imag)``."""
    return _split_parts(_fft.fft(_parts(x)))


@_export
def fft2(x: Any) -> tuple:
    """The 2-D FFT over the last two axes of ``(real, imag)``."""
    return _split_parts(_fft.fft2d(_parts(x)))


@_export
def ifft2(x: Any) -> tuple:
    """The inverse 2-D FFT of ``(real, imag)``."""
    return _split_parts(_fft.ifft2d(_parts(x)))


@_export
def rfft(x: Any, fft_length: Any = None) -> tuple:
    """The real FFT over the last axis; returns ``(real, imag)``."""
    return _split_parts(_fft.rfft(_floating(x), None if fft_length is None else [fft_length]))


@_export
def irfft(x: Any, fft_length: Any = None) -> Tensor:
    """The inverse real FFT of ``(real, imag)``."""
    return _fft.irfft(_parts(x), None if fft_length is None else [fft_length])


# -- more NumPy names, composed -------------------------------------------------------------
fabs = _export(abs)


@_export
def deg2rad(x: Any) -> Tensor:
    """Degrees to radians."""
    return _floating(x) * float(_np.pi / 180.0)


@_export
def rad2deg(x: Any) -> Tensor:
    """Radians to degrees."""
    return _floating(x) * float(180.0 / _np.pi)


@_export
def cbrt(x: Any) -> Tensor:
    """The real cube root."""
    t = _floating(x)
    return _m.sign(t) * _m.pow(_m.abs(t), 1.0 / 3.0)


@_export
def copy(x: Any) -> Tensor:
    """A copy of ``x``."""
    return _m.identity(_t(x))


@_export
def array(x: Any, dtype: Any = None) -> Tensor:
    """``x`` as a tensor."""
    return _t(x, dtype)


@_export
def empty_like(x: Any, dtype: Any = None) -> Tensor:
    """A tensor shaped like ``x`` (zeros here)."""
    return zeros_like(x, dtype)


@_export
def get_item(x: Any, key: Any) -> Tensor:
    """``x[key]``."""
    return _t(x)[key]


@_export
def saturate_cast(x: Any, dtype: Any) -> Tensor:
    """``x`` clipped to ``dtype``'s range, then cast."""
    t = _t(x)
    target = _dt.as_dtype(dtype)
    if target.is_integer and (t.dtype.is_floating or t.dtype.is_integer):
        lo, hi = float(target.min), float(target.max)
        if t.dtype.is_floating:
            t = _m.minimum(_m.maximum(t, t * 0 + lo), t * 0 + hi)
    return _m.cast(t, target)


@_export
def fliplr(x: Any) -> Tensor:
    """Reversed along axis 1."""
    return flip(x, 1)


@_export
def flipud(x: Any) -> Tensor:
    """Reversed along axis 0."""
    return flip(x, 0)


@_export
def hstack(xs: Any) -> Tensor:
    """Joined along axis 1 (axis 0 for 1-D inputs)."""
    ts = [_t(v) for v in xs]
    return concatenate(ts, 0 if len(shape_of(ts[0])) == 1 else 1)


@_export
def vstack(xs: Any) -> Tensor:
    """Joined along axis 0 (Keras's TF backend joins 1-D inputs end to end, unlike NumPy)."""
    return concatenate(xs, 0)


@_export
def hsplit(x: Any, indices_or_sections: Any) -> list:
    """Split along axis 1 (axis 0 for 1-D)."""
    return split(x, indices_or_sections, 0 if ndim(x) == 1 else 1)


@_export
def vsplit(x: Any, indices_or_sections: Any) -> list:
    """Split along axis 0."""
    return split(x, indices_or_sections, 0)


@_export
def diff(a: Any, n: int = 1, axis: int = -1) -> Tensor:
    """The ``n``-th difference along ``axis``."""
    t = _t(a)
    for _ in range(n):
        length = shape_of(t)[axis]
        t = _i.gather(t, _np.arange(1, length), axis=axis) - \
            _i.gather(t, _np.arange(0, length - 1), axis=axis)
    return t


@_export
def hard_tanh(x: Any) -> Tensor:
    """``x`` clipped to [-1, 1]."""
    t = _floating(x)
    return _m.minimum(_m.maximum(t, t * 0 - 1.0), t * 0 + 1.0)


@_export
def hard_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """``x`` where ``|x| > threshold``, else 0."""
    t = _floating(x)
    return _i.where(_m.abs(t) > threshold, t, t * 0)


@_export
def soft_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """``x ∓ threshold`` beyond ±threshold, else 0."""
    t = _floating(x)
    return _i.where(t > threshold, t - threshold, _i.where(t < -threshold, t + threshold, t * 0))


@_export
def tanh_shrink(x: Any) -> Tensor:
    """``x - tanh(x)``."""
    t = _floating(x)
    return t - _m.tanh(t)


@_export
def squareplus(x: Any, b: float = 4) -> Tensor:
    """``(x + sqrt(x² + b)) / 2``."""
    t = _floating(x)
    return (t + _m.sqrt(t * t + float(b))) * 0.5


@_export
def threshold(x: Any, threshold: float, default_value: float) -> Tensor:
    """``x`` where ``x > threshold``, else ``default_value``."""
    t = _floating(x)
    return _i.where(t > threshold, t, t * 0 + default_value)


@_export
def logaddexp2(x1: Any, x2: Any) -> Tensor:
    """``log2(2^x1 + 2^x2)``."""
    ln2 = float(_np.log(2.0))
    return logaddexp(_floating(x1) * ln2, _floating(x2) * ln2) * (1.0 / ln2)


@_export
def signbit(x: Any) -> Tensor:
    """Whether the sign bit is set (``-0.0`` included)."""
    return _convert(_np.signbit(convert_to_numpy(x)))


@_export
def isposinf(x: Any) -> Tensor:
    """Whether each element is +inf."""
    t = _t(x)
    return _m.logical_and(isinf(t), t > 0)


@_export
def isneginf(x: Any) -> Tensor:
    """Whether each element is -inf."""
    t = _t(x)
    return _m.logical_and(isinf(t), t < 0)


@_export
def heaviside(x1: Any, x2: Any) -> Tensor:
    """0 for x1 < 0, ``x2`` at 0, 1 for x1 > 0."""
    a, b = _pair(x1, x2)
    one = a * 0 + 1
    return _i.where(a > 0, one, _i.where(a < 0, a * 0, b + a * 0))


@_export
def sinc(x: Any) -> Tensor:
    """``sin(πx) / (πx)``, 1 at 0."""
    t = _floating(x)
    safe = _i.where(_m.equal(t, t * 0), t * 0 + 1.0, t) * float(_np.pi)
    return _i.where(_m.equal(t, t * 0), t * 0 + 1.0, _s.sin(safe) / safe)


@_export
def ptp(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The range, max - min, over ``axis``."""
    return max(x, axis, keepdims) - min(x, axis, keepdims)


def _nan_filled(x: Any, fill: float) -> Tensor:
    t = _floating(x)
    return _i.where(_s.is_nan(t), t * 0 + fill, t)


@_export
def nansum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The sum ignoring NaNs."""
    return sum(_nan_filled(x, 0.0), axis, keepdims)


@_export
def nanmean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The mean ignoring NaNs."""
    t = _floating(x)
    count = sum(_m.cast(_m.logical_not(_s.is_nan(t)), t.dtype), axis, keepdims)
    return nansum(t, axis, keepdims) / count


@_export
def nanmax(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The maximum ignoring NaNs."""
    return max(_nan_filled(x, -_np.inf), axis, keepdims)


@_export
def nanmin(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The minimum ignoring NaNs."""
    return min(_nan_filled(x, _np.inf), axis, keepdims)


def _np_window(fn: Callable, name: str) -> Callable:
    def window(x: int) -> Tensor:
        return _convert(fn(int(x)).astype(_np.float32))
    window.__name__ = window.__qualname__ = name
    window.__doc__ = f"NumPy's symmetric ``{name}`` window of length ``x`` (float32)."
    return _export(window)


bartlett = _np_window(_np.bartlett, "bartlett")
blackman = _np_window(_np.blackman, "blackman")
hamming = _np_window(_np.hamming, "hamming")
hanning = _np_window(_np.hanning, "hanning")


@_export
def kaiser(x: int, beta: float) -> Tensor:
    """NumPy's Kaiser window of length ``x`` (float32)."""
    return _convert(_np.kaiser(int(x), float(beta)).astype(_np.float32))


@_export
def select(condlist: Any, choicelist: Any, default: Any = 0) -> Tensor:
    """The first choice whose condition holds, else ``default`` (NumPy's ``select``)."""
    out = _t(default)
    for c, v in reversed(list(zip(condlist, choicelist))):
        v = _t(v)
        out = _i.where(_bool(c), v, _m.cast(out, v.dtype) + v * 0)
    return out
