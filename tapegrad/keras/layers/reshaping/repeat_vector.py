"""``RepeatVector``: ``(batch, features) -> (batch, n, features)``."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ...base_layer import Layer

__all__ = ["RepeatVector"]


class RepeatVector(Layer):
    """Repeats each example's feature vector ``n`` times along a new axis 1.

    >>> import tapegrad as tf
    >>> tf.keras.layers.RepeatVector(3)(tf.zeros((2, 5))).shape
    TensorShape([2, 3, 5])
    """

    def __init__(self, n: int, **kwargs: Any):
        super().__init__(**kwargs)
        self.n = int(n)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if len(input_shape) != 2:
            raise ValueError(f"RepeatVector '{self.name}' expects inputs of rank 2 (batch, "
                             f"features), got shape {tuple(input_shape)}.")
        return (input_shape[0], self.n, input_shape[1])

    def call(self, inputs: Any) -> Any:
        self.compute_output_shape(tuple(inputs.shape))
        return _a.tile(_a.expand_dims(inputs, 1), (1, self.n, 1))

    def get_config(self) -> dict:
        return dict(super().get_config(), n=self.n)
