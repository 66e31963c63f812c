"""``Reshape``: each example to a target shape."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....ops import array as _a
from ...base_layer import Layer

__all__ = ["Reshape"]


class Reshape(Layer):
    """Reshapes each example to ``target_shape`` (the batch dimension is kept; ``-1`` allowed).

    >>> import tapegrad as tf
    >>> tf.keras.layers.Reshape((2, 6))(tf.zeros((5, 12))).shape
    TensorShape([5, 2, 6])
    """

    def __init__(self, target_shape: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        rest = tuple(input_shape)[1:]
        if -1 in self.target_shape:
            known = int(np.prod([d for d in self.target_shape if d != -1]))
            fill = None if None in rest or known == 0 else int(np.prod(rest)) // known
            return (input_shape[0],) + tuple(fill if d == -1 else d for d in self.target_shape)
        return (input_shape[0],) + self.target_shape

    def call(self, inputs: Any) -> Any:
        per_example = int(np.prod(inputs.shape[1:]))
        known = int(np.prod([d for d in self.target_shape if d != -1]))
        if (-1 not in self.target_shape and known != per_example) or \
                (-1 in self.target_shape and (known == 0 or per_example % known)):
            raise ValueError(f"Reshape '{self.name}': cannot reshape an input of shape "
                             f"{tuple(inputs.shape)} ({per_example} values per example) to "
                             f"{self.target_shape}.")
        return _a.reshape(inputs, (inputs.shape[0],) + self.target_shape)

    def get_config(self) -> dict:
        return dict(super().get_config(), target_shape=self.target_shape)
