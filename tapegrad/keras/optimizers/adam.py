"""``Adam``: Keras 3's update op for op in float32 (epsilon outside the square root)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...ops import math as _m
from ...engine.tensor import Tensor
from ...engine.variable import Variable
from .base import Optimizer, _dense, cast_hyper

__all__ = ["Adam"]


class Adam(Optimizer):
    """Adam (Kingma & Ba), in Keras's form with epsilon outside the square root:

    ``m += (g - m)(1 - beta_1)``, ``v += (g² - v)(1 - beta_2)``,
    ``w -= m * lr * sqrt(1 - beta_2^t) / (1 - beta_1^t) / (sqrt(v) + epsilon)``.

    >>> import tapegrad as tf
    >>> w = tf.Variable(1.0)
    >>> opt = tf.keras.optimizers.Adam(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(tf.constant(2.0), w)])
    >>> round(float(w.numpy()), 5)  # the first step moves by about lr
    0.9
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, amsgrad: bool = False, name: str = "adam",
                 **kwargs: Any):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = beta_1, beta_2, epsilon, amsgrad

    def build(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self.add_variable_from_reference(v, "m")
            self.add_variable_from_reference(v, "v")
            if self.amsgrad:
                self.add_variable_from_reference(v, "vhat")

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Tensor) -> None:
        dt = variable.dtype.as_numpy_dtype  # hyperparameters in the variable's dtype, as Keras
        g = _dense(gradient)
        local_step = _m.cast(self._iterations + np.int64(1), variable.dtype)
        beta_1_power = _m.pow(cast_hyper(self.beta_1, variable), local_step)
        beta_2_power = _m.pow(cast_hyper(self.beta_2, variable), local_step)
        m, v = self.slot(variable, "m"), self.slot(variable, "v")
        alpha = learning_rate * _m.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m.assign_add((g - m) * dt(1 - self.beta_1))
        v.assign_add((_m.square(g) - v) * dt(1 - self.beta_2))
        if self.amsgrad:
            v_hat = self.slot(variable, "vhat")
            v_hat.assign(_m.maximum(v_hat, v))
            v = v_hat
        variable.assign_sub((m * alpha) / (_m.sqrt(v) + dt(self.epsilon)))
