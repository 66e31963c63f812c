"""Metrics (``tf.keras.metrics``): running statistics with ``update_state``, ``result`` and
``reset_state``; their state (``total``, ``count``) is held in Variables.

Metrics never need gradients, so they compute on NumPy values.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from ...engine.convert import convert_to_tensor
from ...engine.tensor import Tensor, _Base
from ...engine.variable import Variable

__all__ = ["Metric", "Mean", "MeanMetricWrapper", "MeanSquaredError", "MeanAbsoluteError",
           "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
           "RootMeanSquaredError", "TruePositives", "FalsePositives", "TrueNegatives",
           "FalseNegatives", "Precision", "Recall", "Accuracy", "BinaryAccuracy",
           "CategoricalAccuracy", "SparseCategoricalAccuracy", "get"]


def _np(x: Any) -> np.ndarray:
    return np.asarray(x._value if isinstance(x, _Base) else x)


class Metric:
    """Base metric: subclasses define ``update_state`` and ``result``."""

    def __init__(self, name: str | None = None, dtype: Any = "float32"):
        self.name = name or type(self).__name__.lower()
        self.dtype = dtype

    def add_variable(self, name: str, shape: tuple = ()) -> Variable:
        v = Variable(np.zeros(shape, np.float32), trainable=False, name=f"{self.name}/{name}")
        self._state = getattr(self, "_state", []) + [v]
        return v

    @property
    def variables(self) -> list[Variable]:
        return list(getattr(self, "_state", []))

    def reset_state(self) -> None:
        """Back to the state of a new metric."""
        for v in self.variables:
            v.assign(np.zeros(v.shape, np.float32))

    reset_states = reset_state

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError

    def result(self) -> Tensor:
        raise NotImplementedError

    def __call__(self, *args: Any, **kwargs: Any) -> Tensor:
        """Update with this batch and return the running result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


class Mean(Metric):
    """The (weighted) mean of every value seen.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.Mean()
    >>> m.update_state([1.0, 2.0]); m.update_state(6.0)
    >>> float(m.result())
    3.0
    """

    def __init__(self, name: str = "mean", dtype: Any = "float32"):
        super().__init__(name, dtype)
        self.total = self.add_variable("total")
        self.count = self.add_variable("count")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        v = _np(values).astype(np.float32)
        with np.errstate(all="ignore"):  # a diverging loss averages to inf/NaN silently (Keras)
            if sample_weight is None:
                total, count = v.sum(), v.size
            else:
                w = _np(sample_weight).astype(np.float32)
                if w.ndim > v.ndim and w.shape[-1] == 1:
                    w = w.reshape(w.shape[:-1])
                w = np.broadcast_to(w, v.shape)
                total, count = (v * w).sum(), w.sum()
            self.total.assign_add(np.float32(total))
            self.count.assign_add(np.float32(count))

    def result(self) -> Tensor:
        count = self.count._value
        with np.errstate(all="ignore"):
            return convert_to_tensor(np.float32(self.total._value / count) if count else
                                     np.float32(0.0))


