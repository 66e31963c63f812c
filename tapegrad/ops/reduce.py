"""Reductions over axes: sums, means, extrema, products, log-sum-exp, boolean reductions and
moments (and the axis handling the reduction-like families share)."""

from __future__ import annotations

from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.errors import InvalidArgumentError, named
from ..engine.registry import primitive
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .cumulative import _cumprod
from .array import _broadcast_to, _inverse_perm, _nb, _reshape, _transpose
from .math import _cast, equal, exp, not_equal, sqrt, square

__all__ = [
    "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_logsumexp",
    "reduce_any", "reduce_all", "reduce_variance", "reduce_std", "reduce_euclidean_norm",
    "count_nonzero",
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
        raise named(TypeError(f"{op}: axis must be an int or a list of ints, got {axis!r} "
                              f"({type(axis).__name__}) for an input of rank {rank}."))
    out = set()
    for a in axis:
        a = int(a)
        if not -rank <= a < max(rank, 1):
            raise named(InvalidArgumentError(f"{op}: invalid reduction axis {a} for an input "
                                             f"of rank "
                                             f"{rank} (valid: [{-rank}, {rank}))."))
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
    kept = lead + kept_shape(xshape, axes)
    if tuple(g.shape) != kept:  # keepdims=True cotangents already have the kept shape
        g = _reshape(g, shape=kept)
    if kept == lead + xshape:  # only size-1 axes were reduced
        return g
    return _broadcast_to(g, shape=lead + xshape)


@primitive(name="reduce_sum")
def _reduce_sum(x, *, axes, keepdims):
    if x.dtype.kind == "b":
        _refuse_bool("reduce_sum")
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
    if x.dtype.kind == "b":
        _refuse_bool("reduce_mean")
    if x.dtype.kind in "iu":  # TF: integer mean divides in integers, truncating toward 0
        s = np.sum(x, axis=axes, keepdims=keepdims, dtype=np.int64)
        n = max(_count(x, axes), 1)
        return (np.sign(s) * (np.abs(s) // n)).astype(x.dtype)[()]
    if x.size == 0 and _count(x, axes) == 0:  # TF: NaN, silently (np.mean warns "empty slice")
        return np.full(np.sum(x, axis=axes, keepdims=keepdims).shape, np.nan, x.dtype)[()]
    return np.mean(x, axis=axes, keepdims=keepdims)


def _reduce_mean_vjp(g, ans, x, *, axes, keepdims):
    # divide on the small reduced cotangent, then broadcast: same values, fewer elements divided
    n = _count(x, axes)
    return (_expand_to_input(g if n == 1 else g / n, ans, x, axes),)


_reduce_mean.defvjp(_reduce_mean_vjp)
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
        raise named(TypeError(f"{op}: expects a float tensor, got {_dt.from_numpy(dt).name}"
                              f"{list(shape_of(x))}; cast it first, e.g. tf.cast(x, tf.float32)."))


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
    if x.dtype.kind == "b":
        _refuse_bool("reduce_max")
    return np.max(x, axis=axes, keepdims=keepdims, initial=_lowest(x.dtype))


@primitive(name="reduce_min")
def _reduce_min(x, *, axes, keepdims):
    if x.dtype.kind == "b":
        _refuse_bool("reduce_min")
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


def _refuse_bool(op: str) -> None:
    """TF's sum/mean/prod/max/min kernels take no bool: say so (reduce_any/all take only bool)."""
    raise InvalidArgumentError(f"{op}: no kernel for bool tensors (as TF); cast first, e.g. "
                               f"tf.cast(x, tf.int32), or use reduce_any / reduce_all.")


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
    if x.dtype.kind == "b":
        _refuse_bool("reduce_prod")
    return np.prod(x, axis=axes, keepdims=keepdims, dtype=x.dtype if x.dtype.kind in "iu" else None)


def _prod_of_others(x, axes):
    """For each element, the product of the other elements of its reduced group.

    Built from exclusive cumulative products from both ends (no division), so zeros in ``x``
    give exact gradients, as TF's ``_ProdGrad``.
    """
    xshape = shape_of(x)
    if 0 in tuple(xshape):  # no elements: no products, and a gradient of that empty shape
        return x * 0
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


@primitive(name="finite_max_shift", differentiable=False)
def _finite_max_shift(x, *, axes):
    """max(x) over ``axes`` (kept), 0 where that max is not finite: a stabilizing shift."""
    m = np.max(x, axis=axes, keepdims=True, initial=-np.inf)
    return np.where(np.isfinite(m), m, np.zeros((), x.dtype))


def _softmax_weights(x, axes):
    """softmax(x) over ``axes``, shifted by a constant max (exact where exp(x - ans) would
    carry the rounding of a large ``ans``; a constant shift leaves every derivative alone).
    The shift is an op (without gradient), so a traced function replays it on new values."""
    e = exp(x - _finite_max_shift(x, axes=axes))
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
    >>> round(float(tf.reduce_logsumexp([1000.0, 1000.0])), 3)  # 1000 + log(2)
    1000.693
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
