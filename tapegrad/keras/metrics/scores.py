"""Metrics with their own state: ``Sum``, ``TopKCategoricalAccuracy`` and its sparse form,
``FBetaScore``/``F1Score`` and ``R2Score``, as Keras 3 accumulates them."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ...engine.convert import convert_to_tensor
from ...engine.tensor import Tensor
from .base import Mean, Metric, _MeanOf, _np

__all__ = ["Sum", "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy",
           "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "FBetaScore",
           "F1Score", "R2Score", "AUC"]

_EPS = np.float32(1e-7)


class Sum(Mean):
    """The (weighted) sum of every value seen.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.Sum()
    >>> m.update_state([1.0, 2.0], sample_weight=[1.0, 0.5]); float(m.result())
    2.0
    """

    def __init__(self, name: str = "sum", dtype: Any = None):
        super().__init__(name=name, dtype=dtype or "float32")

    def result(self) -> Tensor:
        return convert_to_tensor(np.float32(self.total._value))


def _in_top_k(labels: np.ndarray, y_pred: np.ndarray, k: int) -> np.ndarray:
    """Whether each label's score is among the ``k`` largest; ties at the boundary count as
    in, as TF's ``in_top_k``."""
    y_pred = y_pred.reshape(-1, y_pred.shape[-1]).astype(np.float32)
    labels = labels.reshape(-1).astype(np.int64)
    target = y_pred[np.arange(len(labels)), labels]
    return ((y_pred > target[:, None]).sum(axis=-1) < k).astype(np.float32)


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> np.ndarray:
    """1 where the one-hot label's class is among the ``k`` highest predictions.

    >>> top_k_categorical_accuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.5, 0.4], [0.8, 0.05, 0.15]],
    ...                            k=2)
    array([1., 0.], dtype=float32)
    """
    return _in_top_k(np.argmax(_np(y_true), -1), _np(y_pred), k)


def sparse_top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5,
                                      from_sorted_ids: bool = False) -> np.ndarray:
    """1 where the integer label is among the ``k`` highest predictions (``from_sorted_ids``:
    ``y_pred`` already holds the top class ids, best first)."""
    labels, pred = _np(y_true), _np(y_pred)
    if from_sorted_ids:
        labels = labels.reshape(-1, 1)
        return (pred.reshape(len(labels), -1)[:, :k] == labels).any(-1).astype(np.float32)
    return _in_top_k(labels, pred, k)


