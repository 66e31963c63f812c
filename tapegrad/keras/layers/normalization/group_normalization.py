"""``GroupNormalization``: per-example normalization over groups of channels."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import math as _m
from ...base_layer import Layer
from .axes import _moments, gamma_and_beta

__all__ = ["GroupNormalization"]


class GroupNormalization(Layer):
    """Splits the channels (``axis``, default the last) into ``groups`` groups and normalizes
    each example over each group and all the other axes: ``(x - mean) / sqrt(var + epsilon)``,
    then ``gamma``/``beta`` per channel. ``groups=-1`` is instance normalization, ``groups=1``
    layer normalization over everything.

    >>> import tapegrad as tf
    >>> gn = tf.keras.layers.GroupNormalization(groups=2)
    >>> y = gn(tf.reshape(tf.range(8.0), (1, 2, 4)))
    >>> [round(float(v), 2) for v in y[0, 0]]
    [-1.21, -0.73, -1.21, -0.73]
    """

    supports_masking = True

    def __init__(self, groups: int = 32, axis: int = -1, epsilon: float = 1e-3,
                 center: bool = True, scale: bool = True, beta_initializer: Any = "zeros",
                 gamma_initializer: Any = "ones", beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.groups, self.axis, self.epsilon = int(groups), int(axis), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self._weight_options("beta", beta_initializer, beta_regularizer, beta_constraint)
        self._weight_options("gamma", gamma_initializer, gamma_regularizer, gamma_constraint)

    def build(self, input_shape: Any) -> None:
        channels = input_shape[self.axis]
        groups = channels if self.groups == -1 else self.groups
        if channels is None or groups <= 0 or channels % groups:
            raise ValueError(f"GroupNormalization '{self.name}': the channels of axis "
                             f"{self.axis} ({channels}) must be known and a multiple of "
                             f"groups ({self.groups}); input shape {tuple(input_shape)}.")
        self._groups = groups
        gamma_and_beta(self, (channels,))
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any) -> Any:
        axis = self.axis % inputs.ndim
        perm = [0] + [i for i in range(1, inputs.ndim) if i != axis] + [axis]
        x = _a.transpose(inputs, perm) if axis != inputs.ndim - 1 else inputs
        shape = tuple(x.shape)
        c = shape[-1]
        grouped = _a.reshape(x, shape[:-1] + (self._groups, c // self._groups))
        axes = list(range(1, grouped.ndim - 2)) + [grouped.ndim - 1]
        mean, var = _moments(grouped, axes)
        y = _a.reshape((grouped - mean) * _m.rsqrt(var + self.epsilon), shape)
        if self.gamma is not None:
            y = y * self._autocast(self.gamma)
        if self.beta is not None:
            y = y + self._autocast(self.beta)
        if axis != inputs.ndim - 1:
            y = _a.transpose(y, sorted(range(len(perm)), key=perm.__getitem__))
        return y

    def get_config(self) -> dict:
        return dict(super().get_config(), groups=self.groups, axis=self.axis,
                    epsilon=self.epsilon, center=self.center, scale=self.scale,
                    **self._weight_config("beta", "gamma"))
