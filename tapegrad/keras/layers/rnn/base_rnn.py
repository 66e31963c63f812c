"""The base class of the recurrent layers: the input projection for all steps at once, then a
loop over time (the tape records each step; the backward pass is iterative, never recursive)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....engine.convert import convert_to_tensor
from ....ops import array as _a
from ....ops import creation as _c
from ....ops import indexing as _ix
from ....ops import math as _m
from ....ops import linalg as _la
from ... import activations, initializers, regularizers
from ...base_layer import Layer


def masked_step(step: Any, x_t: Any, states: list, mask_t: Any, prev: Any,
                zero_output: bool = False) -> tuple[list, Any]:
    """One step of a recurrent layer: ``step(x_t, states)``; where ``mask_t`` (batch, 1) is
    False the states carry over and the output repeats the previous one (zeros before the
    first step, or always with ``zero_output``), as Keras's ``rnn`` loop."""
    new = step(x_t, states)
    if mask_t is None:
        return new, new[0]
    zeros = _c.zeros_like(new[0])
    held = zeros if prev is None or zero_output else prev
    return ([_ix.where(mask_t, n, s) for n, s in zip(new, states)],
            _ix.where(mask_t, new[0], held))


class _RNN(Layer):
    """``units`` and the sequence options shared by SimpleRNN, LSTM and GRU. Subclasses give
    ``gates`` (how many blocks of ``units`` the kernels hold), ``n_states`` and ``step``."""

    supports_masking = True

    gates = 1
    n_states = 1

    def __init__(self, units: int, activation: Any = "tanh", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False,
                 unroll: bool = False, dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 seed: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        name = type(self).__name__
        if int(units) <= 0:
            raise ValueError(f"{name}: units must be a positive integer, got {units!r}.")
        if stateful or dropout or recurrent_dropout:
            raise NotImplementedError(f"{name}: stateful=True and (recurrent_)dropout are not "
                                      f"supported yet.")
        self.units, self.use_bias = int(units), bool(use_bias)
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.regularizers = [regularizers.get(r) for r in
                             (kernel_regularizer, recurrent_regularizer, bias_regularizer)]
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.zero_output_for_mask = False

    def _bias_shape(self) -> tuple:
        return (self.gates * self.units,)

    def _bias_initializer(self) -> Any:
        return self.bias_initializer

    def build(self, input_shape: Any) -> None:
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of shape "
                             f"(batch, timesteps, features) with known features, got "
                             f"{tuple(input_shape)}.")
        n = self.gates * self.units
        kr, rr, br = self.regularizers
        self.kernel = self.add_weight("kernel", (input_shape[-1], n),
                                      initializer=self.kernel_initializer, regularizer=kr)
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (self.units, n),
                                                initializer=self.recurrent_initializer,
                                                regularizer=rr)
        self.bias = (self.add_weight("bias", self._bias_shape(),
                                     initializer=self._bias_initializer(), regularizer=br)
                     if self.use_bias else None)
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> Any:
        batch, time = input_shape[0], input_shape[1]
        out = (batch, time, self.units) if self.return_sequences else (batch, self.units)
        if self.return_state:
            return [out] + [(batch, self.units)] * self.n_states
        return out

    def _project(self, inputs: Any) -> Any:
        """``inputs @ kernel`` for every step: (batch, time, gates * units)."""
        batch, time, features = inputs.shape
        flat = _la.matmul(_a.reshape(inputs, (-1, features)), self._autocast(self.kernel))
        return _a.reshape(flat, (batch, time, -1))

    def call(self, inputs: Any, initial_state: Any = None, mask: Any = None,
             training: Any = None) -> Any:
        if inputs.ndim != 3:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank 3 "
                             f"(batch, timesteps, features), got shape {tuple(inputs.shape)}.")
        states = self._initial_states(inputs, initial_state)
        steps = _a.unstack(self._project(inputs), axis=1)
        masks = [None] * len(steps) if mask is None else \
            _a.unstack(_a.expand_dims(_m.cast(mask, "bool"), -1), axis=1)
        order = range(len(steps) - 1, -1, -1) if self.go_backwards else range(len(steps))
        outputs, y = [], None
        for t in order:
            states, y = masked_step(self.step, steps[t], states, masks[t], y,
                                    self.zero_output_for_mask)
            outputs.append(y)
        y = _a.stack(outputs, axis=1) if self.return_sequences else outputs[-1]
        return [y] + list(states) if self.return_state else y

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """The input's time mask goes on with the sequence output; states carry none."""
        out = previous_mask if self.return_sequences else None
        return [out] + [None] * self.n_states if self.return_state else out

    def _initial_states(self, inputs: Any, initial_state: Any) -> list:
        if initial_state is None:
            zeros = convert_to_tensor(np.zeros((inputs.shape[0], self.units),
                                               inputs._value.dtype))
            return [zeros] * self.n_states
        states = list(initial_state) if isinstance(initial_state, (list, tuple)) \
            else [initial_state]
        if len(states) != self.n_states:
            raise ValueError(f"{type(self).__name__} '{self.name}' takes {self.n_states} "
                             f"initial state(s), got {len(states)}.")
        return states

    def get_config(self) -> dict:
        return dict(super().get_config(), units=self.units, use_bias=self.use_bias,
                    return_sequences=self.return_sequences, return_state=self.return_state,
                    go_backwards=self.go_backwards)
