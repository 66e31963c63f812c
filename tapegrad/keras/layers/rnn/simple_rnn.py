"""``SimpleRNN`` and ``SimpleRNNCell``: ``h = activation(x @ kernel + h @ recurrent_kernel +
bias)``."""

from __future__ import annotations

from typing import Any

from ....ops import linalg as _la
from .base_rnn import _RNN, _Cell

__all__ = ["SimpleRNN", "SimpleRNNCell"]


class _SimpleRNNStep:
    def step(self, x_proj: Any, states: list) -> list:
        """One step on the projected input ``x @ kernel``."""
        z = x_proj + _la.matmul(self._recurrent_input(states[0]),
                                self._autocast(self.recurrent_kernel))
        if self.bias is not None:
            z = z + self._autocast(self.bias)
        return [self.activation(z)]


class SimpleRNN(_SimpleRNNStep, _RNN):
    """A fully connected recurrent layer (Keras 3's weights: kernel, recurrent_kernel, bias).

    >>> import tapegrad as tf
    >>> rnn = tf.keras.layers.SimpleRNN(4, return_sequences=True)
    >>> rnn(tf.zeros((2, 5, 3))).shape, [tuple(v.shape) for v in rnn.variables]
    (TensorShape([2, 5, 4]), [(3, 4), (4, 4), (4,)])
    """


class SimpleRNNCell(_SimpleRNNStep, _Cell):
    """One step of :class:`SimpleRNN`, for ``RNN(cell)``.

    >>> import tapegrad as tf
    >>> cell = tf.keras.layers.SimpleRNNCell(4)
    >>> out, state = cell(tf.zeros((2, 3)), [tf.zeros((2, 4))])
    >>> out.shape, len(state), cell.state_size
    (TensorShape([2, 4]), 1, 4)
    """
