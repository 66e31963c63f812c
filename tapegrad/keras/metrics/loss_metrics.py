"""Metrics that average a loss function's per-example values (Keras 3's probabilistic,
hinge and regression families): ``BinaryCrossentropy``, ``KLDivergence``, ``Hinge`` …"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import losses as _losses
from .base import MeanMetricWrapper, _np

__all__ = ["BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
           "KLDivergence", "Poisson", "LogCoshError", "CosineSimilarity", "Hinge",
           "SquaredHinge", "CategoricalHinge", "cosine_similarity"]


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Any:
    """The cosine of the angle between ``y_true`` and ``y_pred`` along ``axis`` (the loss
    of the same name is its negative)."""
    return -_losses.cosine_similarity(y_true, y_pred, axis=axis)


def _wrapper(fn: Callable, default_name: str, doc: str) -> type:
    def __init__(self: MeanMetricWrapper, name: str = default_name, dtype: Any = None) -> None:
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype or "float32")
    return type("".join(w.capitalize() for w in default_name.split("_")), (MeanMetricWrapper,),
                {"__init__": __init__, "__doc__": doc, "__module__": __name__})


class BinaryCrossentropy(MeanMetricWrapper):
    """Running mean of ``binary_crossentropy``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.BinaryCrossentropy()
    >>> m.update_state([[0.0, 1.0]], [[0.4, 0.6]]); round(float(m.result()), 4)
    0.5108
    """

    def __init__(self, name: str = "binary_crossentropy", dtype: Any = None,
                 from_logits: bool = False, label_smoothing: float = 0.0):
        super().__init__(_losses.binary_crossentropy, name=name, dtype=dtype or "float32",
                         from_logits=from_logits, label_smoothing=label_smoothing)


class CategoricalCrossentropy(MeanMetricWrapper):
    """Running mean of ``categorical_crossentropy``."""

    def __init__(self, name: str = "categorical_crossentropy", dtype: Any = None,
                 from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1):
        super().__init__(_losses.categorical_crossentropy, name=name, dtype=dtype or "float32",
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Running mean of ``sparse_categorical_crossentropy``."""

    def __init__(self, name: str = "sparse_categorical_crossentropy", dtype: Any = None,
                 from_logits: bool = False, ignore_class: int | None = None, axis: int = -1):
        if ignore_class is not None:
            raise NotImplementedError("SparseCategoricalCrossentropy metric: ignore_class is "
                                      "not supported by tapegrad.")
        super().__init__(_losses.sparse_categorical_crossentropy, name=name,
                         dtype=dtype or "float32", from_logits=from_logits, axis=axis)

    def _values(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        return _np(self._fn(y_true, y_pred, **self._fn_kwargs))


class CosineSimilarity(MeanMetricWrapper):
    """Running mean of the cosine similarity along ``axis``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.CosineSimilarity()
    >>> m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name: str = "cosine_similarity", dtype: Any = None, axis: int = -1):
        super().__init__(cosine_similarity, name=name, dtype=dtype or "float32", axis=axis)


KLDivergence = _wrapper(_losses.kl_divergence, "kl_divergence",
                        "Running mean of ``kl_divergence``.")
KLDivergence.__name__ = KLDivergence.__qualname__ = "KLDivergence"
Poisson = _wrapper(_losses.poisson, "poisson", "Running mean of ``poisson``.")
LogCoshError = _wrapper(_losses.log_cosh, "logcosh", "Running mean of ``log_cosh``.")
LogCoshError.__name__ = LogCoshError.__qualname__ = "LogCoshError"
Hinge = _wrapper(_losses.hinge, "hinge", "Running mean of ``hinge``.")
SquaredHinge = _wrapper(_losses.squared_hinge, "squared_hinge",
                        "Running mean of ``squared_hinge``.")
CategoricalHinge = _wrapper(_losses.categorical_hinge, "categorical_hinge",
                            "Running mean of ``categorical_hinge``.")
