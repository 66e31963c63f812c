"""``LayerNormalization``: per-example normalization over the feature axes."""

from __future__ import annotations

from typing import Any

from ....ops import nn as _nn
from ... import initializers
from ...base_layer import Layer
from .axes import _axes, _broadcastable, _moments, _param_shape

__all__ = ["LayerNormalization"]


class LayerNormalization(Layer):
    """Normalizes each example over ``axis`` (default the last): ``gamma (x - mean) /
    sqrt(var + epsilon) + beta``.

    >>> import tapegrad as tf
    >>> ln = tf.keras.layers.LayerNormalization()
    >>> y = ln(tf.constant([[1.0, 2.0, 3.0]]))
    >>> [round(float(v), 3) for v in y[0]]
    [-1.224, 0.0, 1.224]
    """

    supports_masking = True

    def __init__(self, axis: Any = -1, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer: Any = "zeros",
                 gamma_initializer: Any = "ones", **kwargs: Any):
        super().__init__(**kwargs)
        self.axis, self.epsilon = axis, float(epsilon)
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)

    def build(self, input_shape: Any) -> None:
        self._norm_axes = _axes(self.axis, len(input_shape), self)
        shape = _param_shape(input_shape, self._norm_axes)
        self.gamma = (self.add_weight("gamma", shape, initializer=self.gamma_initializer)
                      if self.scale else None)
        self.beta = (self.add_weight("beta", shape, initializer=self.beta_initializer)
                     if self.center else None)
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any) -> Any:
        axes = self._norm_axes
        mean, var = _moments(inputs, axes)
        gamma = None if self.gamma is None else _broadcastable(self.gamma, inputs.ndim, axes)
        beta = None if self.beta is None else _broadcastable(self.beta, inputs.ndim, axes)
        return _nn.batch_normalization(inputs, mean, var, beta, gamma, self.epsilon)
