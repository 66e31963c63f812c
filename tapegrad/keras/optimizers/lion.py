"""Lion: the sign of an interpolated momentum (Keras 3's ``keras.optimizers.Lion``)."""

from __future__ import annotations

from typing import Any

from ...engine.tensor import Tensor
from ...engine.variable import Variable
from ...ops import math as _m
from .base import Optimizer, _dense, cast_hyper

__all__ = ["Lion"]


class Lion(Optimizer):
    """``w -= lr sign(beta_1 m + (1 - beta_1) g)``, then ``m = beta_2 m + (1 - beta_2) g``.

    >>> import tapegrad as tf
    >>> w = tf.Variable(1.0)
    >>> _ = tf.keras.optimizers.Lion(0.1).apply_gradients([(tf.constant(-3.0), w)])
    >>> round(float(w.numpy()), 4)
    1.1
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.99,
                 name: str = "lion", **kwargs: Any):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not 0.0 < beta_1 <= 1.0:
            raise ValueError(f"Lion: beta_1 must be in (0, 1], got {beta_1!r}.")
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)

    def build(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self.add_variable_from_reference(v, "momentum")

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Tensor) -> None:
        g = _dense(gradient)
        beta_1, beta_2 = cast_hyper(self.beta_1, variable), cast_hyper(self.beta_2, variable)
        one = variable.dtype.as_numpy_dtype(1)
        m = self.slot(variable, "momentum")
        variable.assign_sub(learning_rate * _m.sign(m * beta_1 + g * (one - beta_1)))
        m.assign(m * beta_2 + g * (one - beta_2))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