class _MeanOf(Mean):
    """A Mean of per-example values from ``_values(y_true, y_pred)``."""

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        super().update_state(self._values(_np(y_true), _np(y_pred)), sample_weight)

    def _values(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        raise NotImplementedError


def _squeeze_like(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        return y_true.reshape(y_true.shape[:-1])
    return y_true


class Accuracy(_MeanOf):
    """How often predictions equal labels exactly.

    >>> import tapegrad as tf
    >>> float(tf.keras.metrics.Accuracy()([1, 2, 3, 4], [0, 2, 3, 4]))
    0.75
    """

    def __init__(self, name: str = "accuracy", dtype: Any = "float32"):
        super().__init__(name, dtype)

    def _values(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        return (_squeeze_like(y_true, y_pred) == y_pred).astype(np.float32)


class BinaryAccuracy(_MeanOf):
    """How often ``y_pred > threshold`` equals the binary label.

    >>> import tapegrad as tf
    >>> float(tf.keras.metrics.BinaryAccuracy()([[1.0], [0.0]], [[0.7], [0.6]]))
    0.5
    """

    def __init__(self, name: str = "binary_accuracy", dtype: Any = "float32",
                 threshold: float = 0.5):
        super().__init__(name, dtype)
        self.threshold = threshold

    def _values(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        y_true = _squeeze_like(y_true, y_pred)
        hit = (y_true.astype(np.float32) == (y_pred > self.threshold).astype(np.float32))
        return hit.astype(np.float32).mean(axis=-1) if hit.ndim > 1 else hit.astype(np.float32)


class CategoricalAccuracy(_MeanOf):
    """How often the arg-max of ``y_pred`` is the arg-max of the one-hot label.

    >>> import tapegrad as tf
    >>> float(tf.keras.metrics.CategoricalAccuracy()([[0, 1], [1, 0]], [[0.2, 0.8], [0.3, 0.7]]))
    0.5
    """

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = "float32"):
        super().__init__(name, dtype)

    def _values(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        return (np.argmax(y_true, -1) == np.argmax(y_pred, -1)).astype(np.float32)


class SparseCategoricalAccuracy(_MeanOf):
    """How often the arg-max of ``y_pred`` is the integer label.

    >>> import tapegrad as tf
    >>> float(tf.keras.metrics.SparseCategoricalAccuracy()([1, 0], [[0.2, 0.8], [0.3, 0.7]]))
    0.5
    """

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = "float32"):
        super().__init__(name, dtype)

    def _values(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        y_true = _squeeze_like(y_true, y_pred[..., 0])
        return (y_true.astype(np.int64) == np.argmax(y_pred, -1)).astype(np.float32)

class MeanMetricWrapper(_MeanOf):
    """The running (weighted) mean of ``fn(y_true, y_pred)``'s per-example values.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.MeanMetricWrapper(tf.keras.losses.mean_absolute_error, name="mae")
    >>> m.update_state([[1.0], [2.0]], [[2.0], [4.0]]); float(m.result())
    1.5
    """

    def __init__(self, fn: Any, name: str | None = None, dtype: Any = "float32", **kwargs: Any):
        super().__init__(name=name or getattr(fn, "__name__", "mean"), dtype=dtype)
        self._fn, self._fn_kwargs = fn, kwargs

    def _values(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        return _np(self._fn(y_true.astype(y_pred.dtype), y_pred, **self._fn_kwargs))


_REGRESSION = {
    "mean_squared_error": lambda t, p: (t - p) ** 2,
    "mean_absolute_error": lambda t, p: np.abs(t - p),
    "mean_absolute_percentage_error":
        lambda t, p: 100.0 * np.abs((t - p) / np.maximum(np.abs(t), 1e-7)),
    "mean_squared_logarithmic_error":
        lambda t, p: (np.log1p(np.maximum(p, 1e-7)) - np.log1p(np.maximum(t, 1e-7))) ** 2,
}


class _Regression(_MeanOf):
    _kind = ""

    def __init__(self, name: str | None = None, dtype: Any = "float32"):
        super().__init__(name=name or self._kind, dtype=dtype)

    def _values(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        t = _squeeze_like(y_true, y_pred) if y_true.ndim > y_pred.ndim else y_true
        fn = _REGRESSION[self._kind]
        return fn(t.astype(np.float64), y_pred.astype(np.float64)).mean(axis=-1)


class MeanSquaredError(_Regression):
    """Running mean of ``mean((y_true - y_pred)**2, axis=-1)``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.MeanSquaredError()
    >>> m.update_state([[0.0, 1.0]], [[1.0, 1.0]]); float(m.result())
    0.5
    """
    _kind = "mean_squared_error"


class MeanAbsoluteError(_Regression):
    """Running mean of ``mean(|y_true - y_pred|, axis=-1)``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.MeanAbsoluteError()
    >>> m.update_state([[0.0, 1.0]], [[2.0, 1.0]]); float(m.result())
    1.0
    """
    _kind = "mean_absolute_error"


class MeanAbsolutePercentageError(_Regression):
    """Running mean of ``100 * mean(|(y_true - y_pred) / y_true|, axis=-1)``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.MeanAbsolutePercentageError()
    >>> m.update_state([[2.0, 4.0]], [[1.0, 4.0]]); float(m.result())
    25.0
    """
    _kind = "mean_absolute_percentage_error"


class MeanSquaredLogarithmicError(_Regression):
    """Running mean of ``mean((log1p(y_pred) - log1p(y_true))**2, axis=-1)``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.MeanSquaredLogarithmicError()
    >>> m.update_state([[0.0]], [[0.0]]); float(m.result())
    0.0
    """
    _kind = "mean_squared_logarithmic_error"


class RootMeanSquaredError(Mean):
    """``sqrt`` of the running mean of the squared errors (over every element).

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.RootMeanSquaredError()
    >>> m.update_state([[0.0, 0.0]], [[3.0, 4.0]]); round(float(m.result()), 4)
    3.5355
    """

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = "float32"):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        t, p = _np(y_true).astype(np.float64), _np(y_pred).astype(np.float64)
        se = (t - p) ** 2
        if sample_weight is not None:  # one weight per example covers its whole row
            sw = _np(sample_weight).astype(np.float64)
            sample_weight = np.broadcast_to(sw.reshape(sw.shape + (1,) * (se.ndim - sw.ndim)),
                                            se.shape)
        super().update_state(se, sample_weight)

    def result(self) -> Tensor:
        return convert_to_tensor(np.sqrt(np.float32(super().result().numpy())))

class _Confusion(Metric):
    """Weighted counts of true/false positives/negatives at ``thresholds`` (0.5): a
    prediction is positive when ``y_pred > threshold``; labels are read as booleans."""

    _counts: tuple = ()

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype: Any = "float32"):
        super().__init__(name=name, dtype=dtype)
        self._scalar = thresholds is None or np.ndim(thresholds) == 0
        # compared in float32, as Keras does (0.3 as a threshold equals a float32 0.3)
        self.thresholds = np.atleast_1d(0.5 if thresholds is None else thresholds).astype(
            np.float32)
        self._vars = {k: self.add_variable(k, (len(self.thresholds),)) for k in self._counts}

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        t = _np(y_true).astype(bool).reshape(-1)
        p = _np(y_pred).astype(np.float32).reshape(-1)
        if t.shape != p.shape:
            raise ValueError(f"{type(self).__name__}: y_true has {t.size} values but y_pred "
                             f"has {p.size}.")
        n = len(_np(y_pred)) if _np(y_pred).ndim else 1
        w = np.ones_like(p) if sample_weight is None else np.broadcast_to(
            _np(sample_weight).astype(np.float64).reshape(n, -1),
            _np(y_pred).reshape(n, -1).shape).reshape(-1)
        pos = p[None, :] > self.thresholds[:, None]
        masks = {"true_positives": pos & t, "false_positives": pos & ~t,
                 "true_negatives": ~pos & ~t, "false_negatives": ~pos & t}
        for k, var in self._vars.items():
            var.assign_add((masks[k] * w).sum(axis=1).astype(np.float32))

    def _count(self, k: str) -> np.ndarray:
        return self._vars[k].numpy().astype(np.float64)

    def _out(self, x: np.ndarray) -> Tensor:
        x = x.astype(np.float32)
        return convert_to_tensor(x[0] if self._scalar else x)


def _no_nan(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.divide(a, b, out=np.zeros_like(a), where=b != 0)


def _counter(key: str, doc: str) -> type:
    def result(self: _Confusion) -> Tensor:
        return self._out(self._count(key))
    cls_name = "".join(w.capitalize() for w in key.split("_"))
    return type(cls_name, (_Confusion,), {"_counts": (key,), "result": result,
                                          "__doc__": doc, "__module__": __name__,
                                          "__init__": _named_init(key)})


def _named_init(default: str) -> Any:
    def __init__(self: _Confusion, thresholds: Any = None, name: str | None = None,
                 dtype: Any = "float32") -> None:
        _Confusion.__init__(self, thresholds, name or default, dtype)
    return __init__


TruePositives = _counter("true_positives", """Weighted count of true positives.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.TruePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1]); float(m.result())
    2.0
    """)
FalsePositives = _counter("false_positives", """Weighted count of false positives.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.FalsePositives()
    >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1]); float(m.result())
    2.0
    """)
TrueNegatives = _counter("true_negatives", """Weighted count of true negatives.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.TrueNegatives()
    >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0]); float(m.result())
    2.0
    """)
FalseNegatives = _counter("false_negatives", """Weighted count of false negatives.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.FalseNegatives()
    >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0]); float(m.result())
    2.0
    """)


class Precision(_Confusion):
    """``TP / (TP + FP)`` (0 when nothing is predicted positive).

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1]); round(float(m.result()), 4)
    0.6667
    """

    _counts = ("true_positives", "false_positives")

    def __init__(self, thresholds: Any = None, top_k: Any = None, class_id: Any = None,
                 name: str | None = None, dtype: Any = "float32"):
        if top_k is not None or class_id is not None:
            raise NotImplementedError("Precision: top_k and class_id are not supported.")
        super().__init__(thresholds, name or "precision", dtype)

    def result(self) -> Tensor:
        tp = self._count("true_positives")
        return self._out(_no_nan(tp, tp + self._count("false_positives")))


class Recall(_Confusion):
    """``TP / (TP + FN)`` (0 when there are no positive labels).

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.Recall()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1]); round(float(m.result()), 4)
    0.6667
    """

    _counts = ("true_positives", "false_negatives")

    def __init__(self, thresholds: Any = None, top_k: Any = None, class_id: Any = None,
                 name: str | None = None, dtype: Any = "float32"):
        if top_k is not None or class_id is not None:
            raise NotImplementedError("Recall: top_k and class_id are not supported.")
        super().__init__(thresholds, name or "recall", dtype)

    def result(self) -> Tensor:
        tp = self._count("true_positives")
        return self._out(_no_nan(tp, tp + self._count("false_negatives")))


_BY_NAME = {"accuracy": Accuracy, "acc": Accuracy, "binary_accuracy": BinaryAccuracy,
            "categorical_accuracy": CategoricalAccuracy,
            "sparse_categorical_accuracy": SparseCategoricalAccuracy, "mean": Mean,
            "mse": MeanSquaredError, "mean_squared_error": MeanSquaredError,
            "mae": MeanAbsoluteError, "mean_absolute_error": MeanAbsoluteError,
            "mape": MeanAbsolutePercentageError,
            "mean_absolute_percentage_error": MeanAbsolutePercentageError,
            "msle": MeanSquaredLogarithmicError,
            "mean_squared_logarithmic_error": MeanSquaredLogarithmicError,
            "root_mean_squared_error": RootMeanSquaredError,
            "precision": Precision, "recall": Recall}


def get(identifier: Any) -> Metric:
    """A metric from a name or an instance.

    >>> import tapegrad as tf
    >>> tf.keras.metrics.get("sparse_categorical_accuracy").name
    'sparse_categorical_accuracy'
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    if callable(identifier) and not isinstance(identifier, type):
        return MeanMetricWrapper(identifier)
    raise ValueError(f"Could not interpret metric {identifier!r}; known: {sorted(_BY_NAME)}.")


_NAMES_LOCK = threading.Lock()


def register_names(table: dict) -> None:
    """Let ``get`` (and ``compile``) resolve more string names (the metrics package adds its
    other modules' metrics)."""
    with _NAMES_LOCK:
        _BY_NAME.update(table)
