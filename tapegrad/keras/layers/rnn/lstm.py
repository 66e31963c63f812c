"""``LSTM`` and ``LSTMCell``: Keras 3's long short-term memory (gates i, f, c, o in that
order)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....ops import array as _a
from ....ops import linalg as _la
from ....ops import rnn as _rnn
from ... import activations, initializers
from .base_rnn import _RNN, _Cell

__all__ = ["LSTM", "LSTMCell"]


class _LSTMStep:
    gates = 4
    n_states = 2
    _bias_in_projection = False  # the layer adds the bias once to all steps' projections

    def _init_gates(self, recurrent_activation: Any, unit_forget_bias: bool) -> None:
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)

    def _bias_initializer(self) -> Any:
        if not self.unit_forget_bias:
            return self.bias_initializer
        base, units = initializers.get(self.bias_initializer), self.units

        def init(shape: Any, dtype: Any = "float32") -> np.ndarray:
            b = np.asarray(base((units * 4,), dtype=dtype))
            b[units:2 * units] = 1.0
            return b
        return init

    def step(self, x_proj: Any, states: list) -> list:
        """One step on the projected input ``x @ kernel``: states ``[h, c]``."""
        h, c = states
        z = x_proj + _la.matmul(self._recurrent_input(h), self._autocast(self.recurrent_kernel))
        if self.bias is not None and not self._bias_in_projection:
            z = z + self._autocast(self.bias)
        if self.activation is activations.tanh and self.recurrent_activation is \
                activations.sigmoid:  # Keras's defaults: the gates as one fused op
            return list(_rnn.lstm_cell(z, c))
        i, f, g, o = _a.split(z, 4, axis=-1)
        sig = self.recurrent_activation
        c = sig(f) * c + sig(i) * self.activation(g)
        return [sig(o) * self.activation(c), c]

    def _gates_config(self) -> dict:
        return {"recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias}


class LSTM(_LSTMStep, _RNN):
    """``z = x @ kernel + h @ recurrent_kernel + bias`` split into i, f, g, o;
    ``c = sigmoid(f) c + sigmoid(i) tanh(g)``, ``h = sigmoid(o) tanh(c)``. States ``[h, c]``;
    with ``unit_forget_bias`` the forget gate's bias starts at 1.

    >>> import tapegrad as tf
    >>> out, h, c = tf.keras.layers.LSTM(4, return_state=True)(tf.zeros((2, 5, 3)))
    >>> out.shape, c.shape
    (TensorShape([2, 4]), TensorShape([2, 4]))
    """

    def __init__(self, units: int, activation: Any = "tanh",
                 recurrent_activation: Any = "sigmoid", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 unit_forget_bias: bool = True, kernel_regularizer: Any = None,
                 recurrent_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, seed: Any = None,
                 return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 use_cudnn: Any = "auto",
                 zero_output_for_mask: bool = False, **kwargs: Any):
        super().__init__(units, activation, use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint,
                         bias_constraint=bias_constraint, dropout=dropout,
                         recurrent_dropout=recurrent_dropout, seed=seed,
                         activity_regularizer=activity_regularizer,
                         return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         zero_output_for_mask=zero_output_for_mask, **kwargs)
        self._init_gates(recurrent_activation, unit_forget_bias)

    _bias_in_projection = True

    def _project(self, flat: Any) -> Any:
        """All steps' ``x @ kernel``, plus the bias once instead of once per step."""
        return flat if self.bias is None else flat + self._autocast(self.bias)

    def get_config(self) -> dict:
        return dict(super().get_config(), **self._gates_config())


class LSTMCell(_LSTMStep, _Cell):
    """One step of :class:`LSTM`, for ``RNN(cell)``: ``state_size`` is ``[units, units]``.

    >>> import tapegrad as tf
    >>> cell = tf.keras.layers.LSTMCell(4)
    >>> out, (h, c) = cell(tf.zeros((2, 3)), cell.get_initial_state(2))
    >>> out.shape, cell.state_size
    (TensorShape([2, 4]), [4, 4])
    """

    def __init__(self, units: int, activation: Any = "tanh",
                 recurrent_activation: Any = "sigmoid", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 unit_forget_bias: bool = True, kernel_regularizer: Any = None,
                 recurrent_regularizer: Any = None, bias_regularizer: Any = None,
                 kernel_constraint: Any = None, recurrent_constraint: Any = None,
                 bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: Any = None, **kwargs: Any):
        super().__init__(units, activation, use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint,
                         bias_constraint=bias_constraint, dropout=dropout,
                         recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)
        self._init_gates(recurrent_activation, unit_forget_bias)

    def get_config(self) -> dict:
        return dict(super().get_config(), **self._gates_config())
