"""The core losses of ``tf.keras.losses``: per-example functions and classes that reduce
over the batch.

The functions return one value per example (the mean over the last axis where Keras takes
one); the classes multiply by ``sample_weight`` and reduce: ``"sum_over_batch_size"`` (the
default: sum / number of values), ``"sum"``, or ``"none"``.  Every ``from_logits=True`` path
goes through the stable fused ops of ``tf.nn`` (no overflow for logits of ±1e4); probability
inputs are clipped to [1e-7, 1 - 1e-7] first, as Keras does.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from ...engine import dtypes as _dt
from ...ops import array as _a
from ...ops import indexing as _ix
from ...ops import math as _m
from ...ops import nn as _nn
from ...ops import norms as _nm
from ...ops import reduce as _r
from ...engine.convert import convert_to_tensor
from ...engine.tensor import Tensor, _Base

__all__ = ["Loss", "MeanSquaredError", "MeanAbsoluteError", "Huber", "BinaryCrossentropy",
           "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "mean_squared_error",
           "mean_absolute_error", "huber", "binary_crossentropy", "categorical_crossentropy",
           "sparse_categorical_crossentropy", "mse", "mae", "get",
           "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "KLDivergence",
           "Poisson", "LogCosh", "Hinge", "SquaredHinge", "CategoricalHinge",
           "CosineSimilarity", "mean_absolute_percentage_error",
           "mean_squared_logarithmic_error", "kl_divergence", "poisson", "log_cosh", "hinge",
           "squared_hinge", "categorical_hinge", "cosine_similarity", "mape", "msle", "kld",
           "BinaryFocalCrossentropy", "CategoricalFocalCrossentropy", "Dice", "Tversky",
           "binary_focal_crossentropy", "categorical_focal_crossentropy", "dice", "tversky",
           "serialize", "deserialize", "register"]

EPSILON = 1e-7


def _pred(y_pred: Any) -> Tensor:
    t = convert_to_tensor(y_pred)
    if t._value.dtype.kind != "f":
        t = _m.cast(t, "float32")
    return t


def _true_like(y_true: Any, y_pred: Tensor) -> Tensor:
    if isinstance(y_true, _Base):
        return y_true if y_true.dtype == y_pred.dtype else _m.cast(y_true, y_pred.dtype)
    return convert_to_tensor(np.asarray(y_true, dtype=y_pred._value.dtype))


def _same_rank(y_true: Tensor, y_pred: Tensor, op: str) -> tuple[Tensor, Tensor]:
    """Squeeze or expand a trailing 1 so both have the same rank (Keras's rule)."""
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = _a.reshape(y_true, y_true.shape[:-1])
    elif y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_pred = _a.reshape(y_pred, y_pred.shape[:-1])
    try:
        np.broadcast_shapes(tuple(y_true.shape), tuple(y_pred.shape))
    except ValueError:
        raise ValueError(f"{op}: y_true of shape {tuple(y_true.shape)} and y_pred of shape "
                         f"{tuple(y_pred.shape)} are incompatible.") from None
    return y_true, y_pred


def _mean_last(x: Tensor) -> Tensor:
    return _r.reduce_mean(x, axis=-1) if x.ndim else x


def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """mean((y_pred - y_true)², axis=-1).

    >>> import tapegrad as tf
    >>> tf.keras.losses.mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy()
    array([0.5], dtype=float32)
    """
    y_pred = _pred(y_pred)
    y_true, y_pred = _same_rank(_true_like(y_true, y_pred), y_pred, "mean_squared_error")
    return _mean_last(_m.square(y_pred - y_true))


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """mean(|y_pred - y_true|, axis=-1).

    >>> import tapegrad as tf
    >>> tf.keras.losses.mean_absolute_error([[0.0, 1.0]], [[2.0, 1.0]]).numpy()
    array([1.], dtype=float32)
    """
    y_pred = _pred(y_pred)
    y_true, y_pred = _same_rank(_true_like(y_true, y_pred), y_pred, "mean_absolute_error")
    return _mean_last(_m.abs(y_pred - y_true))


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Tensor:
    """mean over the last axis of ½e² where |e| <= delta, else delta (|e| - ½ delta).

    >>> import tapegrad as tf
    >>> tf.keras.losses.huber([[0.0, 0.0]], [[0.5, 3.0]]).numpy()  # (0.125 + 2.5) / 2
    array([1.3125], dtype=float32)
    """
    y_pred = _pred(y_pred)
    y_true, y_pred = _same_rank(_true_like(y_true, y_pred), y_pred, "huber")
    error = y_pred - y_true
    abs_error = _m.abs(error)
    d = np.asarray(delta, dtype=y_pred._value.dtype)
    quadratic = 0.5 * _m.square(error)
    linear = d * abs_error - 0.5 * d * d
    return _mean_last(_ix.where(_m.less_equal(abs_error, d), quadratic, linear))


def _smooth(y_true: Tensor, label_smoothing: float, num_classes: Any) -> Tensor:
    if not label_smoothing:
        return y_true
    return y_true * (1.0 - label_smoothing) + label_smoothing / num_classes


def binary_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                        label_smoothing: float = 0.0, axis: int = -1) -> Tensor:
    """mean over ``axis`` of -(y log p + (1 - y) log(1 - p)); with ``from_logits`` the stable
    ``sigmoid_cross_entropy_with_logits``.

    >>> import tapegrad as tf
    >>> tf.keras.losses.binary_crossentropy([[1.0, 0.0]], [[1e4, -1e4]], from_logits=True).numpy()
    array([0.], dtype=float32)
    """
    y_pred = _pred(y_pred)
    y_true, y_pred = _same_rank(_true_like(y_true, y_pred), y_pred, "binary_crossentropy")
    y_true = _smooth(y_true, label_smoothing, 2.0)
    if from_logits:
        bce = _nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    else:
        p = _nm.clip_by_value(y_pred, EPSILON, 1.0 - EPSILON)
        bce = -(y_true * _m.log(p) + (1 - y_true) * _m.log(1 - p))
    return _r.reduce_mean(bce, axis=axis)


def categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                             label_smoothing: float = 0.0, axis: int = -1) -> Tensor:
    """-sum(y log p) over ``axis`` for one-hot (or soft) labels; ``from_logits`` uses the
    stable ``softmax_cross_entropy_with_logits``; probabilities are renormalized and clipped.

    >>> import tapegrad as tf
    >>> cce = tf.keras.losses.categorical_crossentropy
    >>> cce([[0.0, 1.0]], [[0.0, 0.0]], from_logits=True).numpy().round(4)
    array([0.6931], dtype=float32)
    """
    y_pred = _pred(y_pred)
    y_true = _true_like(y_true, y_pred)
    if tuple(y_true.shape) != tuple(y_pred.shape):
        raise ValueError(f"categorical_crossentropy: y_true {tuple(y_true.shape)} and y_pred "
                         f"{tuple(y_pred.shape)} must have the same shape (one-hot labels; use "
                         f"sparse_categorical_crossentropy for integer labels).")
    y_true = _smooth(y_true, label_smoothing, float(y_pred.shape[axis]))
    if from_logits:
        return _nn.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred, axis=axis)
    p = y_pred / _r.reduce_sum(y_pred, axis=axis, keepdims=True)
    p = _nm.clip_by_value(p, EPSILON, 1.0 - EPSILON)
    return -_r.reduce_sum(y_true * _m.log(p), axis=axis)


