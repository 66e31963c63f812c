"""``tf.experimental.numpy``'s common subset: NumPy-named functions over tapegrad tensors.

The results are tapegrad tensors and every function is made of tapegrad ops, so it is
differentiable on the tape. Values follow NumPy's dtype inference, as TF's ``tnp`` does: Python
floats give float64 and Python ints int64 (``tf.constant`` would give float32 and int32), and
creation functions default to float64.
"""

from __future__ import annotations

import threading
from typing import Any

from ..engine import dtypes as _dt
from ..engine.backend import xp as np
from ..engine.tensor import Tensor, _Base
from . import array as _a, creation as _c, einsum as _e, indexing as _i, linalg as _l
from . import math as _m, norms as _n, reduce as _r, scan as _s, special as _sp

__all__ = ["asarray", "array", "zeros", "ones", "full", "zeros_like", "ones_like", "eye",
           "arange", "linspace", "sum", "mean", "prod", "amax", "amin", "max", "min", "std",
           "var", "argmax", "argmin", "cumsum", "reshape", "transpose", "expand_dims", "squeeze",
           "concatenate", "stack", "clip", "dot", "matmul", "einsum", "tensordot", "where",
           "take", "sort", "diag", "abs", "absolute", "add", "subtract", "multiply", "divide",
           "true_divide", "negative", "power", "exp", "log", "log1p", "expm1", "sqrt", "square",
           "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh",
           "arcsinh", "arccosh", "arctanh", "maximum", "minimum", "sign", "floor", "ceil",
           "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
           "logical_and", "logical_or", "logical_not", "isnan", "isfinite", "isinf", "ndim",
           "shape", "size", "float32", "float64", "int32", "int64", "bool_", "pi", "e", "inf",
           "nan", "newaxis", "experimental_enable_numpy_behavior"]

float32, float64, int32, int64, bool_ = (_dt.float32, _dt.float64, _dt.int32, _dt.int64,
                                         _dt.bool_)
pi, e, inf, nan, newaxis = np.pi, np.e, np.inf, np.nan, None


def asarray(a: Any, dtype: Any = None) -> Tensor:
    """A tensor for ``a`` with NumPy's dtype inference (``tnp.asarray``); tensors pass through
    (cast when ``dtype`` differs).

    >>> import tapegrad as tf
    >>> tnp = tf.experimental.numpy
    >>> tnp.asarray([1.0, 2.0]).dtype, tnp.asarray(3).dtype
    (tf.float64, tf.int64)
    """
    if isinstance(a, _Base):
        return a if dtype is None or a.dtype == _dt.as_dtype(dtype) else _m.cast(a, dtype)
    if isinstance(a, (list, tuple)) and any(isinstance(v, _Base) for v in a):
        return _a.stack([asarray(v, dtype) for v in a])
    v = np.asarray(a, dtype=_dt.np_dtype(dtype))
    return Tensor(v)


def array(object: Any, dtype: Any = None, copy: bool = True, ndmin: int = 0) -> Tensor:  # noqa: A002
    """As ``asarray``, with at least ``ndmin`` dimensions (``tnp.array``).

    >>> import tapegrad as tf
    >>> tf.experimental.numpy.array(1.0, ndmin=2).shape
    TensorShape([1, 1])
    """
    t = asarray(object, dtype)
    while len(t.shape) < ndmin:
        t = _a.expand_dims(t, 0)
    return t


def _creation_dtype(dtype: Any) -> Any:
    return _dt.float64 if dtype is None or dtype is float else dtype


def zeros(shape: Any, dtype: Any = float) -> Tensor:
    """Zeros, float64 by default (``tnp.zeros``).

    >>> import tapegrad as tf
    >>> tf.experimental.numpy.zeros(2).dtype
    tf.float64
    """
    return _c.zeros(shape if isinstance(shape, (list, tuple)) else [shape],
                    _creation_dtype(dtype))


def ones(shape: Any, dtype: Any = float) -> Tensor:
    """Ones, float64 by default (``tnp.ones``)."""
    return _c.ones(shape if isinstance(shape, (list, tuple)) else [shape], _creation_dtype(dtype))


