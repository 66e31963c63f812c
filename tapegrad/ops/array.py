"""Shape and indexing ops: reshape, transpose, slicing, stacking, broadcasting, creation.

VJPs here take cotangents with leading batch dimensions (``nb = g.ndim - ans.ndim``) so that
``jacobian`` can push a whole batch of cotangents through in one pass.
"""

from __future__ import annotations

from typing import Any

from .._backend import xp as np
from .. import dtypes as _dt
from ..primitive import primitive, unbroadcast
from ..tensor import Tensor, Variable, _Base, _new, convert_raw, shape_of

__all__ = [
    "reshape", "transpose", "getitem", "broadcast_to", "stack", "concat", "where", "expand_dims",
    "zeros", "ones", "zeros_like", "ones_like", "fill", "eye", "linspace", "range",
    "unsorted_segment_sum_dense", "matrix_transpose",
]


def _nb(g, ans) -> int:
    """Number of leading batch dimensions a cotangent carries."""
    return len(shape_of(g)) - len(shape_of(ans))


def _wrap(v) -> Tensor:
    t = _new(Tensor)
    t._value = v
    return t


def _static_ints(values: Any, what: str, op: str) -> tuple:
    """Shape/perm/axis arguments: Python ints, lists, or integer tensors -> tuple of ints."""
    if isinstance(values, _Base):
        values = values._value
    if isinstance(values, (int, np.integer)):
        return (int(values),)
    try:
        return tuple(int(v) for v in np.asarray(values).reshape(-1))
    except (TypeError, ValueError):
        raise TypeError(f"{op}: {what} must be integers, got {values!r}") from None


# -- reshape / transpose --------------------------------------------------------------------------
@primitive(name="reshape")
def _reshape(x, *, shape):
    return np.reshape(x, shape)


_reshape.defvjp(lambda g, ans, x, *, shape: (
    _reshape(g, shape=tuple(g.shape[:_nb(g, ans)]) + shape_of(x)),))
_reshape.defjvp(lambda t, ans, x, *, shape: _reshape(t[0], shape=shape))


