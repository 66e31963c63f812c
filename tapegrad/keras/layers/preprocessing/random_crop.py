"""``RandomCrop``: a random ``(height, width)`` crop while training, a centered one otherwise."""

from __future__ import annotations

from typing import Any

from .base_image import _RandomImageLayer
from .image_ops import crop_box, resize

__all__ = ["RandomCrop"]


class RandomCrop(_RandomImageLayer):
    """While training, one random offset for the batch; otherwise (or when an image is too
    small) the centered box of the target's aspect ratio resized to ``(height, width)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.RandomCrop(2, 3, seed=0)(tf.zeros((4, 5, 6, 3))).shape
    TensorShape([4, 2, 3, 3])
    """

    def __init__(self, height: int, width: int, seed: Any = None, data_format: Any = None,
                 **kwargs: Any):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.height, self.width = int(height), int(width)

    def _images(self, x: Any, training: bool) -> Any:
        h, w = x.shape[1], x.shape[2]
        if training and h >= self.height and w >= self.width:
            top = int(self._uniform((), 0, h - self.height + 1))
            left = int(self._uniform((), 0, w - self.width + 1))
            return x[:, top:top + self.height, left:left + self.width]
        top, left, ch, cw = crop_box(h, w, self.height, self.width)
        x = x[:, top:top + ch, left:left + cw]
        return x if (ch, cw) == (self.height, self.width) else resize(x, self.height,
                                                                      self.width)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        s = tuple(input_shape)
        return s[:-3] + (self.height, self.width, s[-1])

    def get_config(self) -> dict:
        return dict(super().get_config(), height=self.height, width=self.width)
