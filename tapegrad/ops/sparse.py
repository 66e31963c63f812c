"""Sparse tensors (``tf.sparse``): ``SparseTensor`` (indices, values, dense shape) and its ops.

A SparseTensor is a composite: int64 ``indices [nnz, rank]``, a ``values [nnz]`` tensor and an
int64 ``dense_shape``. Every op here moves values with tapegrad's differentiable gathers,
scatters and segment sums, so gradients reach ``values`` (and a dense operand) without any new
primitive; index arithmetic is plain NumPy, as TF's index outputs have no gradient.
"""

from __future__ import annotations

from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.convert import static_int, static_ints
from ..engine.errors import InvalidArgumentError
from ..engine.shape import TensorShape
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .array import broadcast_to, concat as _array_concat, reshape as _array_reshape
from .array import transpose as _array_transpose
from .creation import fill
from .indexing import gather, gather_nd, tensor_scatter_nd_update
from .math import abs as _abs, cast, exp, greater_equal
from .reduce import reduce_sum as _reduce_sum
from .scan import unsorted_segment_max, unsorted_segment_sum

__all__ = ["SparseTensor", "from_dense", "to_dense", "add", "sparse_dense_matmul", "reduce_sum",
           "concat", "reorder", "reshape", "slice", "retain", "softmax", "transpose"]


def _tensor(x: Any) -> Tensor:
    return x if isinstance(x, _Base) else Tensor(convert_raw(x))


class SparseTensor:
    """A sparse tensor (``tf.sparse.SparseTensor``): the ``values`` at ``indices`` of a tensor
    of ``dense_shape``, zeros elsewhere.

    >>> import tapegrad as tf
    >>> st = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0],
    ...                             dense_shape=[3, 4])
    >>> tf.sparse.to_dense(st).numpy().tolist()
    [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0], [0.0, 0.0, 0.0, 0.0]]
    """

    def __init__(self, indices: Any, values: Any, dense_shape: Any):
        idx = np.asarray(indices._value if isinstance(indices, _Base) else indices, np.int64)
        shape = np.asarray(dense_shape._value if isinstance(dense_shape, _Base) else dense_shape,
                           np.int64).reshape(-1)
        values = _tensor(values)
        if idx.size == 0:
            idx = idx.reshape(0, shape.size)
        if idx.ndim != 2 or idx.shape[1] != shape.size or len(shape_of(values)) != 1 or \
                shape_of(values)[0] != idx.shape[0]:
            raise InvalidArgumentError(
                f"SparseTensor: indices must be [nnz, rank], values [nnz] and dense_shape [rank];"
                f" got indices {list(idx.shape)}, values {list(shape_of(values))}, dense_shape "
                f"{shape.tolist()}.")
        self._indices, self._shape, self.values = idx, tuple(int(d) for d in shape), values

    @property
    def indices(self) -> Tensor:
        return Tensor(self._indices)

    @property
    def dense_shape(self) -> Tensor:
        return Tensor(np.asarray(self._shape, np.int64))

    @property
    def shape(self) -> TensorShape:
        return TensorShape(list(self._shape))

    @property
    def dtype(self) -> _dt.DType:
        return self.values.dtype

    def get_shape(self) -> TensorShape:
        return self.shape

    def with_values(self, new_values: Any) -> SparseTensor:
        """The same sparsity pattern with ``new_values``."""
        return SparseTensor(self._indices, new_values, self._shape)

    def __repr__(self) -> str:
        return (f"SparseTensor(indices={self.indices!r}, values={self.values!r}, "
                f"dense_shape={self.dense_shape!r})")

    def __mul__(self, other: Any) -> SparseTensor:  # TF: sparse * dense keeps the pattern
        dense = _tensor(other)
        picked = gather_nd(_broadcast_dense(dense, self._shape), self._indices)
        return self.with_values(self.values * picked)

    def __neg__(self) -> SparseTensor:
        return self.with_values(-self.values)


def _broadcast_dense(dense: Tensor, shape: tuple) -> Tensor:
    return dense if tuple(shape_of(dense)) == shape else broadcast_to(dense, list(shape))


def _sp(x: Any, op: str) -> SparseTensor:
    if not isinstance(x, SparseTensor):
        raise TypeError(f"{op}: expected a SparseTensor, got {type(x).__name__}; use "
                        f"tf.sparse.from_dense for a dense tensor.")
    return x


def from_dense(tensor: Any, name: str | None = None) -> SparseTensor:
    """The non-zero entries of a dense tensor, in row-major order (``tf.sparse.from_dense``).

    >>> import tapegrad as tf
    >>> tf.sparse.from_dense([[0, 3], [5, 0]]).indices.numpy().tolist()
    [[0, 1], [1, 0]]
    """
    x = _tensor(tensor)
    idx = np.argwhere(x._value != 0).astype(np.int64)
    return SparseTensor(idx, gather_nd(x, idx) if idx.size else x._value.reshape(-1)[:0],
                        shape_of(x))


