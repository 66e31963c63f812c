"""``Resizing``: images to a fixed size (bilinear by default)."""

from __future__ import annotations

from typing import Any

from .base_image import _ImageLayer
from .image_ops import RESIZE_INTERPOLATIONS, check_choice, crop_box, pad_to_aspect, resize

__all__ = ["Resizing"]


class Resizing(_ImageLayer):
    """Resizes ``(batch, h, w, c)`` images to ``(height, width)`` as ``tf.image.resize``
    (``interpolation`` bilinear, nearest, bicubic, area, lanczos3 or lanczos5; ``antialias``
    when shrinking); with ``crop_to_aspect_ratio`` the largest centered box of the target's
    aspect ratio is resized, with ``pad_to_aspect_ratio`` the image is first padded with
    ``fill_value`` to that ratio, so nothing is stretched.

    >>> import tapegrad as tf
    >>> x = tf.reshape(tf.range(16.0), (1, 4, 4, 1))
    >>> tf.keras.layers.Resizing(2, 3)(x)[0, :, :, 0].numpy().round(2)
    array([[ 2.17,  3.5 ,  4.83],
           [10.17, 11.5 , 12.83]], dtype=float32)
    """

    def __init__(self, height: int, width: int, interpolation: str = "bilinear",
                 crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False,
                 fill_mode: str = "constant", fill_value: float = 0.0, antialias: bool = False,
                 data_format: Any = None, **kwargs: Any):
        super().__init__(data_format=data_format, **kwargs)
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Resizing: only one of pad_to_aspect_ratio and "
                             "crop_to_aspect_ratio can be True.")
        self.height, self.width = int(height), int(width)
        self.interpolation = check_choice(interpolation, RESIZE_INTERPOLATIONS, "Resizing",
                                          "interpolation")
        self.fill_mode = check_choice(fill_mode, ("constant",), "Resizing", "fill_mode")
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_value, self.antialias = float(fill_value), bool(antialias)

    def _images(self, x: Any, training: bool) -> Any:
        if self.crop_to_aspect_ratio:
            top, left, h, w = crop_box(x.shape[1], x.shape[2], self.height, self.width)
            x = x[:, top:top + h, left:left + w]
        elif self.pad_to_aspect_ratio:
            x = pad_to_aspect(x, self.height, self.width, self.fill_value)
        return resize(x, self.height, self.width, self.interpolation, self.antialias)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        s = tuple(input_shape)
        return s[:-3] + (self.height, self.width, s[-1])

    def get_config(self) -> dict:
        return dict(super().get_config(), height=self.height, width=self.width,
                    interpolation=self.interpolation,
                    crop_to_aspect_ratio=self.crop_to_aspect_ratio,
                    pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_mode=self.fill_mode,
                    fill_value=self.fill_value, antialias=self.antialias)
