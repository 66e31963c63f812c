"""SGD, Adam, AdamW, RMSprop, Adagrad: Keras 3's update formulas, op for op in float32.

Each ``update_step`` reads the formula of ``keras.optimizers.<Name>.update_step``; the comment
above it gives the maths.  An IndexedSlices gradient (from ``gather``/``embedding_lookup``) is
applied row-wise where that equals the dense update (SGD without momentum, Adagrad); the others
(whose state decays every row) densify it, which is what Keras computes too.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...ops import math as _m
from ...engine.indexed_slices import IndexedSlices
from ...engine.tensor import Tensor
from ...engine.variable import Variable
from .base import Optimizer, _dense, rows

__all__ = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]


def _f32(x: float) -> np.float32:
    return np.float32(x)


class SGD(Optimizer):
    """Gradient descent, with optional (Nesterov) momentum.

    ``m = momentum * m - lr * g``; then ``w += m`` (or ``w += momentum * m - lr * g`` with
    ``nesterov``); without momentum ``w -= lr * g``.

    >>> import tapegrad as tf
    >>> w = tf.Variable(1.0)
    >>> opt = tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     _ = opt.apply_gradients([(tf.constant(1.0), w)])
    >>> round(float(w.numpy()), 4)  # 1 - 0.1 - (0.9 * 0.1 + 0.1)
    0.71
    """

    def __init__(self, learning_rate: Any = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 name: str = "SGD", **kwargs: Any):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not 0 <= momentum <= 1:
            raise ValueError(f"SGD: momentum must be in [0, 1], got {momentum!r}.")
        self.momentum, self.nesterov = float(momentum), bool(nesterov)

    def build(self, var_list: list[Variable]) -> None:
        if self.momentum != 0:
            for v in var_list:
                self.add_variable_from_reference(v, "momentum")

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Tensor) -> None:
        lr = learning_rate
        if self.momentum == 0:
            if isinstance(gradient, IndexedSlices):
                idx, g = rows(gradient, variable.dtype)
                variable.scatter_sub(IndexedSlices(g * lr._value, idx, variable.shape))
            else:
                variable.assign_sub(gradient * lr)
            return
        gradient = _dense(gradient)
        m = self.slot(variable, "momentum")
        momentum = _f32(self.momentum)
        m.assign(m * momentum - gradient * lr)
        if self.nesterov:
            variable.assign_add(m * momentum - gradient * lr)
        else:
            variable.assign_add(m)


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
        g = _dense(gradient)
        local_step = _m.cast(self._iterations + np.int64(1), variable.dtype)
        beta_1_power = _m.pow(_f32(self.beta_1), local_step)
        beta_2_power = _m.pow(_f32(self.beta_2), local_step)
        m, v = self.slot(variable, "m"), self.slot(variable, "v")
        alpha = learning_rate * _m.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m.assign_add((g - m) * _f32(1 - self.beta_1))
        v.assign_add((_m.square(g) - v) * _f32(1 - self.beta_2))
        if self.amsgrad:
            v_hat = self.slot(variable, "vhat")
            v_hat.assign(_m.maximum(v_hat, v))
            v = v_hat
        variable.assign_sub((m * alpha) / (_m.sqrt(v) + _f32(self.epsilon)))


class AdamW(Adam):
    """Adam with decoupled weight decay: before each update ``w -= w * weight_decay * lr``.

    >>> import tapegrad as tf
    >>> w = tf.Variable(1.0)
    >>> opt = tf.keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    >>> _ = opt.apply_gradients([(tf.constant(0.0), w)])
    >>> round(float(w.numpy()), 5)  # 1 - 1 * 0.5 * 0.1, and a zero gradient moves nothing
    0.95
    """

    def __init__(self, learning_rate: Any = 0.001, weight_decay: float = 0.004,
                 beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 amsgrad: bool = False, name: str = "adamw", **kwargs: Any):
        if weight_decay is None:
            raise ValueError("AdamW: weight_decay must be a number; use Adam for no decay.")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, name=name,
                         weight_decay=weight_decay, **kwargs)


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
        g = _dense(gradient)
        rho = _f32(self.rho)
        velocity = self.slot(variable, "velocity")
        velocity.assign(rho * velocity + _f32(1 - self.rho) * _m.square(g))
        if self.centered:
            avg = self.slot(variable, "average_gradient")
            avg.assign(rho * avg + _f32(1 - self.rho) * g)
            denominator = velocity - _m.square(avg) + _f32(self.epsilon)
        else:
            denominator = velocity + _f32(self.epsilon)
        increment = (learning_rate * g) / _m.sqrt(denominator)
        if self.momentum > 0:
            mom = self.slot(variable, "momentum")
            mom.assign(_f32(self.momentum) * mom + increment)
            variable.assign_sub(mom)
        else:
            variable.assign_sub(increment)


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
        acc = self.slot(variable, "accumulator")
        if isinstance(gradient, IndexedSlices):
            # rows without a gradient change neither acc nor w: update only the touched rows
            idx, g = rows(gradient, variable.dtype)
            acc.scatter_sub(IndexedSlices(-np.square(g), idx, acc.shape))
            step = (learning_rate._value * g) / np.sqrt(acc._value[idx] + _f32(self.epsilon))
            variable.scatter_sub(IndexedSlices(step, idx, variable.shape))
            return
        acc.assign_add(_m.square(gradient))
        variable.assign_sub((learning_rate * gradient) / _m.sqrt(acc + _f32(self.epsilon)))
