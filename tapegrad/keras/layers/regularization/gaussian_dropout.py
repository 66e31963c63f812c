"""``GaussianDropout``: multiplicative Gaussian noise while training."""

from __future__ import annotations

import math
from typing import Any

from ....ops import random as _rnd
from ...base_layer import Layer

__all__ = ["GaussianDropout"]


class GaussianDropout(Layer):
    """Multiplies the inputs by noise from N(1, rate / (1 - rate)) with ``training=True``
    (the variance dropout at ``rate`` would have); otherwise the identity.

    >>> import tapegrad as tf
    >>> tf.keras.layers.GaussianDropout(0.5)(tf.ones((2,))).numpy()
    array([1., 1.], dtype=float32)
    """

    supports_masking = True

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if not 0 <= float(rate) < 1:
            raise ValueError(f"GaussianDropout: rate must be in [0, 1), got {rate!r}.")
        self.rate, self.seed = float(rate), seed

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any, training: bool = False) -> Any:
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        return inputs * _rnd.normal(tuple(inputs.shape), 1.0, stddev, dtype=inputs.dtype,
                                    seed=self.seed)

    def get_config(self) -> dict:
        return dict(super().get_config(), rate=self.rate, seed=self.seed)
