"""Adamax: Adam with the infinity norm (Keras 3's ``keras.optimizers.Adamax``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine.tensor import Tensor
from ...engine.variable import Variable
from ...ops import math as _m
from .base import Optimizer, _dense, cast_hyper

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """``m += (g - m)(1 - beta_1)``, ``u = max(beta_2 u, |g|)``,
    ``w -= lr m / ((1 - beta_1^t)(u + epsilon))``.

    >>> import tapegrad as tf
    >>> w = tf.Variable(1.0)
    >>> _ = tf.keras.optimizers.Adamax(0.1).apply_gradients([(tf.constant(2.0), w)])
    >>> round(float(w.numpy()), 4)  # 1 - 0.1 * 0.2 / (0.1 * 2)
    0.9
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, name: str = "adamax", **kwargs: Any):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)

    def build(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self.add_variable_from_reference(v, "m")
            self.add_variable_from_reference(v, "u")

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Tensor) -> None:
        g = _dense(gradient)
        dt = variable.dtype.as_numpy_dtype
        step = _m.cast(self._iterations + np.int64(1), variable.dtype)
        beta_1_power = _m.pow(cast_hyper(self.beta_1, variable), step)
        m, u = self.slot(variable, "m"), self.slot(variable, "u")
        m.assign_add((g - m) * dt(1 - self.beta_1))
        u.assign(_m.maximum(u * dt(self.beta_2), _m.abs(g)))
        variable.assign_sub(learning_rate * m / ((dt(1) - beta_1_power) * (u + dt(self.epsilon))))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
