"""``SpatialDropout1D``, ``2D`` and ``3D``: drop whole channels while training."""

from __future__ import annotations

from typing import Any

from ....ops import nn as _nn
from ..convolutional.base_conv import _channels_last
from .dropout import Dropout

__all__ = ["SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"]


class _SpatialDropout(Dropout):
    rank = 1

    def __init__(self, rate: float, data_format: Any = None, seed: int | None = None,
                 **kwargs: Any):
        super().__init__(rate, seed=seed, **kwargs)
        _channels_last(data_format, type(self).__name__)

    def call(self, inputs: Any, training: bool = False) -> Any:
        if inputs.ndim != self.rank + 2:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank "
                             f"{self.rank + 2}, got shape {tuple(inputs.shape)}.")
        if not training or self.rate == 0:
            return inputs
        shape = (inputs.shape[0],) + (1,) * self.rank + (inputs.shape[-1],)
        return _nn.dropout(inputs, rate=self.rate, noise_shape=shape, seed=self.seed)

    def get_config(self) -> dict:
        # Keras 3 writes no noise_shape (it is the layer's), nor trainable; the 1-D layer no
        # data_format
        config = {k: v for k, v in super().get_config().items()
                  if k not in ("noise_shape", "trainable")}
        return config if self.rank == 1 else dict(config, data_format="channels_last")


class SpatialDropout1D(_SpatialDropout):
    """Zeroes whole feature maps of ``(batch, steps, channels)`` (the same channels at every
    step) while training.

    >>> import tapegrad as tf
    >>> tf.keras.layers.SpatialDropout1D(0.5)(tf.ones((1, 3, 2))).shape
    TensorShape([1, 3, 2])
    """

    supports_masking = True

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any):
        super().__init__(rate, seed=seed, **kwargs)


class SpatialDropout2D(_SpatialDropout):
    """Zeroes whole channels of ``(batch, h, w, channels)`` while training.

    >>> import tapegrad as tf
    >>> tf.keras.layers.SpatialDropout2D(0.5)(tf.ones((1, 2, 2, 3))).shape
    TensorShape([1, 2, 2, 3])
    """

    rank = 2


class SpatialDropout3D(_SpatialDropout):
    """Zeroes whole channels of ``(batch, d, h, w, channels)`` while training.

    >>> import tapegrad as tf
    >>> y = tf.keras.layers.SpatialDropout3D(0.5, seed=1)(tf.ones((2, 2, 2, 2, 8)), training=True)
    >>> bool(tf.reduce_all(tf.reduce_max(y, [1, 2, 3]) == tf.reduce_min(y, [1, 2, 3])))
    True
    """

    rank = 3
