"""``Conv3DTranspose``: the transpose of ``Conv3D`` (learned upsampling)."""

from __future__ import annotations

from typing import Any

from .base_conv_transpose import _ConvTranspose

__all__ = ["Conv3DTranspose"]


class Conv3DTranspose(_ConvTranspose):
    """The gradient of a 3-D convolution as a layer: kernel ``(*kernel_size, filters,
    channels)``; with ``strides=2`` and ``padding="same"`` each spatial size doubles.

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.Conv3DTranspose(4, 3, strides=2, padding="same")
    >>> layer(tf.zeros((1,) + (3,) * 3 + (2,))).shape[1:-1]
    TensorShape([6, 6, 6])
    """

    rank = 3

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: Any = None, output_padding: Any = None, dilation_rate: Any = 1,
                 activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs: Any):
        # Keras 3 puts data_format before output_padding here (not in the 1-D and 2-D layers)
        super().__init__(filters, kernel_size, strides, padding, output_padding, data_format,
                         dilation_rate, activation, use_bias, kernel_initializer,
                         bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)
