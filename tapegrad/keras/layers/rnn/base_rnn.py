"""The machinery every recurrent layer shares: the loop over time with masks and stateful
states (``_Recurrent``), the weights, options and dropout masks of the built-in cells
(``_CellWeights``), and the built-in layers' base (``_RNN``: the input projection for all steps
at once, then the loop). The tape records each step; the backward pass is iterative."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....engine import nest
from ....engine.convert import convert_to_tensor
from ....engine.tensor import Tensor
from ....ops import array as _a
from ....ops import creation as _c
from ....ops import indexing as _ix
from ....ops import linalg as _la
from ....ops import math as _m
from ....ops import nn as _nn
from ... import activations
from ...base_layer import Layer


def masked_step(step: Any, x_t: Any, states: Any, mask_t: Any, prev: Any,
                zero_output: bool = False) -> tuple[Any, Any]:
    """One step: ``step(x_t, states) -> (output, new_states)``; where ``mask_t`` (batch, 1) is
    False the states carry over and the output repeats the previous one (zeros before the
    first step, or always with ``zero_output``), as Keras's ``rnn`` loop."""
    y, new = step(x_t, states)
    if mask_t is None:
        return new, y
    held = _c.zeros_like(y) if prev is None or zero_output else prev
    kept = [_ix.where(mask_t, n, s) for n, s in zip(nest.flatten(new), nest.flatten(states))]
    return nest.pack_sequence_as(new, kept), _ix.where(mask_t, y, held)


def _sizes(state_size: Any) -> list:
    return list(state_size) if isinstance(state_size, (list, tuple)) else [state_size]


class _Recurrent(Layer):
    """The loop over time shared by ``RNN(cell)`` and the built-in layers: masks, initial and
    stateful states, ``return_sequences``/``return_state``/``go_backwards``. Subclasses give
    ``state_size``, ``output_size``, ``_steps`` (the per-step inputs) and ``_step``."""

    supports_masking = True

    def __init__(self, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 zero_output_for_mask: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful = bool(go_backwards), bool(stateful)
        self.unroll = bool(unroll)  # the loop is always a Python loop: accepted, no effect
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.states: Any = None

    # subclasses: state_size, output_size, _steps(inputs, training), _step(x, states, training)
    def _end_sequence(self) -> None:
        """Called after each sequence (the cells drop their dropout masks here)."""

    def get_initial_state(self, batch_size: int) -> list:
        """Zero states, one ``(batch_size, size)`` array for each entry of ``state_size``."""
        dtype = self.compute_dtype
        return nest.map_structure(
            lambda d: convert_to_tensor(np.zeros((batch_size, int(d)), dtype)),
            _sizes(self.state_size))

    def reset_states(self) -> None:
        """Zero the states a ``stateful`` layer carries from one call to the next."""
        if self.states is not None:
            self.states = nest.map_structure(lambda s: convert_to_tensor(
                np.zeros_like(s._value)), self.states)

    reset_state = reset_states

    def _initial_states(self, inputs: Any, initial_state: Any) -> list:
        batch = inputs.shape[0]
        if initial_state is None:
            if self.stateful and self.states is not None:
                if nest.flatten(self.states)[0].shape[0] != batch:
                    raise ValueError(f"{type(self).__name__} '{self.name}' is stateful: the "
                                     f"batch size must stay "
                                     f"{nest.flatten(self.states)[0].shape[0]}, got {batch}.")
                return self.states
            return self.get_initial_state(batch)
        states = list(initial_state) if isinstance(initial_state, (list, tuple)) \
            else [initial_state]
        if len(states) != len(_sizes(self.state_size)):
            raise ValueError(f"{type(self).__name__} '{self.name}' takes "
                             f"{len(_sizes(self.state_size))} initial state(s), got "
                             f"{len(states)}.")
        return states

    def call(self, inputs: Any, initial_state: Any = None, mask: Any = None,
             training: Any = None) -> Any:
        if inputs.ndim < 3:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of shape "
                             f"(batch, timesteps, features), got shape {tuple(inputs.shape)}.")
        states = self._initial_states(inputs, initial_state)
        steps = self._steps(inputs, training)
        masks = [None] * len(steps) if mask is None else \
            _a.unstack(_a.expand_dims(_m.cast(mask, "bool"), -1), axis=1)
        order = range(len(steps) - 1, -1, -1) if self.go_backwards else range(len(steps))
        outputs, y = [], None
        try:
            for t in order:
                states, y = masked_step(lambda x, s: self._step(x, s, training), steps[t],
                                        states, masks[t], y, self.zero_output_for_mask)
                outputs.append(y)
        finally:
            self._end_sequence()
        if self.stateful:  # kept as plain values: the next call starts from them
            self.states = nest.map_structure(lambda s: Tensor(s._value), states)
        y = _a.stack(outputs, axis=1) if self.return_sequences else outputs[-1]
        return [y] + list(states) if self.return_state else y

    def compute_output_shape(self, input_shape: Any) -> Any:
        batch, time = input_shape[0], input_shape[1]
        units = self.output_size
        out = (batch, time, units) if self.return_sequences else (batch, units)
        if not self.return_state:
            return out
        return [out] + nest.map_structure(lambda d: (batch, int(d)),
                                          _sizes(self.state_size))

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """The input's time mask goes on with the sequence output; states carry none."""
        out = previous_mask if self.return_sequences else None
        if not self.return_state:
            return out
        return [out] + [None] * len(_sizes(self.state_size))

    def get_config(self) -> dict:
        return dict(super().get_config(), return_sequences=self.return_sequences,
                    return_state=self.return_state, go_backwards=self.go_backwards,
                    stateful=self.stateful, unroll=self.unroll,
                    zero_output_for_mask=self.zero_output_for_mask)


