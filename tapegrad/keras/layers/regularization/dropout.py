"""``Dropout``: zeroes a fraction of the inputs while training."""

from __future__ import annotations

from typing import Any

from ....ops import nn as _nn
from ...base_layer import Layer

__all__ = ["Dropout"]


class Dropout(Layer):
    """Zeroes a fraction ``rate`` of the inputs and scales the rest by 1/(1-rate), only when
    called with ``training=True``; otherwise the identity.

    >>> import tapegrad as tf
    >>> drop = tf.keras.layers.Dropout(0.5)
    >>> drop(tf.ones((4,))).numpy()
    array([1., 1., 1., 1.], dtype=float32)
    """

    supports_masking = True

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None,
                 **kwargs: Any):
        super().__init__(**kwargs)
        if not 0 <= float(rate) < 1:
            raise ValueError(f"Dropout: rate must be in [0, 1), got {rate!r}.")
        self.rate = float(rate)
        self.noise_shape = noise_shape
        self.seed = seed

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any, training: bool = False) -> Any:
        if not training or self.rate == 0:
            return inputs
        return _nn.dropout(inputs, rate=self.rate, noise_shape=self.noise_shape, seed=self.seed)

    def get_config(self) -> dict:
        return dict(super().get_config(), rate=self.rate, noise_shape=self.noise_shape,
                    seed=self.seed)
