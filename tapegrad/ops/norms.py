"""Norms and clipping: norm, global_norm, clip_by_value / clip_by_norm / clip_by_global_norm
and l2_normalize, composed from differentiable ops as TF does."""

from __future__ import annotations

from typing import Any

from ..engine.backend import xp as np
from ..engine.convert import convert_to_tensor
from ..engine.errors import InvalidArgumentError
from ..engine.indexed_slices import IndexedSlices
from ..engine.tensor import Tensor, _Base, shape_of
from ..engine.variable import Variable
from . import linalg as _la
from .array import _reshape, _transpose
from .indexing import where
from .math import (_maximum, _minimum, _rsqrt, abs, cast, greater, identity,
                   maximum, minimum, multiply, pow, sqrt, square)
from .reduce import (_float_input, _reduce_max, _reduce_sum, _tensor, kept_shape, normalize_axes,
                     reduce_max)

__all__ = [
    "norm", "clip_by_value", "clip_by_norm", "clip_by_global_norm", "l2_normalize",
]


# -- norms -----------------------------------------------------------------------------------------
def norm(tensor: Any, ord: Any = "euclidean", axis: Any = None, keepdims: Any = None,  # noqa: A002
         name: str | None = None) -> Tensor:
    """Vector or matrix norm (``tf.norm``), built from differentiable ops as TF does.

    ``axis=None`` treats the tensor as one flat vector; an int takes vector norms along it; a
    pair of axes takes matrix norms. Vector ``ord``: ``'euclidean'``, 1, 2, ``np.inf`` or any
    p > 0. Matrix ``ord``: ``'euclidean'``/``'fro'``, 1, ``np.inf`` (and 2, through the SVD).
    The Euclidean norm's gradient at the zero vector is NaN, as TF's.

    >>> import tapegrad as tf
    >>> print(tf.norm([3.0, 4.0]).numpy())
    5.0
    >>> print(tf.norm([[1.0, -2.0], [3.0, 4.0]], ord=1, axis=[0, 1]).numpy())
    6.0
    """
    shape = shape_of(tensor)
    rank = len(shape)
    if axis is None:
        axes = tuple(range(rank))
        matrix = False
    else:
        raw = axis._value.tolist() if isinstance(axis, _Base) else axis
        raw = [raw] if isinstance(raw, (int, np.integer)) else list(raw)
        if len(raw) not in (1, 2) or len(set(int(a) % max(rank, 1) for a in raw)) != len(raw):
            raise ValueError(f"norm: 'axis' must be None, an integer, or a pair of distinct "
                             f"integers, got {axis!r}.")
        normalize_axes(raw, rank, "norm")  # range check
        axes = tuple(int(a) % rank for a in raw)  # the user's order: (row axis, column axis)
        matrix = len(axes) == 2
    is_inf = isinstance(ord, (int, float)) and not isinstance(ord, bool) and ord == np.inf
    if matrix:
        if ord not in ("euclidean", "fro", 1, 2) and not is_inf:
            raise ValueError(f"norm: 'ord' must be a supported matrix norm in "
                             f"['euclidean', 'fro', 1, 2, inf], got {ord!r}.")
    elif not (ord in ("euclidean", 1, 2) or is_inf or (
            isinstance(ord, (int, float)) and not isinstance(ord, bool) and ord > 0)):
        raise ValueError(f"norm: 'ord' must be a supported vector norm, got {ord!r}.")
    x = _tensor(tensor)
    _float_input(x, "norm")
    if ord in ("euclidean", "fro") or (ord == 2 and not matrix):
        out = sqrt(_reduce_sum(x * x, axes=tuple(sorted(axes)), keepdims=True))
    elif ord == 2:  # largest singular value: needs the SVD
        perm = tuple(i for i in range(rank) if i not in axes) + axes
        s = _la.svd(_transpose(x, perm=perm), compute_uv=False)
        out = _reshape(reduce_max(s, axis=-1), shape=kept_shape(shape, axes))
    elif ord == 1 and matrix:  # max over columns of the column sums of |x|
        out = _reduce_max(_reduce_sum(abs(x), axes=(axes[0],), keepdims=True),
                          axes=(axes[1],), keepdims=True)
    elif is_inf and matrix:  # max over rows of the row sums of |x|
        out = _reduce_max(_reduce_sum(abs(x), axes=(axes[1],), keepdims=True),
                          axes=(axes[0],), keepdims=True)
    elif ord == 1:
        out = _reduce_sum(abs(x), axes=axes, keepdims=True)
    elif is_inf:
        out = _reduce_max(abs(x), axes=axes, keepdims=True)
    else:
        out = pow(_reduce_sum(pow(abs(x), float(ord)), axes=axes, keepdims=True), 1.0 / ord)
    # summing the kept size-1 axes drops them (and gives a NumPy scalar for a 0-d result)
    return out if keepdims else _reduce_sum(out, axes=tuple(sorted(axes)), keepdims=False)


def global_norm(t_list: Any, name: str | None = None) -> Tensor:
    """sqrt(sum of squares of every element of every tensor) (``tf.linalg.global_norm``);
    None entries are skipped, IndexedSlices count their values.

    >>> import tapegrad as tf
    >>> from tapegrad.ops.norms import global_norm
    >>> print(global_norm([[3.0], None, [[4.0]]]).numpy())
    5.0
    """
    if isinstance(t_list, (Tensor, Variable)) or not isinstance(t_list, (list, tuple)):
        raise TypeError(f"global_norm: t_list should be a sequence of tensors, got "
                        f"{type(t_list).__name__}.")
    total = None
    for t in t_list:
        if t is None:
            continue
        v = _tensor(t.values if isinstance(t, IndexedSlices) else t)
        s = _reduce_sum(v * v, axes=None, keepdims=False)
        total = s if total is None else total + s
    if total is None:
        raise ValueError("global_norm: t_list holds no tensors (all entries are None).")
    return sqrt(total)


