"""Reductions and scans over axes: sums, extrema, products, norms, clipping, cumulative ops,
arg-extrema, top-k and segment sums (and the axis handling they share)."""

from __future__ import annotations

from typing import Any

from collections import namedtuple

from .._backend import xp as np
from .. import dtypes as _dt
from ..errors import InvalidArgumentError
from ..primitive import primitive
from ..tensor import IndexedSlices, Tensor, Variable, _Base, convert_raw, shape_of
from .array import _broadcast_to, _getitem, _inverse_perm, _nb, _reshape, _transpose, where
from .math import (_cast, _maximum, _minimum, _rsqrt, abs, cast, equal, exp, greater, identity,
                   maximum, minimum, multiply, not_equal, pow, sqrt, square)

__all__ = [
    "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_logsumexp",
    "reduce_any", "reduce_all", "reduce_variance", "reduce_std", "reduce_euclidean_norm",
    "count_nonzero", "norm", "clip_by_value",
    "clip_by_norm", "clip_by_global_norm", "cumsum", "cumprod", "argmax", "argmin", "top_k",
    "unsorted_segment_sum", "segment_sum", "unsorted_segment_mean", "segment_mean",
    "unsorted_segment_max", "unsorted_segment_min", "l2_normalize",
]


def normalize_axes(axis: Any, rank: int, op: str) -> tuple | None:
    """``axis`` (None, int, list or tensor) as a sorted tuple of non-negative ints.

    None means all axes. Out-of-range axes raise InvalidArgumentError (a ValueError) naming the
    op and the rank, as TF.
    """
    if axis is None:
        return None
    if isinstance(axis, _Base):
        axis = axis._value.tolist()
    elif isinstance(axis, np.ndarray):
        axis = axis.tolist()
    if isinstance(axis, (int, np.integer)):
        axis = (int(axis),)
    if not isinstance(axis, (list, tuple)) or not all(
            isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axis):
        raise TypeError(f"{op}: axis must be an int or a list of ints, got {axis!r} "
                        f"({type(axis).__name__}) for an input of rank {rank}.")
    out = set()
    for a in axis:
        a = int(a)
        if not -rank <= a < max(rank, 1):
            raise InvalidArgumentError(f"{op}: invalid reduction axis {a} for an input of rank "
                                       f"{rank} (valid: [{-rank}, {rank})).")
        out.add(a % rank if rank else 0)
    return tuple(sorted(out))


def kept_shape(xshape: tuple, axes: tuple | None) -> tuple:
    """The shape a reduction with ``keepdims=True`` has (1 at each reduced axis)."""
    if axes is None:
        return (1,) * len(xshape)
    return tuple(1 if i in axes else d for i, d in enumerate(xshape))


def _expand_to_input(g, ans, x, axes):
    """Broadcast a reduction's cotangent (maybe batched) back over the reduced axes of ``x``."""
    nb = _nb(g, ans)
    lead = tuple(g.shape[:nb])
    xshape = shape_of(x)
    g = _reshape(g, shape=lead + kept_shape(xshape, axes))
    return _broadcast_to(g, shape=lead + xshape)


@primitive(name="reduce_sum")
def _reduce_sum(x, *, axes, keepdims):
    # NumPy would widen int32 sums to int64; TF keeps the input's dtype
    return np.sum(x, axis=axes, keepdims=keepdims, dtype=x.dtype if x.dtype.kind in "iu" else None)


_reduce_sum.defvjp(lambda g, ans, x, *, axes, keepdims: (_expand_to_input(g, ans, x, axes),))
_reduce_sum.defjvp(lambda t, ans, x, *, axes, keepdims: _reduce_sum(t[0], axes=axes,
                                                                    keepdims=keepdims))


