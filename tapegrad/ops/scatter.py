"""Scatter ops that combine updates with a tensor: tf.tensor_scatter_nd_add/sub/max/min,
composed from the differentiable scatter-add (gather_nd's transpose) and gather_nd."""

from __future__ import annotations

from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.tensor import Tensor, _Base, shape_of
from ..engine.errors import InvalidArgumentError
from .array import _tensor_args, reshape
from .indexing import gather, _check_range, _gather_nd, _gather_nd_grad, _index_value
from .math import add, cast, divide, equal, multiply, subtract

__all__ = ["tensor_scatter_nd_add", "tensor_scatter_nd_sub", "tensor_scatter_nd_max",
           "tensor_scatter_nd_min"]


_POLICIES = ("", "DEFAULT", "ERROR", "IGNORE")


def _ignore_bad(u: Any, idx: Any, shape: tuple) -> tuple:
    """``bad_indices_policy="IGNORE"``: the index rows inside ``shape`` and their updates."""
    depth = idx.shape[-1]
    rows = idx.reshape(-1, depth)
    keep = np.all((rows >= 0) & (rows < np.asarray(shape[:depth], dtype=rows.dtype)), axis=1)
    u_rows = reshape(u, [-1, *shape[depth:]])
    return gather(u_rows, np.nonzero(keep)[0]), rows[keep]


def _checked(tensor: Any, indices: Any, updates: Any, op: str, policy: str = "") -> tuple:
    """The tensor, the updates (one dtype) and the index array, with TF's shape checks.

    ``policy`` is TF's ``bad_indices_policy``: out-of-range indices raise, except with
    ``"IGNORE"``, where their updates are dropped."""
    if policy not in _POLICIES:
        raise InvalidArgumentError(f"{op}: bad_indices_policy must be one of {list(_POLICIES)}, "
                                   f"got {policy!r}.")
    x, u = _tensor_args(tensor, updates)
    shape = tuple(shape_of(x))
    idx = _index_value(indices, op)
    depth = idx.shape[-1] if idx.ndim else 0
    want = tuple(idx.shape[:-1]) + shape[depth:]
    if idx.ndim < 1 or depth > len(shape) or tuple(shape_of(u)) != want:
        raise InvalidArgumentError(f"{op}: updates shape {list(shape_of(u))} must be "
                                   f"indices.shape[:-1] + tensor.shape[{depth}:] = {list(want)} "
                                   f"(tensor {list(shape)}, indices {list(idx.shape)}).")
    xd = x._value.dtype if isinstance(x, _Base) else np.asarray(x).dtype
    ud = u._value.dtype if isinstance(u, _Base) else np.asarray(u).dtype
    if xd != ud:
        raise TypeError(f"{op}: tensor is {_dt.from_numpy(xd).name} but updates are "
                        f"{_dt.from_numpy(ud).name}.")
    if policy == "IGNORE":
        u, idx = _ignore_bad(u, idx, shape)
        return x, u, idx, shape
    for k in range(depth):
        _check_range(idx[..., k], shape[k], op, "index", shape)
    return x, u, idx, shape


def tensor_scatter_nd_add(tensor: Any, indices: Any, updates: Any,
                          bad_indices_policy: str = "", name: str | None = None) -> Tensor:
    """``tensor`` with ``updates`` added at ``indices``; repeated indices add up
    (``tf.tensor_scatter_nd_add``).

    >>> import tapegrad as tf
    >>> tf.tensor_scatter_nd_add([1.0, 2.0, 3.0], [[2], [0], [2]], [1.0, 5.0, 1.0]).numpy()
    array([6., 2., 5.], dtype=float32)
    """
    x, u, idx, shape = _checked(tensor, indices, updates, "tensor_scatter_nd_add",
                                  bad_indices_policy)
    return add(x, _gather_nd_grad(u, idx, batch_dims=0, shape=shape))


def tensor_scatter_nd_sub(tensor: Any, indices: Any, updates: Any,
                          bad_indices_policy: str = "", name: str | None = None) -> Tensor:
    """``tensor`` with ``updates`` subtracted at ``indices`` (``tf.tensor_scatter_nd_sub``).

    >>> import tapegrad as tf
    >>> tf.tensor_scatter_nd_sub([1.0, 2.0, 3.0], [[1]], [5.0]).numpy()
    array([ 1., -3.,  3.], dtype=float32)
    """
    x, u, idx, shape = _checked(tensor, indices, updates, "tensor_scatter_nd_sub",
                                  bad_indices_policy)
    return subtract(x, _gather_nd_grad(u, idx, batch_dims=0, shape=shape))


def _scatter_extreme(tensor: Any, indices: Any, updates: Any, op: str, ufunc,
                     policy: str = "") -> Tensor:
    """max/min: the value from NumPy; the result rebuilt as the mean of the entries equal to it
    (the tensor's and the updates'), so the gradient is split evenly among ties, as TF's."""
    x, u, idx, shape = _checked(tensor, indices, updates, op, policy)
    xv = np.array(x._value if isinstance(x, _Base) else x)
    uv = u._value if isinstance(u, _Base) else np.asarray(u)
    depth = idx.shape[-1]
    with np.errstate(invalid="ignore"):  # NaN wins silently, as in TF's kernel
        ufunc.at(xv, tuple(idx[..., k] for k in range(depth)), uv)
    ans = Tensor(xv)
    x_on = cast(equal(x, ans), ans.dtype)
    u_on = cast(equal(u, _gather_nd(ans, idx, batch_dims=0)), ans.dtype)
    count = add(x_on, _gather_nd_grad(u_on, idx, batch_dims=0, shape=shape))
    total = add(multiply(x_on, x), _gather_nd_grad(multiply(u_on, u), idx, batch_dims=0,
                                                    shape=shape))
    return divide(total, count)


def tensor_scatter_nd_max(tensor: Any, indices: Any, updates: Any,
                          bad_indices_policy: str = "", name: str | None = None) -> Tensor:
    """``tensor`` with each entry at ``indices`` the maximum of it and its updates
    (``tf.tensor_scatter_nd_max``).

    >>> import tapegrad as tf
    >>> tf.tensor_scatter_nd_max([1.0, 2.0, 3.0], [[0], [2]], [4.0, 0.0]).numpy()
    array([4., 2., 3.], dtype=float32)
    """
    return _scatter_extreme(tensor, indices, updates, "tensor_scatter_nd_max",
                            np.maximum, bad_indices_policy)


def tensor_scatter_nd_min(tensor: Any, indices: Any, updates: Any,
                          bad_indices_policy: str = "", name: str | None = None) -> Tensor:
    """``tensor`` with each entry at ``indices`` the minimum of it and its updates
    (``tf.tensor_scatter_nd_min``).

    >>> import tapegrad as tf
    >>> tf.tensor_scatter_nd_min([1.0, 2.0, 3.0], [[0], [2]], [4.0, 0.0]).numpy()
    array([1., 2., 0.], dtype=float32)
    """
    return _scatter_extreme(tensor, indices, updates, "tensor_scatter_nd_min",
                            np.minimum, bad_indices_policy)
