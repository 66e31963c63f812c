"""``Conv1DTranspose``: the transpose of ``Conv1D`` (learned upsampling)."""

from __future__ import annotations

from .base_conv_transpose import _ConvTranspose

__all__ = ["Conv1DTranspose"]


class Conv1DTranspose(_ConvTranspose):
    """The gradient of a 1-D convolution as a layer: kernel ``(*kernel_size, filters,
    channels)``; with ``strides=2`` and ``padding="same"`` each spatial size doubles.

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.Conv1DTranspose(4, 3, strides=2, padding="same")
    >>> layer(tf.zeros((1,) + (3,) * 1 + (2,))).shape[1:-1]
    TensorShape([6])
    """

    rank = 1