def sparse_categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                                    axis: int = -1) -> Tensor:
    """-log p[label] for integer labels; ``from_logits`` uses the stable
    ``sparse_softmax_cross_entropy_with_logits``.

    >>> import tapegrad as tf
    >>> loss = tf.keras.losses.sparse_categorical_crossentropy([1], [[0.0, 0.0]], from_logits=True)
    >>> loss.numpy().round(4)
    array([0.6931], dtype=float32)
    """
    y_pred = _pred(y_pred)
    # labels stay tensors and go through ops, so a traced training step replays new labels
    labels = y_true if isinstance(y_true, _Base) else convert_to_tensor(np.asarray(y_true))
    if labels.ndim == y_pred.ndim and tuple(labels.shape[-1:]) == (1,):
        labels = _a.reshape(labels, tuple(labels.shape[:-1]))
    if labels.dtype.is_floating:
        lv = labels._value
        if not np.all(lv == np.round(lv)):
            raise ValueError("sparse_categorical_crossentropy: y_true must hold integer class "
                             "ids.")
    if labels.dtype != "int32":
        labels = _m.cast(labels, "int32")
    if axis not in (-1, y_pred.ndim - 1):
        raise ValueError("sparse_categorical_crossentropy: only axis=-1 is supported.")
    logits = y_pred
    if not from_logits:
        logits = _m.log(_nm.clip_by_value(y_pred, EPSILON, 1.0 - EPSILON))
    return _nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error


def _reduce(values: Tensor, sample_weight: Any, reduction: str) -> Tensor:
    if sample_weight is not None:
        sw = convert_to_tensor(sample_weight, dtype=_dt.from_numpy(values._value.dtype))
        if sw.ndim > values.ndim and sw.shape[-1] == 1:
            sw = _a.reshape(sw, sw.shape[:-1])
        values = values * sw
    if reduction in (None, "none"):
        return values
    total = _r.reduce_sum(values)
    if reduction == "sum":
        return total
    return total / np.asarray(max(int(np.prod(values.shape)), 1), values._value.dtype)


class Loss:
    """Base loss: ``loss(y_true, y_pred, sample_weight=None)`` reduces ``self.call``'s values."""

    _fn: Any = None

    def __init__(self, reduction: str = "sum_over_batch_size", name: str | None = None,
                 **fn_kwargs: Any):
        if reduction not in ("sum_over_batch_size", "sum", "none", None, "mean"):
            raise ValueError(f"{type(self).__name__}: unknown reduction {reduction!r}; use "
                             f"'sum_over_batch_size', 'sum' or 'none'.")
        self.reduction = reduction
        self.name = name or type(self).__name__
        self._fn_kwargs = fn_kwargs

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        """The per-example loss values."""
        return type(self)._fn(y_true, y_pred, **self._fn_kwargs)

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        return _reduce(self.call(y_true, y_pred), sample_weight, self.reduction)

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction, **self._fn_kwargs}


class MeanSquaredError(Loss):
    """Mean of squared errors.

    >>> import tapegrad as tf
    >>> mse = tf.keras.losses.MeanSquaredError()
    >>> float(mse([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
    0.5
    """

    _fn = staticmethod(mean_squared_error)

    def __init__(self, reduction: str = "sum_over_batch_size", name: str | None = None):
        super().__init__(reduction, name or "mean_squared_error")


class MeanAbsoluteError(Loss):
    """Mean of absolute errors."""

    _fn = staticmethod(mean_absolute_error)

    def __init__(self, reduction: str = "sum_over_batch_size", name: str | None = None):
        super().__init__(reduction, name or "mean_absolute_error")


class Huber(Loss):
    """Quadratic within ``delta`` of the target, linear beyond."""

    _fn = staticmethod(huber)

    def __init__(self, delta: float = 1.0, reduction: str = "sum_over_batch_size",
                 name: str | None = None):
        super().__init__(reduction, name or "huber_loss", delta=delta)


