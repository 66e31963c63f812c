"""The Circle loss (Sun et al. 2020; Keras 3's ``circle`` / ``Circle``) for metric learning:
each embedding's similarities to the others of its class are pushed up and to other classes
down, each weighted by how far it is from its optimum.

Embeddings are expected L2-normalised (the similarity is their dot product). As in Keras 3,
an example with no positive or no negative pair has loss 0 and is left out of the mean.
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
from ...ops import reduce as _r
from ...ops import special as _sp
from .core import Loss, _pred, _reduce

__all__ = ["circle", "Circle"]


def _int_labels(labels: Any) -> np.ndarray:
    out = np.asarray(labels._value if isinstance(labels, _Base) else labels).astype(np.int32)
    return out.reshape(-1, 1) if out.ndim == 1 else out


def circle(y_true: Any, y_pred: Any, ref_labels: Any = None, ref_embeddings: Any = None,
           remove_diagonal: bool = True, gamma: float = 80, margin: float = 0.4) -> Tensor:
    """The Circle loss of each embedding in ``y_pred`` ``(batch, dim)`` with integer class
    labels ``y_true`` ``(batch,)``, against ``ref_embeddings``/``ref_labels`` (default: the
    batch itself, without each example's pair with itself).

    >>> import numpy as np
    >>> import tapegrad as tf
    >>> emb = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]], np.float32)
    >>> [round(float(v), 3) for v in tf.keras.losses.circle([0, 0, 1], emb, gamma=2.0)]
    [0.452, 0.776, 0.0]
    """
    y_pred = _pred(y_pred)
    labels = _int_labels(y_true)
    refs = y_pred if ref_embeddings is None else _pred(ref_embeddings)
    ref = labels if ref_labels is None else _int_labels(ref_labels)
    dtype = y_pred._value.dtype
    positive = labels == ref.T
    negative = ~positive
    if remove_diagonal:
        positive &= ~np.eye(labels.size, ref.size, dtype=bool)
    distance = _m.maximum(1 - _la.matmul(y_pred, _a.transpose(refs)), np.asarray(0, dtype))
    zero = np.asarray(0, dtype)
    pos_weights = _m.maximum((margin + distance) * positive.astype(dtype), zero)
    neg_weights = _m.maximum((1 + margin - distance) * negative.astype(dtype), zero)
    pos = -gamma * pos_weights * (margin - distance)
    neg = gamma * neg_weights * ((1 - margin) - distance)
    # Keras masks with -inf; a large finite value gives the same losses (a row with no pair
    # still has softplus(...) = 0) without NaN in the gradient of such a row
    far = convert_to_tensor(np.full(positive.shape, -1e30 if dtype != np.float16 else -6e4,
                                    dtype))
    p_loss = _r.reduce_logsumexp(_ix.where(positive, pos, far), axis=1)
    n_loss = _r.reduce_logsumexp(_ix.where(negative, neg, far), axis=1)
    return _sp.softplus(p_loss + n_loss)


class Circle(Loss):
    """The Circle loss (see ``circle``): ``"sum_over_batch_size"`` averages over the
    examples whose loss is positive, as Keras 3's mask does.

    >>> import numpy as np
    >>> import tapegrad as tf
    >>> emb = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]], np.float32)
    >>> round(float(tf.keras.losses.Circle(gamma=2.0)([0, 0, 1], emb)), 3)  # (0.452 + 0.776) / 2
    0.614
    """

    _fn = staticmethod(circle)

    def __init__(self, gamma: float = 80.0, margin: float = 0.4, remove_diagonal: bool = True,
                 reduction: str = "sum_over_batch_size", name: str = "circle",
                 dtype: Any = None):
        super().__init__(reduction, name, gamma=gamma, margin=margin,
                         remove_diagonal=remove_diagonal)
        self.gamma, self.margin, self.remove_diagonal = gamma, margin, remove_diagonal

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        values = self.call(y_true, y_pred)
        mask = values._value > 0
        if self.reduction in ("sum_over_batch_size", "mean"):  # Keras 3's apply_mask
            valid = mask.sum()
            weight = np.where(mask, mask.size / valid if valid else 0, 0)
        else:
            weight = mask
        weight = weight.astype(values._value.dtype)
        if sample_weight is not None:
            sw = np.asarray(sample_weight._value if isinstance(sample_weight, _Base)
                            else sample_weight, values._value.dtype)
            weight = weight * sw.reshape(weight.shape)
        return _reduce(values, weight, self.reduction)
