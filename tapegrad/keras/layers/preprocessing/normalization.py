"""``Normalization``: standardizes features with a mean and variance learned by ``adapt``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....engine.tensor import _Base
from ....ops import math as _m
from ...base_layer import Layer

__all__ = ["Normalization"]

_EPSILON = 1e-7  # keras.backend.epsilon()


class Normalization(Layer):
    """``(x - mean) / max(sqrt(variance), 1e-7)`` per index of ``axis`` (``invert=True``: the
    inverse). ``adapt(data)`` computes the population mean and variance of ``data``.

    >>> import numpy as np, tapegrad as tf
    >>> norm = tf.keras.layers.Normalization()
    >>> norm.adapt(np.array([[1.0], [3.0]]))
    >>> norm(tf.constant([[2.0], [5.0]])).numpy()
    array([[0.],
           [3.]], dtype=float32)
    """

    supports_masking = True

    def __init__(self, axis: Any = -1, mean: Any = None, variance: Any = None,
                 invert: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        if (mean is None) != (variance is None):
            raise ValueError("Normalization: give both mean and variance, or neither (then "
                             "call adapt()).")
        self.axis = (axis,) if isinstance(axis, int) else tuple(axis or ())
        self.invert = bool(invert)
        self._given = None if mean is None else (np.asarray(mean), np.asarray(variance))

    def _keep(self, rank: int) -> tuple:
        return tuple(a % rank for a in self.axis)

    def build(self, input_shape: Any) -> None:
        keep = self._keep(len(input_shape))
        shape = tuple(input_shape[a] if a in keep else 1 for a in range(len(input_shape)))
        self.mean = self.add_weight("mean", shape, initializer="zeros", trainable=False)
        self.variance = self.add_weight("variance", shape, initializer="ones", trainable=False)
        if self._given is not None:
            self.mean.assign(np.broadcast_to(self._given[0], shape).astype(np.float32))
            self.variance.assign(np.broadcast_to(self._given[1], shape).astype(np.float32))
        self.built = True

    def adapt(self, data: Any) -> None:
        """Set mean and variance from ``data`` (an array or a batch iterable)."""
        if isinstance(data, (np.ndarray, _Base, list)):
            values = np.asarray(data._value if isinstance(data, _Base) else data, np.float64)
        else:
            values = np.concatenate([np.asarray(getattr(b, "_value", b), np.float64)
                                     for b in data])
        if not self.built:
            self.build((None,) + values.shape[1:])
        keep = self._keep(values.ndim)
        axes = tuple(a for a in range(values.ndim) if a not in keep)
        self.mean.assign(values.mean(axis=axes, keepdims=True).astype(np.float32))
        self.variance.assign(values.var(axis=axes, keepdims=True).astype(np.float32))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any) -> Any:
        mean, var = self._autocast(self.mean), self._autocast(self.variance)
        std = _m.maximum(_m.sqrt(var), _m.cast(_EPSILON, var.dtype))
        return inputs * std + mean if self.invert else (inputs - mean) / std

    def get_config(self) -> dict:
        mean, variance = (None, None) if self._given is None else (
            v.tolist() for v in self._given)
        return dict(super().get_config(), axis=self.axis, mean=mean, variance=variance,
                    invert=self.invert)
