"""``UpSampling2D``: repeats rows and columns (nearest neighbour)."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ...base_layer import Layer
from ..convolutional.base_conv import _channels_last, _tuple
from ..preprocessing.image_ops import resize

__all__ = ["UpSampling2D"]


class UpSampling2D(Layer):
    """Repeats each row ``size[0]`` times and each column ``size[1]`` times
    (``interpolation="nearest"``), or resizes bilinearly (``"bilinear"``, as
    ``tf.image.resize``).

    >>> import tapegrad as tf
    >>> tf.keras.layers.UpSampling2D()(tf.ones((1, 2, 3, 4))).shape
    TensorShape([1, 4, 6, 4])
    """

    def __init__(self, size: Any = (2, 2), data_format: Any = None,
                 interpolation: str = "nearest", **kwargs: Any):
        super().__init__(**kwargs)
        if interpolation not in ("nearest", "bilinear"):
            raise NotImplementedError(f"UpSampling2D: interpolation must be 'nearest' or "
                                      f"'bilinear', got {interpolation!r}.")
        _channels_last(data_format, "UpSampling2D")
        self.interpolation = interpolation
        self.size = _tuple(size, 2, "size", "UpSampling2D")

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if len(input_shape) != 4:
            raise ValueError(f"UpSampling2D '{self.name}' expects inputs of rank 4, got shape "
                             f"{tuple(input_shape)}.")
        h, w = input_shape[1], input_shape[2]
        return (input_shape[0], None if h is None else h * self.size[0],
                None if w is None else w * self.size[1], input_shape[3])

    def call(self, inputs: Any) -> Any:
        b, h, w, c = self.compute_output_shape(tuple(inputs.shape))
        if self.interpolation == "bilinear":  # tf.image.resize, as Keras 3
            return resize(inputs, h, w, "bilinear")
        sh, sw = self.size
        x = _a.reshape(inputs, (b, h // sh, 1, w // sw, 1, c))
        x = _a.tile(x, (1, 1, sh, 1, sw, 1))
        return _a.reshape(x, (b, h, w, c))

    def get_config(self) -> dict:
        return dict(super().get_config(), size=self.size, data_format="channels_last",
                    interpolation=self.interpolation)