def to_dense(sp_input: Any, default_value: Any = None, validate_indices: bool = True,
             name: str | None = None) -> Tensor:
    """The dense tensor, ``default_value`` (0) where nothing is stored (``tf.sparse.to_dense``);
    the gradient reaches the values.

    >>> import tapegrad as tf
    >>> st = tf.sparse.SparseTensor([[1]], [5], [3])
    >>> tf.sparse.to_dense(st, default_value=-1).numpy().tolist()
    [-1, 5, -1]
    """
    sp = _sp(sp_input, "to_dense")
    base = fill(list(sp._shape), cast(_tensor(0 if default_value is None else default_value),
                                      sp.dtype))
    if validate_indices and sp._indices.size:
        _check_indices(sp, "to_dense")
    return tensor_scatter_nd_update(base, sp._indices, sp.values) if sp._indices.size else base


def _check_indices(sp: SparseTensor, op: str) -> None:
    idx = sp._indices
    if (idx < 0).any() or (idx >= np.asarray(sp._shape)).any():
        raise InvalidArgumentError(f"{op}: an index of {idx.tolist()} is out of bounds for "
                                   f"dense_shape {list(sp._shape)}.")
    lin = _linear(idx, sp._shape)
    if lin.size > 1 and (np.diff(lin) <= 0).any():
        raise InvalidArgumentError(f"{op}: indices are not in canonical row-major order or "
                                   f"repeat; call tf.sparse.reorder first.")


def _linear(idx: Any, shape: tuple) -> Any:
    return np.ravel_multi_index(tuple(idx.T), shape) if idx.size else np.zeros(0, np.int64)


def _coalesce(idx: Any, values: Tensor, shape: tuple) -> SparseTensor:
    """Sorted, duplicate-free indices; duplicates' values summed (a segment sum)."""
    lin = _linear(idx, shape)
    keys, seg = np.unique(lin, return_inverse=True)
    vals = unsorted_segment_sum(values, seg.reshape(-1), len(keys))
    new_idx = np.stack(np.unravel_index(keys, shape), -1).astype(np.int64) if keys.size else \
        np.zeros((0, len(shape)), np.int64)
    return SparseTensor(new_idx, vals, shape)


def reorder(sp_input: Any, name: str | None = None) -> SparseTensor:
    """Indices in row-major order, values following (``tf.sparse.reorder``).

    >>> import tapegrad as tf
    >>> st = tf.sparse.reorder(tf.sparse.SparseTensor([[1, 0], [0, 1]], [1.0, 2.0], [2, 2]))
    >>> st.values.numpy().tolist()
    [2.0, 1.0]
    """
    sp = _sp(sp_input, "reorder")
    order = np.argsort(_linear(sp._indices, sp._shape), kind="stable")
    return SparseTensor(sp._indices[order], gather(sp.values, order), sp._shape)


def add(a: Any, b: Any, threshold: Any = 0, name: str | None = None) -> Any:
    """``a + b`` (``tf.sparse.add``): two SparseTensors give a SparseTensor (entries with
    ``|value| < threshold`` dropped); a SparseTensor and a dense tensor give a dense tensor.

    >>> import tapegrad as tf
    >>> a = tf.sparse.SparseTensor([[0], [2]], [1.0, 2.0], [3])
    >>> b = tf.sparse.SparseTensor([[2]], [3.0], [3])
    >>> tf.sparse.to_dense(tf.sparse.add(a, b)).numpy().tolist()
    [1.0, 0.0, 5.0]
    """
    if isinstance(a, SparseTensor) and isinstance(b, SparseTensor):
        if a._shape != b._shape:
            raise InvalidArgumentError(f"sparse.add: dense shapes differ: {list(a._shape)} and "
                                       f"{list(b._shape)}.")
        out = _coalesce(np.concatenate([a._indices, b._indices]),
                        _array_concat([a.values, b.values], 0), a._shape)
        thr = float(convert_raw(threshold))
        return retain(out, greater_equal(_abs(out.values), thr)._value) if thr > 0 else out
    sp, dense = (a, b) if isinstance(a, SparseTensor) else (b, a)
    return _tensor(dense) + to_dense(_sp(sp, "sparse.add"), validate_indices=False)