class TopKCategoricalAccuracy(_MeanOf):
    """How often the one-hot label is among the ``k`` best predictions."""

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy",
                 dtype: Any = None):
        super().__init__(name=name, dtype=dtype or "float32")
        self.k = k

    def _values(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        return top_k_categorical_accuracy(y_true, y_pred, self.k)


class SparseTopKCategoricalAccuracy(_MeanOf):
    """How often the integer label is among the ``k`` best predictions.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.SparseTopKCategoricalAccuracy(k=1)
    >>> m.update_state([2, 1], [[0.1, 0.5, 0.4], [0.1, 0.8, 0.1]]); float(m.result())
    0.5
    """

    def __init__(self, k: int = 5, name: str = "sparse_top_k_categorical_accuracy",
                 dtype: Any = None, from_sorted_ids: bool = False):
        super().__init__(name=name, dtype=dtype or "float32")
        self.k, self.from_sorted_ids = k, from_sorted_ids

    def _values(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        return sparse_top_k_categorical_accuracy(y_true, y_pred, self.k, self.from_sorted_ids)


class FBetaScore(Metric):
    """F-beta from thresholded predictions (``threshold=None``: the row's maximum), with
    ``average`` ``None`` (per class), ``"micro"``, ``"macro"`` or ``"weighted"``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.F1Score(average="macro", threshold=0.5)
    >>> m.update_state([[1, 0], [0, 1]], [[0.9, 0.2], [0.7, 0.6]])
    >>> round(float(m.result()), 4)
    0.8333
    """

    def __init__(self, average: str | None = None, beta: float = 1.0,
                 threshold: float | None = None, name: str = "fbeta_score", dtype: Any = None):
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(f"FBetaScore: average must be None, 'micro', 'macro' or "
                             f"'weighted', got {average!r}.")
        if beta <= 0:
            raise ValueError(f"FBetaScore: beta must be > 0, got {beta!r}.")
        super().__init__(name=name, dtype=dtype or "float32")
        self.average, self.beta, self.threshold = average, float(beta), threshold
        self._counts: np.ndarray | None = None  # tp, fp, fn, support per class

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        t, p = _np(y_true).astype(np.float32), _np(y_pred).astype(np.float32)
        if t.ndim != 2 or p.ndim != 2:
            raise ValueError(f"{type(self).__name__} expects 2D inputs (batch_size, "
                             f"output_dim), got y_true {t.shape} and y_pred {p.shape}.")
        if self.threshold is None:
            p = ((p >= p.max(-1, keepdims=True)) & (np.abs(p) > 1e-9)).astype(np.float32)
        else:
            p = (p > self.threshold).astype(np.float32)
        w = np.ones((len(t), 1), np.float32) if sample_weight is None else \
            _np(sample_weight).astype(np.float32).reshape(-1, 1)
        counts = np.stack([(p * t * w).sum(0), (p * (1 - t) * w).sum(0),
                           ((1 - p) * t * w).sum(0), (t * w).sum(0)])
        self._counts = counts if self._counts is None else self._counts + counts

    def result(self) -> Tensor:
        if self._counts is None:
            return convert_to_tensor(np.float32(0.0))
        tp, fp, fn, support = self._counts
        if self.average == "micro":
            tp, fp, fn, support = tp.sum(), fp.sum(), fn.sum(), support.sum()
        precision = tp / (tp + fp + _EPS)
        recall = tp / (tp + fn + _EPS)
        b2 = np.float32(self.beta ** 2)
        score = precision * recall / (b2 * precision + recall + _EPS) * (1 + b2)
        if self.average == "weighted":
            score = (score * support / (support.sum() + _EPS)).sum()
        elif self.average == "macro":
            score = score.mean()
        return convert_to_tensor(np.asarray(score, np.float32))

    def reset_state(self) -> None:
        self._counts = None


class F1Score(FBetaScore):
    """``FBetaScore`` with ``beta = 1``."""

    def __init__(self, average: str | None = None, threshold: float | None = None,
                 name: str = "f1_score", dtype: Any = None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name,
                         dtype=dtype)


class R2Score(Metric):
    """The coefficient of determination, per output column, aggregated with
    ``class_aggregation`` (``"uniform_average"``, ``"variance_weighted_average"`` or None);
    ``num_regressors`` gives the adjusted R².

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.R2Score()
    >>> m.update_state([[1.0], [2.0], [3.0]], [[1.0], [2.0], [4.0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, class_aggregation: str | None = "uniform_average",
                 num_regressors: int = 0, name: str = "r2_score", dtype: Any = None):
        if class_aggregation not in (None, "uniform_average", "variance_weighted_average"):
            raise ValueError(f"R2Score: class_aggregation must be None, 'uniform_average' or "
                             f"'variance_weighted_average', got {class_aggregation!r}.")
        if num_regressors < 0:
            raise ValueError(f"R2Score: num_regressors must be >= 0, got {num_regressors!r}.")
        super().__init__(name=name, dtype=dtype or "float32")
        self.class_aggregation, self.num_regressors = class_aggregation, num_regressors
        self.reset_state()

    def reset_state(self) -> None:
        self._sums: np.ndarray | None = None  # sum, squared sum, squared error, count
        self._samples = 0

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        t, p = _np(y_true).astype(np.float32), _np(y_pred).astype(np.float32)
        t = t.reshape(len(t), -1)
        p = p.reshape(len(p), -1)
        w = np.ones((), np.float32) if sample_weight is None else \
            _np(sample_weight).astype(np.float32)
        w = np.broadcast_to(w.reshape(-1, 1) if w.ndim == 1 else w, t.shape)
        sums = np.stack([(t * w).sum(0), (t * t * w).sum(0), ((t - p) ** 2 * w).sum(0),
                         w.sum(0)])
        self._sums = sums if self._sums is None else self._sums + sums
        self._samples += t.size

    def result(self) -> Tensor:
        if self._sums is None:
            return convert_to_tensor(np.float32(0.0))
        total_sum, squared, mse, count = self._sums
        with np.errstate(all="ignore"):
            total = squared - total_sum * (total_sum / count)
            raw = 1 - mse / total
        raw = np.where(np.isinf(raw), np.float32(0), raw)
        if self.class_aggregation == "uniform_average":
            score = raw.mean()
        elif self.class_aggregation == "variance_weighted_average":
            score = (total * raw).sum() / total.sum()
        else:
            score = raw
        n, k = self._samples, self.num_regressors
        if k and k >= n - 1:
            warnings.warn("R2Score: not enough samples for the adjusted R2 score; falling "
                          "back to the standard R2 score.", stacklevel=2)
        elif k:
            score = 1 - (1 - score) * (n - 1) / (n - k - 1)
        return convert_to_tensor(np.asarray(score, np.float32))


def _divide_no_nan(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.where(b == 0, np.float32(0), a / np.where(b == 0, 1, b)).astype(np.float32)


class AUC(Metric):
    """Area under the ROC or PR curve from confusion counts at ``num_thresholds`` thresholds
    (Keras 3's Riemann sum; PR with ``"interpolation"`` uses Davis & Goadrich's
    interpolation). ``multi_label`` keeps one curve per column and averages their areas
    (weighted by ``label_weights``); otherwise every label counts as one example.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0.0, 0.5, 0.3, 0.9]); float(m.result())
    0.75
    """

    def __init__(self, num_thresholds: int = 200, curve: str = "ROC",
                 summation_method: str = "interpolation", name: str | None = None,
                 dtype: Any = None, thresholds: Any = None, multi_label: bool = False,
                 num_labels: int | None = None, label_weights: Any = None,
                 from_logits: bool = False):
        curve, summation_method = curve.upper(), summation_method.lower()
        if curve not in ("ROC", "PR", "PRGAIN"):
            raise ValueError(f"AUC: curve must be 'ROC', 'PR' or 'PRGAIN', got {curve!r}.")
        if summation_method not in ("interpolation", "minoring", "majoring"):
            raise ValueError(f"AUC: summation_method must be 'interpolation', 'minoring' or "
                             f"'majoring', got {summation_method!r}.")
        super().__init__(name=name or "auc", dtype=dtype or "float32")
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
        else:
            if num_thresholds <= 1:
                raise ValueError(f"AUC: num_thresholds must be > 1, got {num_thresholds!r}.")
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        self.thresholds = np.array([0.0 - 1e-7] + inner + [1.0 + 1e-7], np.float32)
        self.num_thresholds = len(self.thresholds)
        self.curve, self.summation_method = curve, summation_method
        self.multi_label, self.num_labels = multi_label, num_labels
        self.label_weights = None if label_weights is None else \
            np.asarray(label_weights, np.float32)
        self.from_logits = from_logits
        self.reset_state()

    def reset_state(self) -> None:
        self._counts: np.ndarray | None = None  # tp, fp, tn, fn: [4, thresholds(, labels)]

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        t, p = _np(y_true).astype(np.float32), _np(y_pred).astype(np.float32)
        if self.from_logits:
            p = 1 / (1 + np.exp(-p))
        w = np.ones_like(p) if sample_weight is None else np.broadcast_to(
            _np(sample_weight).astype(np.float32).reshape(
                _np(sample_weight).shape + (1,) * (p.ndim - _np(sample_weight).ndim)), p.shape)
        t = np.broadcast_to(t.reshape(p.shape) if t.size == p.size else t, p.shape)
        t = (t != 0).astype(np.float32)  # labels are read as booleans, as Keras does
        if self.label_weights is not None and not self.multi_label:
            w = w * self.label_weights
        if self.multi_label:
            t, p, w = (a.reshape(-1, a.shape[-1]) for a in (t, p, w))
        else:
            t, p, w = (a.reshape(-1, 1) for a in (t, p, w))
        above = p[None] > self.thresholds[:, None, None]  # [thresholds, examples, labels]
        pos, neg = t * w, (1 - t) * w
        counts = np.stack([(above * pos).sum(1), (above * neg).sum(1),
                           (~above * neg).sum(1), (~above * pos).sum(1)])
        self._counts = counts if self._counts is None else self._counts + counts

    def _average(self, by_threshold: np.ndarray) -> Tensor:
        by_label = by_threshold.sum(axis=0)
        if not self.multi_label:
            return convert_to_tensor(np.float32(by_label.sum()))
        if self.label_weights is None:
            return convert_to_tensor(np.float32(by_label.mean()))
        return convert_to_tensor(np.float32(_divide_no_nan(
            (by_label * self.label_weights).sum(), self.label_weights.sum())))

    def interpolate_pr_auc(self) -> Tensor:
        """The PR area by Davis & Goadrich's interpolation between thresholds."""
        tp, fp, _, fn = self._counts
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = _divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        with np.errstate(all="ignore"):
            ratio = np.where((p[:-1] > 0) & (p[1:] > 0),
                             _divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
            increment = _divide_no_nan(slope * (dtp + intercept * np.log(ratio)),
                                       np.maximum(tp[1:] + fn[1:], 0))
        return self._average(increment)

    def result(self) -> Tensor:
        if self._counts is None:
            return convert_to_tensor(np.float32(0.0))
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp, tn, fn = self._counts
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, _divide_no_nan(tp, tp + fp)
        else:  # PRGAIN
            scale = _divide_no_nan(tp + fn, tn + fp)
            x = np.maximum(np.where(tp == 0, 0, 1 - scale * _divide_no_nan(fn, tp)), 0)
            y = np.where(tp == 0, 1, 1 - scale * _divide_no_nan(fp, tp))
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return self._average((x[:-1] - x[1:]) * heights)
