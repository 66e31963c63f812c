"""The generalized cross-entropy of Zhang & Sabuncu (2018), Keras 3's
``categorical_generalized_cross_entropy`` / ``CategoricalGeneralizedCrossEntropy``: robust to
noisy labels, between cross-entropy (``q`` → 0) and mean absolute error (``q`` = 1).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine.convert import convert_to_tensor
from ...engine.tensor import Tensor, _Base
from ...ops import math as _m
from ...ops import reduce as _r
from .core import Loss, _pred

__all__ = ["categorical_generalized_cross_entropy", "CategoricalGeneralizedCrossEntropy"]


def categorical_generalized_cross_entropy(y_true: Any, y_pred: Any, q: float) -> Tensor:
    """``(1 - p^q) / q`` per example, ``p`` the predicted probability of the integer label.

    >>> import tapegrad as tf
    >>> loss = tf.keras.losses.categorical_generalized_cross_entropy
    >>> [round(float(v), 4) for v in loss([1, 0], [[0.2, 0.8], [0.25, 0.75]], q=0.5)]
    [0.2111, 1.0]
    """
    y_pred = _pred(y_pred)
    labels = np.asarray(y_true._value if isinstance(y_true, _Base) else y_true)
    one_hot = np.eye(int(y_pred.shape[-1]), dtype=y_pred._value.dtype)[labels.astype(np.int64)]
    p = _r.reduce_sum(y_pred * convert_to_tensor(one_hot), axis=-1)
    return (1 - _m.pow(p, np.asarray(q, y_pred._value.dtype))) / q


class CategoricalGeneralizedCrossEntropy(Loss):
    """The generalized cross-entropy (see ``categorical_generalized_cross_entropy``) with
    ``0 < q < 1``, over integer labels and probabilities.

    >>> import tapegrad as tf
    >>> loss = tf.keras.losses.CategoricalGeneralizedCrossEntropy(q=0.5)
    >>> round(float(loss([1, 0], [[0.2, 0.8], [0.25, 0.75]])), 4)
    0.6056
    """

    _fn = staticmethod(categorical_generalized_cross_entropy)

    def __init__(self, q: float = 0.5, reduction: str = "sum_over_batch_size",
                 name: str = "categorical_generalized_cross_entropy", dtype: Any = None):
        if not 0 < q < 1:
            raise ValueError(f"CategoricalGeneralizedCrossEntropy: q must be in the interval "
                             f"(0, 1), got {q!r}.")
        super().__init__(reduction, name, q=q)
        self.q = q
