"""Correlation metrics (Keras 3's ``correlation_metrics``): ``pearson_correlation`` and
``concordance_correlation`` along an axis, and the ``PearsonCorrelation`` /
``ConcordanceCorrelation`` metrics that average them over the examples.

The functions are written with tapegrad ops, so they differentiate (a correlation is
sometimes trained on as ``1 - r``).
"""

from __future__ import annotations

from typing import Any

from ...engine.tensor import Tensor
from ...ops import math as _m
from ...ops import reduce as _r
from .. import losses as _losses
from .base import MeanMetricWrapper

__all__ = ["pearson_correlation", "concordance_correlation", "PearsonCorrelation",
           "ConcordanceCorrelation"]


def pearson_correlation(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """Pearson's r between ``y_true`` and ``y_pred`` along ``axis`` (NaN where either is
    constant, as Keras).

    >>> import tapegrad as tf
    >>> r = tf.keras.metrics.pearson_correlation([[1.0, 2.0, 3.0]], [[2.0, 4.0, 7.0]])
    >>> [round(float(v), 4) for v in r.numpy()]
    [0.9934]
    """
    y_pred = _losses._pred(y_pred)
    y_true, y_pred = _losses._same_rank(_losses._true_like(y_true, y_pred), y_pred,
                                        "pearson_correlation")
    t = y_true - _r.reduce_mean(y_true, axis=axis, keepdims=True)
    p = y_pred - _r.reduce_mean(y_pred, axis=axis, keepdims=True)
    t = t / _r.reduce_std(t, axis=axis, keepdims=True)
    p = p / _r.reduce_std(p, axis=axis, keepdims=True)
    return _r.reduce_mean(t * p, axis=axis)


def concordance_correlation(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """Lin's concordance correlation along ``axis``, as Keras 3 computes it (its covariance
    term centres ``y_true`` on the mean of ``y_pred``; kept, so the numbers agree).

    >>> import tapegrad as tf
    >>> c = tf.keras.metrics.concordance_correlation([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]])
    >>> [round(float(v), 4) for v in c.numpy()]
    [1.0]
    """
    y_pred = _losses._pred(y_pred)
    y_true, y_pred = _losses._same_rank(_losses._true_like(y_true, y_pred), y_pred,
                                        "concordance_correlation")
    true_mean = _r.reduce_mean(y_true, axis=axis, keepdims=True)
    pred_mean = _r.reduce_mean(y_pred, axis=axis, keepdims=True)
    true_var = _r.reduce_variance(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = _r.reduce_variance(y_pred - pred_mean, axis=axis, keepdims=True)
    covar = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + _m.square(true_mean - pred_mean)
    return _r.reduce_mean(2 * covar / (norm + _losses.EPSILON), axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """The mean over the examples of ``pearson_correlation`` along ``axis``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.PearsonCorrelation()
    >>> m.update_state([[1.0, 2.0, 3.0], [1.0, 0.0, 2.0]], [[1.0, 2.0, 3.0], [2.0, 0.0, 1.0]])
    >>> float(m.result())
    0.75
    """

    def __init__(self, name: str = "pearson_correlation", dtype: Any = None, axis: int = -1):
        super().__init__(pearson_correlation, name=name, dtype=dtype or "float32", axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """The mean over the examples of ``concordance_correlation`` along ``axis``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.ConcordanceCorrelation()
    >>> m.update_state([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]]); round(float(m.result()), 4)
    1.0
    """

    def __init__(self, name: str = "concordance_correlation", dtype: Any = None,
                 axis: int = -1):
        super().__init__(concordance_correlation, name=name, dtype=dtype or "float32",
                         axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