class _CellWeights:
    """What a built-in cell and its layer share: the arguments, the weights (``kernel``,
    ``recurrent_kernel``, ``bias``) and the dropout masks. Subclasses give ``gates`` and
    ``step(x_proj, states)``, the gate maths on the projected input."""

    gates = 1
    n_states = 1

    def _init_cell(self, units: int, activation: Any = "tanh", use_bias: bool = True,
                   kernel_initializer: Any = "glorot_uniform",
                   recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                   kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                   bias_regularizer: Any = None, kernel_constraint: Any = None,
                   recurrent_constraint: Any = None, bias_constraint: Any = None,
                   dropout: float = 0.0, recurrent_dropout: float = 0.0,
                   seed: Any = None) -> None:
        name = type(self).__name__
        if int(units) <= 0:
            raise ValueError(f"{name}: units must be a positive integer, got {units!r}.")
        for what, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0 <= float(rate) < 1:
                raise ValueError(f"{name}: {what} must be in [0, 1), got {rate!r}.")
        self.units, self.use_bias = int(units), bool(use_bias)
        self.activation = activations.get(activation)
        self._weight_options("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._weight_options("recurrent", recurrent_initializer, recurrent_regularizer,
                             recurrent_constraint)
        self._weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)
        self.dropout, self.recurrent_dropout = float(dropout), float(recurrent_dropout)
        self.seed = seed
        self._masks: dict = {}

    @property
    def state_size(self) -> Any:
        return self.units if self.n_states == 1 else [self.units] * self.n_states

    @property
    def output_size(self) -> int:
        return self.units

    def _bias_shape(self) -> tuple:
        return (self.gates * self.units,)

    def _bias_initializer(self) -> Any:
        return self.bias_initializer

    def _build_weights(self, features: int) -> None:
        n = self.gates * self.units
        self.kernel = self._add_weight_as("kernel", (features, n))
        self.recurrent_kernel = self._add_weight_as("recurrent", (self.units, n),
                                                    "recurrent_kernel")
        self.bias = (self.add_weight("bias", self._bias_shape(), constraint=self.bias_constraint,
                                     initializer=self._bias_initializer(),
                                     regularizer=self.bias_regularizer)
                     if self.use_bias else None)

    def _mask(self, key: str, like: Any, rate: float) -> Any:
        """One dropout mask per sequence (Keras's cells draw it once and reuse it)."""
        if key not in self._masks:
            self._masks[key] = _nn.dropout(_c.ones_like(like), rate=rate, seed=self.seed)
        return self._masks[key]

    def reset_dropout_mask(self) -> None:
        """Forget the dropout masks, so that the next sequence draws new ones."""
        self._masks = {}

    reset_recurrent_dropout_mask = reset_dropout_mask

    def _recurrent_input(self, h: Any) -> Any:
        """``h`` as it enters the recurrent product: with the recurrent dropout mask while
        training (the carried state itself is not dropped)."""
        mask = self._masks.get("recurrent")
        return h if mask is None else h * mask

    def _arm_recurrent_dropout(self, h: Any, training: Any) -> None:
        if training and self.recurrent_dropout > 0:
            self._mask("recurrent", h, self.recurrent_dropout)

    def _cell_config(self) -> dict:
        return {"units": self.units, "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias, "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout, "seed": self.seed,
                **self._weight_config("kernel", "recurrent", "bias")}


