"""``RandomRotation``, ``RandomZoom`` and ``RandomTranslation``: random affine transforms of
images while training (the identity otherwise), sampled as ``tf.raw_ops.
ImageProjectiveTransformV3`` with Keras 3's matrices."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .base_image import _RandomImageLayer, factor_range
from .image_ops import FILL_MODES, INTERPOLATIONS, affine_transform, check_choice

__all__ = ["RandomRotation", "RandomTranslation", "RandomZoom"]


def _plain(factor: Any) -> Any:
    return list(factor) if isinstance(factor, (tuple, list)) else factor


class _RandomAffine(_RandomImageLayer):
    def __init__(self, fill_mode: str = "reflect", interpolation: str = "bilinear",
                 seed: Any = None, fill_value: float = 0.0, data_format: Any = None,
                 **kwargs: Any):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        who = type(self).__name__
        self.fill_mode = check_choice(fill_mode, FILL_MODES, who, "fill_mode")
        self.interpolation = check_choice(interpolation, INTERPOLATIONS, who, "interpolation")
        self.fill_value = float(fill_value)

    def _matrices(self, b: int, h: int, w: int) -> np.ndarray:
        raise NotImplementedError

    def _images(self, x: Any, training: bool) -> Any:
        if not training:
            return x
        b, h, w = x.shape[:3]
        return affine_transform(x, self._matrices(b, h, w), self.interpolation,
                                self.fill_mode, self.fill_value)

    def get_config(self) -> dict:
        return dict(super().get_config(), fill_mode=self.fill_mode,
                    interpolation=self.interpolation, fill_value=self.fill_value)


class RandomRotation(_RandomAffine):
    """Rotates each image about its center by a random fraction of a full turn in
    ``factor`` (``0.1`` means ±36°; a pair gives the range), filling as ``fill_mode``.

    >>> import tapegrad as tf
    >>> x = tf.reshape(tf.range(4.0), (1, 2, 2, 1))
    >>> tf.keras.layers.RandomRotation((0.25, 0.25))(x)[0, :, :, 0].numpy().round(3)
    array([[1., 3.],
           [0., 2.]], dtype=float32)
    """

    def __init__(self, factor: Any, fill_mode: str = "reflect", interpolation: str = "bilinear",
                 seed: Any = None, fill_value: float = 0.0, data_format: Any = None,
                 **kwargs: Any):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = factor_range(factor, "RandomRotation")
        self._given = {"factor": _plain(factor)}  # the config keeps the arguments as given

    def _matrices(self, b: int, h: int, w: int) -> np.ndarray:
        angle = self._uniform((b,), self.factor[0] * 360.0, self.factor[1] * 360.0)
        theta = angle * math.pi / 180.0
        cos, sin = np.cos(theta), np.sin(theta)
        cx, cy = 0.5 * (w - 1), 0.5 * (h - 1)
        zero = np.zeros(b)
        return np.stack([cos, -sin, cx - cx * cos + cy * sin, sin, cos,
                         cy - cx * sin - cy * cos, zero, zero], axis=1)

    def get_config(self) -> dict:
        return dict(super().get_config(), **self._given)


class RandomZoom(_RandomAffine):
    """Zooms each image about its center: ``height_factor`` ``-0.3`` zooms in by up to 30%,
    ``(0.2, 0.3)`` zooms out by 20–30%; ``width_factor`` (default: the same zoom as the
    height) likewise.

    >>> import tapegrad as tf
    >>> tf.keras.layers.RandomZoom(0.2, seed=0)(tf.zeros((2, 8, 8, 3))).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(self, height_factor: Any, width_factor: Any = None, fill_mode: str = "reflect",
                 interpolation: str = "bilinear", seed: Any = None, fill_value: float = 0.0,
                 data_format: Any = None, **kwargs: Any):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self._given = {"height_factor": _plain(height_factor),
                       "width_factor": _plain(width_factor)}
        self.height_factor = factor_range(height_factor, "RandomZoom", "height_factor")
        self.width_factor = None if width_factor is None else \
            factor_range(width_factor, "RandomZoom", "width_factor")

    def _matrices(self, b: int, h: int, w: int) -> np.ndarray:
        zy = 1.0 + self._uniform((b,), *self.height_factor)
        zx = zy if self.width_factor is None else 1.0 + self._uniform((b,), *self.width_factor)
        zero = np.zeros(b)
        return np.stack([zx, zero, (w - 1) / 2.0 * (1 - zx), zero, zy,
                         (h - 1) / 2.0 * (1 - zy), zero, zero], axis=1)

    def get_config(self) -> dict:
        return dict(super().get_config(), **self._given)


class RandomTranslation(_RandomAffine):
    """Shifts each image by a random fraction of its height (``height_factor``) and width
    (``width_factor``): ``0.2`` means up to 20% either way; ``(-0.1, 0.3)`` a range.

    >>> import tapegrad as tf
    >>> x = tf.reshape(tf.range(4.0), (1, 1, 4, 1))
    >>> layer = tf.keras.layers.RandomTranslation(0, (0.25, 0.25), fill_mode="constant")
    >>> layer(x)[0, 0, :, 0].numpy()
    array([0., 0., 1., 2.], dtype=float32)
    """

    def __init__(self, height_factor: Any, width_factor: Any, fill_mode: str = "reflect",
                 interpolation: str = "bilinear", seed: Any = None, fill_value: float = 0.0,
                 data_format: Any = None, **kwargs: Any):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self._given = {"height_factor": _plain(height_factor),
                       "width_factor": _plain(width_factor)}
        self.height_factor = factor_range(height_factor, "RandomTranslation", "height_factor")
        self.width_factor = factor_range(width_factor, "RandomTranslation", "width_factor")

    def _matrices(self, b: int, h: int, w: int) -> np.ndarray:
        dy = self._uniform((b,), *self.height_factor) * h
        dx = self._uniform((b,), *self.width_factor) * w
        one, zero = np.ones(b), np.zeros(b)
        return np.stack([one, zero, -dx, zero, one, -dy, zero, zero], axis=1)

    def get_config(self) -> dict:
        return dict(super().get_config(), **self._given)
