"""Intersection over union (Keras 3's ``iou_metrics``): ``IoU``, ``MeanIoU``, ``BinaryIoU``,
``OneHotIoU`` and ``OneHotMeanIoU``.

Each keeps a ``num_classes × num_classes`` confusion matrix (rows: true class, columns:
predicted class) summed over batches; a class's IoU is ``tp / (tp + fp + fn)`` and the result
averages it over the target classes that occurred. As in Keras the matrix is an integer one
by default (``dtype="int"``), so fractional sample weights are truncated; pass
``dtype="float32"`` to keep them.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ...engine import dtypes as _dt
from ...engine.convert import convert_to_tensor
from ...engine.tensor import Tensor
from ...engine.variable import Variable
from .base import Metric, _np

__all__ = ["IoU", "MeanIoU", "BinaryIoU", "OneHotIoU", "OneHotMeanIoU"]

_EPSILON = np.float32(1e-7)


def _count_dtype(dtype: Any) -> np.dtype:
    return np.dtype(np.int64) if dtype in (None, "int") else np.dtype(_dt.np_dtype(dtype))


class IoU(Metric):
    """The mean IoU over ``target_class_ids``; labels and predictions are class indices
    (``sparse_y_true``/``sparse_y_pred``) or, when not sparse, scores whose arg-max along
    ``axis`` is the class. Pixels of ``ignore_class`` and out-of-range indices are skipped.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.IoU(num_classes=2, target_class_ids=[0])
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1]); round(float(m.result()), 4)
    0.3333
    """

    def __init__(self, num_classes: int, target_class_ids: Any, name: str | None = None,
                 dtype: Any = None, ignore_class: int | None = None, sparse_y_true: bool = True,
                 sparse_y_pred: bool = True, axis: int = -1):
        target_class_ids = list(target_class_ids)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"{type(self).__name__}: target class id "
                             f"{max(target_class_ids)} is out of range, which is "
                             f"[0, {num_classes}).")
        super().__init__(name=name or _default_name(self), dtype=dtype or "int")
        self.num_classes, self.target_class_ids = int(num_classes), target_class_ids
        self.ignore_class, self.axis = ignore_class, axis
        self.sparse_y_true, self.sparse_y_pred = sparse_y_true, sparse_y_pred
        self._counts = _count_dtype(dtype)
        self.total_cm = Variable(np.zeros((num_classes, num_classes), self._counts),
                                 trainable=False, name=f"{self.name}/total_confusion_matrix")
        self._state = [self.total_cm]

    def reset_state(self) -> None:
        self.total_cm.assign(np.zeros(self.total_cm.shape, self._counts))

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        t, p = _np(y_true), _np(y_pred)
        if not self.sparse_y_true:
            t = np.argmax(t, axis=self.axis)
        if not self.sparse_y_pred:
            p = np.argmax(p, axis=self.axis)
        t, p = t.astype(self._counts).reshape(-1), p.astype(self._counts).reshape(-1)
        if sample_weight is None:
            w = np.ones_like(t)
        else:
            w = _np(sample_weight)
            if w.dtype.kind == "f" and self._counts.kind == "i":
                warnings.warn("You are passing weight as `float`, but dtype is `int`. This may "
                              "result in an incorrect weight due to type casting. Consider "
                              "using integer weights.", stacklevel=2)
            w = np.broadcast_to(w.astype(self._counts).reshape(-1) if w.ndim > 1 else
                                w.astype(self._counts), t.shape)
        n = self.num_classes
        keep = (t >= 0) & (t < n) & (p >= 0) & (p < n)
        if self.ignore_class is not None:
            keep &= t != self.ignore_class
        cm = np.zeros((n, n), self._counts)
        np.add.at(cm, (t[keep].astype(np.int64), p[keep].astype(np.int64)), w[keep])
        self.total_cm.assign(self.total_cm.numpy() + cm)

    def result(self) -> Tensor:
        cm = self.total_cm.numpy()
        tp = np.diag(cm)
        denominator = (cm.sum(axis=0) + cm.sum(axis=1) - tp)[self.target_class_ids]
        denominator = denominator.astype(np.float32)
        tp = tp[self.target_class_ids].astype(np.float32)
        valid = denominator > 1e-9
        iou = np.where(valid, tp / (denominator + _EPSILON), np.float32(0))
        return convert_to_tensor(np.float32(iou.sum() / (valid.sum(dtype=np.float32) +
                                                         _EPSILON)))

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


def _default_name(metric: Metric) -> str:
    name = type(metric).__name__
    return {"IoU": "io_u", "MeanIoU": "mean_io_u", "BinaryIoU": "binary_io_u",
            "OneHotIoU": "one_hot_io_u", "OneHotMeanIoU": "one_hot_mean_io_u"}.get(name, name)


class BinaryIoU(IoU):
    """IoU of two classes from probabilities: a prediction is class 1 when it is at least
    ``threshold``.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7]); round(float(m.result()), 4)
    0.3333
    """

    def __init__(self, target_class_ids: Any = (0, 1), threshold: float = 0.5,
                 name: str | None = None, dtype: Any = None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name,
                         dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        above = _np(y_pred).astype(np.float32) >= np.float32(self.threshold)
        super().update_state(_np(y_true).astype(self._counts), above.astype(self._counts),
                             sample_weight)

    def get_config(self) -> dict:
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self.dtype}


class MeanIoU(IoU):
    """The IoU averaged over every class that occurred.

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1]); round(float(m.result()), 4)
    0.3333
    """

    def __init__(self, num_classes: int, name: str | None = None, dtype: Any = None,
                 ignore_class: int | None = None, sparse_y_true: bool = True,
                 sparse_y_pred: bool = True, axis: int = -1):
        super().__init__(num_classes=num_classes, target_class_ids=list(range(num_classes)),
                         name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["target_class_ids"]
        return config


class OneHotIoU(IoU):
    """``IoU`` with one-hot labels (and, unless ``sparse_y_pred``, scores as predictions).

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.OneHotIoU(num_classes=2, target_class_ids=[1])
    >>> m.update_state([[1, 0], [0, 1]], [[0.2, 0.8], [0.3, 0.7]]); round(float(m.result()), 4)
    0.5
    """

    def __init__(self, num_classes: int, target_class_ids: Any, name: str | None = None,
                 dtype: Any = None, ignore_class: int | None = None,
                 sparse_y_pred: bool = False, axis: int = -1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids,
                         name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """``MeanIoU`` with one-hot labels (and, unless ``sparse_y_pred``, scores).

    >>> import tapegrad as tf
    >>> m = tf.keras.metrics.OneHotMeanIoU(num_classes=2)
    >>> m.update_state([[1, 0], [0, 1]], [[0.2, 0.8], [0.3, 0.7]]); round(float(m.result()), 4)
    0.25
    """

    def __init__(self, num_classes: int, name: str | None = None, dtype: Any = None,
                 ignore_class: int | None = None, sparse_y_pred: bool = False, axis: int = -1):
        super().__init__(num_classes=num_classes, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["sparse_y_true"]
        return config
