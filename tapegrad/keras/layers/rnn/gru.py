"""``GRU`` and ``GRUCell``: Keras 3's gated recurrent unit (gates z, r, h;
``reset_after=True`` by default)."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import linalg as _la
from ....ops import rnn as _rnn
from ... import activations
from .base_rnn import _RNN, _Cell

__all__ = ["GRU", "GRUCell"]


class _GRUStep:
    gates = 3

    def _init_gates(self, recurrent_activation: Any, reset_after: bool) -> None:
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)

    def _bias_shape(self) -> tuple:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def step(self, x_proj: Any, states: list) -> list:
        """One step on the projected input ``x @ kernel``."""
        h = states[0]
        h_in = self._recurrent_input(h)
        kernel = self._autocast(self.recurrent_kernel)
        bias = self._autocast(self.bias)
        if bias is not None:
            x_proj = x_proj + (bias[0] if self.reset_after else bias)
        x_z, x_r, x_h = _a.split(x_proj, 3, axis=-1)
        sig = self.recurrent_activation
        if self.reset_after:
            inner = _la.matmul(h_in, kernel)
            if bias is not None:
                inner = inner + bias[1]
            if self.activation is activations.tanh and self.recurrent_activation is \
                    activations.sigmoid:  # Keras's defaults: the gates as one fused op
                return [_rnn.gru_cell(x_proj, inner, h)]
            r_z, r_r, r_h = _a.split(inner, 3, axis=-1)
            z, r = sig(x_z + r_z), sig(x_r + r_r)
            hh = self.activation(x_h + r * r_h)
        else:
            u_z, u_r, u_h = _a.split(kernel, 3, axis=-1)
            z = sig(x_z + _la.matmul(h_in, u_z))
            r = sig(x_r + _la.matmul(h_in, u_r))
            hh = self.activation(x_h + _la.matmul(r * h_in, u_h))
        return [z * h + (1.0 - z) * hh]

    def _gates_config(self) -> dict:
        return {"recurrent_activation": activations.serialize(self.recurrent_activation),
                "reset_after": self.reset_after}


class GRU(_GRUStep, _RNN):
    """With ``reset_after`` (the default) the bias is ``(2, 3 units)``: one row for the input
    projection, one for the recurrent one, and the reset gate multiplies the recurrent part
    after the product: ``hh = tanh(x_h + r * (h @ U_h + b_h))``, ``h = z h + (1 - z) hh``.

    >>> import tapegrad as tf
    >>> gru = tf.keras.layers.GRU(4)
    >>> gru(tf.zeros((2, 5, 3))).shape, [tuple(v.shape) for v in gru.variables]
    (TensorShape([2, 4]), [(3, 12), (4, 12), (2, 12)])
    """

    def __init__(self, units: int, activation: Any = "tanh",
                 recurrent_activation: Any = "sigmoid", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, recurrent_constraint: Any = None,
                 bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: Any = None,
                 return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 reset_after: bool = True, use_cudnn: Any = "auto",
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
        self._init_gates(recurrent_activation, reset_after)

    def get_config(self) -> dict:
        return dict(super().get_config(), **self._gates_config())


class GRUCell(_GRUStep, _Cell):
    """One step of :class:`GRU`, for ``RNN(cell)``.

    >>> import tapegrad as tf
    >>> cell = tf.keras.layers.GRUCell(4)
    >>> out, state = cell(tf.zeros((2, 3)), tf.zeros((2, 4)))
    >>> out.shape, state.shape
    (TensorShape([2, 4]), TensorShape([2, 4]))
    """

    def __init__(self, units: int, activation: Any = "tanh",
                 recurrent_activation: Any = "sigmoid", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 reset_after: bool = True, seed: Any = None, **kwargs: Any):
        super().__init__(units, activation, use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint,
                         bias_constraint=bias_constraint, dropout=dropout,
                         recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)
        self._init_gates(recurrent_activation, reset_after)

    def get_config(self) -> dict:
        return dict(super().get_config(), **self._gates_config())
