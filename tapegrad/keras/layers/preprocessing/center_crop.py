"""``CenterCrop``: the central ``(height, width)`` box of images."""

from __future__ import annotations

from typing import Any

from .base_image import _ImageLayer
from .image_ops import crop_box, resize

__all__ = ["CenterCrop"]


class CenterCrop(_ImageLayer):
    """Crops the center ``(height, width)`` (starting at ``(h - height) // 2``); an image
    smaller than that is resized to it, keeping its aspect ratio by cropping first (Keras's
    ``smart_resize``).

    >>> import tapegrad as tf
    >>> tf.keras.layers.CenterCrop(2, 2)(tf.reshape(tf.range(16.0), (4, 4, 1)))[:, :, 0].numpy()
    array([[ 5.,  6.],
           [ 9., 10.]], dtype=float32)
    """

    def __init__(self, height: int, width: int, data_format: Any = None, **kwargs: Any):
        super().__init__(data_format=data_format, **kwargs)
        self.height, self.width = int(height), int(width)

    def _images(self, x: Any, training: bool) -> Any:
        h, w = x.shape[1], x.shape[2]
        if h >= self.height and w >= self.width:
            top, left = (h - self.height) // 2, (w - self.width) // 2
            return x[:, top:top + self.height, left:left + self.width]
        top, left, ch, cw = crop_box(h, w, self.height, self.width)
        return resize(x[:, top:top + ch, left:left + cw], self.height, self.width)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        s = tuple(input_shape)
        return s[:-3] + (self.height, self.width, s[-1])

    def get_config(self) -> dict:
        return dict(super().get_config(), height=self.height, width=self.width)