def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Sum over ``axis`` (all axes by default) (``tf.reduce_sum``).

    >>> import tapegrad as tf
    >>> tf.reduce_sum([[1.0, 2.0], [3.0, 4.0]], axis=0).numpy()
    array([4., 6.], dtype=float32)
    """
    rank = len(shape_of(input_tensor))
    return _reduce_sum(input_tensor, axes=normalize_axes(axis, rank, "reduce_sum"),
                       keepdims=bool(keepdims))


def _count(x, axes) -> int:
    shape = shape_of(x)
    if axes is None:
        return int(np.prod(shape, dtype=np.int64))
    return int(np.prod([shape[a] for a in axes], dtype=np.int64))


@primitive(name="reduce_mean")
def _reduce_mean(x, *, axes, keepdims):
    if x.dtype.kind in "iu":  # TF: integer mean divides in integers, truncating toward 0
        s = np.sum(x, axis=axes, keepdims=keepdims, dtype=np.int64)
        n = max(_count(x, axes), 1)
        return (np.sign(s) * (np.abs(s) // n)).astype(x.dtype)[()]
    return np.mean(x, axis=axes, keepdims=keepdims)


_reduce_mean.defvjp(lambda g, ans, x, *, axes, keepdims: (
    _expand_to_input(g, ans, x, axes) / _count(x, axes),))
_reduce_mean.defjvp(lambda t, ans, x, *, axes, keepdims: _reduce_mean(t[0], axes=axes,
                                                                      keepdims=keepdims))


def reduce_mean(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                name: str | None = None) -> Tensor:
    """Mean over ``axis`` (all axes by default) (``tf.reduce_mean``).

    >>> import tapegrad as tf
    >>> tf.reduce_mean([[1.0, 2.0], [3.0, 4.0]], axis=1).numpy()
    array([1.5, 3.5], dtype=float32)
    """
    rank = len(shape_of(input_tensor))
    return _reduce_mean(input_tensor, axes=normalize_axes(axis, rank, "reduce_mean"),
                        keepdims=bool(keepdims))


def _float_input(x, op: str) -> None:
    dt = x._value.dtype if isinstance(x, _Base) else np.asarray(convert_raw(x)).dtype
    if dt.kind not in "fc":
        raise TypeError(f"{op}: expects a float tensor, got {_dt.from_numpy(dt).name}"
                        f"{list(shape_of(x))}; cast it first, e.g. tf.cast(x, tf.float32).")


def _tensor(x) -> Tensor:
    """Lists and arrays as tensors (composite ops below use operators on their inputs)."""
    return x if isinstance(x, _Base) else Tensor(convert_raw(x))


def _keep(ans, x, axes):
    """A reduction's output reshaped to keepdims form, so it broadcasts against ``x``."""
    return _reshape(ans, shape=kept_shape(shape_of(x), axes))


# -- extrema ---------------------------------------------------------------------------------------
def _lowest(dtype):
    """The identity of max: what TF's reduce_max returns for an empty reduction."""
    if dtype.kind == "b":
        return False
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    if dtype.kind == "b":
        return True
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max


@primitive(name="reduce_max")
def _reduce_max(x, *, axes, keepdims):
    return np.max(x, axis=axes, keepdims=keepdims, initial=_lowest(x.dtype))


@primitive(name="reduce_min")
def _reduce_min(x, *, axes, keepdims):
    return np.min(x, axis=axes, keepdims=keepdims, initial=_highest(x.dtype))


def _extremum_weights(ans, x, axes):
    """TF's _MinOrMaxGrad: the elements equal to the extremum share its gradient evenly."""
    hit = _cast(equal(x, _keep(ans, x, axes)), dtype=x._value.dtype)
    return hit / _reduce_sum(hit, axes=axes, keepdims=True)


def _extremum_vjp(g, ans, x, *, axes, keepdims):
    return (_expand_to_input(g, ans, x, axes) * _extremum_weights(ans, x, axes),)


def _extremum_jvp(t, ans, x, *, axes, keepdims):
    return _reduce_sum(t[0] * _extremum_weights(ans, x, axes), axes=axes, keepdims=keepdims)


_reduce_max.defvjp(_extremum_vjp)
_reduce_max.defjvp(_extremum_jvp)
_reduce_min.defvjp(_extremum_vjp)
_reduce_min.defjvp(_extremum_jvp)


def _reduction(prim, op, input_tensor, axis, keepdims):
    rank = len(shape_of(input_tensor))
    return prim(input_tensor, axes=normalize_axes(axis, rank, op), keepdims=bool(keepdims))


