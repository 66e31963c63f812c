"""``Ftrl``: Follow The Regularized Leader (McMahan et al.), Keras 3's update op for op."""

from __future__ import annotations

from typing import Any

from ...ops import math as _m
from ...ops import norms as _nm
from ...engine.tensor import Tensor
from ...engine.variable import Variable
from .base import Optimizer, _dense

__all__ = ["Ftrl"]


class Ftrl(Optimizer):
    """FTRL-proximal with L1, L2 and L2-shrinkage regularization:

    ``n' = n + g²``, ``z += g + 2 λ_s w - (n'^(-p) - n^(-p)) / lr · w``,
    ``w = (clip(z, -λ1, λ1) - z) / (n'^(-p) / lr + 2 (λ2 + β / (2 lr)))`` with ``p`` the
    ``learning_rate_power``.

    >>> import tapegrad as tf
    >>> w = tf.Variable([1.0, -1.0])
    >>> opt = tf.keras.optimizers.Ftrl(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(tf.constant([0.5, 0.5]), w)])
    >>> [round(float(x), 3) for x in w.numpy()]  # w = -z / quadratic, from w's old value
    [0.381, -0.55]
    """

    def __init__(self, learning_rate: Any = 0.001, learning_rate_power: float = -0.5,
                 initial_accumulator_value: float = 0.1,
                 l1_regularization_strength: float = 0.0,
                 l2_regularization_strength: float = 0.0,
                 l2_shrinkage_regularization_strength: float = 0.0, beta: float = 0.0,
                 name: str = "ftrl", **kwargs: Any):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if initial_accumulator_value < 0:
            raise ValueError(f"Ftrl: initial_accumulator_value must be >= 0, got "
                             f"{initial_accumulator_value!r}.")
        if learning_rate_power > 0:
            raise ValueError(f"Ftrl: learning_rate_power must be <= 0, got "
                             f"{learning_rate_power!r}.")
        for key, value in (("l1_regularization_strength", l1_regularization_strength),
                           ("l2_regularization_strength", l2_regularization_strength),
                           ("l2_shrinkage_regularization_strength",
                            l2_shrinkage_regularization_strength)):
            if value < 0:
                raise ValueError(f"Ftrl: {key} must be >= 0, got {value!r}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self.add_variable_from_reference(v, "accumulator", self.initial_accumulator_value)
            self.add_variable_from_reference(v, "linear")

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Tensor) -> None:
        dt = variable.dtype.as_numpy_dtype  # hyperparameters in the variable's dtype, as Keras
        g, lr = _dense(gradient), learning_rate
        accum, linear = self.slot(variable, "accumulator"), self.slot(variable, "linear")
        power = dt(-self.learning_rate_power)
        l2_reg = dt(self.l2_regularization_strength) + dt(self.beta) / (2.0 * lr)
        grad_to_use = g + dt(2 * self.l2_shrinkage_regularization_strength) * variable
        new_accum = accum + _m.square(g)
        linear.assign_add(grad_to_use - (_m.pow(new_accum, power) - _m.pow(accum, power)) /
                          lr * variable)
        quadratic = _m.pow(new_accum, power) / lr + 2 * l2_reg
        l1 = dt(self.l1_regularization_strength)
        variable.assign((_nm.clip_by_value(linear, -l1, l1) - linear) / quadratic)
        accum.assign(new_accum)
