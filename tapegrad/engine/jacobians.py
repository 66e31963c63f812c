"""Jacobians as one vectorized reverse pass: a batch of one-hot cotangents goes backward at once
(every VJP accepts leading batch dimensions). ``GradientTape.jacobian`` and ``batch_jacobian``
call these with themselves as ``tape``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import nest
from .backward import densify, zeros_like
from .operators import OPERATORS
from .tensor import _Base, _wrap

__all__ = ["jacobian", "batch_jacobian"]


def jacobian(tape, target: Any, sources: Any, zero: bool, use_pfor: bool):
    """``d target[i...] / d source[j...]`` shaped ``target.shape + source.shape`` per source."""
    if not isinstance(target, _Base):
        raise TypeError(f"GradientTape.jacobian: target must be a single Tensor, got "
                        f"{type(target).__name__}.")
    tape._begin_use("jacobian")
    flat_sources = nest.flatten(sources)
    tshape = tuple(target._value.shape)
    n = int(np.prod(tshape, dtype=np.int64))
    eye = np.eye(n, dtype=target._value.dtype)
    if use_pfor:
        grads = tape._backward([target], [_wrap(eye.reshape((n,) + tshape))], flat_sources)
    else:
        grads = _row_by_row(tape, target, eye, tshape, flat_sources)
    out = []
    for g, s in zip(grads, flat_sources):
        sshape = tuple(s._value.shape)
        if g is None:
            out.append(_wrap(np.zeros(tshape + sshape, dtype=s._value.dtype)) if zero else None)
        else:
            out.append(OPERATORS.reshape(densify(g), tshape + sshape))
    tape._end_use()
    return nest.pack_sequence_as(sources, out)


def _row_by_row(tape, target, eye, tshape: tuple, flat_sources: list) -> list:
    """One reverse pass per target element (``experimental_use_pfor=False``)."""
    persistent, tape._persistent = tape._persistent, True
    try:
        rows = [tape._backward([target], [_wrap(eye[i].reshape(tshape))], flat_sources)
                for i in range(len(eye))]
    finally:
        tape._persistent = persistent
    grads = []
    for j, s in enumerate(flat_sources):
        col = [r[j] for r in rows]
        if all(c is None for c in col):
            grads.append(None)
        else:
            grads.append(OPERATORS.stack([densify(c) if c is not None else zeros_like(s)
                                          for c in col]))
    return grads


def batch_jacobian(tape, target: Any, source: Any, zero: bool):
    """Per-example Jacobians ``[batch, y..., x...]``; examples must not interact."""
    for what, v in (("target", target), ("source", source)):
        if not isinstance(v, _Base):
            raise TypeError(f"GradientTape.batch_jacobian: {what} must be a single Tensor, "
                            f"got {type(v).__name__}.")
    tshape = tuple(target._value.shape)
    sshape = tuple(source._value.shape)
    if not tshape or not sshape or tshape[0] != sshape[0]:
        raise ValueError(f"batch_jacobian: need the first dimension of target shape "
                         f"{list(tshape)} and source shape {list(sshape)} to match.")
    tape._begin_use("batch_jacobian")
    b = tshape[0]
    m = int(np.prod(tshape[1:], dtype=np.int64))
    # cotangent i (over the per-example outputs) is one-hot at i in every example
    eye = np.eye(m, dtype=target._value.dtype).reshape((m, 1) + tshape[1:])
    seed = _wrap(np.broadcast_to(eye, (m,) + tshape).copy())
    (g,) = tape._backward([target], [seed], [source])
    tape._end_use()
    if g is None:
        if not zero:
            return None
        return _wrap(np.zeros((b,) + tshape[1:] + sshape[1:], dtype=source._value.dtype))
    g = OPERATORS.reshape(densify(g), (m, b) + sshape[1:])
    perm = (1, 0) + tuple(range(2, len(sshape) + 1))
    return OPERATORS.reshape(OPERATORS.transpose(g, perm), (b,) + tshape[1:] + sshape[1:])
