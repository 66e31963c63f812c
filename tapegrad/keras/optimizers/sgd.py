"""``SGD``: gradient descent with optional (Nesterov) momentum, Keras 3's update op for op."""

from __future__ import annotations

from typing import Any

from ...engine.indexed_slices import IndexedSlices
from ...engine.tensor import Tensor
from ...engine.variable import Variable
from .base import Optimizer, _dense, cast_hyper, rows

__all__ = ["SGD"]


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
        momentum = cast_hyper(self.momentum, variable)
        m.assign(m * momentum - gradient * lr)
        if self.nesterov:
            variable.assign_add(m * momentum - gradient * lr)
        else:
            variable.assign_add(m)