def full(shape: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    """``shape`` filled with ``fill_value`` (``tnp.full``)."""
    v = asarray(fill_value, dtype)
    return _a.broadcast_to(v, shape if isinstance(shape, (list, tuple)) else [shape])


def zeros_like(a: Any, dtype: Any = None) -> Tensor:
    return _c.zeros_like(asarray(a), dtype)


def ones_like(a: Any, dtype: Any = None) -> Tensor:
    return _c.ones_like(asarray(a), dtype)


def eye(N: int, M: int | None = None, k: int = 0, dtype: Any = float) -> Tensor:  # noqa: N803
    """The identity-like matrix (``tnp.eye``)."""
    return Tensor(np.eye(N, M, k, dtype=_dt.np_dtype(_creation_dtype(dtype))))


def arange(start: Any, stop: Any = None, step: Any = 1, dtype: Any = None) -> Tensor:
    """Evenly spaced values with NumPy's dtypes (``tnp.arange``).

    >>> import tapegrad as tf
    >>> tf.experimental.numpy.arange(3).numpy().tolist()
    [0, 1, 2]
    """
    return Tensor(np.arange(start, stop, step, dtype=_dt.np_dtype(dtype)))


def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, retstep: bool = False,
             dtype: Any = float, axis: int = 0) -> Any:
    """``num`` evenly spaced values (``tnp.linspace``)."""
    out = np.linspace(start, stop, num, endpoint, retstep, _dt.np_dtype(_creation_dtype(dtype)),
                      axis)
    return (Tensor(out[0]), out[1]) if retstep else Tensor(out)


def _reduce(f, a, axis, dtype, keepdims):
    t = asarray(a, dtype)
    if t.dtype.is_integer and f in (_r.reduce_mean, _r.reduce_std, _r.reduce_variance):
        t = _m.cast(t, _dt.float64)  # NumPy's mean of integers is float64
    return f(t, axis=axis, keepdims=bool(keepdims))


def sum(a: Any, axis: Any = None, dtype: Any = None, keepdims: Any = None) -> Tensor:  # noqa: A001
    """Sum over ``axis`` (``tnp.sum``).

    >>> import tapegrad as tf
    >>> float(tf.experimental.numpy.sum([1.0, 2.0]))
    3.0
    """
    return _reduce(_r.reduce_sum, a, axis, dtype, keepdims)


def mean(a: Any, axis: Any = None, dtype: Any = None, out: Any = None,
         keepdims: Any = None) -> Tensor:
    """Mean over ``axis``; integers give float64 (``tnp.mean``)."""
    return _reduce(_r.reduce_mean, a, axis, dtype, keepdims)


def prod(a: Any, axis: Any = None, dtype: Any = None, keepdims: Any = None) -> Tensor:
    return _reduce(_r.reduce_prod, a, axis, dtype, keepdims)


def amax(a: Any, axis: Any = None, out: Any = None, keepdims: Any = None) -> Tensor:
    return _reduce(_r.reduce_max, a, axis, None, keepdims)


def amin(a: Any, axis: Any = None, out: Any = None, keepdims: Any = None) -> Tensor:
    return _reduce(_r.reduce_min, a, axis, None, keepdims)


max, min = amax, amin  # noqa: A001


def std(a: Any, axis: Any = None, keepdims: Any = None) -> Tensor:
    return _reduce(_r.reduce_std, a, axis, None, keepdims)


def var(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0,
        keepdims: Any = None) -> Tensor:
    if ddof:
        raise NotImplementedError("tnp.var: only ddof=0 is supported.")
    return _reduce(_r.reduce_variance, a, axis, dtype, keepdims)


def argmax(a: Any, axis: Any = None) -> Tensor:
    t = asarray(a)
    return _s.argmax(_a.reshape(t, [-1]) if axis is None else t, axis=0 if axis is None else axis)


def argmin(a: Any, axis: Any = None) -> Tensor:
    t = asarray(a)
    return _s.argmin(_a.reshape(t, [-1]) if axis is None else t, axis=0 if axis is None else axis)