class BinaryCrossentropy(Loss):
    """Binary cross-entropy on probabilities, or on logits with ``from_logits=True``."""

    _fn = staticmethod(binary_crossentropy)

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: str = "sum_over_batch_size", name: str | None = None):
        super().__init__(reduction, name or "binary_crossentropy", from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(Loss):
    """Cross-entropy for one-hot labels."""

    _fn = staticmethod(categorical_crossentropy)

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: str = "sum_over_batch_size", name: str | None = None):
        super().__init__(reduction, name or "categorical_crossentropy", from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(Loss):
    """Cross-entropy for integer class labels.

    >>> import tapegrad as tf
    >>> loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    >>> round(float(loss([0, 1], [[2.0, 0.0], [0.0, 2.0]])), 5)
    0.12693
    """

    _fn = staticmethod(sparse_categorical_crossentropy)

    def __init__(self, from_logits: bool = False, reduction: str = "sum_over_batch_size",
                 name: str | None = None, **kwargs: Any):
        kwargs.pop("ignore_class", None)
        super().__init__(reduction, name or "sparse_categorical_crossentropy",
                         from_logits=from_logits, **kwargs)

# -- more of Keras 3's losses (per-example functions, then their classes) ------------------------
def _pair(y_true: Any, y_pred: Any, op: str) -> tuple[Tensor, Tensor]:
    y_pred = _pred(y_pred)
    return _same_rank(_true_like(y_true, y_pred), y_pred, op)


def _eps(t: Tensor) -> Any:
    return t._value.dtype.type(EPSILON)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Tensor:
    """100 * mean(|(y_true - y_pred) / max(|y_true|, 1e-7)|, axis=-1).

    >>> import tapegrad as tf
    >>> tf.keras.losses.mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 4.0]]).numpy()
    array([25.], dtype=float32)
    """
    t, p = _pair(y_true, y_pred, "mean_absolute_percentage_error")
    diff = _m.abs((t - p) / _m.maximum(_m.abs(t), _eps(p)))
    return _mean_last(diff) * p._value.dtype.type(100.0)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Tensor:
    """mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))², axis=-1).

    >>> import tapegrad as tf
    >>> tf.keras.losses.mean_squared_logarithmic_error([[0.0]], [[0.0]]).numpy()
    array([0.], dtype=float32)
    """
    t, p = _pair(y_true, y_pred, "mean_squared_logarithmic_error")
    one = p._value.dtype.type(1.0)
    d = _m.log(_m.maximum(p, _eps(p)) + one) - _m.log(_m.maximum(t, _eps(p)) + one)
    return _mean_last(d * d)


def kl_divergence(y_true: Any, y_pred: Any) -> Tensor:
    """sum(y_true * log(y_true / y_pred), axis=-1), both clipped to [1e-7, 1].

    >>> import tapegrad as tf
    >>> round(float(tf.keras.losses.kl_divergence([[0.5, 0.5]], [[0.5, 0.5]])[0]), 6)
    0.0
    """
    t, p = _pair(y_true, y_pred, "kl_divergence")
    one = p._value.dtype.type(1.0)
    t, p = _nm.clip_by_value(t, _eps(p), one), _nm.clip_by_value(p, _eps(p), one)
    return _r.reduce_sum(t * _m.log(t / p), axis=-1)


def poisson(y_true: Any, y_pred: Any) -> Tensor:
    """mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1).

    >>> import tapegrad as tf
    >>> tf.keras.losses.poisson([[0.0, 0.0]], [[1.0, 3.0]]).numpy()
    array([2.], dtype=float32)
    """
    t, p = _pair(y_true, y_pred, "poisson")
    return _mean_last(p - t * _m.log(p + _eps(p)))


def log_cosh(y_true: Any, y_pred: Any) -> Tensor:
    """mean(log(cosh(y_pred - y_true)), axis=-1), as x + softplus(-2x) - log 2 (no overflow).

    >>> import tapegrad as tf
    >>> tf.keras.losses.log_cosh([[0.0]], [[0.0]]).numpy()
    array([0.], dtype=float32)
    """
    t, p = _pair(y_true, y_pred, "log_cosh")
    x = p - t
    dt = p._value.dtype.type
    return _mean_last(x + _nn.softplus(x * dt(-2.0)) - dt(np.log(2.0)))


def _l2_normalize(x: Tensor, axis: int) -> Tensor:
    sq = _r.reduce_sum(x * x, axis=axis, keepdims=True)
    return x / _m.sqrt(_m.maximum(sq, x._value.dtype.type(1e-12)))


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis): -1 for the same direction.

    >>> import tapegrad as tf
    >>> tf.keras.losses.cosine_similarity([[1.0, 0.0]], [[2.0, 0.0]]).numpy()
    array([-1.], dtype=float32)
    """
    t, p = _pair(y_true, y_pred, "cosine_similarity")
    return -_r.reduce_sum(_l2_normalize(t, axis) * _l2_normalize(p, axis), axis=axis)


def _hinge_labels(t: Tensor) -> Tensor:
    v = t._value
    if np.all((v == 0) | (v == 1)):  # 0/1 labels become -1/1, as Keras 3 does
        return t * v.dtype.type(2.0) - v.dtype.type(1.0)
    return t


def hinge(y_true: Any, y_pred: Any) -> Tensor:
    """mean(max(1 - y_true * y_pred, 0), axis=-1); 0/1 labels are read as -1/1.

    >>> import tapegrad as tf
    >>> tf.keras.losses.hinge([[1.0, 0.0]], [[0.5, -2.0]]).numpy()
    array([0.25], dtype=float32)
    """
    t, p = _pair(y_true, y_pred, "hinge")
    zero, one = p._value.dtype.type(0.0), p._value.dtype.type(1.0)
    return _mean_last(_m.maximum(one - _hinge_labels(t) * p, zero))


def squared_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """mean(max(1 - y_true * y_pred, 0)², axis=-1); 0/1 labels are read as -1/1.

    >>> import tapegrad as tf
    >>> tf.keras.losses.squared_hinge([[1.0, 0.0]], [[0.5, -2.0]]).numpy()
    array([0.125], dtype=float32)
    """
    t, p = _pair(y_true, y_pred, "squared_hinge")
    zero, one = p._value.dtype.type(0.0), p._value.dtype.type(1.0)
    h = _m.maximum(one - _hinge_labels(t) * p, zero)
    return _mean_last(h * h)


def categorical_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0) over the last axis.

    >>> import tapegrad as tf
    >>> tf.keras.losses.categorical_hinge([[0.0, 1.0]], [[0.3, 0.6]]).numpy()
    array([0.7], dtype=float32)
    """
    t, p = _pair(y_true, y_pred, "categorical_hinge")
    dt = p._value.dtype.type
    pos = _r.reduce_sum(t * p, axis=-1)
    neg = _r.reduce_max((dt(1.0) - t) * p, axis=-1)
    return _m.maximum(neg - pos + dt(1.0), dt(0.0))


