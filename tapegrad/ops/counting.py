"""Counting and searching: ``bincount``, ``unique``, ``unique_with_counts``, ``searchsorted``,
``histogram_fixed_width``, and the sorted-segment extrema and ``unsorted_segment_sqrt_n``.

The counting ops return integers or index sets: TF defines no gradient for them, and neither do
we. The segment functions are composed from ``ops/scan.py``'s differentiable segment ops.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.convert import static_int
from ..engine.errors import InvalidArgumentError
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .creation import zeros_like
from .indexing import where
from .math import cast
from .scan import (_segment_ids, unsorted_segment_max, unsorted_segment_min,
                   unsorted_segment_sum)

__all__ = ["bincount", "unique", "unique_with_counts", "searchsorted", "histogram_fixed_width",
           "segment_max", "segment_min", "unsorted_segment_sqrt_n"]

UniqueOutput = namedtuple("UniqueOutput", ["y", "idx"])
UniqueWithCountsOutput = namedtuple("UniqueWithCountsOutput", ["y", "idx", "count"])


def _raw(x: Any) -> Any:
    return x._value if isinstance(x, _Base) else convert_raw(x)


def bincount(arr: Any, weights: Any = None, minlength: Any = None, maxlength: Any = None,
             dtype: Any = _dt.int32, name: str | None = None, axis: Any = None,
             binary_output: bool = False) -> Tensor:
    """Counts of each non-negative integer in ``arr`` (``tf.math.bincount``): ``max(arr) + 1``
    bins, at least ``minlength``, at most ``maxlength``; with ``weights`` their sums (in the
    weights' dtype); ``axis=-1`` counts each row; ``binary_output`` gives 1 for present.

    >>> import tapegrad as tf
    >>> tf.math.bincount([1, 1, 3]).numpy().tolist()
    [0, 2, 0, 1]
    """
    a = np.asarray(_raw(arr))
    if a.dtype.kind not in "iu":
        raise InvalidArgumentError(f"bincount: arr must be int32 or int64, got {a.dtype.name}.")
    if a.size and a.min() < 0:
        raise InvalidArgumentError(f"bincount: arr must be non-negative, got {int(a.min())}.")
    if axis not in (None, 0, -1):
        raise InvalidArgumentError(f"bincount: axis must be None, 0 or -1, got {axis}.")
    n = int(a.max()) + 1 if a.size else 0
    n = max(n, int(minlength or 0))
    if maxlength is not None:
        n = min(n, int(maxlength))
    w = None if weights is None else np.broadcast_to(np.asarray(_raw(weights)), a.shape)
    out_dtype = _dt.np_dtype(dtype) if w is None else w.dtype
    rows = a.reshape(-1, a.shape[-1] if a.ndim else 1) if axis == -1 else a.reshape(1, -1)
    wrows = None if w is None else w.reshape(rows.shape)
    out = np.zeros((rows.shape[0], n), out_dtype)
    for r in range(rows.shape[0]):
        keep = rows[r] < n
        out[r] = np.bincount(rows[r][keep], None if wrows is None else wrows[r][keep],
                             minlength=n)[:n].astype(out_dtype)
    if binary_output:
        out = (out != 0).astype(out_dtype)
    return Tensor(out.reshape(a.shape[:-1] + (n,)) if axis == -1 else out[0])


def _unique(x: Any, out_idx: Any, op: str):
    a = np.asarray(_raw(x))
    if a.ndim != 1:
        raise InvalidArgumentError(f"{op}: x must be a vector, got shape {list(a.shape)}.")
    _, first, inverse, counts = np.unique(a, return_index=True, return_inverse=True,
                                          return_counts=True)
    order = np.argsort(first, kind="stable")  # TF keeps first-occurrence order
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    idt = _dt.np_dtype(out_idx)
    return (Tensor(a[first[order]]), Tensor(rank[inverse.reshape(-1)].astype(idt)),
            Tensor(counts[order].astype(idt)))


def unique(x: Any, out_idx: Any = _dt.int32, name: str | None = None) -> UniqueOutput:
    """The distinct elements of a vector in order of first appearance, and for each element
    its index among them (``tf.unique``).

    >>> import tapegrad as tf
    >>> y, idx = tf.unique([1, 1, 2, 4, 4, 4, 7, 8, 8])
    >>> y.numpy().tolist(), idx.numpy().tolist()
    ([1, 2, 4, 7, 8], [0, 0, 1, 2, 2, 2, 3, 4, 4])
    """
    y, idx, _ = _unique(x, out_idx, "unique")
    return UniqueOutput(y, idx)


def unique_with_counts(x: Any, out_idx: Any = _dt.int32,
                       name: str | None = None) -> UniqueWithCountsOutput:
    """``unique`` and how often each distinct element occurs (``tf.unique_with_counts``).

    >>> import tapegrad as tf
    >>> tf.unique_with_counts([3, 1, 3]).count.numpy().tolist()
    [2, 1]
    """
    return UniqueWithCountsOutput(*_unique(x, out_idx, "unique_with_counts"))


def searchsorted(sorted_sequence: Any, values: Any, side: str = "left",
                 out_type: Any = _dt.int32, name: str | None = None) -> Tensor:
    """Where ``values`` would go in each row of ``sorted_sequence`` to keep it sorted
    (``tf.searchsorted``); rows of the two match on the leading dimensions.

    >>> import tapegrad as tf
    >>> tf.searchsorted([[0, 3, 9, 10]], [[2, 9, 11]], side="right").numpy().tolist()
    [[1, 3, 4]]
    """
    s, v = np.asarray(_raw(sorted_sequence)), np.asarray(_raw(values))
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}.")
    if s.ndim == 0 or s.shape[:-1] != v.shape[:-1]:
        raise InvalidArgumentError(f"searchsorted: sorted_sequence {list(s.shape)} and values "
                                   f"{list(v.shape)} must agree on all but the last dimension.")
    s2, v2 = s.reshape(-1, s.shape[-1]), v.reshape(-1, v.shape[-1] if v.ndim else 1)
    out = np.stack([np.searchsorted(a, b, side=side) for a, b in zip(s2, v2)]) if s2.size \
        else np.zeros(v2.shape, np.int64)
    return Tensor(out.reshape(v.shape).astype(_dt.np_dtype(out_type)))


def histogram_fixed_width(values: Any, value_range: Any, nbins: Any = 100,
                          dtype: Any = _dt.int32, name: str | None = None) -> Tensor:
    """Counts of ``values`` in ``nbins`` equal bins over ``value_range = [lo, hi]``; values
    outside fall in the first or last bin (``tf.histogram_fixed_width``).

    >>> import tapegrad as tf
    >>> tf.histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5).numpy()
    array([2, 1, 1, 0, 2], dtype=int32)
    """
    v, rng = np.asarray(_raw(values)), np.asarray(_raw(value_range))
    if v.dtype.kind not in "iuf" or rng.dtype.kind not in "iuf" or rng.size != 2:
        raise TypeError(f"histogram_fixed_width: values and value_range [lo, hi] must be real "
                        f"numbers, got {_dt.from_numpy(v.dtype).name}{list(v.shape)} and "
                        f"{_dt.from_numpy(rng.dtype).name}{list(rng.shape)}.")
    v = v.astype(np.float64).reshape(-1)
    lo, hi = (float(t) for t in rng.reshape(-1))
    n = static_int(_raw(nbins), "nbins", "histogram_fixed_width")
    if n <= 0 or not hi > lo:
        raise InvalidArgumentError(f"histogram_fixed_width: need nbins > 0 and value_range "
                                   f"[lo, hi] with lo < hi, got nbins={n}, [{lo}, {hi}].")
    with np.errstate(invalid="ignore"):  # NaN lands in bin 0
        bins = np.clip(np.nan_to_num(np.floor((v - lo) / (hi - lo) * n), nan=0.0), 0,
                       n - 1).astype(np.int64)
    return Tensor(np.bincount(bins, minlength=n).astype(_dt.np_dtype(dtype)))


def _sorted_segments(op_fn, data: Any, segment_ids: Any, op: str) -> Tensor:
    """A sorted-segment extremum: the unsorted one, with empty segments 0 as TF's."""
    ids = _segment_ids(data, segment_ids, op)
    if ids.size and (np.any(np.diff(ids.reshape(-1)) < 0) or ids.min() < 0):
        raise InvalidArgumentError(f"{op}: segment_ids must be sorted and non-negative, got "
                                   f"{ids.tolist()}.")
    n = int(ids.max()) + 1 if ids.size else 0
    out = op_fn(data, ids, n)
    present = np.bincount(ids.reshape(-1), minlength=n) > 0
    if present.all():
        return out
    mask = present.reshape((n,) + (1,) * (len(shape_of(out)) - 1))
    return where(np.broadcast_to(mask, shape_of(out)), out, zeros_like(out))


