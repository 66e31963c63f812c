"""Tensors made from shapes and values: zeros, ones, fill, eye, linspace, range and the shape
queries (shape, size, rank); and the helpers the op families share to build them."""

from __future__ import annotations

import builtins
from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.convert import static_int
from ..engine.errors import InvalidArgumentError
from ..engine.registry import primitive, unbroadcast
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of, _wrap

__all__ = [
    "zeros", "ones", "zeros_like", "ones_like", "fill", "eye", "linspace", "range", "shape",
    "size", "rank",
]


def _static_ints(values: Any, what: str, op: str) -> tuple:
    """Shape/perm/axis arguments: Python ints, lists, or integer tensors -> tuple of ints."""
    if isinstance(values, _Base):
        values = values._value
    if isinstance(values, (int, np.integer)):
        return (int(values),)
    try:
        arr = np.asarray(values).reshape(-1)
        if arr.dtype.kind not in "iub" and arr.size:
            raise TypeError
        return tuple(int(v) for v in arr)
    except (TypeError, ValueError):
        raise TypeError(f"{op}: {what} must be integers, got {values!r}") from None


# -- creation --------------------------------------------------------------------------------------
def _shape_arg(shape: Any, op: str) -> tuple:
    shape = _static_ints(shape, "shape", op) if not isinstance(shape, tuple) or shape else ()
    if any(d < 0 for d in shape):
        raise ValueError(f"{op}: shape {list(shape)} has a negative dimension.")
    return shape


def zeros(shape: Any, dtype: Any = _dt.float32, name: str | None = None) -> Tensor:
    """A tensor of zeros (``tf.zeros``).

    >>> import tapegrad as tf
    >>> tf.zeros([2], tf.int32).numpy()
    array([0, 0], dtype=int32)
    """
    return _wrap(np.zeros(_shape_arg(shape, "zeros"), dtype=_dt.np_dtype(dtype)))


def ones(shape: Any, dtype: Any = _dt.float32, name: str | None = None) -> Tensor:
    """A tensor of ones (``tf.ones``).

    >>> import tapegrad as tf
    >>> tf.ones((2,)).numpy()
    array([1., 1.], dtype=float32)
    """
    return _wrap(np.ones(_shape_arg(shape, "ones"), dtype=_dt.np_dtype(dtype)))


