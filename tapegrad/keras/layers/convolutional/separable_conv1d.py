"""``SeparableConv1D``: a depthwise convolution, then a 1x1 one mixing the channels."""

from __future__ import annotations

from .base_depthwise import _Depthwise

__all__ = ["SeparableConv1D"]


class SeparableConv1D(_Depthwise):
    """Weights ``depthwise_kernel`` ``(*kernel_size, channels, depth_multiplier)``,
    ``pointwise_kernel`` ``(1, …, channels * depth_multiplier, filters)`` and ``bias``.

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.SeparableConv1D(6, 3, padding="same")
    >>> layer(tf.zeros((1,) + (5,) * 1 + (4,))).shape[-1], len(layer.variables)
    (6, 3)
    """

    rank = 1
    separable = True
