"""Indexing ops: where, gather, gather_nd, boolean_mask, tensor_scatter_nd_update, one_hot,
sort and argsort.

VJPs here take cotangents with leading batch dimensions (``nb = g.ndim - ans.ndim``) so that
``jacobian`` can push a whole batch of cotangents through in one pass.
"""

from __future__ import annotations

from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.errors import InvalidArgumentError
from ..engine.registry import primitive, unbroadcast
from ..engine.indexed_slices import IndexedSlices
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .array import (_getitem, _getitem_grad, _int_arg, _nb, _norm_axis, _range, _reshape, _slice,
                    _tensor_arg, _tensor_args, _transpose)
from .creation import _wrap, zeros_like

__all__ = [
    "where", "gather", "gather_nd", "boolean_mask", "tensor_scatter_nd_update", "one_hot", "sort",
    "argsort",
]


# -- where -----------------------------------------------------------------------------------------
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
    cv = condition._value if isinstance(condition, _Base) else np.asarray(convert_raw(condition))
    if cv.dtype.kind != "b":
        raise InvalidArgumentError(f"where: condition must be a bool tensor, got "
                                   f"{_dt.from_numpy(cv.dtype).name}{list(cv.shape)}; compare "
                                   f"first, e.g. tf.where(x > 0, a, b).")
    xv = x._value if isinstance(x, _Base) else None
    yv = y._value if isinstance(y, _Base) else None
    if xv is not None and yv is not None and xv.dtype != yv.dtype:
        raise TypeError(f"where: x is {_dt.from_numpy(xv.dtype).name} but y is "
                        f"{_dt.from_numpy(yv.dtype).name}; they must match.")
    if xv is None and yv is None:  # as TF: x takes its default dtype (float32, int32), y follows
        x = xv = np.asarray(convert_raw(x))
    ref = xv if xv is not None else yv

    def _follow(v, which):
        own = np.asarray(convert_raw(v))
        if (ref.dtype.kind in "iub" and own.dtype.kind in "fc") or \
                (ref.dtype.kind == "b") != (own.dtype.kind == "b"):
            raise TypeError(f"where: cannot convert {which} ({_dt.from_numpy(own.dtype).name}"
                            f"{list(own.shape)}) to the other branch's dtype "
                            f"{_dt.from_numpy(ref.dtype).name}.")
        return convert_raw(v, ref.dtype) if not isinstance(v, (int, float)) else \
            np.asarray(v, dtype=ref.dtype)

    if xv is None:
        x = _follow(x, "x")
    if yv is None:
        y = _follow(y, "y")
    return _where(condition, x, y)


# -- gather family ---------------------------------------------------------------------------------
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
        bad = idx[(idx < 0) | (idx >= n)].flat[0]
        raise InvalidArgumentError(f"{op}: {what} {int(bad)} is not in [0, {n}) (params shape "
                                   f"{list(shape)}).")


# The indices are an INPUT of these primitives (with no gradient), not a parameter: a traced
# function replays them with new values, and the sparse gradient's rows are that tensor.
@primitive(name="gather")
def _gather(x, indices, *, axis):
    _check_range(indices, x.shape[axis], "gather", "index", x.shape)
    return np.take(x, indices, axis=axis)


def _gather_vjp(g, ans, x, indices, *, axis):
    xshape = shape_of(x)
    if axis == 0 and _nb(g, ans) == 0:
        # TF's sparse gradient: only the looked-up rows, as IndexedSlices (densified on demand)
        values = _reshape(g, shape=(-1,) + tuple(xshape[1:]))
        if not isinstance(indices, _Base):
            rows = _wrap(np.reshape(indices, (-1,)))
        else:
            rows = indices if len(shape_of(indices)) == 1 else _reshape(indices, shape=(-1,))
        return IndexedSlices(values, rows, xshape)
    return _gather_grad(g, indices, axis=axis, shape=xshape)


_gather.defvjps(_gather_vjp, None)
_gather.defjvp(lambda t, ans, x, indices, *, axis: _gather(t[0], indices, axis=axis))


@primitive(name="gather_grad")
def _gather_grad(g, indices, *, axis, shape):
    """Scatter-add ``g`` (maybe with leading batch dims) into zeros of ``shape`` at
    ``indices`` along ``axis``: the transpose of gather."""
    nb = g.ndim - (len(shape) - 1 + indices.ndim)
    out = np.zeros(g.shape[:nb] + tuple(shape), dtype=g.dtype)
    np.add.at(out, (_slice(None),) * (nb + axis) + (indices,), g)
    return out


_gather_grad.defvjps(
    lambda gg, ans, g, indices, *, axis, shape: _gather(
        gg, indices, axis=len(shape_of(gg)) - len(shape) + axis),
    None)
_gather_grad.defjvp(lambda t, ans, g, indices, *, axis, shape:
                    _gather_grad(t[0], indices, axis=axis, shape=shape))


def _nd_index(indices, batch_dims: int, nb: int) -> tuple:
    """The NumPy index of gather_nd: ``nb`` full slices, the batch grid, one array per depth."""
    return ((_slice(None),) * nb + _batch_index(indices.shape[:batch_dims], indices.ndim - 1)
            + tuple(indices[..., k] for k in _range(indices.shape[-1])))