class _RNN(_CellWeights, _Recurrent):
    """A built-in recurrent layer (SimpleRNN, LSTM, GRU): the cell's weights on the layer
    itself, the inputs of all steps projected with one matrix product, then the loop."""

    def __init__(self, units: int, activation: Any = "tanh", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, recurrent_constraint: Any = None,
                 bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False,
                 unroll: bool = False, seed: Any = None, zero_output_for_mask: bool = False,
                 **kwargs: Any):
        # this is SimpleRNN's signature (Keras's order); LSTM and GRU pass theirs on by name
        kwargs.pop("use_cudnn", None)  # Keras's choice of kernel: one loop here, same numbers
        super().__init__(return_sequences, return_state, go_backwards, stateful, unroll,
                         zero_output_for_mask, activity_regularizer=activity_regularizer,
                         **kwargs)
        self._init_cell(units, activation, use_bias, kernel_initializer, recurrent_initializer,
                        bias_initializer, kernel_regularizer, recurrent_regularizer,
                        bias_regularizer, kernel_constraint, recurrent_constraint,
                        bias_constraint, dropout, recurrent_dropout, seed)

    def build(self, input_shape: Any) -> None:
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of shape "
                             f"(batch, timesteps, features) with known features, got "
                             f"{tuple(input_shape)}.")
        if self.stateful and input_shape[0] is None:
            raise ValueError(f"{type(self).__name__} '{self.name}': stateful=True needs a "
                             f"known batch size (keras.Input(batch_size=...) or "
                             f"batch_input_shape), got input shape {tuple(input_shape)}.")
        self._build_weights(input_shape[-1])
        self.built = True

    def _steps(self, inputs: Any, training: Any) -> list:
        """``inputs @ kernel`` for every step at once, unstacked over time."""
        if inputs.ndim != 3:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank 3 "
                             f"(batch, timesteps, features), got shape {tuple(inputs.shape)}.")
        if training and self.dropout > 0:  # one mask for all the steps of a sequence
            inputs = inputs * _a.expand_dims(self._mask("input", inputs[:, 0], self.dropout), 1)
        batch, time, features = inputs.shape
        flat = self._project(_la.matmul(_a.reshape(inputs, (-1, features)),
                                        self._autocast(self.kernel)))
        return _a.unstack(_a.reshape(flat, (batch, time, -1)), axis=1)

    def _project(self, flat: Any) -> Any:
        """What a layer adds to all steps' input projections at once (LSTM: its bias)."""
        return flat

    def _step(self, x_t: Any, states: Any, training: Any) -> tuple[Any, Any]:
        self._arm_recurrent_dropout(states[0], training)
        new = self.step(x_t, list(states))
        return new[0], new

    def _end_sequence(self) -> None:
        self.reset_dropout_mask()

    def get_config(self) -> dict:
        return dict(super().get_config(), **self._cell_config(),
                    activity_regularizer=self.activity_regularizer)


class _Cell(_CellWeights, Layer):
    """A built-in cell: ``cell(inputs, states, training=None) -> (output, new_states)`` for
    one step, to run inside ``RNN(cell)``. Dropout masks are drawn on the first step and kept
    until ``reset_dropout_mask()`` (``RNN`` resets them after each sequence)."""

    def __init__(self, units: int, activation: Any = "tanh", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, seed: Any = None,
                 **kwargs: Any):
        # SimpleRNNCell's signature (Keras's order); LSTMCell and GRUCell pass theirs by name
        super().__init__(**kwargs)
        self._init_cell(units, activation, use_bias, kernel_initializer, recurrent_initializer,
                        bias_initializer, kernel_regularizer, recurrent_regularizer,
                        bias_regularizer, kernel_constraint, recurrent_constraint,
                        bias_constraint, dropout, recurrent_dropout, seed)

    def build(self, input_shape: Any) -> None:
        if input_shape[-1] is None:
            raise ValueError(f"{type(self).__name__} '{self.name}': the last dimension of the "
                             f"inputs must be known, got {tuple(input_shape)}.")
        self._build_weights(input_shape[-1])
        self.built = True

    def get_initial_state(self, batch_size: int) -> list:
        """Zero states ``(batch_size, units)``."""
        return [convert_to_tensor(np.zeros((batch_size, self.units), self.compute_dtype))
                for _ in range(self.n_states)]

    def call(self, inputs: Any, states: Any, training: Any = None) -> tuple[Any, Any]:
        nested = isinstance(states, (list, tuple))
        states = list(states) if nested else [states]
        if training and self.dropout > 0:
            inputs = inputs * self._mask("input", inputs, self.dropout)
        self._arm_recurrent_dropout(states[0], training)
        new = self.step(_la.matmul(inputs, self._autocast(self.kernel)), states)
        return new[0], (new if nested or self.n_states > 1 else new[0])

    def get_config(self) -> dict:
        return dict(super().get_config(), **self._cell_config())
