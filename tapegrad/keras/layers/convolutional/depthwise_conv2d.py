"""``DepthwiseConv2D``: each input channel convolved with its own filters."""

from __future__ import annotations

from .base_depthwise import _DepthwiseOnly

__all__ = ["DepthwiseConv2D"]


class DepthwiseConv2D(_DepthwiseOnly):
    """Kernel ``(*kernel_size, channels, depth_multiplier)``; the output has ``channels *
    depth_multiplier`` channels (channel ``c * depth_multiplier + m``).

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.DepthwiseConv2D(3, depth_multiplier=2)
    >>> layer(tf.zeros((1,) + (5,) * 2 + (4,))).shape[-1], tuple(layer.kernel.shape)[-2:]
    (8, (4, 2))
    """

    rank = 2