def cumsum(a: Any, axis: Any = None, dtype: Any = None) -> Tensor:
    t = asarray(a, dtype)
    return _s.cumsum(_a.reshape(t, [-1]) if axis is None else t, axis=0 if axis is None else axis)


def reshape(a: Any, newshape: Any, order: str = "C") -> Tensor:
    return _a.reshape(asarray(a), newshape)


def transpose(a: Any, axes: Any = None) -> Tensor:
    return _a.transpose(asarray(a), axes)


def expand_dims(a: Any, axis: int) -> Tensor:
    return _a.expand_dims(asarray(a), axis)


def squeeze(a: Any, axis: Any = None) -> Tensor:
    return _a.squeeze(asarray(a), axis)


def concatenate(arys: list, axis: int = 0) -> Tensor:
    """Join along ``axis`` (``tnp.concatenate``)."""
    return _a.concat([asarray(x) for x in arys], axis)


def stack(arrays: list, axis: int = 0) -> Tensor:
    return _a.stack([asarray(x) for x in arrays], axis)


def clip(a: Any, a_min: Any, a_max: Any) -> Tensor:
    return _n.clip_by_value(asarray(a), a_min, a_max)


def dot(a: Any, b: Any) -> Tensor:
    """NumPy's ``dot``: a product for scalars, the inner product of vectors, ``matmul`` of
    matrices (``tnp.dot``).

    >>> import tapegrad as tf
    >>> float(tf.experimental.numpy.dot([1.0, 2.0], [3.0, 4.0]))
    11.0
    """
    a, b = asarray(a), asarray(b)
    if not a.shape or not b.shape:
        return a * b
    if len(b.shape) == 1:
        return _e.tensordot(a, b, [[len(a.shape) - 1], [0]])
    return _e.tensordot(a, b, [[len(a.shape) - 1], [len(b.shape) - 2]])


def matmul(x1: Any, x2: Any) -> Tensor:
    return _l.matmul(asarray(x1), asarray(x2))


def einsum(subscripts: str, *operands: Any, **kwargs: Any) -> Tensor:
    return _e.einsum(subscripts, *[asarray(o) for o in operands])


def tensordot(a: Any, b: Any, axes: Any = 2) -> Tensor:
    return _e.tensordot(asarray(a), asarray(b), axes)


def where(condition: Any, x: Any = None, y: Any = None) -> Any:
    if x is None and y is None:
        return tuple(Tensor(i) for i in np.nonzero(np.asarray(asarray(condition)._value)))
    return _i.where(asarray(condition), asarray(x), asarray(y))


def take(a: Any, indices: Any, axis: Any = None) -> Tensor:
    t = asarray(a)
    return _i.gather(_a.reshape(t, [-1]) if axis is None else t, indices,
                     axis=0 if axis is None else axis)


def sort(a: Any, axis: int = -1, kind: str = "quicksort", order: Any = None) -> Tensor:
    return _i.sort(asarray(a), axis=axis)


def diag(v: Any, k: int = 0) -> Tensor:
    t = asarray(v)
    return _l.diag(t, k=k) if len(t.shape) == 1 else _l.diag_part(t, k=k)


def _name(f) -> str:
    return getattr(f, "__name__", None) or getattr(f, "name", "op")


def _unary(f):
    def g(x: Any) -> Tensor:
        return f(asarray(x))
    g.__name__, g.__doc__ = _name(f), f"NumPy-named ``{_name(f)}`` on a tensor."
    return g


def _binary(f):
    def g(x1: Any, x2: Any) -> Tensor:
        a, b = asarray(x1), asarray(x2)
        if a.dtype != b.dtype:  # NumPy promotes where TF refuses
            common = _dt.from_numpy(np.result_type(a._value.dtype, b._value.dtype))
            a, b = _m.cast(a, common), _m.cast(b, common)
        return f(a, b)
    g.__name__, g.__doc__ = _name(f), f"NumPy-named ``{_name(f)}`` with NumPy promotion."
    return g


