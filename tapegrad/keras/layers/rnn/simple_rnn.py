"""``SimpleRNN``: ``h = activation(x @ kernel + h @ recurrent_kernel + bias)``."""

from __future__ import annotations

from typing import Any

from ....ops import linalg as _la
from .base_rnn import _RNN

__all__ = ["SimpleRNN"]


class SimpleRNN(_RNN):
    """A fully connected recurrent layer (Keras 3's weights: kernel, recurrent_kernel, bias).

    >>> import tapegrad as tf
    >>> rnn = tf.keras.layers.SimpleRNN(4, return_sequences=True)
    >>> rnn(tf.zeros((2, 5, 3))).shape, [tuple(v.shape) for v in rnn.variables]
    (TensorShape([2, 5, 4]), [(3, 4), (4, 4), (4,)])
    """

    def step(self, x_t: Any, states: list) -> list:
        z = x_t + _la.matmul(states[0], self._autocast(self.recurrent_kernel))
        if self.bias is not None:
            z = z + self._autocast(self.bias)
        return [self.activation(z)]