@primitive(name="gather_nd")
def _gather_nd(x, indices, *, batch_dims, nb=0):
    for k in _range(indices.shape[-1]):
        _check_range(indices[..., k], x.shape[nb + batch_dims + k], "gather_nd", "index",
                     x.shape[nb:])
    return x[_nd_index(indices, batch_dims, nb)]


_gather_nd.defvjps(
    lambda g, ans, x, indices, *, batch_dims, nb=0: _gather_nd_grad(
        g, indices, batch_dims=batch_dims, shape=shape_of(x)[nb:]),
    None)
_gather_nd.defjvp(lambda t, ans, x, indices, *, batch_dims, nb=0:
                  _gather_nd(t[0], indices, batch_dims=batch_dims, nb=nb))


@primitive(name="gather_nd_grad")
def _gather_nd_grad(g, indices, *, batch_dims, shape):
    """Scatter-add ``g`` (maybe with leading batch dims) into zeros of ``shape``: the
    transpose of gather_nd."""
    nb = g.ndim - (indices.ndim - 1) - (len(shape) - batch_dims - indices.shape[-1])
    out = np.zeros(g.shape[:nb] + tuple(shape), dtype=g.dtype)
    np.add.at(out, _nd_index(indices, batch_dims, nb), g)
    return out


_gather_nd_grad.defvjps(
    lambda gg, ans, g, indices, *, batch_dims, shape: _gather_nd(
        gg, indices, batch_dims=batch_dims, nb=len(shape_of(gg)) - len(shape)),
    None)
_gather_nd_grad.defjvp(lambda t, ans, g, indices, *, batch_dims, shape:
                       _gather_nd_grad(t[0], indices, batch_dims=batch_dims, shape=shape))


def _batch_index(bshape: tuple, idx_ndim: int) -> tuple:
    """Open-grid ``arange`` indices for leading batch dims, broadcasting against an index
    array of rank ``idx_ndim``."""
    return tuple(np.arange(n).reshape((1,) * b + (n,) + (1,) * (idx_ndim - b - 1))
                 for b, n in enumerate(bshape))


# -- along the last axis (top_k's values and their gradient) ---------------------------------------
@primitive(name="take_along_last_axis")
def _take_along_last(x, indices):
    """``x[..., indices]`` row by row (``np.take_along_axis`` on the last axis); leading dims
    of ``x`` beyond the rank of ``indices`` (batched cotangents) broadcast."""
    idx = np.reshape(indices, (1,) * (x.ndim - indices.ndim) + indices.shape)
    return np.take_along_axis(x, idx, axis=-1)


@primitive(name="put_along_last_axis")
def _put_along_last(g, indices, *, n):
    """Zeros with last axis ``n`` holding ``g`` at ``indices`` row by row: the transpose of
    take_along_last_axis for indices distinct within a row (top_k's)."""
    idx = np.reshape(indices, (1,) * (g.ndim - indices.ndim) + indices.shape)
    out = np.zeros(g.shape[:-1] + (n,), dtype=g.dtype)
    np.put_along_axis(out, np.broadcast_to(idx, g.shape), g, axis=-1)
    return out


_take_along_last.defvjps(lambda g, ans, x, indices: _put_along_last(g, indices,
                                                                    n=shape_of(x)[-1]), None)
_take_along_last.defjvp(lambda t, ans, x, indices: _take_along_last(t[0], indices))
_put_along_last.defvjps(lambda gg, ans, g, indices, *, n: _take_along_last(gg, indices), None)
_put_along_last.defjvp(lambda t, ans, g, indices, *, n: _put_along_last(t[0], indices, n=n))


def _indices_arg(indices: Any, idx) -> Any:
    """What a primitive gets as indices: the tensor itself (so a trace replays new values),
    else its NumPy value."""
    return indices if isinstance(indices, _Base) else idx


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
    ind = _indices_arg(indices, idx)
    if bd == 0:
        return _gather(x, ind, axis=ax)
    # batch_dims: bring axis next to the batch dims, gather_nd of depth 1, move dims back
    perm = tuple(_range(bd)) + (ax,) + tuple(i for i in _range(bd, len(shape))
                                                     if i != ax)
    xt = _transpose(x, perm=perm) if perm != tuple(_range(len(shape))) else x
    ind = _reshape(ind, shape=idx.shape + (1,)) if isinstance(ind, _Base) else idx[..., None]
    out = _gather_nd(xt, ind, batch_dims=bd)
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
    return _gather_nd(x, _indices_arg(indices, idx), batch_dims=bd)


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


# -- one_hot, sort ---------------------------------------------------------------------------------
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
    depth = _int_arg(depth, "one_hot", "depth")
    if depth < 0:
        raise InvalidArgumentError(f"one_hot: depth must be non-negative, got: {depth}.")
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


def _sort_order(x, axis: int, direction: str, op: str):
    direction = str(direction).upper()
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"{op}: direction must be 'ASCENDING' or 'DESCENDING', got "
                         f"{direction!r}.")
    v = x._value if isinstance(x, _Base) else x
    if v.ndim == 0:
        raise ValueError(f"{op}: input must have rank >= 1, got a scalar.")
    ax = _norm_axis(int(axis), v.ndim, op)
    if v.dtype.kind not in "iuf":  # TF's sort kernels take real numbers only
        raise InvalidArgumentError(f"{op}: no kernel for {_dt.from_numpy(v.dtype).name} (TF sorts "
                                   f"real numbers only); cast the values first.")
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
