"""Connectionist temporal classification (Keras 3's ``ctc`` / ``CTC``): the negative log
probability of a label sequence summed over every alignment of it to the time steps.

The forward (alpha) recursion is written with tapegrad ops over log probabilities, one step a
time step, so the tape differentiates it like any other composite (no hand-written VJP):
``alpha_t(s) = logsumexp(alpha_{t-1}(s), alpha_{t-1}(s-1), alpha_{t-1}(s-2) if allowed)
+ log p_t(l'_s)`` over the label ``l'`` with blanks (class 0) around and between its symbols.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine.convert import convert_to_tensor
from ...engine.tensor import Tensor, _Base
from ...ops import array as _a
from ...ops import indexing as _ix
from ...ops import linalg as _la
from ...ops import math as _m
from ...ops import nn as _nn
from ...ops import reduce as _r
from .core import Loss, _pred

__all__ = ["ctc", "CTC"]

_NEG = -1e30  # log(0) kept finite: exp(_NEG - max) is 0 and its gradient 0, never NaN


def _labels(y_true: Any) -> np.ndarray:
    labels = np.asarray(y_true._value if isinstance(y_true, _Base) else y_true)
    if labels.ndim != 2:
        raise ValueError(f"ctc: targets `y_true` are expected to be a tensor of shape "
                         f"(batch_size, max_length) in integer format, got shape "
                         f"{labels.shape}.")
    return labels.astype(np.int64)


def _extended(labels: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Each label row with blanks (0) around and between its first ``length`` symbols, as
    TF reads a dense label row."""
    ext = np.zeros((labels.shape[0], 2 * labels.shape[1] + 1), np.int64)
    for b, n in enumerate(lengths):
        ext[b, 1:2 * n:2] = labels[b, :n]
    return ext


def ctc(y_true: Any, y_pred: Any) -> Tensor:
    """The CTC loss of each example: ``y_true`` integer labels ``(batch, max_length)``
    padded with 0 (class 0 is the blank, as in Keras 3), ``y_pred`` logits ``(batch, time,
    classes)``; every time step is used. An impossible alignment (a label longer than the
    time steps allow) gives ``inf``.

    >>> import numpy as np
    >>> import tapegrad as tf
    >>> logits = np.zeros((1, 2, 3), np.float32)  # uniform over blank, 1, 2
    >>> round(float(tf.keras.losses.ctc([[1, 0]], logits)[0]), 4)  # -log(3/9): 1-, -1, 11
    1.0986
    """
    labels = _labels(y_true)
    y_pred = _pred(y_pred)
    if y_pred.ndim != 3:
        raise ValueError(f"ctc: logits `y_pred` are expected to be a tensor of shape "
                         f"(batch_size, max_length, num_classes), got shape "
                         f"{tuple(y_pred.shape)}.")
    batch, steps, classes = (int(d) for d in y_pred.shape)
    if labels.shape[0] != batch:
        raise ValueError(f"ctc: y_true has {labels.shape[0]} rows but y_pred {batch}.")
    dtype = y_pred._value.dtype
    lengths = (labels != 0).sum(axis=-1)
    ext = _extended(labels, lengths)
    width = ext.shape[1]
    log_probs = _nn.log_softmax(y_pred, axis=-1)
    # log p_t(l'_s) for every step and extended position: a product with one-hot columns
    pick = np.swapaxes(np.eye(classes, dtype=dtype)[ext], 1, 2)  # (batch, classes, width)
    emit = _la.matmul(log_probs, convert_to_tensor(pick))  # (batch, time, width)
    s = np.arange(width)
    skip = np.zeros_like(ext, bool)
    skip[:, 2:] = (ext[:, 2:] != 0) & (ext[:, 2:] != ext[:, :-2])
    skip_bias = convert_to_tensor(np.where(skip, 0, _NEG).astype(dtype))
    start_bias = convert_to_tensor(np.where(s < 2, 0, _NEG).astype(dtype)[None, :])
    alpha = emit[:, 0, :] + start_bias
    pad = convert_to_tensor(np.full((batch, 2), _NEG, dtype))
    for t in range(1, steps):
        shifted = _a.concat([pad, alpha], axis=1)
        one_back, two_back = shifted[:, 1:width + 1], shifted[:, :width] + skip_bias
        alpha = _r.reduce_logsumexp(_a.stack([alpha, one_back, two_back]), axis=0) + \
            emit[:, t, :]
    last = 2 * lengths[:, None]
    final_bias = np.where((s[None, :] == last) | (s[None, :] == last - 1), 0, _NEG)
    loss = -_r.reduce_logsumexp(alpha + convert_to_tensor(final_bias.astype(dtype)), axis=1)
    # a path-less label keeps a loss near -_NEG: TF reports inf
    return _ix.where(_m.greater(loss, np.asarray(-_NEG / 10, dtype)),
                     convert_to_tensor(np.full(batch, np.inf, dtype)), loss)


class CTC(Loss):
    """The CTC loss (see ``ctc``), reduced over the batch.

    >>> import numpy as np
    >>> import tapegrad as tf
    >>> loss = tf.keras.losses.CTC()
    >>> round(float(loss([[1, 0]], np.zeros((1, 2, 3), np.float32))), 4)
    1.0986
    """

    _fn = staticmethod(ctc)

    def __init__(self, reduction: str = "sum_over_batch_size", name: str = "ctc",
                 dtype: Any = None):
        super().__init__(reduction, name)
