"""Nadam: Adam with Nesterov momentum and Keras's momentum schedule
(Keras 3's ``keras.optimizers.Nadam``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine.tensor import Tensor
from ...engine.variable import Variable
from ...ops import math as _m
from .base import Optimizer, _dense, cast_hyper

__all__ = ["Nadam"]


class Nadam(Optimizer):
    """With ``mu_t = beta_1 (1 - 0.5 * 0.96^t)`` and ``P_t = prod(mu_1..mu_t)``:
    ``m_hat = mu_{t+1} m / (1 - P_t mu_{t+1}) + (1 - mu_t) g / (1 - P_t)``,
    ``w -= lr m_hat / (sqrt(v / (1 - beta_2^t)) + epsilon)``.

    >>> import tapegrad as tf
    >>> w = tf.Variable(1.0)
    >>> _ = tf.keras.optimizers.Nadam(0.1).apply_gradients([(tf.constant(1.0), w)])
    >>> round(float(w.numpy()), 4)
    0.8937
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, name: str = "nadam", **kwargs: Any):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)
        self._u_product: Variable | None = None

    def build(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self.add_variable_from_reference(v, "momentum")
            self.add_variable_from_reference(v, "velocity")
        if self._u_product is None and var_list:
            # Keras 3: one product in the first variable's dtype, after the slots
            dt = var_list[0].dtype.as_numpy_dtype
            self._u_product = Variable(dt(1.0), trainable=False, name=f"{self.name}/u_product")
            self._variables.append(self._u_product)

    def apply(self, grads: list, trainable_variables: list) -> None:
        # the product of the momentum schedule advances once a step, before the updates
        self._build_for(list(trainable_variables))
        if self._u_product is not None:
            dt = self._u_product.dtype.as_numpy_dtype
            step = dt(int(self._iterations.numpy()) + 1)
            self._u_product.assign(self._u_product * dt(self.beta_1) *
                                   (dt(1.0) - dt(0.5) * dt(0.96) ** step))
        super().apply(grads, trainable_variables)

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Tensor) -> None:
        g = _dense(gradient)
        dt = variable.dtype.as_numpy_dtype
        step = _m.cast(self._iterations + np.int64(1), variable.dtype)
        beta_1, beta_2, one = (cast_hyper(self.beta_1, variable),
                               cast_hyper(self.beta_2, variable), dt(1))
        decay = cast_hyper(0.96, variable)
        u_t = beta_1 * (one - dt(0.5) * _m.pow(decay, step))
        u_t_1 = beta_1 * (one - dt(0.5) * _m.pow(decay, step + one))
        u_prod = _m.cast(self._u_product, variable.dtype)
        m, v = self.slot(variable, "momentum"), self.slot(variable, "velocity")
        m.assign_add((g - m) * (one - beta_1))
        v.assign_add((g * g - v) * (one - beta_2))
        m_hat = u_t_1 * m / (one - u_prod * u_t_1) + (one - u_t) * g / (one - u_prod)
        v_hat = v / (one - _m.pow(beta_2, step))
        variable.assign_sub(m_hat * learning_rate / (_m.sqrt(v_hat) + dt(self.epsilon)))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
