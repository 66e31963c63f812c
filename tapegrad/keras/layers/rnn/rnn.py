"""``RNN(cell)``: runs any cell (built-in, stacked, or your own) over a sequence."""

from __future__ import annotations

from typing import Any

from ...base_layer import Layer
from .base_rnn import _Recurrent
from ..nested import nested_config, nested_from_config
from .stacked_rnn_cells import StackedRNNCells

__all__ = ["RNN"]


class RNN(_Recurrent):
    """The loop over time for a ``cell``: an object with ``call(inputs, states) -> (output,
    new_states)`` and ``state_size`` (an int or a list), optionally ``output_size`` and
    ``get_initial_state(batch_size)``; a list of cells becomes ``StackedRNNCells``. Masks,
    ``initial_state``, ``return_sequences``, ``return_state``, ``go_backwards`` and
    ``stateful`` work as in the built-in layers; ``unroll`` is accepted (the loop is always
    a Python loop).

    >>> import tapegrad as tf
    >>> class MinimalCell(tf.keras.layers.Layer):
    ...     def __init__(self, units, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.units = self.state_size = units
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight("w", (input_shape[-1], self.units))
    ...     def call(self, inputs, states):
    ...         h = tf.tanh(inputs @ self.w + states[0])
    ...         return h, [h]
    >>> layer = tf.keras.layers.RNN(MinimalCell(4), return_sequences=True)
    >>> layer(tf.ones((2, 5, 3))).shape
    TensorShape([2, 5, 4])
    """

    def __init__(self, cell: Any, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 zero_output_for_mask: bool = False, **kwargs: Any):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call") or getattr(cell, "state_size", None) is None:
            raise ValueError(f"RNN: the cell must have a call(inputs, states) method and a "
                             f"state_size attribute, got {cell!r}.")
        super().__init__(return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         zero_output_for_mask=zero_output_for_mask, **kwargs)
        self.cell = cell

    @property
    def state_size(self) -> Any:
        return self.cell.state_size

    @property
    def output_size(self) -> Any:
        size = getattr(self.cell, "output_size", None)
        if size is not None:
            return size
        state = self.cell.state_size
        return state[0] if isinstance(state, (list, tuple)) else state

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        if len(shape) < 3:
            raise ValueError(f"RNN '{self.name}' expects inputs of shape (batch, timesteps, "
                             f"features), got {shape}.")
        if self.stateful and shape[0] is None:
            raise ValueError(f"RNN '{self.name}': stateful=True needs a known batch size, got "
                             f"input shape {shape}.")
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell._build_on_call((shape[0],) + shape[2:])
            self.cell.built = True
        self.built = True

    def get_initial_state(self, batch_size: int) -> list:
        own = getattr(self.cell, "get_initial_state", None)
        if own is None:
            return super().get_initial_state(batch_size)
        states = own(batch_size)
        return list(states) if isinstance(states, (list, tuple)) else [states]

    def _steps(self, inputs: Any, training: Any) -> list:
        return [inputs[:, t] for t in range(inputs.shape[1])]

    def _step(self, x_t: Any, states: Any, training: Any) -> tuple[Any, Any]:
        if isinstance(self.cell, Layer) and "training" in _call_params(self.cell):
            y, new = self.cell(x_t, states, training=training)
        else:
            y, new = self.cell(x_t, states)
        new = list(new) if isinstance(new, (list, tuple)) else [new]
        return y, new

    def _end_sequence(self) -> None:
        if hasattr(self.cell, "reset_dropout_mask"):
            self.cell.reset_dropout_mask()

    def get_config(self) -> dict:
        return dict(super().get_config(), cell=nested_config(self.cell))

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> RNN:
        config = dict(config)
        config["cell"] = nested_from_config(config["cell"], custom_objects)
        return cls(**config)


def _call_params(cell: Layer) -> Any:
    return cell.call.__code__.co_varnames[:cell.call.__code__.co_argcount]