def reduce_max(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Maximum over ``axis`` (all axes by default) (``tf.reduce_max``).

    Ties split the gradient evenly, as TF: d/dx reduce_max([1, 3, 3]) = [0, 0.5, 0.5].

    >>> import tapegrad as tf
    >>> tf.reduce_max([[1.0, 5.0], [3.0, 4.0]], axis=0).numpy()
    array([3., 5.], dtype=float32)
    """
    return _reduction(_reduce_max, "reduce_max", input_tensor, axis, keepdims)


def reduce_min(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Minimum over ``axis`` (all axes by default) (``tf.reduce_min``); ties split the
    gradient evenly, as TF.

    >>> import tapegrad as tf
    >>> tf.reduce_min([[1.0, 5.0], [3.0, 4.0]], axis=1).numpy()
    array([1., 3.], dtype=float32)
    """
    return _reduction(_reduce_min, "reduce_min", input_tensor, axis, keepdims)


# -- products and log-sum-exp ------------------------------------------------------------------
@primitive(name="reduce_prod")
def _reduce_prod(x, *, axes, keepdims):
    return np.prod(x, axis=axes, keepdims=keepdims, dtype=x.dtype if x.dtype.kind in "iu" else None)


def _prod_of_others(x, axes):
    """For each element, the product of the other elements of its reduced group.

    Built from exclusive cumulative products from both ends (no division), so zeros in ``x``
    give exact gradients, as TF's ``_ProdGrad``.
    """
    xshape = shape_of(x)
    rank = len(xshape)
    red = tuple(range(rank)) if axes is None else axes
    kept = tuple(i for i in range(rank) if i not in red)
    perm = kept + red
    n = int(np.prod([xshape[i] for i in red], dtype=np.int64))
    flat = _reshape(_transpose(x, perm=perm), shape=tuple(xshape[i] for i in kept) + (n,))
    last = len(kept)
    others = (_cumprod(flat, axis=last, exclusive=True, reverse=False) *
              _cumprod(flat, axis=last, exclusive=True, reverse=True))
    others = _reshape(others, shape=tuple(xshape[i] for i in perm))
    return _transpose(others, perm=_inverse_perm(perm))


_reduce_prod.defvjp(lambda g, ans, x, *, axes, keepdims: (
    _expand_to_input(g, ans, x, axes) * _prod_of_others(x, axes),))
_reduce_prod.defjvp(lambda t, ans, x, *, axes, keepdims: _reduce_sum(
    t[0] * _prod_of_others(x, axes), axes=axes, keepdims=keepdims))


def reduce_prod(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                name: str | None = None) -> Tensor:
    """Product over ``axis`` (all axes by default) (``tf.reduce_prod``); the gradient is exact
    when some elements are zero.

    >>> import tapegrad as tf
    >>> tf.reduce_prod([[1.0, 2.0], [3.0, 4.0]], axis=1).numpy()
    array([ 2., 12.], dtype=float32)
    """
    return _reduction(_reduce_prod, "reduce_prod", input_tensor, axis, keepdims)


@primitive(name="reduce_logsumexp")
def _reduce_logsumexp(x, *, axes, keepdims):
    m = np.max(x, axis=axes, keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, np.zeros((), x.dtype))  # all -inf rows give -inf, not NaN
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axes)[()]


def _softmax_weights(x, axes):
    """softmax(x) over ``axes``, shifted by a constant max (exact where exp(x - ans) would
    carry the rounding of a large ``ans``; a constant shift leaves every derivative alone)."""
    xv = x._value
    m = np.max(xv, axis=axes, keepdims=True, initial=-np.inf)
    e = exp(x - Tensor(np.where(np.isfinite(m), m, np.zeros((), xv.dtype))))
    return e / _reduce_sum(e, axes=axes, keepdims=True)


# d logsumexp(x) = softmax(x) . dx
_reduce_logsumexp.defvjp(lambda g, ans, x, *, axes, keepdims: (
    _expand_to_input(g, ans, x, axes) * _softmax_weights(x, axes),))
_reduce_logsumexp.defjvp(lambda t, ans, x, *, axes, keepdims: _reduce_sum(
    t[0] * _softmax_weights(x, axes), axes=axes, keepdims=keepdims))


def reduce_logsumexp(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                     name: str | None = None) -> Tensor:
    """log(sum(exp(x))) over ``axis``, stable for large values (``tf.reduce_logsumexp``).

    >>> import tapegrad as tf
    >>> print(tf.reduce_logsumexp([1000.0, 1000.0]).numpy())
    1000.6932
    """
    _float_input(input_tensor, "reduce_logsumexp")
    return _reduction(_reduce_logsumexp, "reduce_logsumexp", input_tensor, axis, keepdims)


# -- boolean reductions ---------------------------------------------------------------------------
@primitive(name="reduce_any", differentiable=False)
def _reduce_any(x, *, axes, keepdims):
    return np.any(x, axis=axes, keepdims=keepdims)


