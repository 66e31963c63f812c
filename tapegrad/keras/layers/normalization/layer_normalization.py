"""``LayerNormalization``: per-example normalization over the feature axes."""

from __future__ import annotations

from typing import Any

from ....ops import nn as _nn
from ...base_layer import Layer
from .axes import _axes, _broadcastable, _moments, _param_shape, gamma_and_beta

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
                 gamma_initializer: Any = "ones", beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis, self.epsilon = axis, float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self._weight_options("beta", beta_initializer, beta_regularizer, beta_constraint)
        self._weight_options("gamma", gamma_initializer, gamma_regularizer, gamma_constraint)

    def build(self, input_shape: Any) -> None:
        self._norm_axes = _axes(self.axis, len(input_shape), self)
        shape = _param_shape(input_shape, self._norm_axes)
        gamma_and_beta(self, shape)
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return dict(super().get_config(), axis=self.axis, epsilon=self.epsilon,
                    center=self.center, scale=self.scale, **self._weight_config("beta", "gamma"))

    def call(self, inputs: Any) -> Any:
        axes = self._norm_axes
        mean, var = _moments(inputs, axes)
        gamma = None if self.gamma is None else _broadcastable(self.gamma, inputs.ndim, axes)
        beta = None if self.beta is None else _broadcastable(self.beta, inputs.ndim, axes)
        return _nn.batch_normalization(inputs, mean, var, beta, gamma, self.epsilon)