def sparse_dense_matmul(sp_a: Any, b: Any, adjoint_a: bool = False, adjoint_b: bool = False,
                        name: str | None = None) -> Tensor:
    """``sp_a @ b`` for a rank-2 SparseTensor and a dense matrix
    (``tf.sparse.sparse_dense_matmul``): each stored value scales a row of ``b`` and the rows
    are segment-summed, so gradients reach both ``sp_a.values`` and ``b``.

    >>> import tapegrad as tf
    >>> a = tf.sparse.SparseTensor([[0, 1], [1, 0]], [2.0, 3.0], [2, 2])
    >>> tf.sparse.sparse_dense_matmul(a, [[1.0, 1.0], [10.0, 20.0]]).numpy().tolist()
    [[20.0, 40.0], [3.0, 3.0]]
    """
    sp = _sp(sp_a, "sparse_dense_matmul")
    if adjoint_a:
        sp = transpose(sp)
    m = _tensor(b)
    if adjoint_b:
        m = _array_transpose(m, [1, 0])
    if len(sp._shape) != 2 or len(shape_of(m)) != 2 or sp._shape[1] != shape_of(m)[0]:
        raise InvalidArgumentError(f"sparse_dense_matmul: cannot multiply {list(sp._shape)} by "
                                   f"{list(shape_of(m))}.")
    if sp.dtype != m.dtype:
        raise TypeError(f"sparse_dense_matmul: dtypes differ: {sp.dtype.name} and "
                        f"{m.dtype.name}.")
    rows = gather(m, sp._indices[:, 1]) * _array_reshape(sp.values, [-1, 1])
    return unsorted_segment_sum(rows, sp._indices[:, 0], sp._shape[0])


def reduce_sum(sp_input: Any, axis: Any = None, keepdims: Any = None,
               output_is_sparse: bool = False, name: str | None = None) -> Any:
    """The sum over ``axis`` (all when None) of the stored values (``tf.sparse.reduce_sum``);
    dense, or sparse with ``output_is_sparse``.

    >>> import tapegrad as tf
    >>> st = tf.sparse.SparseTensor([[0, 0], [1, 2], [1, 0]], [1.0, 2.0, 3.0], [2, 3])
    >>> tf.sparse.reduce_sum(st, axis=1).numpy().tolist()
    [1.0, 5.0]
    """
    sp = _sp(sp_input, "sparse.reduce_sum")
    out = _reduce_sum(to_dense(sp, validate_indices=False), axis, bool(keepdims))
    return from_dense(out) if output_is_sparse else out


def concat(axis: int, sp_inputs: list, expand_nonconcat_dims: bool = False,
           name: str | None = None) -> SparseTensor:
    """SparseTensors joined along ``axis`` (``tf.sparse.concat``); with
    ``expand_nonconcat_dims`` the other dimensions grow to the largest.

    >>> import tapegrad as tf
    >>> a = tf.sparse.SparseTensor([[0, 0]], [1.0], [1, 2])
    >>> b = tf.sparse.SparseTensor([[0, 1]], [2.0], [1, 3])
    >>> tf.sparse.to_dense(tf.sparse.concat(1, [a, b])).numpy().tolist()
    [[1.0, 0.0, 0.0, 2.0, 0.0]]
    """
    sps = [_sp(s, "sparse.concat") for s in sp_inputs]
    rank = len(sps[0]._shape)
    ax = static_int(axis, "axis", "sparse.concat") % rank
    shapes = np.asarray([s._shape for s in sps])
    others = [d for d in range(rank) if d != ax]
    if not expand_nonconcat_dims and (shapes[:, others] != shapes[0, others]).any():
        raise InvalidArgumentError(f"sparse.concat: the shapes {shapes.tolist()} differ outside "
                                   f"axis {axis}; pass expand_nonconcat_dims=True.")
    offsets = np.concatenate([[0], np.cumsum(shapes[:, ax])])
    idx = []
    for s, off in zip(sps, offsets):
        i = s._indices.copy()
        i[:, ax] += off
        idx.append(i)
    shape = shapes.max(0)
    shape[ax] = offsets[-1]
    out = SparseTensor(np.concatenate(idx), _array_concat([s.values for s in sps], 0),
                       tuple(int(d) for d in shape))
    return reorder(out)


def reshape(sp_input: Any, shape: Any, name: str | None = None) -> SparseTensor:
    """The same entries in a tensor of ``shape`` (one entry may be -1), in row-major order
    (``tf.sparse.reshape``).

    >>> import tapegrad as tf
    >>> st = tf.sparse.SparseTensor([[0, 1], [1, 0]], [1.0, 2.0], [2, 2])
    >>> tf.sparse.reshape(st, [-1]).indices.numpy().tolist()
    [[1], [2]]
    """
    sp = _sp(sp_input, "sparse.reshape")
    new = static_ints(shape, "shape", "sparse.reshape")
    total = int(np.prod(sp._shape, dtype=np.int64))
    if new.count(-1) == 1:
        known = int(np.prod([d for d in new if d != -1], dtype=np.int64))
        new[new.index(-1)] = total // known if known else 0
    if int(np.prod(new, dtype=np.int64)) != total:
        raise InvalidArgumentError(f"sparse.reshape: cannot reshape dense_shape "
                                   f"{list(sp._shape)} ({total} elements) to {new}.")
    lin = _linear(sp._indices, sp._shape)
    idx = np.stack(np.unravel_index(lin, new), -1).astype(np.int64) if lin.size else \
        np.zeros((0, len(new)), np.int64)
    return SparseTensor(idx, sp.values, tuple(new))