def _loss_class(fn: Any, default_name: str, doc: str) -> type:
    def __init__(self: Loss, reduction: str = "sum_over_batch_size",
                 name: str | None = None, **kwargs: Any) -> None:
        Loss.__init__(self, reduction, name or default_name, **kwargs)
    return type(_camel(default_name), (Loss,), {"_fn": staticmethod(fn), "__init__": __init__,
                                               "__doc__": doc, "__module__": __name__})


def _camel(name: str) -> str:
    special = {"kl_divergence": "KLDivergence", "log_cosh": "LogCosh"}
    return special.get(name) or "".join(w.capitalize() for w in name.split("_"))


MeanAbsolutePercentageError = _loss_class(
    mean_absolute_percentage_error, "mean_absolute_percentage_error",
    "Mean absolute percentage error.\n\n>>> import tapegrad as tf\n"
    ">>> float(tf.keras.losses.MeanAbsolutePercentageError()([[2.0]], [[1.0]]))\n50.0\n")
MeanSquaredLogarithmicError = _loss_class(
    mean_squared_logarithmic_error, "mean_squared_logarithmic_error",
    "Mean squared logarithmic error.\n\n>>> import tapegrad as tf\n"
    ">>> float(tf.keras.losses.MeanSquaredLogarithmicError()([[0.0]], [[0.0]]))\n0.0\n")
