"""``Bidirectional``: a recurrent layer run forwards and backwards, outputs merged."""

from __future__ import annotations

import copy
from typing import Any

from ....ops import array as _a
from ....ops import math as _m
from ...base_layer import Layer
from ..nested import nested_config, nested_from_config
from .base_rnn import _Recurrent, _sizes


def _removeprefix(name: str, prefix: str) -> str:
    return name[len(prefix):] if name.startswith(prefix) else name

__all__ = ["Bidirectional"]

_MERGES = ("concat", "sum", "mul", "ave", None)


class Bidirectional(Layer):
    """Runs ``layer`` and a copy with ``go_backwards`` flipped, and merges their outputs
    (``merge_mode``: ``"concat"`` (default), ``"sum"``, ``"mul"``, ``"ave"`` or ``None`` for
    the pair). Backward sequences are reversed back to the input's time order.

    >>> import tapegrad as tf
    >>> bi = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(4, return_sequences=True))
    >>> bi(tf.zeros((2, 5, 3))).shape, len(bi.variables)
    (TensorShape([2, 5, 8]), 6)
    """

    supports_masking = True

    def __init__(self, layer: Any, merge_mode: Any = "concat", weights: Any = None,
                 backward_layer: Any = None, **kwargs: Any):
        if not isinstance(layer, _Recurrent):
            raise ValueError(f"Bidirectional: layer must be a SimpleRNN, LSTM or GRU layer "
                             f"or an RNN(cell), got {type(layer).__name__}.")
        if merge_mode not in _MERGES:
            raise ValueError(f"Bidirectional: merge_mode must be one of {list(_MERGES)}, got "
                             f"{merge_mode!r}.")
        super().__init__(**kwargs)
        if backward_layer is None:
            backward_layer = copy.deepcopy(layer)
            backward_layer.go_backwards = not layer.go_backwards
            backward_layer.name = f"backward_{_removeprefix(layer.name, 'backward_')}"
        layer.name = f"forward_{_removeprefix(layer.name, 'forward_')}"  # as Keras names them
        self.forward_layer, self.backward_layer = layer, backward_layer
        for inner in (layer, backward_layer):  # masked steps give zeros, as Keras forces
            inner.zero_output_for_mask = inner.return_sequences
        self.merge_mode = merge_mode
        self.return_sequences, self.return_state = layer.return_sequences, layer.return_state

    def get_config(self) -> dict:
        return dict(super().get_config(), merge_mode=self.merge_mode,
                    layer=nested_config(self.forward_layer),
                    backward_layer=nested_config(self.backward_layer))

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Bidirectional:
        config = dict(config)
        for key in ("layer", "backward_layer"):
            config[key] = nested_from_config(config.get(key), custom_objects)
        return cls(**config)

    def build(self, input_shape: Any) -> None:
        """Build both directions, so a symbolic call creates the weights too."""
        for inner in (self.forward_layer, self.backward_layer):
            if not inner.built:
                inner._build_on_call(tuple(input_shape))
                inner.built = True
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> Any:
        out = self.forward_layer.compute_output_shape(input_shape)
        states = out[1:] if self.return_state else []
        y = out[0] if self.return_state else out
        if self.merge_mode == "concat":
            y = tuple(y[:-1]) + (2 * y[-1],)
        ys = [y, y] if self.merge_mode is None else [y]
        return ys + list(states) * 2 if self.return_state else (ys if len(ys) > 1 else y)

    def _merge(self, y: Any, y_rev: Any) -> Any:
        mode = self.merge_mode
        if mode == "concat":
            return _a.concat([y, y_rev], axis=-1)
        if mode == "sum":
            return y + y_rev
        if mode == "mul":
            return y * y_rev
        if mode == "ave":
            return (y + y_rev) * _m.cast(0.5, y.dtype)
        return [y, y_rev]

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        out = previous_mask if self.return_sequences else None
        outs = [out, out] if self.merge_mode is None else [out]
        if not self.return_state:
            return outs if self.merge_mode is None else out
        return outs + [None] * (2 * len(_sizes(self.forward_layer.state_size)))

    def call(self, inputs: Any, initial_state: Any = None, mask: Any = None,
             training: Any = None) -> Any:
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(inputs, initial_state=forward_state, mask=mask)
        y_rev = self.backward_layer(inputs, initial_state=backward_state, mask=mask)
        states: list = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = _a.reverse(y_rev, [1])
        out = self._merge(y, y_rev)
        if not self.return_state:
            return out
        return (out if isinstance(out, list) else [out]) + states
