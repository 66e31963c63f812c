"""Core ``tf`` array names composed from gathers and scatters: ``repeat``, ``roll``,
``sequence_mask`` and ``scatter_nd``. Their gradients are those of gather and scatter."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import dtypes as _dt
from ..engine.errors import InvalidArgumentError
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .array import reshape
from .creation import _static_ints, zeros
from .indexing import gather
from .scatter import tensor_scatter_nd_add

__all__ = ["repeat", "roll", "sequence_mask", "scatter_nd"]


def _tensor(x: Any) -> Any:
    return x if isinstance(x, _Base) else Tensor(convert_raw(x))


def _ints(x: Any) -> np.ndarray:
    return np.asarray(x._value if isinstance(x, _Base) else x)


def repeat(input: Any, repeats: Any, axis: Any = None,  # noqa: A002 - TF's name
           name: str | None = None) -> Tensor:
    """Each element repeated ``repeats`` times along ``axis`` (of the flattened input when
    ``None``) (``tf.repeat``); ``repeats`` is an int or one count per element. A gather, so the
    gradient sums the copies.

    >>> import tapegrad as tf
    >>> tf.repeat([[1, 2], [3, 4]], [1, 2], axis=0).numpy().tolist()
    [[1, 2], [3, 4], [3, 4]]
    """
    x = _tensor(input)
    if axis is None:
        x, axis = reshape(x, [-1]), 0
    axis = int(_ints(axis))
    rank = len(shape_of(x))
    if not -rank <= axis < rank:
        raise InvalidArgumentError(f"repeat: axis {axis} is out of range for a tensor of shape "
                                   f"{list(shape_of(x))}.")
    n = shape_of(x)[axis]
    reps = _ints(repeats)
    if reps.dtype.kind not in "iu" or reps.ndim > 1 or (reps.ndim == 1 and reps.size not in
                                                         (1, n)) or (reps < 0).any():
        raise InvalidArgumentError(f"repeat: repeats must be a non-negative int or {n} of them "
                                   f"(one per element along axis {axis}), got {reps.tolist()}.")
    return gather(x, np.repeat(np.arange(n), reps.reshape(-1) if reps.ndim else reps), axis=axis)


def roll(input: Any, shift: Any, axis: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Elements shifted by ``shift`` along ``axis``, wrapping around (``tf.roll``); ``shift``
    and ``axis`` may be lists of equal length (a repeated axis adds its shifts).

    >>> import tapegrad as tf
    >>> tf.roll([[1, 2, 3], [4, 5, 6]], shift=[1, -1], axis=[0, 1]).numpy().tolist()
    [[5, 6, 4], [2, 3, 1]]
    """
    x = _tensor(input)
    shifts, axes = _ints(shift).reshape(-1), _ints(axis).reshape(-1)
    if shifts.dtype.kind not in "iu" or axes.dtype.kind not in "iu" or \
            shifts.shape != axes.shape:
        raise InvalidArgumentError(f"roll: shift and axis must be ints or int lists of the same "
                                   f"length, got shift={shifts.tolist()} and "
                                   f"axis={axes.tolist()}.")
    shape, total = shape_of(x), {}
    for s, ax in zip(shifts.tolist(), axes.tolist()):
        if not -len(shape) <= ax < len(shape):
            raise InvalidArgumentError(f"roll: axis {ax} is out of range for a tensor of shape "
                                       f"{list(shape)}.")
        total[ax % len(shape)] = total.get(ax % len(shape), 0) + s
    for ax, s in total.items():
        x = gather(x, np.roll(np.arange(shape[ax]), s), axis=ax)
    return x


def sequence_mask(lengths: Any, maxlen: Any = None, dtype: Any = _dt.bool_,
                  name: str | None = None) -> Tensor:
    """``mask[i..., j] = j < lengths[i...]`` (``tf.sequence_mask``), of width ``maxlen`` (the
    largest length by default), cast to ``dtype``. No gradient.

    >>> import tapegrad as tf
    >>> tf.sequence_mask([1, 3], 4).numpy().tolist()
    [[True, False, False, False], [True, True, True, False]]
    """
    n = _ints(lengths)
    if n.dtype.kind not in "iuf":
        raise TypeError(f"sequence_mask: lengths must be numbers, got {n.dtype}.")
    width = int(n.max(initial=0)) if maxlen is None else int(_ints(maxlen))
    mask = np.arange(width) < n[..., None]
    return Tensor(mask.astype(_dt.np_dtype(_dt.as_dtype(dtype))))


def scatter_nd(indices: Any, updates: Any, shape: Any, bad_indices_policy: str = "",
               name: str | None = None) -> Tensor:
    """A zero tensor of ``shape`` with ``updates`` added at ``indices`` (``tf.scatter_nd``);
    repeated indices add up. Differentiable in ``updates`` (a gather_nd of the gradient).
    ``bad_indices_policy`` is tensor_scatter_nd_add's ('' or 'ERROR' refuse, 'IGNORE' drops).

    >>> import tapegrad as tf
    >>> tf.scatter_nd([[4], [3], [1], [7], [4]], [9.0, 10.0, 11.0, 12.0, 1.0], [8]).numpy()
    array([ 0., 11.,  0., 10., 10.,  0.,  0., 12.], dtype=float32)
    """
    u = _tensor(updates)
    dims = _static_ints(shape, "shape", "scatter_nd")
    try:
        return tensor_scatter_nd_add(zeros(dims, u.dtype), indices, u, bad_indices_policy)
    except (InvalidArgumentError, ValueError) as e:
        raise type(e)(str(e).replace("tensor_scatter_nd_add", "scatter_nd")) from None
