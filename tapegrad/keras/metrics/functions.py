"""The metric functions of ``keras.metrics`` (``binary_accuracy``, ``categorical_accuracy``
…): one value per example, as Keras 3 returns them; the metric classes average them. The
loss-shaped ones (``binary_crossentropy``, ``hinge``, ``mean_squared_error`` …) are the loss
functions themselves, as in Keras 3.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine.convert import convert_to_tensor
from ...engine.tensor import Tensor
from ..losses import (binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
                      categorical_focal_crossentropy, categorical_hinge, hinge, huber,
                      kl_divergence, log_cosh, mean_absolute_error,
                      mean_absolute_percentage_error, mean_squared_error,
                      mean_squared_logarithmic_error, poisson,
                      sparse_categorical_crossentropy, squared_hinge)
from .base import _np

__all__ = ["binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
           "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
           "categorical_focal_crossentropy", "categorical_hinge", "hinge", "huber",
           "kl_divergence", "log_cosh", "mean_absolute_error", "mean_absolute_percentage_error",
           "mean_squared_error", "mean_squared_logarithmic_error", "poisson",
           "sparse_categorical_crossentropy", "squared_hinge"]


def _floats(matches: np.ndarray) -> Tensor:
    return convert_to_tensor(np.asarray(matches, np.float32))


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Tensor:
    """1.0 where ``y_pred > threshold`` agrees with the label, elementwise (Keras 3 does not
    average the last axis here; ``BinaryAccuracy`` averages everything).

    >>> import tapegrad as tf
    >>> tf.keras.metrics.binary_accuracy([[1.0], [0.0]], [[0.7], [0.6]]).numpy()
    array([[1.],
           [0.]], dtype=float32)
    """
    t, p = _np(y_true), _np(y_pred)
    if t.ndim == p.ndim + 1 and t.shape[-1] == 1:
        t = t.reshape(t.shape[:-1])
    elif p.ndim == t.ndim + 1 and p.shape[-1] == 1:
        p = p.reshape(p.shape[:-1])
    return _floats(t == (p > np.asarray(threshold, p.dtype)).astype(t.dtype))


def categorical_accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """1.0 where the arg-max of ``y_pred`` is the arg-max of the one-hot label.

    >>> import tapegrad as tf
    >>> tf.keras.metrics.categorical_accuracy([[0, 1], [1, 0]], [[0.2, 0.8], [0.3, 0.7]]).numpy()
    array([1., 0.], dtype=float32)
    """
    return _floats(np.argmax(_np(y_true), -1) == np.argmax(_np(y_pred), -1))


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """1.0 where the arg-max of ``y_pred`` is the integer label (a trailing label axis of size
    1 is dropped).

    >>> import tapegrad as tf
    >>> tf.keras.metrics.sparse_categorical_accuracy([[1], [0]], [[0.2, 0.8], [0.3, 0.7]]).numpy()
    array([1., 0.], dtype=float32)
    """
    t, p = _np(y_true), _np(y_pred)
    if t.ndim == p.ndim and t.shape[-1] == 1:
        t = t.reshape(t.shape[:-1])
    matches = t.astype(p.dtype) == np.argmax(p, -1).astype(p.dtype)
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = matches.reshape(matches.shape[:-1])
    return _floats(matches)