@primitive(name="reduce_all", differentiable=False)
def _reduce_all(x, *, axes, keepdims):
    return np.all(x, axis=axes, keepdims=keepdims)


def _bool_input(x, op: str) -> None:
    dt = x._value.dtype if isinstance(x, _Base) else np.asarray(convert_raw(x)).dtype
    if dt != np.bool_:
        raise TypeError(f"{op}: expects a bool tensor, got {_dt.from_numpy(dt).name}"
                        f"{list(shape_of(x))}.")


def reduce_any(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Logical OR over ``axis`` of a bool tensor (``tf.reduce_any``).

    >>> import tapegrad as tf
    >>> tf.reduce_any([[True, False], [False, False]], axis=1).numpy()
    array([ True, False])
    """
    _bool_input(input_tensor, "reduce_any")
    return _reduction(_reduce_any, "reduce_any", input_tensor, axis, keepdims)


def reduce_all(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Logical AND over ``axis`` of a bool tensor (``tf.reduce_all``).

    >>> import tapegrad as tf
    >>> tf.reduce_all([[True, False], [True, True]], axis=1).numpy()
    array([False,  True])
    """
    _bool_input(input_tensor, "reduce_all")
    return _reduction(_reduce_all, "reduce_all", input_tensor, axis, keepdims)


# -- moments ---------------------------------------------------------------------------------------
def reduce_variance(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                    name: str | None = None) -> Tensor:
    """Population variance (divides by N) over ``axis`` (``tf.math.reduce_variance``),
    computed as TF: mean(square(x - mean(x))).

    >>> import tapegrad as tf
    >>> print(tf.math.reduce_variance([[1.0, 2.0], [3.0, 4.0]]).numpy())
    1.25
    """
    input_tensor = _tensor(input_tensor)
    _float_input(input_tensor, "reduce_variance")
    mean = reduce_mean(input_tensor, axis=axis, keepdims=True)
    return reduce_mean(square(input_tensor - mean), axis=axis, keepdims=keepdims)


def reduce_std(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Population standard deviation over ``axis`` (``tf.math.reduce_std``): the square root of
    ``reduce_variance``; its gradient is NaN where the variance is 0, as TF's.

    >>> import tapegrad as tf
    >>> tf.math.reduce_std([[1.0, 2.0], [3.0, 4.0]], axis=0).numpy()
    array([1., 1.], dtype=float32)
    """
    return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def count_nonzero(input: Any, axis: Any = None, keepdims: Any = None,  # noqa: A002
                  dtype: Any = _dt.int64, name: str | None = None) -> Tensor:
    """Number of non-zero entries over ``axis`` (``tf.math.count_nonzero``), int64 by default.

    >>> import tapegrad as tf
    >>> tf.math.count_nonzero([[0.0, 1.5], [2.0, 0.0]], axis=1).numpy()
    array([1, 1])
    """
    x = _tensor(input)
    nz = not_equal(x, False if x._value.dtype == np.bool_ else 0)
    return reduce_sum(_cast(nz, dtype=_dt.np_dtype(dtype)), axis=axis, keepdims=bool(keepdims))


def reduce_euclidean_norm(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                          name: str | None = None) -> Tensor:
    """sqrt(sum(x ** 2)) over ``axis`` (``tf.math.reduce_euclidean_norm``); its gradient is
    x / norm (NaN at the zero vector, as TF's).

    >>> import tapegrad as tf
    >>> tf.math.reduce_euclidean_norm([[3.0, 4.0], [6.0, 8.0]], axis=1).numpy()
    array([ 5., 10.], dtype=float32)
    """
    x = _tensor(input_tensor)
    _float_input(x, "reduce_euclidean_norm")
    return sqrt(reduce_sum(x * x, axis=axis, keepdims=keepdims))


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
        from . import linalg as _la
        if not hasattr(_la, "svd"):
            raise NotImplementedError("norm: ord=2 for matrices needs tf.linalg.svd.")
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
    >>> from tapegrad.ops.reduce import global_norm
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
    square_sum = _reduce_sum(square(x), axes=ax, keepdims=True)
    return multiply(x, _rsqrt(maximum(square_sum, epsilon)))


# -- scans -----------------------------------------------------------------------------------------
def _scan(fn, x, axis, exclusive, reverse, fill):
    if reverse:
        x = np.flip(x, axis)
    out = fn(x, axis=axis, dtype=x.dtype)
    if exclusive:
        pad = np.full_like(np.take(out, [0], axis=axis), fill)
        out = np.concatenate([pad, np.take(out, np.arange(x.shape[axis] - 1), axis=axis)], axis)
    return np.flip(out, axis) if reverse else out


@primitive(name="cumsum")
def _cumsum(x, *, axis, exclusive, reverse):
    return _scan(np.cumsum, x, axis, exclusive, reverse, 0)


# the transpose of a running sum is the running sum in the other direction
_cumsum.defvjp(lambda g, ans, x, *, axis, exclusive, reverse: (
    _cumsum(g, axis=axis + _nb(g, ans), exclusive=exclusive, reverse=not reverse),))
_cumsum.defjvp(lambda t, ans, x, *, axis, exclusive, reverse: _cumsum(
    t[0], axis=axis, exclusive=exclusive, reverse=reverse))


def _scan_axis(x, axis, op):
    rank = len(shape_of(x))
    if isinstance(axis, _Base):
        axis = int(axis._value)
    if rank == 0 or not -rank <= int(axis) < rank:
        raise ValueError(f"{op}: axis {axis} is out of range for an input of rank {rank} "
                         f"(shape {list(shape_of(x))}).")
    return int(axis) % rank


def cumsum(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
           name: str | None = None) -> Tensor:
    """Running sum along ``axis`` (``tf.math.cumsum``); ``exclusive`` leaves out the current
    element, ``reverse`` runs from the end.

    >>> import tapegrad as tf
    >>> tf.math.cumsum([1.0, 2.0, 3.0], exclusive=True, reverse=True).numpy()
    array([5., 3., 0.], dtype=float32)
    """
    return _cumsum(x, axis=_scan_axis(x, axis, "cumsum"), exclusive=bool(exclusive),
                   reverse=bool(reverse))


@primitive(name="cumprod")
def _cumprod(x, *, axis, exclusive, reverse):
    return _scan(np.cumprod, x, axis, exclusive, reverse, 1)


# TF's CumprodGrad: dx = cumsum(ans * g, reverse=not reverse) / x (divides by x: inputs with
# zeros get NaN gradients, as in TF). Forward: d ans = ans * cumsum(dx / x).
_cumprod.defvjp(lambda g, ans, x, *, axis, exclusive, reverse: (
    _cumsum(ans * g, axis=axis + _nb(g, ans), exclusive=exclusive, reverse=not reverse) / x,))
_cumprod.defjvp(lambda t, ans, x, *, axis, exclusive, reverse: ans * _cumsum(
    t[0] / x, axis=axis, exclusive=exclusive, reverse=reverse))


def cumprod(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
            name: str | None = None) -> Tensor:
    """Running product along ``axis`` (``tf.math.cumprod``), with ``exclusive``/``reverse`` as
    ``cumsum``. Its gradient divides by ``x`` (NaN at zeros), as TF's.

    >>> import tapegrad as tf
    >>> tf.math.cumprod([1.0, 2.0, 3.0], exclusive=True).numpy()
    array([1., 1., 2.], dtype=float32)
    """
    return _cumprod(x, axis=_scan_axis(x, axis, "cumprod"), exclusive=bool(exclusive),
                    reverse=bool(reverse))


# -- arg-extrema and top-k (integer results: no gradient) ---------------------------------------
def _skip_nan(x, fill):
    # TF's kernels compare with > / <, so a NaN never wins (NumPy's argmax would pick it)
    if x.dtype.kind == "f" and np.isnan(x).any():
        return np.where(np.isnan(x), fill, x)
    return x


@primitive(name="argmax", differentiable=False)
def _argmax(x, *, axis, output_type):
    return np.argmax(_skip_nan(x, -np.inf), axis=axis).astype(output_type)


@primitive(name="argmin", differentiable=False)
def _argmin(x, *, axis, output_type):
    return np.argmin(_skip_nan(x, np.inf), axis=axis).astype(output_type)


def _arg_extremum(prim, op, x, axis, output_type):
    axis = 0 if axis is None else axis
    out = _dt.np_dtype(output_type)
    if out not in (np.int32, np.int64, np.int16, np.uint16):
        raise TypeError(f"{op}: output_type must be an integer dtype, got {output_type!r}.")
    if len(shape_of(x)) and shape_of(x)[_scan_axis(x, axis, op)] == 0:
        raise InvalidArgumentError(f"{op}: reduction axis {axis} is empty in shape "
                                   f"{list(shape_of(x))}.")
    return prim(x, axis=_scan_axis(x, axis, op), output_type=out)


def argmax(input: Any, axis: Any = None, output_type: Any = _dt.int64,  # noqa: A002
           name: str | None = None) -> Tensor:
    """Index of the largest value along ``axis`` (default 0) (``tf.math.argmax``); the first
    one on ties. int64 by default; no gradient.

    >>> import tapegrad as tf
    >>> tf.math.argmax([[1.0, 5.0], [3.0, 4.0]], axis=1).numpy()
    array([1, 1])
    """
    return _arg_extremum(_argmax, "argmax", input, axis, output_type)


def argmin(input: Any, axis: Any = None, output_type: Any = _dt.int64,  # noqa: A002
           name: str | None = None) -> Tensor:
    """Index of the smallest value along ``axis`` (default 0) (``tf.math.argmin``); the first
    one on ties. int64 by default; no gradient.

    >>> import tapegrad as tf
    >>> tf.math.argmin([[1.0, 5.0], [3.0, 4.0]], axis=0).numpy()
    array([0, 1])
    """
    return _arg_extremum(_argmin, "argmin", input, axis, output_type)


TopKV2 = namedtuple("TopKV2", ["values", "indices"])


def top_k(input: Any, k: int = 1, sorted: bool = True,  # noqa: A002
          name: str | None = None) -> TopKV2:
    """The ``k`` largest entries of the last axis and their int32 indices
    (``tf.math.top_k``); equal values keep the lower index first. ``values`` is
    differentiable (the gradient scatters back to the chosen entries).

    >>> import tapegrad as tf
    >>> values, indices = tf.math.top_k([1.0, 4.0, 2.0, 4.0], k=2)
    >>> values.numpy(), indices.numpy()
    (array([4., 4.], dtype=float32), array([1, 3], dtype=int32))
    """
    shape = shape_of(input)
    k = int(k._value) if isinstance(k, _Base) else int(k)
    if len(shape) == 0 or not 0 <= k <= shape[-1]:
        raise InvalidArgumentError(f"top_k: input must have rank >= 1 and at least k={k} "
                                   f"entries in its last axis, got shape {list(shape)}.")
    v = input._value if isinstance(input, _Base) else convert_raw(input)
    key = -(v.astype(np.int64) if v.dtype.kind in "ub" else v)
    if key.dtype.kind == "f" and np.isnan(key).any():
        key = np.where(np.isnan(key), -np.inf, key)  # TF ranks NaN first
    idx = np.argsort(key, axis=-1, kind="stable")[..., :k]
    lead = shape[:-1]
    grids = np.meshgrid(*[np.arange(d) for d in lead], indexing="ij") if lead else []
    index = tuple(gr[..., None] for gr in grids) + (idx,)
    values = _getitem(input, index=index)
    return TopKV2(values, Tensor(idx.astype(np.int32)))


# -- segment sums ----------------------------------------------------------------------------------
@primitive(name="unsorted_segment_sum")
def _unsorted_segment_sum(data, *, ids, num_segments, nb=0):
    lead = data.shape[:nb]
    out = np.zeros(lead + (num_segments,) + data.shape[nb + ids.ndim:], dtype=data.dtype)
    keep = ids >= 0  # TF drops negative segment ids
    if keep.all():
        np.add.at(out, (slice(None),) * nb + (ids,), data)
    else:
        np.add.at(out, (slice(None),) * nb + (ids[keep],), data[(slice(None),) * nb + (keep,)])
    return out


@primitive(name="segment_gather")
def _segment_gather(g, *, ids, nb):
    """Row ``ids[i]`` of ``g`` for each i (0 where ids[i] < 0): the transpose of the sum."""
    out = np.take(g, np.maximum(ids, 0), axis=nb)
    if (ids < 0).any():
        mask = (ids >= 0).reshape((1,) * nb + ids.shape + (1,) * (g.ndim - nb - 1))
        out = np.where(mask, out, np.zeros((), out.dtype))
    return out


_unsorted_segment_sum.defvjp(lambda g, ans, data, *, ids, num_segments, nb=0: (
    _segment_gather(g, ids=ids, nb=nb + _nb(g, ans)),))
_unsorted_segment_sum.defjvp(lambda t, ans, data, *, ids, num_segments, nb=0:
                             _unsorted_segment_sum(t[0], ids=ids, num_segments=num_segments,
                                                   nb=nb))
_segment_gather.defvjp(lambda g, ans, x, *, ids, nb: (_unsorted_segment_sum(
    g, ids=ids, num_segments=shape_of(x)[nb], nb=nb + _nb(g, ans)),))
_segment_gather.defjvp(lambda t, ans, x, *, ids, nb: _segment_gather(t[0], ids=ids, nb=nb))


def _segment_ids(data, segment_ids, op):
    ids = segment_ids._value if isinstance(segment_ids, _Base) else np.asarray(segment_ids)
    if ids.dtype.kind not in "iu":
        raise TypeError(f"{op}: segment_ids must be int32 or int64, got "
                        f"{_dt.from_numpy(ids.dtype).name}.")
    dshape = shape_of(data)
    if tuple(dshape[:ids.ndim]) != tuple(ids.shape):
        raise InvalidArgumentError(f"{op}: segment_ids shape {list(ids.shape)} is not a prefix "
                                   f"of data shape {list(dshape)}.")
    return ids.astype(np.int64)


def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any,
                         name: str | None = None) -> Tensor:
    """Sum the entries of ``data`` that share a segment id (``tf.math.unsorted_segment_sum``):
    ``out[j] = sum of data[i] with segment_ids[i] == j``; negative ids are dropped.

    >>> import tapegrad as tf
    >>> tf.math.unsorted_segment_sum([1.0, 2.0, 3.0, 4.0], [1, 0, 1, -1], 3).numpy()
    array([2., 4., 0.], dtype=float32)
    """
    ids = _segment_ids(data, segment_ids, "unsorted_segment_sum")
    n = int(num_segments._value) if isinstance(num_segments, _Base) else int(num_segments)
    if ids.size and ids.max() >= n:
        raise InvalidArgumentError(f"unsorted_segment_sum: segment id {int(ids.max())} is out "
                                   f"of range [0, {n}).")
    return _unsorted_segment_sum(data, ids=ids, num_segments=n)


def segment_sum(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Sum over segments given by sorted, non-negative 1-D ``segment_ids``
    (``tf.math.segment_sum``); there are ``segment_ids[-1] + 1`` segments.

    >>> import tapegrad as tf
    >>> tf.math.segment_sum([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [0, 0, 1]).numpy()
    array([[4., 6.],
           [5., 6.]], dtype=float32)
    """
    ids = _segment_ids(data, segment_ids, "segment_sum")
    if ids.ndim != 1 or (ids.size and (ids[0] < 0 or np.any(np.diff(ids) < 0))):
        raise InvalidArgumentError(f"segment_sum: segment_ids must be a sorted, non-negative "
                                   f"1-D tensor, got {ids.tolist()}.")
    n = int(ids[-1]) + 1 if ids.size else 0
    return _unsorted_segment_sum(data, ids=ids, num_segments=n)


def _segment_counts(ids, num_segments, data):
    """How many rows each segment has (at least 1), shaped to broadcast against the sums."""
    ids = ids[ids >= 0]
    n = np.bincount(ids.ravel(), minlength=num_segments)[:num_segments]
    extra = len(shape_of(data)) - ids.ndim if ids.ndim else len(shape_of(data)) - 1
    dt = data._value.dtype if isinstance(data, _Base) else np.asarray(convert_raw(data)).dtype
    return np.maximum(n, 1).astype(dt).reshape((num_segments,) + (1,) * extra)


def unsorted_segment_mean(data: Any, segment_ids: Any, num_segments: Any,
                          name: str | None = None) -> Tensor:
    """Mean of the entries of ``data`` that share a segment id
    (``tf.math.unsorted_segment_mean``); empty segments are 0.

    >>> import tapegrad as tf
    >>> tf.math.unsorted_segment_mean([1.0, 2.0, 4.0], [1, 0, 1], 3).numpy()
    array([2. , 2.5, 0. ], dtype=float32)
    """
    data = _tensor(data)
    total = unsorted_segment_sum(data, segment_ids, num_segments)
    ids = _segment_ids(data, segment_ids, "unsorted_segment_mean")
    return total / _segment_counts(ids, shape_of(total)[0], data)


def segment_mean(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Mean over segments given by sorted, non-negative 1-D ``segment_ids``
    (``tf.math.segment_mean``).

    >>> import tapegrad as tf
    >>> tf.math.segment_mean([1.0, 3.0, 5.0], [0, 0, 1]).numpy()
    array([2., 5.], dtype=float32)
    """
    data = _tensor(data)
    total = segment_sum(data, segment_ids)
    ids = _segment_ids(data, segment_ids, "segment_mean")
    return total / _segment_counts(ids, shape_of(total)[0], data)


def _finite_limit(dtype, which: str):
    """TF fills empty segments with the dtype's lowest/highest *finite* value."""
    info = np.finfo(dtype) if dtype.kind == "f" else np.iinfo(dtype)
    return info.min if which == "min" else info.max


@primitive(name="unsorted_segment_max")
def _unsorted_segment_max(data, *, ids, num_segments):
    out = np.full((num_segments,) + data.shape[ids.ndim:], _finite_limit(data.dtype, "min"),
                  data.dtype)
    keep = ids >= 0
    np.maximum.at(out, ids[keep], data[keep])
    return out


@primitive(name="unsorted_segment_min")
def _unsorted_segment_min(data, *, ids, num_segments):
    out = np.full((num_segments,) + data.shape[ids.ndim:], _finite_limit(data.dtype, "max"),
                  data.dtype)
    keep = ids >= 0
    np.minimum.at(out, ids[keep], data[keep])
    return out


def _segment_extremum_weights(ans, data, ids, num_segments):
    """TF's _UnsortedSegmentMinOrMaxGrad: the rows equal to their segment's extremum share its
    gradient evenly; ``data``-shaped weights (0 for rows that were not selected)."""
    dt = data._value.dtype
    hit = _cast(equal(data, _segment_gather(ans, ids=ids, nb=0)), dtype=dt)
    if (ids < 0).any():  # dropped rows are never selected
        hit = hit * (ids >= 0).reshape(ids.shape + (1,) * (hit.ndim - ids.ndim)).astype(dt)
    count = _unsorted_segment_sum(hit, ids=ids, num_segments=num_segments)
    return hit / maximum(_segment_gather(count, ids=ids, nb=0), 1)


def _segment_extremum_vjp(g, ans, data, *, ids, num_segments):
    nb = _nb(g, ans)
    return (_segment_gather(g, ids=ids, nb=nb) *
            _segment_extremum_weights(ans, data, ids, num_segments),)


def _segment_extremum_jvp(t, ans, data, *, ids, num_segments):
    w = _segment_extremum_weights(ans, data, ids, num_segments)
    return _unsorted_segment_sum(t[0] * w, ids=ids, num_segments=num_segments)


_unsorted_segment_max.defvjp(_segment_extremum_vjp)
_unsorted_segment_max.defjvp(_segment_extremum_jvp)
_unsorted_segment_min.defvjp(_segment_extremum_vjp)
_unsorted_segment_min.defjvp(_segment_extremum_jvp)


def unsorted_segment_max(data: Any, segment_ids: Any, num_segments: Any,
                         name: str | None = None) -> Tensor:
    """Maximum of the entries of ``data`` that share a segment id
    (``tf.math.unsorted_segment_max``); empty segments hold the dtype's lowest finite value. Ties in
    a segment split its gradient evenly, as TF.

    >>> import tapegrad as tf
    >>> tf.math.unsorted_segment_max([1.0, 2.0, 4.0], [1, 0, 1], 2).numpy()
    array([2., 4.], dtype=float32)
    """
    ids = _segment_ids(data, segment_ids, "unsorted_segment_max")
    n = int(num_segments._value) if isinstance(num_segments, _Base) else int(num_segments)
    if ids.size and ids.max() >= n:
        raise InvalidArgumentError(f"unsorted_segment_max: segment id {int(ids.max())} is out "
                                   f"of range [0, {n}).")
    return _unsorted_segment_max(data, ids=ids, num_segments=n)


def unsorted_segment_min(data: Any, segment_ids: Any, num_segments: Any,
                         name: str | None = None) -> Tensor:
    """Minimum of the entries of ``data`` that share a segment id
    (``tf.math.unsorted_segment_min``); empty segments hold the dtype's highest finite value.

    >>> import tapegrad as tf
    >>> tf.math.unsorted_segment_min([1.0, 2.0, 4.0], [1, 0, 1], 2).numpy()
    array([2., 1.], dtype=float32)
    """
    ids = _segment_ids(data, segment_ids, "unsorted_segment_min")
    n = int(num_segments._value) if isinstance(num_segments, _Base) else int(num_segments)
    if ids.size and ids.max() >= n:
        raise InvalidArgumentError(f"unsorted_segment_min: segment id {int(ids.max())} is out "
                                   f"of range [0, {n}).")
    return _unsorted_segment_min(data, ids=ids, num_segments=n)