def segment_max(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Maxima of ``data``'s rows over sorted segment ids (``tf.math.segment_max``); empty
    segments are 0, as TF's.

    >>> import tapegrad as tf
    >>> tf.math.segment_max([1.0, 5.0, 2.0], [0, 0, 1]).numpy().tolist()
    [5.0, 2.0]
    """
    return _sorted_segments(unsorted_segment_max, data, segment_ids, "segment_max")


def segment_min(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Minima of ``data``'s rows over sorted segment ids (``tf.math.segment_min``).

    >>> import tapegrad as tf
    >>> tf.math.segment_min([1.0, 5.0, 2.0], [0, 0, 1]).numpy().tolist()
    [1.0, 2.0]
    """
    return _sorted_segments(unsorted_segment_min, data, segment_ids, "segment_min")


def unsorted_segment_sqrt_n(data: Any, segment_ids: Any, num_segments: Any,
                            name: str | None = None) -> Tensor:
    """Segment sums divided by the square root of each segment's size
    (``tf.math.unsorted_segment_sqrt_n``); empty segments are 0.

    >>> import tapegrad as tf
    >>> tf.math.unsorted_segment_sqrt_n([1.0, 3.0, 2.0], [0, 0, 1], 2).numpy()
    array([2.828427, 2.      ], dtype=float32)
    """
    x = data if isinstance(data, _Base) else Tensor(convert_raw(data))
    ids = _segment_ids(x, segment_ids, "unsorted_segment_sqrt_n")
    n = static_int(num_segments, "num_segments", "unsorted_segment_sqrt_n")
    if n < 0:
        raise InvalidArgumentError(f"unsorted_segment_sqrt_n: num_segments must be >= 0, got "
                                   f"{n}.")
    counts = np.bincount(ids[ids >= 0].reshape(-1), minlength=n)[:n]
    extra = len(shape_of(x)) - ids.ndim
    scale = 1.0 / np.sqrt(np.maximum(counts, 1)).reshape((n,) + (1,) * extra)
    if not x.dtype.is_floating:
        raise TypeError(f"unsorted_segment_sqrt_n: data must be a float tensor, got "
                        f"{x.dtype.name}.")
    return unsorted_segment_sum(x, ids, n) * cast(Tensor(scale), x.dtype)
