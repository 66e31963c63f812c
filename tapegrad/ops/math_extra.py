"""tf.math names built from other families: ``angle``, the segment products and
``confusion_matrix``. They are compositions, so their gradients are those of the ops they use."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import dtypes as _dt
from ..engine.errors import InvalidArgumentError
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .array import concat, reshape
from .complex import imag, real
from .creation import ones
from .indexing import gather
from .reduce import reduce_prod
from .scan import _segment_ids
from .special import atan2

__all__ = ["angle", "unsorted_segment_prod", "segment_prod", "confusion_matrix"]


def _tensor(x: Any) -> Any:
    return x if isinstance(x, _Base) else Tensor(convert_raw(x))


def angle(input: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """The argument of complex numbers, ``atan2(imag, real)`` (``tf.math.angle``); a real
    input gives π where it is negative and 0 elsewhere, with no gradient, as TF's.

    >>> import tapegrad as tf
    >>> tf.math.angle(tf.complex([1.0, -1.0], [1.0, 0.0])).numpy().round(4)
    array([0.7854, 3.1416], dtype=float32)
    >>> tf.math.angle([-2.0, 3.0]).numpy().round(4)
    array([3.1416, 0.    ], dtype=float32)
    """
    z = _tensor(input)
    if z.dtype.is_complex:
        return atan2(imag(z), real(z))
    v = z._value
    if v.dtype.kind not in "f":
        raise TypeError(f"angle: input must be a float or complex tensor, got {z.dtype.name}.")
    return Tensor(np.where(v < 0, np.pi, 0).astype(v.dtype))  # a constant: no gradient


def _segment_table(ids: np.ndarray, n: int) -> tuple[np.ndarray, int]:
    """For ``n`` segments, the row of each segment's k-th member (``len(ids)`` where a segment
    has fewer members: that row holds ones). Shape ``[n * longest]``."""
    keep = np.flatnonzero(ids >= 0)
    counts = np.bincount(ids[keep], minlength=n)[:n]
    longest = int(counts.max()) if counts.size else 0
    table = np.full((n, max(longest, 1)), len(ids), np.int64)
    order = keep[np.argsort(ids[keep], kind="stable")]
    seg = ids[order]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    table[seg, np.arange(len(order)) - starts[seg]] = order
    return table.reshape(-1), max(longest, 1)


def _segment_prod(data: Any, ids: np.ndarray, n: int) -> Tensor:
    """Products over segments: the rows are gathered into an ``[n, longest, ...]`` block padded
    with ones, then multiplied along the second axis (so zeros get reduce_prod's gradient)."""
    x = _tensor(data)
    rest = tuple(shape_of(x)[ids.ndim:])
    rows = reshape(x, (-1,) + rest) if ids.ndim != 1 else x
    flat = ids.reshape(-1)
    table, longest = _segment_table(flat, n)
    padded = concat([rows, ones((1,) + rest, x.dtype)], 0)
    block = reshape(gather(padded, table), (n, longest) + rest)
    return reduce_prod(block, axis=1)


def unsorted_segment_prod(data: Any, segment_ids: Any, num_segments: Any,
                          name: str | None = None) -> Tensor:
    """Product of the entries of ``data`` that share a segment id
    (``tf.math.unsorted_segment_prod``); empty segments are 1, negative ids are dropped.
    Gradients treat zeros as TF does (the one zero of a segment gets the others' product).

    >>> import tapegrad as tf
    >>> tf.math.unsorted_segment_prod([1.0, 2.0, 3.0, 4.0], [1, 0, 1, -1], 3).numpy()
    array([2., 3., 1.], dtype=float32)
    """
    ids = _segment_ids(data, segment_ids, "unsorted_segment_prod")
    n = int(num_segments._value) if isinstance(num_segments, _Base) else int(num_segments)
    if ids.size and ids.max() >= n:
        raise InvalidArgumentError(f"unsorted_segment_prod: segment id {int(ids.max())} is out "
                                   f"of range [0, {n}).")
    return _segment_prod(data, ids, n)


def segment_prod(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Product over segments given by sorted, non-negative 1-D ``segment_ids``
    (``tf.math.segment_prod``); there are ``segment_ids[-1] + 1`` segments, empty ones are 1.

    >>> import tapegrad as tf
    >>> tf.math.segment_prod([1.0, 2.0, 3.0, 4.0], [0, 0, 2, 2]).numpy()
    array([ 2.,  1., 12.], dtype=float32)
    """
    ids = _segment_ids(data, segment_ids, "segment_prod")
    if ids.ndim != 1 or (ids.size and (ids[0] < 0 or np.any(np.diff(ids) < 0))):
        raise InvalidArgumentError(f"segment_prod: segment_ids must be a sorted, non-negative "
                                   f"1-D tensor, got {ids.tolist()}.")
    return _segment_prod(data, ids, int(ids[-1]) + 1 if ids.size else 0)


def _class_ids(x: Any, what: str) -> np.ndarray:
    v = x._value if isinstance(x, _Base) else np.asarray(convert_raw(x))
    if v.dtype.kind not in "iu":
        raise TypeError(f"confusion_matrix: {what} must be integers, got "
                        f"{_dt.from_numpy(v.dtype).name}.")
    if v.size and v.min() < 0:
        raise InvalidArgumentError(f"confusion_matrix: `{what}` contains negative values: "
                                   f"{v.tolist()}.")
    return v.astype(np.int64)


def confusion_matrix(labels: Any, predictions: Any, num_classes: Any = None, weights: Any = None,
                     dtype: Any = _dt.int32, name: str | None = None) -> Tensor:
    """The ``[num_classes, num_classes]`` confusion matrix (``tf.math.confusion_matrix``): rows
    are labels, columns predictions; each pair adds its weight (1 by default). Without
    ``num_classes`` it is one more than the largest label or prediction. No gradient.

    >>> import tapegrad as tf
    >>> tf.math.confusion_matrix([1, 2, 2], [1, 2, 0]).numpy()
    array([[0, 0, 0],
           [0, 1, 0],
           [1, 0, 1]], dtype=int32)
    """
    lab, pred = _class_ids(labels, "labels"), _class_ids(predictions, "predictions")
    if lab.ndim == pred.ndim + 1 and lab.shape[-1:] == (1,):  # TF squeezes a trailing 1
        lab = lab[..., 0]
    elif pred.ndim == lab.ndim + 1 and pred.shape[-1:] == (1,):
        pred = pred[..., 0]
    if lab.shape != pred.shape:
        raise InvalidArgumentError(f"confusion_matrix: labels shape {list(lab.shape)} and "
                                   f"predictions shape {list(pred.shape)} must match.")
    if num_classes is None:
        n = int(max(lab.max(initial=-1), pred.max(initial=-1))) + 1
    else:
        n = int(num_classes._value if isinstance(num_classes, _Base) else num_classes)
        for v, what in ((lab, "labels"), (pred, "predictions")):
            if v.size and v.max() >= n:
                raise InvalidArgumentError(f"confusion_matrix: `{what}` out of bound: "
                                           f"{int(v.max())} is not below num_classes={n}.")
    np_dtype = _dt.np_dtype(_dt.as_dtype(dtype))
    w = np.ones(lab.shape, np_dtype) if weights is None else np.broadcast_to(
        np.asarray(weights._value if isinstance(weights, _Base) else weights), lab.shape)
    out = np.zeros((n, n), np_dtype)
    np.add.at(out, (lab.reshape(-1), pred.reshape(-1)), w.reshape(-1).astype(np_dtype))
    return Tensor(out)
