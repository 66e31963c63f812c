"""``GaussianNoise``: adds N(0, stddev²) noise while training."""

from __future__ import annotations

from typing import Any

from ....ops import random as _random
from ...base_layer import Layer

__all__ = ["GaussianNoise"]


class GaussianNoise(Layer):
    """Adds zero-mean Gaussian noise of ``stddev`` when called with ``training=True``;
    otherwise the identity.

    >>> import tapegrad as tf
    >>> tf.keras.layers.GaussianNoise(0.1)(tf.ones((2,))).numpy()
    array([1., 1.], dtype=float32)
    """

    supports_masking = True

    def __init__(self, stddev: float, seed: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if float(stddev) < 0:
            raise ValueError(f"GaussianNoise: stddev must be >= 0, got {stddev!r}.")
        self.stddev, self.seed = float(stddev), seed

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any, training: bool = False) -> Any:
        if not training or self.stddev == 0:
            return inputs
        noise = _random.normal(tuple(inputs.shape), stddev=self.stddev, dtype=inputs.dtype,
                               seed=self.seed)
        return inputs + noise

    def get_config(self) -> dict:
        return dict(super().get_config(), stddev=self.stddev, seed=self.seed)
