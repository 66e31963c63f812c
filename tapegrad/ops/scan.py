"""Scans and index-valued reductions: cumsum/cumprod, argmax/argmin, top_k, and segment
sums, means and extrema."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.convert import static_int
from ..engine.errors import InvalidArgumentError, named
from ..engine.registry import primitive
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .array import _nb
from .cumulative import _cumprod, _cumsum
from .indexing import _take_along_last
from .math import _cast, equal, maximum
from .reduce import _tensor

__all__ = [
    "cumsum", "cumprod", "argmax", "argmin", "top_k",
    "unsorted_segment_sum", "segment_sum", "unsorted_segment_mean", "segment_mean",
    "unsorted_segment_max", "unsorted_segment_min",
]


# -- scans (the primitives live in cumulative.py) ------------------------------------------------
def _scan_axis(x, axis, op):
    rank = len(shape_of(x))
    axis = static_int(axis, "axis", op)
    if rank == 0 or not -rank <= axis < rank:
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


@primitive(name="top_k_indices", differentiable=False)
def _top_k_indices(x, *, k):
    """int32 indices of the ``k`` largest entries of each last-axis row, lower index first on
    ties, NaN ranked first (as TF)."""
    key = -(x.astype(np.int64) if x.dtype.kind in "ub" else x)
    if key.dtype.kind == "f" and np.isnan(key).any():
        key = np.where(np.isnan(key), -np.inf, key)
    return np.argsort(key, axis=-1, kind="stable")[..., :k].astype(np.int32)


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
    k = static_int(k, "k", "top_k")
    if len(shape) == 0 or not 0 <= k <= shape[-1]:
        raise InvalidArgumentError(f"top_k: input must have rank >= 1 and at least k={k} "
                                   f"entries in its last axis, got shape {list(shape)}.")
    x = input if isinstance(input, _Base) else convert_raw(input)
    idx = _top_k_indices(x, k=k)
    # the indices are an input of the gather (and of its gradient), so a trace replays them
    return TopKV2(_take_along_last(x, idx), idx)


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
    ids = segment_ids._value if isinstance(segment_ids, _Base) else convert_raw(segment_ids)
    if ids.dtype.kind not in "iu" or ids.ndim == 0:
        raise named(TypeError(f"{op}: segment_ids must be an int32 or int64 tensor of rank "
                              f">= 1, got {ids.dtype}{list(ids.shape)}."))
    dshape = shape_of(data)
    if tuple(dshape[:ids.ndim]) != tuple(ids.shape):
        raise named(InvalidArgumentError(f"{op}: segment_ids shape {list(ids.shape)} is not a "
                                         f"prefix "
                                         f"of data shape {list(dshape)}."))
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
    n = static_int(num_segments, "num_segments", "unsorted_segment_sum")
    if n < 0:
        raise named(InvalidArgumentError(f"unsorted_segment_sum: num_segments must be >= 0, "
                                         f"got {n}."))
    if ids.size and ids.max() >= n:
        raise named(InvalidArgumentError(f"unsorted_segment_sum: segment id {int(ids.max())} "
                                         f"is out "
                                         f"of range [0, {n})."))
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
    n = static_int(num_segments, "num_segments", "unsorted_segment_max")
    if ids.size and ids.max() >= n:
        raise named(InvalidArgumentError(f"unsorted_segment_max: segment id {int(ids.max())} "
                                         f"is out "
                                         f"of range [0, {n})."))
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
    n = static_int(num_segments, "num_segments", "unsorted_segment_min")
    if ids.size and ids.max() >= n:
        raise named(InvalidArgumentError(f"unsorted_segment_min: segment id {int(ids.max())} "
                                         f"is out "
                                         f"of range [0, {n})."))
    return _unsorted_segment_min(data, ids=ids, num_segments=n)
