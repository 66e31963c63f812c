"""The base of the image preprocessing layers: channels-last images, batched or not, and the
random draws of the augmentation layers."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....ops import array as _a
from ....ops import random as _rnd
from ...base_layer import Layer
from ..convolutional.base_conv import _channels_last


def factor_range(factor: Any, who: str, what: str = "factor", low: float | None = None) -> tuple:
    """``f`` -> ``(-f, f)`` (or ``(low, f)``); a pair stays as given (lower <= upper)."""
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or factor[0] > factor[1]:
            raise ValueError(f"{who}: {what} must be a number or a (lower, upper) pair with "
                             f"lower <= upper, got {factor!r}.")
        return float(factor[0]), float(factor[1])
    f = float(factor)
    return (-abs(f) if low is None else low, abs(f))


class _ImageLayer(Layer):
    """Takes ``(batch, h, w, c)`` or one ``(h, w, c)`` image; subclasses write
    ``_images(x, training)`` for the batched case."""

    def __init__(self, data_format: Any = None, seed: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        _channels_last(data_format, type(self).__name__)
        self.seed = seed
        self._rng = np.random.default_rng(seed)

    def _uniform(self, shape: tuple, low: float, high: float) -> np.ndarray:
        """The layer's own random draws (seeded by ``seed``, as Keras's seed generator)."""
        if self.seed is None:
            return np.asarray(_rnd.uniform(shape, low, high, dtype="float64").numpy())
        return self._rng.uniform(low, high, shape)

    def call(self, inputs: Any, training: bool = True) -> Any:
        if inputs.ndim not in (3, 4):
            raise ValueError(f"{type(self).__name__} '{self.name}' expects images (batch, "
                             f"height, width, channels) or (height, width, channels), got "
                             f"shape {tuple(inputs.shape)}.")
        if inputs.ndim == 3:
            return _a.squeeze(self._images(_a.expand_dims(inputs, 0), training), axis=0)
        return self._images(inputs, training)

    def _images(self, x: Any, training: bool) -> Any:
        raise NotImplementedError

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return dict(super().get_config(), data_format="channels_last")


class _RandomImageLayer(_ImageLayer):
    """An augmentation layer: its draws are seeded by ``seed``, which its config keeps."""

    def get_config(self) -> dict:
        return dict(super().get_config(), seed=self.seed)
