"""Adadelta: step sizes from running averages of squared gradients and squared updates
(Keras 3's ``keras.optimizers.Adadelta``)."""

from __future__ import annotations

from typing import Any

from ...engine.tensor import Tensor
from ...engine.variable import Variable
from ...ops import math as _m
from .base import Optimizer, _dense

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """``a = rho a + (1 - rho) g²``, ``d = -sqrt(b + eps) g / sqrt(a + eps)``,
    ``b = rho b + (1 - rho) d²``, ``w += lr d``.

    >>> import tapegrad as tf
    >>> w = tf.Variable(1.0)
    >>> _ = tf.keras.optimizers.Adadelta(1.0).apply_gradients([(tf.constant(1.0), w)])
    >>> round(float(w.numpy()), 5)  # 1 - sqrt(1e-7) / sqrt(0.05 + 1e-7)
    0.99859
    """

    def __init__(self, learning_rate: Any = 0.001, rho: float = 0.95, epsilon: float = 1e-7,
                 name: str = "adadelta", **kwargs: Any):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho, self.epsilon = float(rho), float(epsilon)

    def build(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self.add_variable_from_reference(v, "accumulated_grad")
            self.add_variable_from_reference(v, "accumulated_delta_var")

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Tensor) -> None:
        g = _dense(gradient)
        dt = variable.dtype.as_numpy_dtype
        rho, eps = dt(self.rho), dt(self.epsilon)
        a = self.slot(variable, "accumulated_grad")
        b = self.slot(variable, "accumulated_delta_var")
        a.assign(a * rho + g * g * (dt(1) - rho))
        delta = -_m.sqrt(b + eps) * g / _m.sqrt(a + eps)
        b.assign(b * rho + delta * delta * (dt(1) - rho))
        variable.assign_add(learning_rate * delta)

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
