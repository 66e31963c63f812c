"""``ZeroPadding2D``: zeros around the height and width of images."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ...base_layer import Layer

__all__ = ["ZeroPadding2D"]


def _pairs(padding: Any) -> tuple:
    if isinstance(padding, int):
        return ((padding, padding), (padding, padding))
    p = tuple(padding)
    if len(p) == 2 and all(isinstance(v, int) for v in p):
        return ((p[0], p[0]), (p[1], p[1]))
    if len(p) == 2 and all(len(tuple(v)) == 2 for v in p):
        return tuple(tuple(int(d) for d in v) for v in p)
    raise ValueError(f"ZeroPadding2D: padding must be an int, (h, w) or ((top, bottom), "
                     f"(left, right)), got {padding!r}.")


class ZeroPadding2D(Layer):
    """Pads ``(batch, h, w, c)`` with zeros: ``padding`` is an int, ``(h, w)`` or
    ``((top, bottom), (left, right))``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.ZeroPadding2D(((1, 0), (2, 2)))(tf.ones((1, 3, 3, 2))).shape
    TensorShape([1, 4, 7, 2])
    """

    def __init__(self, padding: Any = (1, 1), data_format: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.padding = _pairs(padding)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if len(input_shape) != 4:
            raise ValueError(f"ZeroPadding2D '{self.name}' expects inputs of rank 4 (batch, "
                             f"height, width, channels), got shape {tuple(input_shape)}.")
        (t, b), (lo, r) = self.padding
        h, w = input_shape[1], input_shape[2]
        return (input_shape[0], None if h is None else h + t + b,
                None if w is None else w + lo + r, input_shape[3])

    def call(self, inputs: Any) -> Any:
        self.compute_output_shape(tuple(inputs.shape))
        return _a.pad(inputs, [[0, 0], list(self.padding[0]), list(self.padding[1]), [0, 0]])

    def get_config(self) -> dict:
        return dict(super().get_config(), padding=self.padding)
