"""``Dot``: the dot product of two batches of vectors along given axes."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from ....ops import reduce as _r
from ...base_layer import Layer

__all__ = ["Dot"]


class Dot(Layer):
    """``sum(x * y, axis)`` for two ``(batch, d)`` inputs (``normalize=True``: the cosine);
    the output is ``(batch, 1)``, as Keras's.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Dot(axes=1)([tf.constant([[1.0, 2.0]]), tf.constant([[3.0, 4.0]])]).numpy()
    array([[11.]], dtype=float32)
    """

    supports_masking = True

    def __init__(self, axes: Any, normalize: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        if not isinstance(axes, int) and not (len(axes) == 2 and axes[0] == axes[1]):
            raise NotImplementedError(f"Dot: only one axis for both inputs is supported, got "
                                      f"axes={axes!r}.")
        self.axes = axes if isinstance(axes, int) else axes[0]
        self.normalize = bool(normalize)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if len(input_shape) != 2 or any(len(s) != 2 for s in input_shape):
            raise ValueError(f"Dot '{self.name}' takes a list of two (batch, d) inputs, got "
                             f"shapes {input_shape!r}.")
        a, b = input_shape
        if None not in (a[1], b[1]) and a[1] != b[1]:
            raise ValueError(f"Dot '{self.name}': dimension incompatibility {a[1]} != {b[1]} "
                             f"(shapes {tuple(a)} and {tuple(b)}).")
        return (a[0], 1)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return None

    def call(self, inputs: Any) -> Any:
        self.compute_output_shape([tuple(x.shape) for x in inputs])
        x, y = inputs
        if self.normalize:
            eps = _m.cast(1e-12, x.dtype)
            x = x * _m.rsqrt(_m.maximum(_r.reduce_sum(x * x, axis=self.axes, keepdims=True),
                                        eps))
            y = y * _m.rsqrt(_m.maximum(_r.reduce_sum(y * y, axis=self.axes, keepdims=True),
                                        eps))
        return _r.reduce_sum(x * y, axis=self.axes, keepdims=True)

    def get_config(self) -> dict:
        return dict(super().get_config(), axes=self.axes, normalize=self.normalize)