KLDivergence = _loss_class(
    kl_divergence, "kl_divergence", "Kullback-Leibler divergence.\n\n>>> import tapegrad as tf\n"
    ">>> round(float(tf.keras.losses.KLDivergence()([[1.0, 0.0]], [[1.0, 0.0]])), 6)\n0.0\n")
Poisson = _loss_class(
    poisson, "poisson", "Poisson loss.\n\n>>> import tapegrad as tf\n"
    ">>> float(tf.keras.losses.Poisson()([[0.0]], [[2.0]]))\n2.0\n")
LogCosh = _loss_class(
    log_cosh, "log_cosh", "log(cosh(error)).\n\n>>> import tapegrad as tf\n"
    ">>> float(tf.keras.losses.LogCosh()([[1.0]], [[1.0]]))\n0.0\n")
Hinge = _loss_class(
    hinge, "hinge", "Hinge loss.\n\n>>> import tapegrad as tf\n"
    ">>> float(tf.keras.losses.Hinge()([[1.0]], [[2.0]]))\n0.0\n")
SquaredHinge = _loss_class(
    squared_hinge, "squared_hinge", "Squared hinge loss.\n\n>>> import tapegrad as tf\n"
    ">>> float(tf.keras.losses.SquaredHinge()([[1.0]], [[0.0]]))\n1.0\n")
CategoricalHinge = _loss_class(
    categorical_hinge, "categorical_hinge", "Categorical hinge loss.\n\n"
    ">>> import tapegrad as tf\n"
    ">>> float(tf.keras.losses.CategoricalHinge()([[0.0, 1.0]], [[0.0, 1.0]]))\n0.0\n")
CosineSimilarity = _loss_class(
    cosine_similarity, "cosine_similarity", "Negative cosine similarity.\n\n"
    ">>> import tapegrad as tf\n"
    ">>> float(tf.keras.losses.CosineSimilarity()([[1.0, 0.0]], [[3.0, 0.0]]))\n-1.0\n")



# -- focal, Dice and Tversky losses (Keras 3's formulas) -----------------------------------------
def binary_focal_crossentropy(y_true: Any, y_pred: Any, apply_class_balancing: bool = False,
                              alpha: float = 0.25, gamma: float = 2.0, from_logits: bool = False,
                              label_smoothing: float = 0.0, axis: int = -1) -> Tensor:
    """Binary cross-entropy down-weighted on easy examples: ``mean((1 - p_t)^gamma * bce)``
    over ``axis``, ``p_t`` the probability of the true label (weighted by ``alpha`` for
    positives and ``1 - alpha`` for negatives with ``apply_class_balancing``).

    >>> import tapegrad as tf
    >>> [round(float(v), 4) for v in tf.keras.losses.binary_focal_crossentropy(
    ...     [[1.0], [0.0]], [[0.9], [0.6]])]
    [0.0011, 0.3299]
    """
    y_true, y_pred = _pair(y_true, y_pred, "binary_focal_crossentropy")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = _nn.sigmoid(y_pred)
    p = _nm.clip_by_value(y_pred, EPSILON, 1.0 - EPSILON)
    bce = -(y_true * _m.log(p) + (1 - y_true) * _m.log(1 - p))
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = _m.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return _r.reduce_mean(focal, axis=axis)


def categorical_focal_crossentropy(y_true: Any, y_pred: Any, alpha: float = 0.25,
                                   gamma: float = 2.0, from_logits: bool = False,
                                   label_smoothing: float = 0.0, axis: int = -1) -> Tensor:
    """``sum(alpha (1 - p)^gamma * -y log p)`` over ``axis``, with ``p`` the renormalized,
    clipped probabilities (softmax of logits with ``from_logits``).

    >>> import tapegrad as tf
    >>> [round(float(v), 4) for v in tf.keras.losses.categorical_focal_crossentropy(
    ...     [[0.0, 1.0]], [[0.2, 0.8]])]
    [0.0022]
    """
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"categorical_focal_crossentropy: axis must be an int, got {axis!r}.")
    y_true, y_pred = _pair(y_true, y_pred, "categorical_focal_crossentropy")
    if label_smoothing:
        y_true = _smooth(y_true, label_smoothing, float(y_true.shape[-1]))
    if from_logits:
        y_pred = _nn.softmax(y_pred, axis=axis)
    output = y_pred / _r.reduce_sum(y_pred, axis=axis, keepdims=True)
    output = _nm.clip_by_value(output, EPSILON, 1.0 - EPSILON)
    cce = -y_true * _m.log(output)
    return _r.reduce_sum(_m.pow(1.0 - output, gamma) * alpha * cce, axis=axis)