# -- clipping --------------------------------------------------------------------------------------
def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any,
                  name: str | None = None) -> Tensor:
    """Clamp ``t`` to [clip_value_min, clip_value_max] (``tf.clip_by_value``), as TF:
    ``maximum(minimum(t, max), min)``, so at a bound the gradient still flows to ``t`` (ties
    go to the first argument of minimum/maximum). IndexedSlices are clipped value-wise.

    >>> import tapegrad as tf
    >>> tf.clip_by_value([-2.0, 0.5, 3.0], 0.0, 1.0).numpy()
    array([0. , 0.5, 1. ], dtype=float32)
    """
    if isinstance(t, IndexedSlices):
        return IndexedSlices(clip_by_value(t.values, clip_value_min, clip_value_max),
                             t.indices, t.dense_shape)
    tshape = shape_of(t)
    for what, v in (("clip_value_min", clip_value_min), ("clip_value_max", clip_value_max)):
        vs = shape_of(v) if isinstance(v, _Base) else np.shape(v)
        try:
            ok = np.broadcast_shapes(tshape, vs) == tuple(tshape)
        except ValueError:
            ok = False
        if not ok:
            raise InvalidArgumentError(f"clip_by_value: {what} of shape {list(vs)} does not "
                                       f"broadcast to t's shape {list(tshape)}.")
    return _maximum(_minimum(t, clip_value_max), clip_value_min)


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """Rescale ``t`` so its L2 norm over ``axes`` is at most ``clip_norm``
    (``tf.clip_by_norm``): ``t * clip_norm / maximum(l2norm(t), clip_norm)``, with TF's
    safe norm (a zero ``t`` stays zero with a finite gradient).

    >>> import tapegrad as tf
    >>> tf.clip_by_norm([3.0, 4.0], 1.0).numpy()
    array([0.6, 0.8], dtype=float32)
    """
    if isinstance(t, IndexedSlices):
        return IndexedSlices(clip_by_norm(t.values, clip_norm, axes), t.indices, t.dense_shape)
    t = _tensor(t)
    _float_input(t, "clip_by_norm")
    ax = normalize_axes(axes, len(shape_of(t)), "clip_by_norm")
    l2sum = _reduce_sum(t * t, axes=ax, keepdims=True)
    pred = greater(l2sum, 0)
    l2sum_safe = where(pred, l2sum, 1)  # sqrt's gradient at 0 would be inf
    l2norm = where(pred, sqrt(l2sum_safe), l2sum)
    return identity(t * clip_norm / maximum(l2norm, clip_norm))


def clip_by_global_norm(t_list: Any, clip_norm: Any, use_norm: Any = None,
                        name: str | None = None) -> tuple[list, Tensor]:
    """Scale every tensor of ``t_list`` by ``clip_norm / max(global_norm, clip_norm)``
    (``tf.clip_by_global_norm``); returns ``(clipped_list, global_norm)``.

    None entries pass through as None; IndexedSlices stay IndexedSlices. If the global norm is
    inf or NaN every entry becomes NaN, as TF's.

    >>> import tapegrad as tf
    >>> clipped, gn = tf.clip_by_global_norm([[3.0], None, [4.0]], 1.0)
    >>> [None if c is None else c.numpy() for c in clipped], float(gn)
    ([array([0.6], dtype=float32), None, array([0.8], dtype=float32)], 5.0)
    """
    if isinstance(t_list, (Tensor, Variable)) or not isinstance(t_list, (list, tuple)):
        raise TypeError(f"clip_by_global_norm: t_list should be a sequence of tensors, got "
                        f"{type(t_list).__name__}.")
    if use_norm is None:
        use_norm = global_norm(t_list)
    dtype = use_norm._value.dtype if isinstance(use_norm, _Base) else np.float32
    one = np.asarray(1.0, dtype)
    clip_norm = convert_to_tensor(clip_norm, dtype=dtype) if not isinstance(clip_norm, _Base) \
        else clip_norm
    scale = clip_norm * minimum(one / use_norm, one / clip_norm)
    scale = scale + (use_norm - use_norm)  # NaN when the norm is inf or NaN
    out = []
    for t in t_list:
        if t is None:
            out.append(None)
        elif isinstance(t, IndexedSlices):
            out.append(IndexedSlices(identity(t.values * scale), t.indices, t.dense_shape))
        else:
            t = _tensor(t)
            s = scale if t._value.dtype == scale._value.dtype else cast(scale, t.dtype)
            out.append(identity(t * s))
    return out, use_norm


def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: str | None = None,
                 dim: Any = None) -> Tensor:
    """``x / sqrt(max(sum(x**2, axis), epsilon))`` (``tf.math.l2_normalize``), as TF computes it.

    >>> import tapegrad as tf
    >>> tf.math.l2_normalize([3.0, 4.0]).numpy()
    array([0.6, 0.8], dtype=float32)
    """
    axis = dim if axis is None else axis
    x = _tensor(x)
    _float_input(x, "l2_normalize")
    ax = normalize_axes(axis, len(shape_of(x)), "l2_normalize")
    if x._value.dtype.kind == "c":  # as TF: |x|² summed in the real dtype scales both parts
        square_sum = _reduce_sum(square(abs(x)), axes=ax, keepdims=True)
        return multiply(x, cast(_rsqrt(maximum(square_sum, epsilon)), x.dtype))
    square_sum = _reduce_sum(square(x), axes=ax, keepdims=True)
    return multiply(x, _rsqrt(maximum(square_sum, epsilon)))