def reshape(tensor: Any, shape: Any, name: str | None = None) -> Tensor:
    """A tensor with the same values in a new shape; one dimension may be -1 (``tf.reshape``).

    >>> import tapegrad as tf
    >>> tf.reshape(tf.range(6), [2, -1]).shape
    TensorShape([2, 3])
    """
    shape = _static_ints(shape, "shape", "reshape")
    xshape = shape_of(tensor)
    size = int(np.prod(xshape, dtype=np.int64))
    known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
    if shape.count(-1) > 1 or (-1 not in shape and known != size) or (
            -1 in shape and (known == 0 or size % known)):
        raise ValueError(f"reshape: input is a tensor with {size} values (shape {list(xshape)}), "
                         f"but the requested shape {list(shape)} cannot hold them.")
    if -1 in shape:
        shape = tuple(size // known if d == -1 else d for d in shape)
    return _reshape(tensor, shape=shape)


def _inverse_perm(perm: tuple) -> tuple:
    inv = [0] * len(perm)
    for i, p in enumerate(perm):
        inv[p] = i
    return tuple(inv)


@primitive(name="transpose")
def _transpose(x, *, perm):
    return np.transpose(x, perm)


def _transpose_vjp(g, ans, x, *, perm):
    nb = _nb(g, ans)
    return (_transpose(g, perm=tuple(range(nb)) + tuple(nb + p for p in _inverse_perm(perm))),)


_transpose.defvjp(_transpose_vjp)
_transpose.defjvp(lambda t, ans, x, *, perm: _transpose(t[0], perm=perm))


def transpose(a: Any, perm: Any = None, conjugate: bool = False, name: str | None = None) -> Tensor:
    """Permute dimensions; by default reverse them (``tf.transpose``).

    >>> import tapegrad as tf
    >>> tf.transpose(tf.zeros((2, 3))).shape
    TensorShape([3, 2])
    """
    nd = len(shape_of(a))
    perm = tuple(reversed(range(nd))) if perm is None else _static_ints(perm, "perm", "transpose")
    if sorted(p % nd if nd else p for p in perm) != list(range(nd)) or len(perm) != nd:
        raise ValueError(f"transpose: perm {list(perm)} is not a permutation of the "
                         f"{nd} dimensions of a tensor of shape {list(shape_of(a))}.")
    return _transpose(a, perm=tuple(p % nd for p in perm))


@primitive
def matrix_transpose(x):
    """Swap the last two dimensions (``tf.linalg.matrix_transpose``)."""
    return np.swapaxes(x, -1, -2)


matrix_transpose.defvjp(lambda g, ans, x: (matrix_transpose(g),))
matrix_transpose.defjvp(lambda t, ans, x: matrix_transpose(t[0]))


# -- indexing -------------------------------------------------------------------------------------
def _normalize_index(index: Any) -> tuple:
    if not isinstance(index, tuple):
        index = (index,)
    out = []
    for i in index:
        if isinstance(i, _Base):
            i = i._value
            if i.ndim == 0 and i.dtype.kind in "iu":
                i = int(i)
        elif isinstance(i, list):
            i = np.asarray(i)
        out.append(i)
    return tuple(out)


def _is_basic(index: tuple) -> bool:
    return all(isinstance(i, (int, slice, type(None), type(Ellipsis))) or
               (isinstance(i, np.integer)) for i in index)


@primitive(name="getitem")
def _getitem(x, *, index, nb=0):
    return x[(slice(None),) * nb + index]


def _getitem_vjp(g, ans, x, *, index, nb=0):
    return (_getitem_grad(g, index=index, shape=shape_of(x)[nb:], nb=nb + _nb(g, ans)),)


_getitem.defvjp(_getitem_vjp)
_getitem.defjvp(lambda t, ans, x, *, index, nb=0: _getitem(t[0], index=index, nb=nb))


@primitive(name="getitem_grad")
def _getitem_grad(g, *, index, shape, nb):
    """Scatter-add ``g`` into zeros of the indexed tensor's shape: the transpose of getitem."""
    out = np.zeros(tuple(g.shape[:nb]) + tuple(shape), dtype=g.dtype)
    full = (slice(None),) * nb + index
    if _is_basic(index):
        out[full] = g
    else:
        np.add.at(out, full, g)
    return out


def _getitem_grad_vjp(g, ans, x, *, index, shape, nb):
    return (_getitem(g, index=index, nb=nb + _nb(g, ans)),)


_getitem_grad.defvjp(_getitem_grad_vjp)
_getitem_grad.defjvp(lambda t, ans, g, *, index, shape, nb:
                     _getitem_grad(t[0], index=index, shape=shape, nb=nb))


def getitem(x: Any, index: Any) -> Tensor:
    """NumPy-style indexing and slicing (``tensor[index]``), differentiable.

    >>> import tapegrad as tf
    >>> tf.constant([[1.0, 2.0], [3.0, 4.0]])[:, 1].numpy()
    array([2., 4.], dtype=float32)
    """
    idx = _normalize_index(index)
    try:
        return _getitem(x, index=idx)
    except Exception as e:
        if type(e).__name__ == "InvalidArgumentError":
            raise IndexError(f"getitem: index {index!r} is out of range for a tensor of shape "
                             f"{list(shape_of(x))}.") from None
        raise


# -- broadcasting, stacking -----------------------------------------------------------------------
@primitive(name="broadcast_to")
def _broadcast_to(x, *, shape):
    return np.broadcast_to(x, shape)


_broadcast_to.defvjp(lambda g, ans, x, *, shape: (unbroadcast(g, x, ans),))
_broadcast_to.defjvp(lambda t, ans, x, *, shape: _broadcast_to(t[0], shape=shape))


def broadcast_to(input: Any, shape: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Broadcast to ``shape`` (``tf.broadcast_to``); the gradient sums back."""
    shape = _static_ints(shape, "shape", "broadcast_to")
    try:
        np.broadcast_shapes(shape_of(input), shape)
    except ValueError:
        raise ValueError(f"broadcast_to: cannot broadcast shape {list(shape_of(input))} to "
                         f"{list(shape)}.") from None
    return _broadcast_to(input, shape=shape)


def _norm_axis(axis: int, rank: int, op: str) -> int:
    if not -rank <= axis < rank:
        raise ValueError(f"{op}: axis {axis} is out of range for rank {rank} (valid: "
                         f"[{-rank}, {rank})).")
    return axis % rank


@primitive(name="stack")
def _stack(*xs, axis):
    return np.stack(xs, axis=axis)


def _stack_vjp(g, ans, *xs, axis):
    nb = _nb(g, ans)
    idx = (slice(None),) * (axis)
    return tuple(_getitem(g, index=idx + (i,), nb=nb) for i in range(len(xs)))


_stack.defvjp(_stack_vjp)
_stack.defjvp(lambda t, ans, *xs, axis: _stack(*[ti if ti is not None else zeros_like(x)
                                                 for ti, x in zip(t, xs)], axis=axis))


def stack(values: list, axis: int = 0, name: str | None = None) -> Tensor:
    """Stack same-shaped tensors along a new axis (``tf.stack``)."""
    if not values:
        raise ValueError("stack: needs at least one tensor.")
    shapes = [shape_of(v) for v in values]
    if any(s != shapes[0] for s in shapes):
        raise ValueError(f"stack: all tensors must have the same shape, got "
                         f"{[list(s) for s in shapes]}.")
    return _stack(*values, axis=_norm_axis(axis, len(shapes[0]) + 1, "stack"))


@primitive(name="concat")
def _concat(*xs, axis):
    return np.concatenate(xs, axis=axis)


def _concat_vjp(g, ans, *xs, axis):
    nb = _nb(g, ans)
    out, start = [], 0
    for x in xs:
        n = shape_of(x)[axis]
        out.append(_getitem(g, index=(slice(None),) * axis + (slice(start, start + n),), nb=nb))
        start += n
    return tuple(out)


_concat.defvjp(_concat_vjp)
_concat.defjvp(lambda t, ans, *xs, axis: _concat(*[ti if ti is not None else zeros_like(x)
                                                   for ti, x in zip(t, xs)], axis=axis))


def concat(values: list, axis: int, name: str | None = None) -> Tensor:
    """Join tensors along an existing axis (``tf.concat``)."""
    if not values:
        raise ValueError("concat: needs at least one tensor.")
    shapes = [shape_of(v) for v in values]
    rank = len(shapes[0])
    if rank == 0:
        raise ValueError("concat: cannot concatenate scalars; use tf.stack.")
    ax = _norm_axis(axis, rank, "concat")
    for s in shapes:
        if len(s) != rank or s[:ax] + s[ax + 1:] != shapes[0][:ax] + shapes[0][ax + 1:]:
            raise ValueError(f"concat: shapes {[list(s) for s in shapes]} differ outside axis "
                             f"{axis}.")
    return _concat(*values, axis=ax)


@primitive(name="where")
def _where(cond, x, y):
    return np.where(cond, x, y)


_where.defvjps(None,
               lambda g, ans, c, x, y: unbroadcast(_where(c, g, 0 * g), x, ans),
               lambda g, ans, c, x, y: unbroadcast(_where(c, 0 * g, g), y, ans))


@_where.defjvp
def _where_jvp(t, ans, c, x, y):
    tx = t[1] if t[1] is not None else zeros_like(ans)
    ty = t[2] if t[2] is not None else zeros_like(ans)
    return _where(c, tx, ty)


def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """Pick ``x`` where ``condition`` holds, else ``y`` (``tf.where``); with only a condition,
    the indices of its True elements as an int64 ``[n, rank]`` tensor."""
    if x is None and y is None:
        c = np.asarray(convert_raw(condition))
        return _wrap(np.argwhere(c).astype(np.int64))
    if x is None or y is None:
        raise ValueError("where: x and y must both be given, or neither.")
    xv = x._value if isinstance(x, _Base) else None
    yv = y._value if isinstance(y, _Base) else None
    if xv is not None and yv is not None and xv.dtype != yv.dtype:
        raise TypeError(f"where: x is {_dt.from_numpy(xv.dtype).name} but y is "
                        f"{_dt.from_numpy(yv.dtype).name}; they must match.")
    ref = xv if xv is not None else yv
    if ref is not None:
        if xv is None:
            x = convert_raw(x, ref.dtype) if not isinstance(x, (int, float)) else \
                np.asarray(x, dtype=ref.dtype)
        if yv is None:
            y = convert_raw(y, ref.dtype) if not isinstance(y, (int, float)) else \
                np.asarray(y, dtype=ref.dtype)
    return _where(condition, x, y)


@primitive(name="expand_dims")
def _expand_dims(x, *, axis):
    return np.expand_dims(x, axis)


_expand_dims.defvjp(lambda g, ans, x, *, axis: (
    _reshape(g, shape=tuple(g.shape[:_nb(g, ans)]) + shape_of(x)),))
_expand_dims.defjvp(lambda t, ans, x, *, axis: _expand_dims(t[0], axis=axis))


def expand_dims(input: Any, axis: int, name: str | None = None) -> Tensor:  # noqa: A002
    """Insert a length-1 dimension at ``axis`` (``tf.expand_dims``)."""
    rank = len(shape_of(input))
    return _expand_dims(input, axis=_norm_axis(int(axis), rank + 1, "expand_dims"))


@primitive
def unsorted_segment_sum_dense(values, indices, *, shape=None):
    """Rows of ``values`` summed into zeros of ``shape`` at ``indices`` (densifies
    IndexedSlices)."""
    out = np.zeros(shape, dtype=values.dtype)
    np.add.at(out, indices, values)
    return out


# -- creation -------------------------------------------------------------------------------------
def _shape_arg(shape: Any, op: str) -> tuple:
    shape = _static_ints(shape, "shape", op) if not isinstance(shape, tuple) or shape else ()
    if any(d < 0 for d in shape):
        raise ValueError(f"{op}: shape {list(shape)} has a negative dimension.")
    return shape


def zeros(shape: Any, dtype: Any = _dt.float32, name: str | None = None) -> Tensor:
    """A tensor of zeros (``tf.zeros``)."""
    return _wrap(np.zeros(_shape_arg(shape, "zeros"), dtype=_dt.np_dtype(dtype)))


def ones(shape: Any, dtype: Any = _dt.float32, name: str | None = None) -> Tensor:
    """A tensor of ones (``tf.ones``)."""
    return _wrap(np.ones(_shape_arg(shape, "ones"), dtype=_dt.np_dtype(dtype)))


def zeros_like(input: Any, dtype: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """Zeros with the shape (and dtype, unless given) of ``input``."""
    v = input._value if isinstance(input, _Base) else convert_raw(input)
    return _wrap(np.zeros(np.shape(v), dtype=_dt.np_dtype(dtype) or v.dtype))


def ones_like(input: Any, dtype: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """Ones with the shape (and dtype, unless given) of ``input``."""
    v = input._value if isinstance(input, _Base) else convert_raw(input)
    return _wrap(np.ones(np.shape(v), dtype=_dt.np_dtype(dtype) or v.dtype))


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """A tensor of shape ``dims`` filled with ``value`` (``tf.fill``)."""
    v = convert_raw(value)
    return _wrap(np.full(_shape_arg(dims, "fill"), v, dtype=v.dtype))


def eye(num_rows: int, num_columns: int | None = None, batch_shape: Any = None,
        dtype: Any = _dt.float32, name: str | None = None) -> Tensor:
    """Identity matrix (or a batch of them) (``tf.eye``)."""
    m = np.eye(int(num_rows), None if num_columns is None else int(num_columns),
               dtype=_dt.np_dtype(dtype))
    if batch_shape is not None:
        m = np.broadcast_to(m, _shape_arg(batch_shape, "eye") + m.shape).copy()
    return _wrap(m)


def linspace(start: Any, stop: Any, num: int, name: str | None = None, axis: int = 0) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive (``tf.linspace``)."""
    s = convert_raw(start)
    dtype = s.dtype if s.dtype.kind == "f" else np.float32
    return _wrap(np.linspace(s, convert_raw(stop), int(num), axis=axis).astype(dtype))


def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None,  # noqa: A001
          name: str = "range") -> Tensor:
    """``start, start+delta, …`` below ``limit`` (``tf.range``); int32 unless a float is given."""
    if limit is None:
        start, limit = 0, start
    vals = [convert_raw(v) for v in (start, limit, delta)]
    if dtype is None:
        dtype = np.float32 if any(v.dtype.kind == "f" for v in vals) else np.int32
        dtype = next((v.dtype for v in vals if v.dtype == np.float64), dtype)
    if float(vals[2]) == 0:
        raise ValueError("range: delta must not be 0.")
    return _wrap(np.arange(vals[0], vals[1], vals[2]).astype(_dt.np_dtype(dtype)))
