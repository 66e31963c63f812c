"""Shape and indexing ops: reshape, transpose, slicing, stacking, broadcasting, creation.

VJPs here take cotangents with leading batch dimensions (``nb = g.ndim - ans.ndim``) so that
``jacobian`` can push a whole batch of cotangents through in one pass.
"""

from __future__ import annotations

import builtins
import string
from typing import Any

from .._backend import xp as np
from .. import dtypes as _dt
from ..primitive import primitive, unbroadcast
from ..tensor import IndexedSlices, Tensor, _Base, _new, convert_raw, shape_of

# this module defines tf.range and tf.slice: keep Python's under other names
_range = builtins.range
_slice = builtins.slice

__all__ = [
    "reshape", "transpose", "getitem", "broadcast_to", "stack", "concat", "where", "expand_dims",
    "zeros", "ones", "zeros_like", "ones_like", "fill", "eye", "linspace", "range",
    "unsorted_segment_sum_dense", "matrix_transpose", "squeeze", "unstack", "split", "slice",
    "reverse", "gather", "gather_nd", "boolean_mask", "tensor_scatter_nd_update", "tile", "pad",
    "shape", "size", "rank", "one_hot", "meshgrid", "sort", "argsort", "einsum", "tensordot",
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


# -- reshape / transpose ---------------------------------------------------------------------------
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
    return (_transpose(g, perm=tuple(_range(nb)) + tuple(nb + p for p in _inverse_perm(perm))),)


_transpose.defvjp(_transpose_vjp)
_transpose.defjvp(lambda t, ans, x, *, perm: _transpose(t[0], perm=perm))


def transpose(a: Any, perm: Any = None, conjugate: bool = False, name: str | None = None) -> Tensor:
    """Permute dimensions; by default reverse them (``tf.transpose``).

    >>> import tapegrad as tf
    >>> tf.transpose(tf.zeros((2, 3))).shape
    TensorShape([3, 2])
    """
    nd = len(shape_of(a))
    perm = tuple(reversed(_range(nd))) if perm is None else _static_ints(perm, "perm", "transpose")
    if sorted(p % nd if nd else p for p in perm) != list(_range(nd)) or len(perm) != nd:
        raise ValueError(f"transpose: perm {list(perm)} is not a permutation of the "
                         f"{nd} dimensions of a tensor of shape {list(shape_of(a))}.")
    return _transpose(a, perm=tuple(p % nd for p in perm))


@primitive
def matrix_transpose(x):
    """Swap the last two dimensions (``tf.linalg.matrix_transpose``).

    >>> import tapegrad as tf
    >>> tf.linalg.matrix_transpose(tf.zeros((5, 2, 3))).shape
    TensorShape([5, 3, 2])
    """
    return np.swapaxes(x, -1, -2)


matrix_transpose.defvjp(lambda g, ans, x: (matrix_transpose(g),))
matrix_transpose.defjvp(lambda t, ans, x: matrix_transpose(t[0]))


# -- indexing --------------------------------------------------------------------------------------
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
    return all(isinstance(i, (int, _slice, type(None), type(Ellipsis))) or
               (isinstance(i, np.integer)) for i in index)


@primitive(name="getitem")
def _getitem(x, *, index, nb=0):
    return x[(_slice(None),) * nb + index]


def _getitem_vjp(g, ans, x, *, index, nb=0):
    return (_getitem_grad(g, index=index, shape=shape_of(x)[nb:], nb=nb + _nb(g, ans)),)


_getitem.defvjp(_getitem_vjp)
_getitem.defjvp(lambda t, ans, x, *, index, nb=0: _getitem(t[0], index=index, nb=nb))


@primitive(name="getitem_grad")
def _getitem_grad(g, *, index, shape, nb):
    """Scatter-add ``g`` into zeros of the indexed tensor's shape: the transpose of getitem."""
    out = np.zeros(tuple(g.shape[:nb]) + tuple(shape), dtype=g.dtype)
    full = (_slice(None),) * nb + index
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


# -- broadcasting, stacking ------------------------------------------------------------------------
@primitive(name="broadcast_to")
def _broadcast_to(x, *, shape):
    return np.broadcast_to(x, shape)


_broadcast_to.defvjp(lambda g, ans, x, *, shape: (unbroadcast(g, x, ans),))
_broadcast_to.defjvp(lambda t, ans, x, *, shape: _broadcast_to(t[0], shape=shape))


def broadcast_to(input: Any, shape: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Broadcast to ``shape`` (``tf.broadcast_to``); the gradient sums back.

    >>> import tapegrad as tf
    >>> tf.broadcast_to([1, 2], [2, 2]).numpy().tolist()
    [[1, 2], [1, 2]]
    """
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
    return _unstack(g, axis=_nb(g, ans) + axis)


_stack.defvjp(_stack_vjp)
_stack.defjvp(lambda t, ans, *xs, axis: _stack(*[ti if ti is not None else zeros_like(x)
                                                 for ti, x in zip(t, xs, strict=True)], axis=axis))


def stack(values: list, axis: int = 0, name: str | None = None) -> Tensor:
    """Stack same-shaped tensors along a new axis (``tf.stack``).

    >>> import tapegrad as tf
    >>> tf.stack([[1, 2], [3, 4]], axis=1).numpy().tolist()
    [[1, 3], [2, 4]]
    """
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
    return _split(g, axis=_nb(g, ans) + axis, sizes=tuple(shape_of(x)[axis] for x in xs))


_concat.defvjp(_concat_vjp)
_concat.defjvp(lambda t, ans, *xs, axis: _concat(
    *[ti if ti is not None else zeros_like(x) for ti, x in zip(t, xs, strict=True)], axis=axis))


@primitive(name="unstack")
def _unstack(x, *, axis):
    return tuple(np.moveaxis(x, axis, 0))


# the transpose of unstacking is stacking (an unused piece's cotangent arrives as zeros)
_unstack.defvjp(lambda g, ans, x, *, axis: (_stack(*g, axis=_nb(g[0], ans[0]) + axis),))
_unstack.defjvp(lambda t, ans, x, *, axis: _unstack(t[0], axis=axis))


@primitive(name="split")
def _split(x, *, axis, sizes):
    return tuple(np.split(x, np.cumsum(sizes[:-1]), axis=axis))


_split.defvjp(lambda g, ans, x, *, axis, sizes: (_concat(*g, axis=_nb(g[0], ans[0]) + axis),))
_split.defjvp(lambda t, ans, x, *, axis, sizes: _split(t[0], axis=axis, sizes=sizes))


def concat(values: list, axis: int, name: str | None = None) -> Tensor:
    """Join tensors along an existing axis (``tf.concat``).

    >>> import tapegrad as tf
    >>> tf.concat([[[1, 2]], [[3, 4]]], axis=0).numpy().tolist()
    [[1, 2], [3, 4]]
    """
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
    the indices of its True elements as an int64 ``[n, rank]`` tensor.

    >>> import tapegrad as tf
    >>> tf.where([True, False], [1.0, 2.0], [3.0, 4.0]).numpy()
    array([1., 4.], dtype=float32)
    >>> tf.where([[True, False], [False, True]]).numpy().tolist()
    [[0, 0], [1, 1]]
    """
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
    """Insert a length-1 dimension at ``axis`` (``tf.expand_dims``).

    >>> import tapegrad as tf
    >>> tf.expand_dims(tf.zeros((2, 3)), -1).shape
    TensorShape([2, 3, 1])
    """
    rank = len(shape_of(input))
    return _expand_dims(input, axis=_norm_axis(int(axis), rank + 1, "expand_dims"))


@primitive
def unsorted_segment_sum_dense(values, indices, *, shape=None):
    """Rows of ``values`` summed into zeros of ``shape`` at ``indices`` (densifies
    IndexedSlices)."""
    out = np.zeros(shape, dtype=values.dtype)
    np.add.at(out, indices, values)
    return out


# the transpose of a row scatter-add is a row gather (index integer ``indices`` gets no gradient)
unsorted_segment_sum_dense.defvjps(
    lambda g, ans, values, indices, *, shape=None: _getitem(
        g, index=(np.asarray(indices._value if isinstance(indices, _Base) else indices),),
        nb=_nb(g, ans)),
    None)
unsorted_segment_sum_dense.defjvp(lambda t, ans, values, indices, *, shape=None:
                                  unsorted_segment_sum_dense(t[0], indices, shape=shape))


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
    v = convert_raw(value)
    return _wrap(np.full(_shape_arg(dims, "fill"), v, dtype=v.dtype))


def eye(num_rows: int, num_columns: int | None = None, batch_shape: Any = None,
        dtype: Any = _dt.float32, name: str | None = None) -> Tensor:
    """Identity matrix (or a batch of them) (``tf.eye``).

    >>> import tapegrad as tf
    >>> tf.eye(2, batch_shape=[3]).shape
    TensorShape([3, 2, 2])
    """
    m = np.eye(int(num_rows), None if num_columns is None else int(num_columns),
               dtype=_dt.np_dtype(dtype))
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
    dtype = s.dtype if s.dtype.kind == "f" else np.float32
    return _wrap(np.linspace(s, convert_raw(stop), int(num), axis=axis).astype(dtype))


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
    if dtype is None:
        dtype = np.float32 if any(v.dtype.kind == "f" for v in vals) else np.int32
        dtype = next((v.dtype for v in vals if v.dtype == np.float64), dtype)
    if float(vals[2]) == 0:
        raise ValueError("range: delta must not be 0.")
    return _wrap(np.arange(vals[0], vals[1], vals[2]).astype(_dt.np_dtype(dtype)))


# -- squeeze, unstack, split, slice, reverse -------------------------------------------------------
def _tensor_arg(x) -> Any:
    """Tensors and Variables pass through (so tapes see them); other values become NumPy."""
    return x if isinstance(x, _Base) else convert_raw(x)


def _tensor_args(*values: Any) -> list:
    """Operands sharing a dtype, as TF's ops infer it: Python values take the dtype of the first
    tensor (or NumPy array) among them."""
    ref = next((v._value.dtype if isinstance(v, _Base) else v.dtype for v in values
                if isinstance(v, (_Base, np.ndarray))), None)
    return [v if isinstance(v, (_Base, np.ndarray)) else convert_raw(v, ref) for v in values]


def _index_value(indices: Any, op: str):
    """Integer indices as a NumPy array (rejecting float/bool indices with the op's name)."""
    v = indices._value if isinstance(indices, _Base) else convert_raw(indices)
    v = np.asarray(v)
    if v.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be int32 or int64, got "
                        f"{_dt.from_numpy(v.dtype).name}{list(v.shape)}.")
    return v


def _check_range(idx, n: int, op: str, what: str, shape: tuple) -> None:
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        from ..errors import InvalidArgumentError
        bad = idx[(idx < 0) | (idx >= n)].flat[0]
        raise InvalidArgumentError(f"{op}: {what} {int(bad)} is not in [0, {n}) (params shape "
                                   f"{list(shape)}).")


def squeeze(input: Any, axis: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """Drop size-1 dimensions (all of them, or those in ``axis``) (``tf.squeeze``).

    >>> import tapegrad as tf
    >>> tf.squeeze(tf.zeros((1, 2, 1))).shape, tf.squeeze(tf.zeros((1, 2, 1)), [2]).shape
    (TensorShape([2]), TensorShape([1, 2]))
    """
    shape = shape_of(input)
    if axis is None:
        axes = {i for i, d in enumerate(shape) if d == 1}
    else:
        axes = {_norm_axis(a, len(shape), "squeeze") for a in _static_ints(axis, "axis", "squeeze")}
        for a in sorted(axes):
            if shape[a] != 1:
                raise ValueError(f"squeeze: cannot squeeze dimension {a} of size {shape[a]} "
                                 f"(input shape {list(shape)}); only size-1 dimensions.")
    return _reshape(input, shape=tuple(d for i, d in enumerate(shape) if i not in axes))


def unstack(value: Any, num: int | None = None, axis: int = 0, name: str | None = None) -> list:
    """Split along ``axis`` into a list of tensors of one rank less (``tf.unstack``).

    >>> import tapegrad as tf
    >>> [t.numpy().tolist() for t in tf.unstack(tf.constant([[1, 2], [3, 4]]), axis=1)]
    [[1, 3], [2, 4]]
    """
    shape = shape_of(value)
    if not shape:
        raise ValueError("unstack: input must have rank >= 1, got a scalar.")
    ax = _norm_axis(axis, len(shape), "unstack")
    if num is not None and num != shape[ax]:
        raise ValueError(f"unstack: num={num} but dimension {ax} of shape {list(shape)} is "
                         f"{shape[ax]}.")
    return list(_unstack(_tensor_arg(value), axis=ax))


def split(value: Any, num_or_size_splits: Any, axis: int = 0, num: int | None = None,
          name: str | None = None) -> list:
    """Split along ``axis`` into ``n`` equal pieces or pieces of the given sizes (one may be
    -1) (``tf.split``).

    >>> import tapegrad as tf
    >>> [t.shape[1] for t in tf.split(tf.zeros((2, 6)), [1, -1, 2], axis=1)]
    [1, 3, 2]
    """
    shape = shape_of(value)
    ax = _norm_axis(int(axis), len(shape), "split")
    n = shape[ax]
    if isinstance(num_or_size_splits, (int, np.integer)) or (
            isinstance(num_or_size_splits, _Base) and num_or_size_splits.ndim == 0):
        k = int(num_or_size_splits)
        if k <= 0 or n % k:
            raise ValueError(f"split: dimension {ax} of shape {list(shape)} (size {n}) is not "
                             f"divisible into {k} equal pieces.")
        sizes = [n // k] * k
    else:
        sizes = list(_static_ints(num_or_size_splits, "size_splits", "split"))
        if sizes.count(-1) > 1 or any(s < -1 for s in sizes):
            raise ValueError(f"split: size_splits {sizes} may hold at most one -1 and no other "
                             f"negative size.")
        if -1 in sizes:
            sizes[sizes.index(-1)] = n - (sum(sizes) + 1)
        if sum(sizes) != n or any(s < 0 for s in sizes):
            given = list(_static_ints(num_or_size_splits, "size_splits", "split"))
            raise ValueError(f"split: size_splits {given} do not add up to dimension {ax} "
                             f"(size {n}) of shape "
                             f"{list(shape)}.")
    return list(_split(_tensor_arg(value), axis=ax, sizes=tuple(sizes)))


def slice(input_: Any, begin: Any, size: Any, name: str | None = None) -> Tensor:  # noqa: A001
    """The block starting at ``begin`` with extent ``size`` (-1: to the end) (``tf.slice``).

    >>> import tapegrad as tf
    >>> tf.slice(tf.reshape(tf.range(12), [3, 4]), [1, 1], [2, -1]).numpy()
    array([[ 5,  6,  7],
           [ 9, 10, 11]], dtype=int32)
    """
    shape = shape_of(input_)
    begin = _static_ints(begin, "begin", "slice")
    size = _static_ints(size, "size", "slice")
    if len(begin) != len(shape) or len(size) != len(shape):
        raise ValueError(f"slice: begin {list(begin)} and size {list(size)} must each have one "
                         f"entry per dimension of the input shape {list(shape)}.")
    index = []
    for b, s, d in zip(begin, size, shape, strict=True):
        end = d if s == -1 else b + s
        if b < 0 or s < -1 or end > d:
            raise ValueError(f"slice: begin {list(begin)} with size {list(size)} reaches outside "
                             f"the input shape {list(shape)}.")
        index.append(_slice(b, end))
    return _getitem(_tensor_arg(input_), index=tuple(index))


def reverse(tensor: Any, axis: Any, name: str | None = None) -> Tensor:
    """Reverse the order of elements along each axis in ``axis`` (``tf.reverse``).

    >>> import tapegrad as tf
    >>> tf.reverse([[1, 2], [3, 4]], [1]).numpy().tolist()
    [[2, 1], [4, 3]]
    """
    x = _tensor_arg(tensor)
    rank = len(shape_of(x))
    axes = {_norm_axis(a, rank, "reverse") for a in _static_ints(axis, "axis", "reverse")}
    return _getitem(x, index=tuple(_slice(None, None, -1) if i in axes
                                   else _slice(None) for i in _range(rank)))


# -- gather family ---------------------------------------------------------------------------------
@primitive(name="gather")
def _gather(x, *, indices, axis):
    return np.take(x, indices, axis=axis)


def _gather_vjp(g, ans, x, *, indices, axis):
    nb = _nb(g, ans)
    xshape = shape_of(x)
    if axis == 0 and nb == 0:
        # TF's sparse gradient: only the looked-up rows, as IndexedSlices (densified on demand)
        values = _reshape(g, shape=(indices.size,) + tuple(xshape[1:]))
        return (IndexedSlices(values, _wrap(indices.reshape(-1)), xshape),)
    return (_getitem_grad(g, index=(_slice(None),) * axis + (indices,), shape=xshape,
                          nb=nb),)


_gather.defvjp(_gather_vjp)
_gather.defjvp(lambda t, ans, x, *, indices, axis: _gather(t[0], indices=indices, axis=axis))


def _batch_index(bshape: tuple, idx_ndim: int) -> tuple:
    """Open-grid ``arange`` indices for leading batch dims, broadcasting against an index
    array of rank ``idx_ndim``."""
    return tuple(np.arange(n).reshape((1,) * b + (n,) + (1,) * (idx_ndim - b - 1))
                 for b, n in enumerate(bshape))


def gather(params: Any, indices: Any, validate_indices: Any = None, axis: Any = None,
           batch_dims: int = 0, name: str | None = None) -> Tensor:
    """Slices of ``params`` along ``axis`` at ``indices`` (``tf.gather``).

    Output shape: ``params.shape[:axis] + indices.shape[batch_dims:] + params.shape[axis+1:]``.
    With ``axis=0`` and ``batch_dims=0`` the gradient is an :class:`IndexedSlices` holding only
    the gathered rows (as TF's), so a lookup in a large table never builds a dense gradient;
    other axes give a dense gradient, as TF's do. Out-of-range indices raise
    InvalidArgumentError (TF's CPU kernel does too).

    >>> import tapegrad as tf
    >>> v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> with tf.GradientTape() as tape:
    ...     y = tf.reduce_sum(tf.gather(v, [2, 0, 2]))
    >>> g = tape.gradient(y, v)
    >>> type(g).__name__, g.indices.numpy().tolist(), tf.convert_to_tensor(g).numpy()[:, 0]
    ('IndexedSlices', [2, 0, 2], array([1., 0., 2.], dtype=float32))
    """
    x = _tensor_arg(params)
    shape = shape_of(x)
    idx = _index_value(indices, "gather")
    bd = int(batch_dims)
    if bd < 0:
        bd += idx.ndim
    if not shape:
        raise ValueError("gather: params must have rank >= 1, got a scalar.")
    ax = bd if axis is None else int(axis._value if isinstance(axis, _Base) else axis)
    ax = _norm_axis(ax, len(shape), "gather")
    if not 0 <= bd <= min(idx.ndim, ax):
        raise ValueError(f"gather: batch_dims={batch_dims} must be in [0, min(indices rank "
                         f"{idx.ndim}, axis {ax})].")
    if tuple(idx.shape[:bd]) != tuple(shape[:bd]):
        raise ValueError(f"gather: the first {bd} (batch) dimensions of params {list(shape)} "
                         f"and indices {list(idx.shape)} must match.")
    _check_range(idx, shape[ax], "gather", "index", shape)
    if bd == 0:
        return _gather(x, indices=idx, axis=ax)
    # batch_dims: bring axis next to the batch dims, index with an open grid, move dims back
    perm = tuple(_range(bd)) + (ax,) + tuple(i for i in _range(bd, len(shape))
                                                     if i != ax)
    xt = _transpose(x, perm=perm) if perm != tuple(_range(len(shape))) else x
    out = _getitem(xt, index=_batch_index(shape[:bd], idx.ndim) + (idx,))
    k = idx.ndim - bd  # index dims; then params dims bd..ax-1, then the rest
    mid = ax - bd
    if mid:
        order = (tuple(_range(bd)) + tuple(_range(bd + k, bd + k + mid))
                 + tuple(_range(bd, bd + k))
                 + tuple(_range(bd + k + mid, len(shape_of(out)))))
        out = _transpose(out, perm=order)
    return out


def gather_nd(params: Any, indices: Any, batch_dims: int = 0, name: str | None = None) -> Tensor:
    """Slices of ``params`` at the index tuples in the last dimension of ``indices``
    (``tf.gather_nd``); the gradient is dense.

    >>> import tapegrad as tf
    >>> tf.gather_nd([[1, 2], [3, 4]], [[1, 0], [0, 1]]).numpy().tolist()
    [3, 2]
    """
    x = _tensor_arg(params)
    shape = shape_of(x)
    idx = _index_value(indices, "gather_nd")
    bd = int(batch_dims)
    if idx.ndim < 1 or idx.shape[-1] + bd > len(shape) or bd > idx.ndim - 1:
        raise ValueError(f"gather_nd: index depth {idx.shape[-1] if idx.ndim else None} with "
                         f"batch_dims={bd} does not fit params shape {list(shape)} (indices "
                         f"shape {list(idx.shape)}).")
    if tuple(idx.shape[:bd]) != tuple(shape[:bd]):
        raise ValueError(f"gather_nd: batch dimensions of params {list(shape)} and indices "
                         f"{list(idx.shape)} differ.")
    depth = idx.shape[-1]
    for k in _range(depth):
        _check_range(idx[..., k], shape[bd + k], "gather_nd", "index", shape)
    index = _batch_index(shape[:bd], idx.ndim - 1) + tuple(idx[..., k]
                                                           for k in _range(depth))
    return _getitem(x, index=index)


def boolean_mask(tensor: Any, mask: Any, axis: Any = None, name: str | None = None) -> Tensor:
    """The entries of ``tensor`` where the k-dimensional ``mask`` (matching dims
    ``axis..axis+k``) is True, flattened into one dimension (``tf.boolean_mask``).

    The gradient is dense (zeros where the mask is False), as TF's.

    >>> import tapegrad as tf
    >>> tf.boolean_mask([[1, 2], [3, 4], [5, 6]], [True, False, True]).numpy().tolist()
    [[1, 2], [5, 6]]
    """
    x = _tensor_arg(tensor)
    shape = shape_of(x)
    m = np.asarray(mask._value if isinstance(mask, _Base) else convert_raw(mask))
    if m.dtype != np.bool_:
        raise TypeError(f"boolean_mask: mask must be bool, got {_dt.from_numpy(m.dtype).name}.")
    ax = 0 if axis is None else int(axis)
    ax = ax % len(shape) if shape and ax < 0 else ax
    k = m.ndim
    if k == 0 or tuple(shape[ax:ax + k]) != m.shape:
        raise ValueError(f"boolean_mask: mask shape {list(m.shape)} must match dimensions "
                         f"{ax}..{ax + k - 1} of the tensor shape {list(shape)}.")
    return _getitem(x, index=(_slice(None),) * ax + np.nonzero(m))


def tensor_scatter_nd_update(tensor: Any, indices: Any, updates: Any,
                             name: str | None = None) -> Tensor:
    """A copy of ``tensor`` with the slices at ``indices`` replaced by ``updates``
    (``tf.tensor_scatter_nd_update``).

    A repeated index takes its last update (as TF's CPU kernel); the gradient flows to
    ``tensor`` outside the updated slices and to the updates that were written.

    >>> import tapegrad as tf
    >>> tf.tensor_scatter_nd_update([1.0, 2.0, 3.0], [[2], [0]], [9.0, 7.0]).numpy()
    array([7., 2., 9.], dtype=float32)
    """
    x, u = _tensor_args(tensor, updates)
    shape = shape_of(x)
    idx = _index_value(indices, "tensor_scatter_nd_update")
    depth = idx.shape[-1] if idx.ndim else 0
    want = tuple(idx.shape[:-1]) + tuple(shape[depth:])
    if idx.ndim < 1 or depth > len(shape) or tuple(shape_of(u)) != want:
        raise ValueError(f"tensor_scatter_nd_update: updates shape {list(shape_of(u))} must be "
                         f"indices.shape[:-1] + tensor.shape[{depth}:] = {list(want)} (tensor "
                         f"{list(shape)}, indices {list(idx.shape)}).")
    xv, uv = (x._value if isinstance(x, _Base) else x), (u._value if isinstance(u, _Base) else u)
    if xv.dtype != uv.dtype:
        raise TypeError(f"tensor_scatter_nd_update: tensor is {_dt.from_numpy(xv.dtype).name} "
                        f"but updates are {_dt.from_numpy(uv.dtype).name}.")
    for k in _range(depth):
        _check_range(idx[..., k], shape[k], "tensor_scatter_nd_update", "index", shape)
    flat = idx.reshape(-1, depth)
    # keep the last update of each repeated index
    lin = np.ravel_multi_index(tuple(flat.T), shape[:depth]) if depth else np.zeros(len(flat),
                                                                                    np.int64)
    _, first_of_rev = np.unique(lin[::-1], return_index=True)
    keep = np.sort(len(lin) - 1 - first_of_rev)
    u_rows = _reshape(u, shape=(len(flat),) + tuple(shape[depth:]))
    if len(keep) != len(flat):
        u_rows = _getitem(u_rows, index=(keep,))
    index = tuple(flat[keep, k] for k in _range(depth))
    scattered = _getitem_grad(u_rows, index=index, shape=tuple(shape), nb=0)
    mask = np.zeros(shape, dtype=bool)
    mask[index] = True
    return _where(mask, scattered, x)


# -- tile, pad -------------------------------------------------------------------------------------
@primitive(name="tile")
def _tile(x, *, multiples):
    return np.tile(x, multiples)


def _tile_vjp(g, ans, x, *, multiples):
    # view each tiled axis as (copies, size) and sum the copies
    from .reduce import _reduce_sum
    nb = _nb(g, ans)
    lead = tuple(g.shape[:nb])
    split = lead + tuple(d for m, s in zip(multiples, shape_of(x), strict=True) for d in (m, s))
    axes = tuple(nb + 2 * i for i in _range(len(multiples)))
    return (_reduce_sum(_reshape(g, shape=split), axes=axes, keepdims=False),)


_tile.defvjp(_tile_vjp)
_tile.defjvp(lambda t, ans, x, *, multiples: _tile(t[0], multiples=multiples))


def tile(input: Any, multiples: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Repeat the whole tensor ``multiples[i]`` times along dimension i (``tf.tile``).

    >>> import tapegrad as tf
    >>> tf.tile([[1, 2]], [2, 2]).numpy().tolist()
    [[1, 2, 1, 2], [1, 2, 1, 2]]
    """
    x = _tensor_arg(input)
    shape = shape_of(x)
    mult = _static_ints(multiples, "multiples", "tile")
    if len(mult) != len(shape) or any(m < 0 for m in mult):
        raise ValueError(f"tile: multiples {list(mult)} must hold one non-negative entry per "
                         f"dimension of the input shape {list(shape)}.")
    return _tile(x, multiples=mult)


@primitive(name="pad")
def _pad(x, *, paddings, constant_values):
    return np.pad(x, paddings, constant_values=constant_values)


def _pad_vjp(g, ans, x, *, paddings, constant_values):
    index = tuple(_slice(lo, lo + d) for (lo, _), d in zip(paddings, shape_of(x), strict=True))
    return (_getitem(g, index=index, nb=_nb(g, ans)),)


_pad.defvjp(_pad_vjp)
_pad.defjvp(lambda t, ans, x, *, paddings, constant_values:
            _pad(t[0], paddings=paddings, constant_values=0))


def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", constant_values: Any = 0,
        name: str | None = None) -> Tensor:
    """Pad each dimension by ``paddings[i] = [before, after]`` (``tf.pad``).

    ``mode``: ``'CONSTANT'`` (with ``constant_values``), ``'REFLECT'`` (mirror without the
    edge; padding < size) or ``'SYMMETRIC'`` (mirror with the edge; padding <= size).

    >>> import tapegrad as tf
    >>> tf.pad([[1, 2, 3]], [[0, 0], [2, 1]], "REFLECT").numpy().tolist()
    [[3, 2, 1, 2, 3, 2]]
    """
    x = _tensor_arg(tensor)
    shape = shape_of(x)
    p = np.asarray(paddings._value if isinstance(paddings, _Base) else paddings)
    if p.shape != (len(shape), 2) or p.dtype.kind not in "iu" or (p < 0).any():
        raise ValueError(f"pad: paddings must be a non-negative integer [rank, 2] = "
                         f"[{len(shape)}, 2] array for input shape {list(shape)}, got "
                         f"{p.tolist()}.")
    pads = tuple((int(a), int(b)) for a, b in p)
    mode = str(mode).upper()
    if mode == "CONSTANT":
        return _pad(x, paddings=pads, constant_values=convert_raw(constant_values).item())
    if mode not in ("REFLECT", "SYMMETRIC"):
        raise ValueError(f"pad: mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC', got {mode!r}.")
    edge = 0 if mode == "SYMMETRIC" else 1
    out = x
    for ax, ((lo, hi), d) in enumerate(zip(pads, shape, strict=True)):
        if not lo and not hi:
            continue
        if max(lo, hi) > d - edge:
            raise ValueError(f"pad: {mode} padding {[lo, hi]} of dimension {ax} must be "
                             f"{'<' if edge else '<='} its size {d} (input shape {list(shape)}).")
        # each padded position reads a mirrored source position: a gather along this axis
        src = np.pad(np.arange(d), (lo, hi), mode=mode.lower())
        out = _getitem(out, index=(_slice(None),) * ax + (src,))
    if out is x:
        from .math import identity
        out = identity(x)
    return out


# -- shape queries, one_hot, meshgrid, sort --------------------------------------------------------
def shape(input: Any, out_type: Any = _dt.int32, name: str | None = None) -> Tensor:  # noqa: A002
    """The shape as a 1-D integer tensor (``tf.shape``).

    >>> import tapegrad as tf
    >>> tf.shape(tf.zeros((2, 3))).numpy()
    array([2, 3], dtype=int32)
    """
    return _wrap(np.asarray(shape_of(input), dtype=_dt.np_dtype(out_type)))


def size(input: Any, out_type: Any = _dt.int32, name: str | None = None) -> Tensor:  # noqa: A002
    """The number of elements as a 0-d integer tensor (``tf.size``).

    >>> import tapegrad as tf
    >>> int(tf.size(tf.zeros((2, 3))))
    6
    """
    n = 1
    for d in shape_of(input):
        n *= d
    return _wrap(_dt.np_dtype(out_type).type(n))


def rank(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The number of dimensions as a 0-d int32 tensor (``tf.rank``).

    >>> import tapegrad as tf
    >>> int(tf.rank(tf.zeros((2, 3))))
    2
    """
    return _wrap(np.int32(len(shape_of(input))))


def one_hot(indices: Any, depth: int, on_value: Any = None, off_value: Any = None,
            axis: int | None = None, dtype: Any = None, name: str | None = None) -> Tensor:
    """One-hot encode integer ``indices`` along a new axis of size ``depth`` (``tf.one_hot``);
    indices outside ``[0, depth)`` give a row of ``off_value``. Not differentiable (its input
    is an integer tensor), as TF's.

    >>> import tapegrad as tf
    >>> tf.one_hot([0, 2, -1], 3).numpy()
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 0., 0.]], dtype=float32)
    """
    idx = _index_value(indices, "one_hot")
    depth = int(depth)
    if dtype is None:
        ref = on_value if on_value is not None else off_value
        dt = convert_raw(ref).dtype if ref is not None else np.dtype(np.float32)
    else:
        dt = _dt.np_dtype(dtype)
    on = np.asarray(1 if on_value is None else convert_raw(on_value), dtype=dt)
    off = np.asarray(0 if off_value is None else convert_raw(off_value), dtype=dt)
    hot = idx[..., None] == np.arange(depth)
    out = np.where(hot, on, off).astype(dt)
    if axis is not None and axis != -1:
        out = np.moveaxis(out, -1, _norm_axis(int(axis), idx.ndim + 1, "one_hot"))
    return _wrap(out)


def meshgrid(*args: Any, indexing: str = "xy", name: str | None = None) -> list:
    """Coordinate grids from 1-D tensors (``tf.meshgrid``); ``indexing='xy'`` (Cartesian,
    the default) or ``'ij'`` (matrix). Differentiable (a reshape and a broadcast).

    >>> import tapegrad as tf
    >>> x, y = tf.meshgrid([1, 2, 3], [4, 5])
    >>> x.numpy().tolist(), y.numpy().tolist()
    ([[1, 2, 3], [1, 2, 3]], [[4, 4, 4], [5, 5, 5]])
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}.")
    xs = [_tensor_arg(a) for a in args]
    sizes = [int(np.prod(shape_of(x))) for x in xs]
    n = len(xs)
    if indexing == "xy" and n >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for i, x in enumerate(xs):
        pos = i if indexing == "ij" or n < 2 else {0: 1, 1: 0}.get(i, i)
        shape = tuple(sizes[pos] if j == pos else 1 for j in _range(n))
        out.append(_broadcast_to(_reshape(x, shape=shape), shape=tuple(sizes)))
    return out


def _sort_order(x, axis: int, direction: str, op: str):
    direction = str(direction).upper()
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"{op}: direction must be 'ASCENDING' or 'DESCENDING', got "
                         f"{direction!r}.")
    v = x._value if isinstance(x, _Base) else x
    if v.ndim == 0:
        raise ValueError(f"{op}: input must have rank >= 1, got a scalar.")
    ax = _norm_axis(int(axis), v.ndim, op)
    key = v if direction == "ASCENDING" else -v.astype(np.float64) if v.dtype.kind == "u" else -v
    return np.argsort(key, axis=ax, kind="stable"), ax  # ties keep index order, as TF's


def sort(values: Any, axis: int = -1, direction: str = "ASCENDING",
         name: str | None = None) -> Tensor:
    """Sorted along ``axis`` (``tf.sort``); the gradient flows back to each value's original
    position.

    >>> import tapegrad as tf
    >>> tf.sort([3.0, 1.0, 2.0], direction="DESCENDING").numpy()
    array([3., 2., 1.], dtype=float32)
    """
    x = _tensor_arg(values)
    order, ax = _sort_order(x, axis, direction, "sort")
    grid = list(np.ix_(*[np.arange(d) for d in order.shape]))
    grid[ax] = order
    return _getitem(x, index=tuple(grid))


def argsort(values: Any, axis: int = -1, direction: str = "ASCENDING", stable: bool = False,
            name: str | None = None) -> Tensor:
    """Indices (int32) that sort ``values`` along ``axis`` (``tf.argsort``); ties keep their
    index order (always stable).

    >>> import tapegrad as tf
    >>> tf.argsort([3.0, 1.0, 3.0], direction="DESCENDING").numpy()
    array([0, 2, 1], dtype=int32)
    """
    order, _ = _sort_order(_tensor_arg(values), axis, direction, "argsort")
    return _wrap(order.astype(np.int32))


# -- einsum, tensordot -----------------------------------------------------------------------------
@primitive(name="einsum")
def _einsum(*xs, subscripts):
    *ins, out = subscripts
    eq = ",".join(ins) + "->" + out
    big = len(xs) > 2 or any(np.size(x) > 64 for x in xs)
    return np.einsum(eq, *xs, optimize=big)


def _einsum_operand_vjp(i: int):
    """The cotangent of operand i: contract g with the other operands onto i's subscripts."""
    def vjp(g, ans, *xs, subscripts):
        *ins, out = subscripts
        nb = _nb(g, ans)
        free = [c for c in string.ascii_letters if c not in "".join(subscripts)]
        batch = "".join(free[:nb])
        free = free[nb:]
        # a letter repeated in operand i (a diagonal) gets a fresh name tied by an identity
        seen, target, deltas = set(), [], []
        xshape = shape_of(xs[i])
        for pos, c in enumerate(ins[i]):
            if c in seen:
                fresh = free.pop(0)
                target.append(fresh)
                deltas.append((c + fresh, np.eye(xshape[pos], dtype=g._value.dtype)))
            else:
                seen.add(c)
                target.append(c)
        others = [j for j in _range(len(xs)) if j != i]
        have = set(out).union(*[ins[j] for j in others], *[d for d, _ in deltas])
        kept = "".join(c for c in target if c in have)  # letters summed only inside operand i
        subs = (batch + out,) + tuple(ins[j] for j in others) + tuple(d for d, _ in deltas)
        dx = _einsum(g, *[xs[j] for j in others], *[e for _, e in deltas],
                     subscripts=subs + (batch + kept,))
        if len(kept) != len(target):  # broadcast over those letters (their derivative is 1)
            lead = tuple(g.shape[:nb])
            dx = _reshape(dx, shape=lead + tuple(d if c in have else 1
                                                 for c, d in zip(target, xshape, strict=True)))
            dx = _broadcast_to(dx, shape=lead + tuple(xshape))
        return dx
    return vjp


def _einsum_jvp(t, ans, *xs, subscripts):
    from .math import tangent_add
    total = None
    for i, ti in enumerate(t):
        if ti is not None:
            term = _einsum(*xs[:i], ti, *xs[i + 1:], subscripts=subscripts)
            total = tangent_add(total, term)
    return total


def _einsum_with_vjps(n: int):
    """Register one VJP per operand for an ``n``-operand contraction (first use of that n)."""
    if _einsum.vjps is None or len(_einsum.vjps) < n:
        _einsum.defvjps(*[_einsum_operand_vjp(i) for i in _range(max(n, 8))])


_einsum.defvjps(*[_einsum_operand_vjp(i) for i in _range(8)])
_einsum.defjvp(_einsum_jvp)


def _einsum_parse(equation: str, shapes: list) -> tuple:
    """Explicit subscripts (ellipses spelled out as letters) and the broadcast ellipsis shape."""
    eq = equation.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    ins = lhs.split(",")
    if len(ins) != len(shapes):
        raise ValueError(f"einsum: equation {equation!r} names {len(ins)} operands but "
                         f"{len(shapes)} were given.")
    letters = set(c for c in eq if c.isalpha())
    if any(not (c.isalpha() or c in ".,->") for c in eq):
        raise ValueError(f"einsum: invalid character in equation {equation!r}.")
    free = [c for c in string.ascii_letters if c not in letters]
    ell_ranks = []
    for sub, shp in zip(ins, shapes, strict=True):
        named = len(sub.replace("...", ""))
        if "..." in sub:
            ell_ranks.append(len(shp) - named)
        elif named != len(shp):
            raise ValueError(f"einsum: subscripts {sub!r} name {named} dimensions but the "
                             f"operand has shape {list(shp)} (equation {equation!r}).")
        else:
            ell_ranks.append(0)
        if ell_ranks[-1] < 0:
            raise ValueError(f"einsum: subscripts {sub!r} name more dimensions than the operand "
                             f"shape {list(shp)} has.")
    e = max(ell_ranks, default=0)
    ell = "".join(free[:e])
    ell_shapes = [shp[sub.index("..."):sub.index("...") + r] if "..." in sub else ()
                  for sub, shp, r in zip(ins, shapes, ell_ranks, strict=True)]
    try:
        ell_shape = np.broadcast_shapes(*ell_shapes)
    except ValueError:
        raise ValueError(f"einsum: the '...' dimensions of shapes {[list(s) for s in shapes]} "
                         f"do not broadcast.") from None
    ins = [sub.replace("...", ell[e - r:]) for sub, r in zip(ins, ell_ranks, strict=True)]
    if not arrow:
        counts = {c: "".join(ins).count(c) for c in letters}
        out = ell + "".join(sorted(c for c, k in counts.items() if k == 1))
    else:
        out = out.replace("...", ell)
        if "..." in out or any(c not in "".join(ins) for c in out) or len(set(out)) != len(out):
            raise ValueError(f"einsum: output subscripts of {equation!r} must be distinct "
                             f"letters that appear in the inputs.")
    return ins, out, ell, ell_shape


def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """Einstein summation (``tf.einsum``): ``'ij,jk->ik'``, ``'bij,bjk->bik'``, ``'ii->'``,
    ``'...ij,...j->...i'`` (ellipses broadcast) and the implicit form without ``->``.

    Differentiable in every operand to any order (each VJP is itself an einsum).

    >>> import tapegrad as tf
    >>> tf.einsum("ij,j->i", [[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]).numpy()
    array([3., 7.], dtype=float32)
    """
    if len(inputs) == 1 and isinstance(inputs[0], (list, tuple)):
        inputs = tuple(inputs[0])
    xs = [_tensor_arg(x) for x in inputs]
    shapes = [shape_of(x) for x in xs]
    ins, out, ell, ell_shape = _einsum_parse(equation, shapes)
    sizes: dict = {}
    for k, (sub, shp) in enumerate(zip(ins, shapes, strict=True)):
        if any(c in ell for c in sub) and len(sub) == len(shp):
            want = tuple(ell_shape[ell.index(c)] if c in ell else d
                         for c, d in zip(sub, shp, strict=True))
            if want != tuple(shp):  # broadcast '...' dims explicitly; the VJP sums them back
                xs[k] = _broadcast_to(xs[k], shape=want)
                shapes[k] = shp = want
        for c, d in zip(sub, shp, strict=True):
            if sizes.setdefault(c, d) != d:
                raise ValueError(f"einsum: dimension {c!r} has size {sizes[c]} in one operand "
                                 f"and {d} in another (equation {equation!r}, shapes "
                                 f"{[list(shape_of(x)) for x in inputs]}).")
    dts = {(x._value if isinstance(x, _Base) else x).dtype for x in xs}
    if len(dts) > 1:
        raise TypeError(f"einsum: operands have different dtypes "
                        f"{sorted(_dt.from_numpy(d).name for d in dts)}; cast them first.")
    _einsum_with_vjps(len(xs))
    return _einsum(*xs, subscripts=tuple(ins) + (out,))


def tensordot(a: Any, b: Any, axes: Any, name: str | None = None) -> Tensor:
    """Contract ``a``'s ``axes[0]`` with ``b``'s ``axes[1]`` (an int N: the last N of ``a``
    with the first N of ``b``) (``tf.tensordot``).

    >>> import tapegrad as tf
    >>> tf.tensordot([[1.0, 2.0], [3.0, 4.0]], [[1.0], [1.0]], axes=1).numpy()
    array([[3.],
           [7.]], dtype=float32)
    """
    sa, sb = shape_of(a), shape_of(b)
    if isinstance(axes, _Base):
        axes = axes._value.tolist()
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > min(len(sa), len(sb)):
            raise ValueError(f"tensordot: axes={n} must be in [0, {min(len(sa), len(sb))}] for "
                             f"shapes {list(sa)} and {list(sb)}.")
        ax_a, ax_b = list(_range(len(sa) - n, len(sa))), list(_range(n))
    else:
        ax_a, ax_b = ([a_] if isinstance(a_, int) else list(a_) for a_ in axes)
        if len(ax_a) != len(ax_b):
            raise ValueError(f"tensordot: axes {axes} pair {len(ax_a)} axes of a with "
                             f"{len(ax_b)} of b.")
        ax_a = [_norm_axis(int(i), len(sa), "tensordot") for i in ax_a]
        ax_b = [_norm_axis(int(i), len(sb), "tensordot") for i in ax_b]
    for i, j in zip(ax_a, ax_b, strict=True):
        if sa[i] != sb[j]:
            raise ValueError(f"tensordot: axis {i} of a (shape {list(sa)}) and axis {j} of b "
                             f"(shape {list(sb)}) differ in size.")
    letters = string.ascii_letters
    sub_a = list(letters[:len(sa)])
    sub_b = list(letters[len(sa):len(sa) + len(sb)])
    for i, j in zip(ax_a, ax_b, strict=True):
        sub_b[j] = sub_a[i]
    out = ([c for k, c in enumerate(sub_a) if k not in ax_a]
           + [c for k, c in enumerate(sub_b) if k not in ax_b])
    return einsum("".join(sub_a) + "," + "".join(sub_b) + "->" + "".join(out), a, b)