def dice(y_true: Any, y_pred: Any, axis: Any = None) -> Tensor:
    """``1 - 2 sum(y p) / (sum(y) + sum(p) + eps)`` over ``axis`` (all axes by default).

    >>> import tapegrad as tf
    >>> round(float(tf.keras.losses.dice([[1.0, 0.0]], [[0.5, 0.5]])), 4)
    0.5
    """
    y_true, y_pred = _pair(y_true, y_pred, "dice")
    inter = _r.reduce_sum(y_true * y_pred, axis=axis)
    return 1 - 2.0 * inter / (_r.reduce_sum(y_true, axis=axis) +
                              _r.reduce_sum(y_pred, axis=axis) + EPSILON)


def tversky(y_true: Any, y_pred: Any, alpha: float = 0.5, beta: float = 0.5,
            axis: Any = None) -> Tensor:
    """``1 - TP / (TP + alpha FP + beta FN + eps)`` with soft counts over ``axis``, as Keras 3
    writes them (``FP = sum((1 - p) y)``, ``FN = sum(p (1 - y))``).

    >>> import tapegrad as tf
    >>> round(float(tf.keras.losses.tversky([[1.0, 0.0]], [[0.5, 0.5]])), 4)
    0.5
    """
    y_true, y_pred = _pair(y_true, y_pred, "tversky")
    inter = _r.reduce_sum(y_true * y_pred, axis=axis)
    fp = _r.reduce_sum((1 - y_pred) * y_true, axis=axis)
    fn = _r.reduce_sum(y_pred * (1 - y_true), axis=axis)
    return 1 - inter / (inter + fp * alpha + fn * beta + EPSILON)


