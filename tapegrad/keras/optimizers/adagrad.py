"""``Adagrad``: Keras 3's update; an IndexedSlices gradient updates only its rows."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...ops import math as _m
from ...engine.indexed_slices import IndexedSlices
from ...engine.tensor import Tensor
from ...engine.variable import Variable
from .base import Optimizer, rows

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad: ``acc += g²``; ``w -= lr g / sqrt(acc + epsilon)``, ``acc`` starting at
    ``initial_accumulator_value`` (0.1).

    >>> import tapegrad as tf
    >>> w = tf.Variable(1.0)
    >>> opt = tf.keras.optimizers.Adagrad(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(tf.constant(1.0), w)])
    >>> round(float(w.numpy()), 5)  # 1 - 0.1 / sqrt(1.1)
    0.90465
    """

    def __init__(self, learning_rate: Any = 0.001, initial_accumulator_value: float = 0.1,
                 epsilon: float = 1e-7, name: str = "adagrad", **kwargs: Any):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.initial_accumulator_value, self.epsilon = initial_accumulator_value, epsilon

    def build(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self.add_variable_from_reference(v, "accumulator", self.initial_accumulator_value)

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Tensor) -> None:
        dt = variable.dtype.as_numpy_dtype  # hyperparameters in the variable's dtype, as Keras
        acc = self.slot(variable, "accumulator")
        if isinstance(gradient, IndexedSlices):
            # rows without a gradient change neither acc nor w: update only the touched rows
            idx, g = rows(gradient, variable.dtype)
            acc.scatter_sub(IndexedSlices(-np.square(g), idx, acc.shape))
            step = (learning_rate._value * g) / np.sqrt(acc._value[idx] + dt(self.epsilon))
            variable.scatter_sub(IndexedSlices(step, idx, variable.shape))
            return
        acc.assign_add(_m.square(gradient))
        variable.assign_sub((learning_rate * gradient) / _m.sqrt(acc + dt(self.epsilon)))
