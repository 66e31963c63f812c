"""Shape ops: reshape, transpose, slicing (``getitem``), broadcasting, stacking and splitting,
tiling and padding, meshgrid (creation and shape queries are in ``creation``).

VJPs here take cotangents with leading batch dimensions (``nb = g.ndim - ans.ndim``) so that
``jacobian`` can push a whole batch of cotangents through in one pass.
"""

from __future__ import annotations

import builtins
from typing import Any

from ..engine.backend import xp as np
from ..engine.errors import IndexOutOfRangeError, InvalidArgumentError, named
from ..engine.registry import primitive, unbroadcast
from ..engine.operators import OPERATORS
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .creation import _static_ints, zeros_like

# this module defines tf.slice (and creation.py tf.range): keep Python's under other names
_range = builtins.range
_slice = builtins.slice

__all__ = [
    "reshape", "transpose", "getitem", "broadcast_to", "stack", "concat", "expand_dims",
    "unsorted_segment_sum_dense", "matrix_transpose", "squeeze", "unstack", "split", "slice",
    "reverse", "tile", "pad", "meshgrid",
]


def _nb(g, ans) -> int:
    """Number of leading batch dimensions a cotangent carries."""
    return len(shape_of(g)) - len(shape_of(ans))


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
        raise InvalidArgumentError(f"reshape: input is a tensor with {size} values (shape "
                                   f"{list(xshape)}), but the requested shape {list(shape)} "
                                   f"cannot hold them.")
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


# -- getitem (slice, reverse, tile and pad build on it) --------------------------------------------
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
            raise IndexOutOfRangeError(f"getitem: index {index!r} is out of range for a tensor "
                                       f"of shape {list(shape_of(x))}.") from None
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


def _int_arg(value: Any, op: str, what: str) -> int:
    """An integer argument (a Python or NumPy int, or a 0-d integer tensor), or a TypeError
    naming ``op`` and ``what``: a float, bool or string is refused, as TF refuses it."""
    v = value._value if isinstance(value, _Base) else value
    if isinstance(v, np.ndarray) and v.ndim == 0:
        v = v[()]
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        raise named(TypeError(f"{op}: {what} must be an integer, got {type(v).__name__} "
                              f"{v!r:.40}."))
    return int(v)


def _norm_axis(axis: int, rank: int, op: str) -> int:
    if type(axis) is not int:
        axis = _int_arg(axis, op, "axis")
    if not -rank <= axis < rank:
        raise named(ValueError(f"{op}: axis {axis} is out of range for rank {rank} (valid: "
                               f"[{-rank}, {rank}))."))
    return axis % rank


@primitive(name="stack")
def _stack(*xs, axis):
    return np.stack(xs, axis=axis)


def _stack_vjp(g, ans, *xs, axis):
    return _unstack(g, axis=_nb(g, ans) + axis)


_stack.defvjp(_stack_vjp)
_stack.defjvp(lambda t, ans, *xs, axis: _stack(*[ti if ti is not None else zeros_like(x)
                                                 for ti, x in zip(t, xs, strict=True)], axis=axis))


def _unstack_rows(x: Any, op: str) -> list:
    if not shape_of(x):
        raise ValueError(f"{op}: values must be a list of tensors or a tensor of rank >= 1, "
                         f"got a scalar.")
    return [x[i] for i in range(shape_of(x)[0])]


def stack(values: list, axis: int = 0, name: str | None = None) -> Tensor:
    """Stack same-shaped tensors along a new axis (``tf.stack``).

    >>> import tapegrad as tf
    >>> tf.stack([[1, 2], [3, 4]], axis=1).numpy().tolist()
    [[1, 3], [2, 4]]
    """
    if isinstance(values, _Base):  # one tensor: its rows, as TF packs it
        values = _unstack_rows(values, "stack")
    if not values:
        raise ValueError("stack: needs at least one tensor.")
    shapes = [shape_of(v) for v in values]
    if any(s != shapes[0] for s in shapes):
        raise InvalidArgumentError(f"stack: all tensors must have the same shape, got "
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
    if isinstance(values, _Base):  # one tensor: concat of one, as TF
        values = [values]
    if not values:
        raise ValueError("concat: needs at least one tensor.")
    shapes = [shape_of(v) for v in values]
    rank = len(shapes[0])
    if rank == 0:
        raise named(ValueError("concat: cannot concatenate scalars; use tf.stack."))
    ax = _norm_axis(axis, rank, "concat")
    for s in shapes:
        if len(s) != rank or s[:ax] + s[ax + 1:] != shapes[0][:ax] + shapes[0][ax + 1:]:
            raise InvalidArgumentError(f"concat: shapes {[list(s) for s in shapes]} differ "
                                       f"outside axis {axis}.")
    return _concat(*values, axis=ax)


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
    return _expand_dims(input, axis=_norm_axis(_int_arg(axis, "expand_dims", "axis"), rank + 1,
                                               "expand_dims"))


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
        raise named(ValueError("unstack: input must have rank >= 1, got a scalar."))
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
    ax = _norm_axis(_int_arg(axis, "split", "axis"), len(shape), "split")
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


# -- tile, pad -------------------------------------------------------------------------------------
@primitive(name="tile")
def _tile(x, *, multiples):
    return np.tile(x, multiples)


def _tile_vjp(g, ans, x, *, multiples):
    # view each tiled axis as (copies, size) and sum the copies
    nb = _nb(g, ans)
    lead = tuple(g.shape[:nb])
    split = lead + tuple(d for m, s in zip(multiples, shape_of(x), strict=True) for d in (m, s))
    axes = tuple(nb + 2 * i for i in _range(len(multiples)))
    return (OPERATORS.sum_to(_reshape(g, shape=split), axes, lead + tuple(shape_of(x))),)


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
    if out is x:  # nothing padded: a new tensor all the same, as TF's Pad returns
        out = _reshape(x, shape=shape_of(x))
    return out


# -- meshgrid --------------------------------------------------------------------------------------
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