def slice(sp_input: Any, start: Any, size: Any, name: str | None = None) -> SparseTensor:  # noqa: A001
    """The entries inside the box ``[start, start + size)``, re-based at 0
    (``tf.sparse.slice``).

    >>> import tapegrad as tf
    >>> st = tf.sparse.SparseTensor([[0, 0], [1, 2], [2, 3]], [1.0, 2.0, 3.0], [3, 4])
    >>> tf.sparse.slice(st, [1, 1], [2, 2]).indices.numpy().tolist()
    [[0, 1]]
    """
    sp = _sp(sp_input, "sparse.slice")
    shape = np.asarray(sp._shape, np.int64)
    lo, ext = (np.asarray(static_ints(v, what, "sparse.slice"), np.int64)
               for v, what in ((start, "start"), (size, "size")))
    if lo.shape != shape.shape or ext.shape != shape.shape:
        raise InvalidArgumentError(f"sparse.slice: start and size need one entry per "
                                   f"dimension of dense shape {shape.tolist()}, got "
                                   f"{lo.tolist()} and {ext.tolist()}.")
    hi = np.minimum(lo + ext, shape)
    keep = np.all((sp._indices >= lo) & (sp._indices < hi), axis=1)
    pos = np.nonzero(keep)[0]
    out_shape = tuple(int(d) for d in np.maximum(hi - lo, 0))
    return SparseTensor(sp._indices[pos] - lo, gather(sp.values, pos), out_shape)


def retain(sp_input: Any, to_retain: Any) -> SparseTensor:
    """The entries where the bool vector ``to_retain`` is True (``tf.sparse.retain``).

    >>> import tapegrad as tf
    >>> st = tf.sparse.SparseTensor([[0], [2]], [1.0, 2.0], [3])
    >>> tf.sparse.retain(st, [False, True]).values.numpy().tolist()
    [2.0]
    """
    sp = _sp(sp_input, "sparse.retain")
    keep = np.asarray(convert_raw(to_retain), bool).reshape(-1)
    if keep.size != sp._indices.shape[0]:
        raise InvalidArgumentError(f"sparse.retain: to_retain has {keep.size} entries for "
                                   f"{sp._indices.shape[0]} values.")
    pos = np.nonzero(keep)[0]
    return SparseTensor(sp._indices[pos], gather(sp.values, pos), sp._shape)


def softmax(sp_input: Any, name: str | None = None) -> SparseTensor:
    """The softmax over the stored entries of each innermost row (``tf.sparse.softmax``): the
    missing entries count as -inf, not as 0.

    >>> import tapegrad as tf
    >>> st = tf.sparse.SparseTensor([[0, 0], [0, 2], [1, 1]], [1.0, 1.0, 5.0], [2, 3])
    >>> tf.sparse.softmax(st).values.numpy().tolist()
    [0.5, 0.5, 1.0]
    """
    sp = _sp(sp_input, "sparse.softmax")
    if len(sp._shape) < 2:
        raise InvalidArgumentError(f"sparse.softmax: needs rank >= 2, got dense_shape "
                                   f"{list(sp._shape)}.")
    rows = _linear(sp._indices[:, :-1], sp._shape[:-1])
    keys, seg = np.unique(rows, return_inverse=True)
    seg = seg.reshape(-1)
    peak = gather(unsorted_segment_max(sp.values, seg, len(keys)), seg)
    e = exp(sp.values - peak)
    return sp.with_values(e / gather(unsorted_segment_sum(e, seg, len(keys)), seg))


def transpose(sp_input: Any, perm: Any = None, name: str | None = None) -> SparseTensor:
    """Dimensions permuted by ``perm`` (reversed by default), indices re-sorted
    (``tf.sparse.transpose``).

    >>> import tapegrad as tf
    >>> st = tf.sparse.SparseTensor([[0, 1]], [1.0], [2, 3])
    >>> tf.sparse.transpose(st).dense_shape.numpy().tolist()
    [3, 2]
    """
    sp = _sp(sp_input, "sparse.transpose")
    rank = len(sp._shape)
    p = list(range(rank))[::-1] if perm is None else [int(v) for v in convert_raw(perm)]
    out = SparseTensor(sp._indices[:, p], sp.values, tuple(sp._shape[i] for i in p))
    return reorder(out)

