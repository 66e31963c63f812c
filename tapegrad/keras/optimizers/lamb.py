"""``Lamb``: Adam's step rescaled per variable by ``||w|| / ||step||`` (You et al.), as
Keras 3 computes it."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...ops import math as _m
from ...ops import reduce as _r
from ...ops.indexing import where
from ...engine.tensor import Tensor
from ...engine.variable import Variable
from .base import Optimizer, _dense, cast_hyper

__all__ = ["Lamb"]


class Lamb(Optimizer):
    """Layer-wise adaptive moments: ``m``, ``v`` as Adam's; ``u = m̂ / (sqrt(v̂) + ε)``;
    ``w -= r · lr · u`` with ``r = ||w|| / ||u||`` (1 when either norm is zero).

    >>> import tapegrad as tf
    >>> w = tf.Variable([3.0, 4.0])
    >>> opt = tf.keras.optimizers.Lamb(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(tf.constant([1.0, 1.0]), w)])
    >>> [round(float(x), 4) for x in w.numpy()]  # ||w|| = 5, ||u|| = sqrt(2)
    [2.6464, 3.6464]
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, name: str = "lamb", **kwargs: Any):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def build(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self.add_variable_from_reference(v, "momentum")
            self.add_variable_from_reference(v, "velocity")

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Tensor) -> None:
        dt = variable.dtype.as_numpy_dtype  # hyperparameters in the variable's dtype, as Keras
        g = _dense(gradient)
        step = _m.cast(self._iterations + np.int64(1), variable.dtype)
        beta_1_power = _m.pow(cast_hyper(self.beta_1, variable), step)
        beta_2_power = _m.pow(cast_hyper(self.beta_2, variable), step)
        m, v = self.slot(variable, "momentum"), self.slot(variable, "velocity")
        m.assign_add((g - m) * dt(1 - self.beta_1))
        v.assign_add((_m.square(g) - v) * dt(1 - self.beta_2))
        update = (m / (1.0 - beta_1_power)) / (_m.sqrt(v / (1.0 - beta_2_power)) +
                                               dt(self.epsilon))
        w_norm = _m.sqrt(_r.reduce_sum(_m.square(variable)))
        g_norm = _m.sqrt(_r.reduce_sum(_m.square(update)))
        zero, one = dt(0), dt(1)
        ratio = where(_m.greater(w_norm, zero),
                      where(_m.greater(g_norm, zero), w_norm / g_norm, one), one)
        variable.assign_sub(ratio * learning_rate * update)
