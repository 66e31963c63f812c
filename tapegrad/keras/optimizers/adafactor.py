"""``Adafactor`` (Shazeer & Stern): second moments of a matrix kept as a row and a column
factor; Keras 3's update op for op."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...ops import array as _a
from ...ops import math as _m
from ...ops import reduce as _r
from ...engine.tensor import Tensor
from ...engine.variable import Variable
from .base import Optimizer, _dense, cast_hyper

__all__ = ["Adafactor"]


def _rms(x: Any) -> Tensor:
    return _m.sqrt(_r.reduce_mean(_m.square(x)))


class Adafactor(Optimizer):
    """For a variable of rank ≥ 2 the squared gradients are averaged into a row factor ``r``
    and a column factor ``c`` (the last two axes), and ``v = r c / mean(r)``; a vector keeps
    a full ``v``. The step ``g / sqrt(v)`` is clipped to RMS ``clip_threshold`` and scaled by
    ``max(epsilon_2, rms(w)) · min(lr, 1 / sqrt(t))``.

    >>> import tapegrad as tf
    >>> w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    >>> opt = tf.keras.optimizers.Adafactor(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(tf.ones((2, 2)), w)])
    >>> [round(float(x), 4) for x in w.numpy().ravel()]
    [0.7261, 1.7261, 2.7261, 3.7261]
    """

    def __init__(self, learning_rate: Any = 0.001, beta_2_decay: float = -0.8,
                 epsilon_1: float = 1e-30, epsilon_2: float = 1e-3,
                 clip_threshold: float = 1.0, relative_step: bool = True,
                 name: str = "adafactor", **kwargs: Any):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_2_decay, self.epsilon_1, self.epsilon_2 = beta_2_decay, epsilon_1, epsilon_2
        self.clip_threshold, self.relative_step = clip_threshold, relative_step

    def build(self, var_list: list[Variable]) -> None:
        for v in var_list:
            if len(v.shape) >= 2:  # always factor the last two dimensions
                shape = tuple(v.shape)
                self.add_variable(shape[:-1], v.dtype, "r", reference=v)
                self.add_variable(shape[:-2] + shape[-1:], v.dtype, "c", reference=v)
            self.add_variable_from_reference(v, "velocity")

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Tensor) -> None:
        dt = variable.dtype.as_numpy_dtype  # hyperparameters in the variable's dtype, as Keras
        g, lr = _dense(gradient), learning_rate
        step = _m.cast(self._iterations + np.int64(1), variable.dtype)
        if not callable(self._learning_rate) and self.relative_step:
            lr = _m.minimum(lr, 1 / _m.sqrt(step))
        v = self.slot(variable, "velocity")
        rho_t = _m.minimum(lr, 1 / _m.sqrt(step))
        alpha_t = _m.maximum(cast_hyper(self.epsilon_2, variable), _rms(variable)) * rho_t
        squared = _m.square(g) + dt(self.epsilon_1)
        beta_2_t = 1 - _m.pow(step, dt(self.beta_2_decay))
        if len(variable.shape) >= 2:
            r, c = self.slot(variable, "r"), self.slot(variable, "c")
            r.assign(beta_2_t * r + (1 - beta_2_t) * _r.reduce_mean(squared, axis=-1))
            c.assign(beta_2_t * c + (1 - beta_2_t) * _r.reduce_mean(squared, axis=-2))
            v.assign(_a.expand_dims(r / _r.reduce_mean(r, axis=-1, keepdims=True), -1) *
                     _a.expand_dims(c, -2))
        else:
            v.assign(beta_2_t * v + (1 - beta_2_t) * squared)
        u_t = g / _m.sqrt(v)
        u_t_hat = u_t / _m.maximum(dt(1), _rms(u_t) / dt(self.clip_threshold))
        variable.assign_sub(alpha_t * u_t_hat)