def zeros_like(input: Any, dtype: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """Zeros with the shape (and dtype, unless given) of ``input`` (``tf.zeros_like``).

    >>> import tapegrad as tf
    >>> tf.zeros_like([1, 2]).numpy()
    array([0, 0], dtype=int32)
    """
    v = input._value if isinstance(input, _Base) else convert_raw(input)
    return _wrap(np.zeros(np.shape(v), dtype=_dt.np_dtype(dtype) or v.dtype))


def ones_like(input: Any, dtype: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """Ones with the shape (and dtype, unless given) of ``input`` (``tf.ones_like``).

    >>> import tapegrad as tf
    >>> tf.ones_like([1.0, 2.0]).numpy()
    array([1., 1.], dtype=float32)
    """
    v = input._value if isinstance(input, _Base) else convert_raw(input)
    return _wrap(np.ones(np.shape(v), dtype=_dt.np_dtype(dtype) or v.dtype))


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """A tensor of shape ``dims`` filled with ``value`` (``tf.fill``).

    >>> import tapegrad as tf
    >>> tf.fill([2], 7).numpy()
    array([7, 7], dtype=int32)
    """
    shape = _shape_arg(dims, "fill")
    if np.ndim(value._value if isinstance(value, _Base) else value) != 0:
        raise InvalidArgumentError(f"fill: value must be a scalar, got shape "
                                   f"{list(np.shape(value))}; pass one number (or a 0-D tensor).")
    return _fill(value, dims=shape)


@primitive(name="fill")
def _fill(value, *, dims):
    return np.full(dims, value, dtype=value.dtype)


# every element is `value`, so its gradient is the sum of the cotangent (TF's FillGrad)
_fill.defvjp(lambda g, ans, value, *, dims: (unbroadcast(g, value, ans),))
_fill.defjvp(lambda t, ans, value, *, dims: _fill(t[0], dims=dims))


def eye(num_rows: int, num_columns: int | None = None, batch_shape: Any = None,
        dtype: Any = _dt.float32, name: str | None = None) -> Tensor:
    """Identity matrix (or a batch of them) (``tf.eye``).

    >>> import tapegrad as tf
    >>> tf.eye(2, batch_shape=[3]).shape
    TensorShape([3, 2, 2])
    """
    rows = static_int(num_rows, "num_rows", "eye")
    cols = None if num_columns is None else static_int(num_columns, "num_columns", "eye")
    if rows < 0 or (cols or 0) < 0:
        raise InvalidArgumentError(f"eye: num_rows and num_columns must be >= 0, got {rows} and "
                                   f"{cols}.")
    m = np.eye(rows, cols, dtype=_dt.np_dtype(dtype))
    if batch_shape is not None:
        m = np.broadcast_to(m, _shape_arg(batch_shape, "eye") + m.shape).copy()
    return _wrap(m)


def linspace(start: Any, stop: Any, num: int, name: str | None = None, axis: int = 0) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive (``tf.linspace``).

    >>> import tapegrad as tf
    >>> tf.linspace(0.0, 1.0, 3).numpy()
    array([0. , 0.5, 1. ], dtype=float32)
    """
    s = convert_raw(start)
    if s.dtype.kind not in "biuf":
        raise TypeError(f"linspace: start must be a real number, got {start!r:.40}.")
    e = convert_raw(stop)
    if e.dtype.kind not in "biuf":
        raise TypeError(f"linspace: stop must be a real number, got {stop!r:.40}.")
    e = convert_raw(stop, s.dtype)  # TF converts stop to start's dtype
    num = static_int(num, "num", "linspace")
    if num < 0:
        raise InvalidArgumentError(f"linspace: num must be >= 0, got {num}.")
    dtype = s.dtype if s.dtype.kind in "fc" else np.float64  # integer ends give float64, as TF
    return _wrap(np.linspace(s, e, int(num), axis=axis).astype(dtype))


def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None,  # noqa: A001
          name: str = "range") -> Tensor:
    """``start, start+delta, …`` below ``limit`` (``tf.range``); int32 unless a float is given.

    >>> import tapegrad as tf
    >>> tf.range(1, 7, 2).numpy()
    array([1, 3, 5], dtype=int32)
    """
    if limit is None:
        start, limit = 0, start
    vals = [convert_raw(v) for v in (start, limit, delta)]
    if any(v.dtype not in _RANGE_ORDER for v in vals):
        raise TypeError(f"range: start, limit and delta must be int32/int64/float32/float64 "
                        f"numbers, got {[str(v.dtype) for v in vals]}.")
    if dtype is None:  # the widest of TF's hierarchy int32 < int64 < float32 < float64
        dtype = builtins.max((v.dtype for v in vals), key=_RANGE_ORDER.index)
    start, limit, delta = (float(v) if _dt.np_dtype(dtype).kind == "f" else int(v) for v in vals)
    if delta == 0:
        raise InvalidArgumentError(f"range: requires delta != 0, got {delta}.")
    if (limit - start) * delta < 0:
        raise InvalidArgumentError(f"range: requires start <= limit when delta > 0 and start >= "
                                   f"limit when delta < 0, got start={start}, limit={limit}, "
                                   f"delta={delta}.")
    return _wrap(np.arange(start, limit, delta).astype(_dt.np_dtype(dtype)))


_RANGE_ORDER = [np.dtype(t) for t in ("int32", "int64", "float32", "float64")]


# -- shape queries ---------------------------------------------------------------------------------
def _shape_of(x: Any) -> tuple:
    if x is None:  # np.shape(None) is (): TF refuses None
        convert_raw(x)
    return shape_of(x)


def shape(input: Any, out_type: Any = _dt.int32, name: str | None = None) -> Tensor:  # noqa: A002
    """The shape as a 1-D integer tensor (``tf.shape``).

    >>> import tapegrad as tf
    >>> tf.shape(tf.zeros((2, 3))).numpy()
    array([2, 3], dtype=int32)
    """
    return _wrap(np.asarray(_shape_of(input), dtype=_dt.np_dtype(out_type)))


def size(input: Any, out_type: Any = _dt.int32, name: str | None = None) -> Tensor:  # noqa: A002
    """The number of elements as a 0-d integer tensor (``tf.size``).

    >>> import tapegrad as tf
    >>> int(tf.size(tf.zeros((2, 3))))
    6
    """
    n = 1
    for d in _shape_of(input):
        n *= d
    return _wrap(_dt.np_dtype(out_type).type(n))


def rank(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The number of dimensions as a 0-d int32 tensor (``tf.rank``).

    >>> import tapegrad as tf
    >>> int(tf.rank(tf.zeros((2, 3))))
    2
    """
    return _wrap(np.int32(len(_shape_of(input))))
