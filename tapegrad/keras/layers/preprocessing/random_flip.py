"""``RandomFlip``: flips images left-right and/or up-down at random while training."""

from __future__ import annotations

from typing import Any

from ....engine.convert import convert_to_tensor
from ....ops import array as _a
from ....ops import indexing as _ix
from .base_image import _RandomImageLayer
from .image_ops import check_choice

__all__ = ["RandomFlip"]

_MODES = ("horizontal", "vertical", "horizontal_and_vertical")


class RandomFlip(_RandomImageLayer):
    """Each image is flipped with probability 1/2 along each axis ``mode`` names
    (``"horizontal"``: left-right); the identity when ``training=False``.

    >>> import tapegrad as tf
    >>> x = tf.reshape(tf.range(4.0), (1, 2, 2, 1))
    >>> y = tf.keras.layers.RandomFlip("horizontal", seed=1)(x)
    >>> sorted(y[0, 0, :, 0].numpy().tolist())
    [0.0, 1.0]
    """

    def __init__(self, mode: str = "horizontal_and_vertical", seed: Any = None,
                 data_format: Any = None, **kwargs: Any):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.mode = check_choice(mode, _MODES, "RandomFlip", "mode")

    def _images(self, x: Any, training: bool) -> Any:
        if not training:
            return x
        for axis, name in ((2, "horizontal"), (1, "vertical")):
            if name in self.mode:
                flip = self._uniform((x.shape[0], 1, 1, 1), 0.0, 1.0) < 0.5
                x = _ix.where(convert_to_tensor(flip), _a.reverse(x, [axis]), x)
        return x

    def get_config(self) -> dict:
        return dict(super().get_config(), mode=self.mode)