abs = absolute = _unary(_m.abs)  # noqa: A001
negative, exp, log, sqrt, square = (_unary(_m.negative), _unary(_m.exp), _unary(_m.log),
                                    _unary(_m.sqrt), _unary(_m.square))
tanh, sign, floor, ceil = _unary(_m.tanh), _unary(_m.sign), _unary(_sp.floor), _unary(_sp.ceil)
log1p, expm1 = _unary(_sp.log1p), _unary(_sp.expm1)
sin, cos, tan = _unary(_sp.sin), _unary(_sp.cos), _unary(_sp.tan)
arcsin, arccos, arctan = _unary(_sp.asin), _unary(_sp.acos), _unary(_sp.atan)
sinh, cosh = _unary(_sp.sinh), _unary(_sp.cosh)
arcsinh, arccosh, arctanh = _unary(_sp.asinh), _unary(_sp.acosh), _unary(_sp.atanh)
isnan, isfinite, isinf = _unary(_sp.is_nan), _unary(_sp.is_finite), _unary(_sp.is_inf)
logical_not = _unary(_m.logical_not)
add, subtract, multiply = _binary(_m.add), _binary(_m.subtract), _binary(_m.multiply)
divide = true_divide = _binary(_m.truediv)
power, arctan2 = _binary(_m.pow), _binary(_sp.atan2)
maximum, minimum = _binary(_m.maximum), _binary(_m.minimum)
equal, not_equal = _binary(_m.equal), _binary(_m.not_equal)
less, less_equal = _binary(_m.less), _binary(_m.less_equal)
greater, greater_equal = _binary(_m.greater), _binary(_m.greater_equal)
logical_and, logical_or = _binary(_m.logical_and), _binary(_m.logical_or)


def ndim(a: Any) -> int:
    return len(asarray(a).shape)


def shape(a: Any) -> tuple:
    return tuple(asarray(a).shape)


def size(a: Any) -> int:
    return int(np.prod(shape(a), dtype=np.int64))


_NUMPY_METHODS = {
    "T": property(lambda self: _a.transpose(self)),
    "reshape": lambda self, *s: reshape(self, s[0] if len(s) == 1 else s),
    "ravel": lambda self: _a.reshape(self, [-1]),
    "flatten": lambda self: _a.reshape(self, [-1]),
    "transpose": lambda self, *axes: transpose(self, axes or None),
    "astype": lambda self, dtype: _m.cast(self, dtype),
    "clip": lambda self, a_min, a_max: clip(self, a_min, a_max),
    "sum": lambda self, axis=None, keepdims=None: sum(self, axis, keepdims=keepdims),
    "mean": lambda self, axis=None, keepdims=None: mean(self, axis, keepdims=keepdims),
    "max": lambda self, axis=None, keepdims=None: amax(self, axis, keepdims=keepdims),
    "min": lambda self, axis=None, keepdims=None: amin(self, axis, keepdims=keepdims),
    "size": property(lambda self: size(self)),
    "tolist": lambda self: self.numpy().tolist(),
}
_ENABLE_LOCK = threading.Lock()


def experimental_enable_numpy_behavior(prefer_float64: bool = False,
                                       dtype_conversion_mode: str = "legacy") -> None:
    """Give tensors NumPy's methods — ``T``, ``reshape``, ``ravel``, ``flatten``,
    ``transpose``, ``astype``, ``clip``, ``sum``, ``mean``, ``max``, ``min``, ``size``,
    ``tolist`` — as TF's ``experimental_enable_numpy_behavior`` does. TF's operator type
    promotion is not enabled: tensor operators keep TF's no-promotion rule. It changes the
    Tensor class for the whole process, so call it once, at the start of a program::

        tf.experimental.numpy.experimental_enable_numpy_behavior()
        tf.constant([[1.0, 2.0]]).T.shape        # TensorShape([2, 1])
    """
    with _ENABLE_LOCK:
        for name, method in _NUMPY_METHODS.items():
            if name not in Tensor.__dict__:
                setattr(Tensor, name, method)  # opt-in, as TF patches its Tensor class
