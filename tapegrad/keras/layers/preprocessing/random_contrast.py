"""``RandomContrast``: scales each image's deviation from its mean by a random factor."""

from __future__ import annotations

from typing import Any

from ....engine.convert import convert_to_tensor
from ....ops import math as _m
from ....ops import norms as _n
from ....ops import reduce as _r
from .base_image import _RandomImageLayer, factor_range

__all__ = ["RandomContrast"]


class RandomContrast(_RandomImageLayer):
    """``(x - mean) * f + mean`` per image and channel (the mean over height and width), ``f``
    drawn from ``[1 - lower, 1 + upper]`` for each image, then clipped to ``value_range``;
    the identity when ``training=False``.

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.RandomContrast(0.5, seed=0)
    >>> float(tf.reduce_max(layer(tf.fill((1, 2, 2, 3), 100.0))))
    100.0
    """

    def __init__(self, factor: Any, value_range: Any = (0, 255), seed: Any = None,
                 data_format: Any = None, **kwargs: Any):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        low, high = factor_range(factor, "RandomContrast")
        self.factor = (abs(low), high) if isinstance(factor, (tuple, list)) else (high, high)
        if not 0 <= self.factor[0] <= 1 or self.factor[1] < 0:
            raise ValueError(f"RandomContrast: factor must be in [0, 1] (lower) and >= 0, got "
                             f"{factor!r}.")
        self.value_range = tuple(value_range)

    def _images(self, x: Any, training: bool) -> Any:
        if not training:
            return x
        f = self._uniform((x.shape[0], 1, 1, 1), 1.0 - self.factor[0], 1.0 + self.factor[1])
        mean = _r.reduce_mean(x, axis=[1, 2], keepdims=True)
        y = (x - mean) * convert_to_tensor(f.astype(x.dtype.name)) + mean
        low, high = (_m.cast(v, y.dtype) for v in self.value_range)
        return _n.clip_by_value(y, low, high)

    def get_config(self) -> dict:
        return dict(super().get_config(), factor=self.factor, value_range=self.value_range)
