"""One rate at the best threshold that holds another rate to a floor: ``PrecisionAtRecall``,
``RecallAtPrecision``, ``SensitivityAtSpecificity`` and ``SpecificityAtSensitivity``
(Keras 3's ``SensitivitySpecificityBase``).

Each keeps true/false positive/negative counts at ``num_thresholds`` evenly spaced thresholds
in [0, 1]; the result is the largest value of one rate over the thresholds where the other
rate is at least the given value (0 when none is).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine.convert import convert_to_tensor
from ...engine.tensor import Tensor
from .base import Metric, _np

__all__ = ["PrecisionAtRecall", "RecallAtPrecision", "SensitivityAtSpecificity",
           "SpecificityAtSensitivity"]

_KEYS = ("true_positives", "false_positives", "true_negatives", "false_negatives")


def _rate(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a / (a + b)``, 0 where the sum is 0 (Keras's ``divide_no_nan``)."""
    total = a + b
    return np.divide(a, total, out=np.zeros_like(a), where=total != 0)


def _same_rank(t: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keras's ``squeeze_or_expand_to_same_rank`` (a trailing axis of size 1)."""
    if t.ndim == p.ndim + 1 and t.shape[-1] == 1:
        t = t.reshape(t.shape[:-1])
    elif p.ndim == t.ndim + 1 and p.shape[-1] == 1:
        p = p.reshape(p.shape[:-1])
    return t, p


class _SensitivitySpecificityBase(Metric):
    """The shared counts; subclasses say which rate is held (``_constrained``) and which is
    reported (``_dependent``)."""

    _arg = ""

    def __init__(self, value: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None):
        cls = type(self).__name__
        if not 0 <= value <= 1:
            raise ValueError(f"{cls}: `{self._arg}` must be in the range [0, 1], got {value!r}.")
        if not isinstance(num_thresholds, (int, np.integer)) or num_thresholds <= 0:
            raise ValueError(f"{cls}: num_thresholds must be an integer > 0, got "
                             f"{num_thresholds!r}.")
        super().__init__(name=name or _snake(cls), dtype=dtype or "float32")
        setattr(self, self._arg, value)
        self.value, self.num_thresholds, self.class_id = value, int(num_thresholds), class_id
        n = self.num_thresholds
        self._evenly = n > 1
        inner = [(i + 1) * 1.0 / (n - 1) for i in range(n - 2)]
        self.thresholds = [0.5] if n == 1 else [0.0] + inner + [1.0]
        self._vars = {k: self.add_variable(k, (len(self.thresholds),)) for k in _KEYS}

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        t, p = _same_rank(_np(y_true).astype(np.float32), _np(y_pred).astype(np.float32))
        w = np.ones_like(p) if sample_weight is None else _weights(sample_weight, t, p)
        if self.class_id is not None:
            if p.ndim < 2:
                raise ValueError(f"{type(self).__name__}: with class_id, y_pred must have "
                                 f"shape (num_samples, num_classes), got {p.shape}.")
            t, p, w = t[..., self.class_id], p[..., self.class_id], w[..., self.class_id]
        t, p, w = (t != 0).reshape(-1), p.reshape(-1), w.reshape(-1)
        if self._evenly:  # Keras's bucketed count: positive at threshold i < ceil(p (n - 1))
            bucket = np.ceil(np.clip(p, 0, 1) * np.float32(len(self.thresholds) - 1)) - 1
            pos = np.arange(len(self.thresholds))[:, None] <= bucket[None, :]
        else:
            pos = p[None, :] > np.float32(self.thresholds[0])
        masks = {"true_positives": pos & t, "false_positives": pos & ~t,
                 "true_negatives": ~pos & ~t, "false_negatives": ~pos & t}
        for k, var in self._vars.items():
            var.assign_add((masks[k] * w).sum(axis=1).astype(np.float32))

    def _rates(self) -> dict:
        tp, fp, tn, fn = (self._vars[k].numpy() for k in _KEYS)
        return {"recall": _rate(tp, fn), "precision": _rate(tp, fp),
                "specificity": _rate(tn, fp)}

    def result(self) -> Tensor:
        rates = self._rates()
        held, reported = rates[self._constrained], rates[self._dependent]
        best = np.where(held >= np.float32(self.value), reported, 0).max(initial=0)
        return convert_to_tensor(np.float32(best))

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "class_id": self.class_id,
                "num_thresholds": self.num_thresholds, self._arg: self.value}


def _weights(sample_weight: Any, t: np.ndarray, p: np.ndarray) -> np.ndarray:
    """One weight per example (or per value) broadcast over ``y_pred``'s shape."""
    w = _np(sample_weight).astype(np.float32)
    w = w.reshape(w.shape + (1,) * max(p.ndim - w.ndim, 0))
    try:
        return np.broadcast_to(w, p.shape)
    except ValueError:
        raise ValueError(f"sample_weight of shape {_np(sample_weight).shape} does not "
                         f"broadcast to y_pred of shape {p.shape}.") from None


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() and i else c.lower()
                   for i, c in enumerate(name))


class SensitivityAtSpecificity(_SensitivitySpecificityBase):
    """The best sensitivity (recall) at a threshold where specificity ``tn / (tn + fp)`` is
    at least ``specificity``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.SensitivityAtSpecificity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]); float(m.result())
    0.5
    """

    _arg, _constrained, _dependent = "specificity", "specificity", "recall"

    def __init__(self, specificity: float, num_thresholds: int = 200,
                 class_id: int | None = None, name: str | None = None, dtype: Any = None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)


class SpecificityAtSensitivity(_SensitivitySpecificityBase):
    """The best specificity at a threshold where sensitivity (recall) is at least
    ``sensitivity``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.SpecificityAtSensitivity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]); round(float(m.result()), 4)
    0.6667
    """

    _arg, _constrained, _dependent = "sensitivity", "recall", "specificity"

    def __init__(self, sensitivity: float, num_thresholds: int = 200,
                 class_id: int | None = None, name: str | None = None, dtype: Any = None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)


class PrecisionAtRecall(_SensitivitySpecificityBase):
    """The best precision at a threshold where recall is at least ``recall``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.PrecisionAtRecall(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]); float(m.result())
    0.5
    """

    _arg, _constrained, _dependent = "recall", "recall", "precision"

    def __init__(self, recall: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)


class RecallAtPrecision(_SensitivitySpecificityBase):
    """The best recall at a threshold where precision is at least ``precision`` (0 when no
    threshold reaches it).

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.RecallAtPrecision(0.8)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]); float(m.result())
    0.5
    """

    _arg, _constrained, _dependent = "precision", "precision", "recall"

    def __init__(self, precision: float, num_thresholds: int = 200,
                 class_id: int | None = None, name: str | None = None, dtype: Any = None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)
