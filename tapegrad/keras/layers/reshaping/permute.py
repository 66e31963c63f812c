"""``Permute``: reorders the non-batch axes."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ...base_layer import Layer

__all__ = ["Permute"]


class Permute(Layer):
    """Permutes the axes of each example; ``dims`` counts from 1 (the batch axis stays).

    >>> import tapegrad as tf
    >>> tf.keras.layers.Permute((2, 1))(tf.zeros((4, 3, 5))).shape
    TensorShape([4, 5, 3])
    """

    def __init__(self, dims: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.dims = tuple(int(d) for d in dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(f"Permute: dims must be a permutation of 1..{len(self.dims)} "
                             f"(axis 0 is the batch), got {dims!r}.")

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if len(input_shape) != len(self.dims) + 1:
            raise ValueError(f"Permute '{self.name}' with dims {self.dims} expects inputs of "
                             f"rank {len(self.dims) + 1}, got shape {tuple(input_shape)}.")
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def call(self, inputs: Any) -> Any:
        self.compute_output_shape(tuple(inputs.shape))
        return _a.transpose(inputs, (0,) + self.dims)

    def get_config(self) -> dict:
        return dict(super().get_config(), dims=self.dims)
