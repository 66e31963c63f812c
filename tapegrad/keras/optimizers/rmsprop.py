"""``RMSprop`` (centered, momentum): Keras 3's update op for op in float32."""

from __future__ import annotations

from typing import Any

from ...ops import math as _m
from ...engine.tensor import Tensor
from ...engine.variable import Variable
from .base import Optimizer, _dense

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop: ``v = rho v + (1 - rho) g²``; ``w -= lr g / sqrt(v + epsilon)`` (centered:
    subtract the squared mean gradient inside the root; momentum: accumulate the step).

    >>> import tapegrad as tf
    >>> w = tf.Variable(1.0)
    >>> opt = tf.keras.optimizers.RMSprop(learning_rate=0.01)
    >>> _ = opt.apply_gradients([(tf.constant(1.0), w)])
    >>> round(float(w.numpy()), 5)  # 1 - 0.01 / sqrt(0.1)
    0.96838
    """

    def __init__(self, learning_rate: Any = 0.001, rho: float = 0.9, momentum: float = 0.0,
                 epsilon: float = 1e-7, centered: bool = False, name: str = "rmsprop",
                 **kwargs: Any):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered

    def build(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self.add_variable_from_reference(v, "velocity")
            if self.momentum > 0:
                self.add_variable_from_reference(v, "momentum")
            if self.centered:
                self.add_variable_from_reference(v, "average_gradient")

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Tensor) -> None:
        dt = variable.dtype.as_numpy_dtype  # hyperparameters in the variable's dtype, as Keras
        g = _dense(gradient)
        rho = dt(self.rho)
        velocity = self.slot(variable, "velocity")
        velocity.assign(rho * velocity + dt(1 - self.rho) * _m.square(g))
        if self.centered:
            avg = self.slot(variable, "average_gradient")
            avg.assign(rho * avg + dt(1 - self.rho) * g)
            denominator = velocity - _m.square(avg) + dt(self.epsilon)
        else:
            denominator = velocity + dt(self.epsilon)
        increment = (learning_rate * g) / _m.sqrt(denominator)
        if self.momentum > 0:
            mom = self.slot(variable, "momentum")
            mom.assign(dt(self.momentum) * mom + increment)
            variable.assign_sub(mom)
        else:
            variable.assign_sub(increment)