class BinaryFocalCrossentropy(Loss):
    """Focal binary cross-entropy (see ``binary_focal_crossentropy``)."""

    _fn = staticmethod(binary_focal_crossentropy)

    def __init__(self, apply_class_balancing: bool = False, alpha: float = 0.25,
                 gamma: float = 2.0, from_logits: bool = False, label_smoothing: float = 0.0,
                 axis: int = -1, reduction: str = "sum_over_batch_size",
                 name: str = "binary_focal_crossentropy", dtype: Any = None):
        super().__init__(reduction, name, apply_class_balancing=apply_class_balancing,
                         alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class CategoricalFocalCrossentropy(Loss):
    """Focal categorical cross-entropy (see ``categorical_focal_crossentropy``).

    >>> import tapegrad as tf
    >>> loss = tf.keras.losses.CategoricalFocalCrossentropy()
    >>> round(float(loss([[0.0, 1.0], [1.0, 0.0]], [[0.2, 0.8], [0.6, 0.4]])), 4)
    0.0113
    """

    _fn = staticmethod(categorical_focal_crossentropy)

    def __init__(self, alpha: float = 0.25, gamma: float = 2.0, from_logits: bool = False,
                 label_smoothing: float = 0.0, axis: int = -1,
                 reduction: str = "sum_over_batch_size",
                 name: str = "categorical_focal_crossentropy", dtype: Any = None):
        super().__init__(reduction, name, alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class Dice(Loss):
    """The Dice loss (see ``dice``); ``axis=None`` reduces every axis, as Keras 3."""

    _fn = staticmethod(dice)

    def __init__(self, reduction: str = "sum_over_batch_size", name: str = "dice",
                 axis: Any = None, dtype: Any = None):
        super().__init__(reduction, name, axis=axis)


class Tversky(Loss):
    """The Tversky loss (see ``tversky``); Dice when ``alpha = beta = 0.5``."""

    _fn = staticmethod(tversky)

    def __init__(self, alpha: float = 0.5, beta: float = 0.5,
                 reduction: str = "sum_over_batch_size", name: str = "tversky",
                 axis: Any = None, dtype: Any = None):
        super().__init__(reduction, name, alpha=alpha, beta=beta, axis=axis)


mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence


_BY_NAME = {"mse": MeanSquaredError, "mean_squared_error": MeanSquaredError,
            "mae": MeanAbsoluteError, "mean_absolute_error": MeanAbsoluteError,
            "huber": Huber, "binary_crossentropy": BinaryCrossentropy,
            "categorical_crossentropy": CategoricalCrossentropy,
            "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
            "mape": MeanAbsolutePercentageError,
            "mean_absolute_percentage_error": MeanAbsolutePercentageError,
            "msle": MeanSquaredLogarithmicError,
            "mean_squared_logarithmic_error": MeanSquaredLogarithmicError,
            "kld": KLDivergence, "kl_divergence": KLDivergence, "poisson": Poisson,
            "log_cosh": LogCosh, "logcosh": LogCosh, "hinge": Hinge,
            "squared_hinge": SquaredHinge, "categorical_hinge": CategoricalHinge,
            "cosine_similarity": CosineSimilarity,
            "binary_focal_crossentropy": BinaryFocalCrossentropy,
            "categorical_focal_crossentropy": CategoricalFocalCrossentropy, "dice": Dice,
            "tversky": Tversky}


_CLASSES: dict[str, type] = {}  # loss classes defined beside this module, by class name
_REGISTER_LOCK = threading.Lock()


def register(names: dict, classes: list) -> None:
    """Let ``get`` resolve more string names and ``deserialize`` more class names (the
    package adds its other modules' losses)."""
    with _REGISTER_LOCK:
        _BY_NAME.update(names)
        _CLASSES.update({cls.__name__: cls for cls in classes})


def get(identifier: Any) -> Any:
    """A loss from a name, an instance or a callable ``fn(y_true, y_pred)``. A name gives the
    per-example function (reducing only the last axis), as Keras 3's ``losses.get`` does;
    ``compile`` reduces it over the batch.

    >>> import tapegrad as tf
    >>> tf.keras.losses.get("mae")([[1.0, 2.0]], [[2.0, 4.0]]).numpy()
    array([1.5], dtype=float32)
    """
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(f"Unknown loss {identifier!r}; known: {sorted(_BY_NAME)}.")
        return _BY_NAME[identifier]._fn
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret loss {identifier!r}.")


def serialize(loss: Any) -> Any:
    """Keras 3's form of a loss: a class instance as its config dictionary, a function by
    name.

    >>> import tapegrad as tf
    >>> tf.keras.losses.serialize(tf.keras.losses.Dice())["class_name"]
    'Dice'
    """
    if isinstance(loss, Loss):
        return {"module": "keras.losses", "class_name": type(loss).__name__,
                "config": loss.get_config(), "registered_name": None}
    return getattr(loss, "__name__", loss)


def deserialize(name: Any, custom_objects: dict | None = None) -> Any:
    """The loss ``serialize`` described (a config dictionary, or a name)."""
    if isinstance(name, dict):
        class_name = name.get("class_name", "")
        cls = ((custom_objects or {}).get(class_name) or _CLASSES.get(class_name) or
               globals().get(class_name))
        if not (isinstance(cls, type) and issubclass(cls, Loss)):
            raise ValueError(f"Unknown loss class {name.get('class_name')!r}; pass it in "
                             f"custom_objects.")
        return cls(**name.get("config", {}))
    if isinstance(name, str) and custom_objects and name in custom_objects:
        return custom_objects[name]
    return get(name)
