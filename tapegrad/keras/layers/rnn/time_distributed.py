"""``TimeDistributed``: applies a layer to every step of a sequence."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ...base_layer import Layer
from ..nested import nested_config, nested_from_config

__all__ = ["TimeDistributed"]


class TimeDistributed(Layer):
    """Folds ``(batch, time, ...)`` into ``(batch * time, ...)``, applies ``layer`` (one set of
    weights for all steps) and unfolds the result.

    >>> import tapegrad as tf
    >>> td = tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(4))
    >>> td(tf.zeros((2, 5, 3))).shape, [tuple(v.shape) for v in td.variables]
    (TensorShape([2, 5, 4]), [(3, 4), (4,)])
    """

    supports_masking = True

    def __init__(self, layer: Layer, **kwargs: Any):
        if not isinstance(layer, Layer):
            raise ValueError(f"TimeDistributed: expected a Layer, got {type(layer).__name__}.")
        super().__init__(**kwargs)
        self.layer = layer

    def get_config(self) -> dict:
        return dict(super().get_config(), layer=nested_config(self.layer))

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> TimeDistributed:
        config = dict(config)
        config["layer"] = nested_from_config(config["layer"], custom_objects)
        return cls(**config)

    def _check(self, input_shape: Any) -> tuple:
        if len(input_shape) < 3:
            raise ValueError(f"TimeDistributed '{self.name}' expects inputs of rank >= 3 "
                             f"(batch, time, ...), got shape {tuple(input_shape)}.")
        return tuple(input_shape)

    def build(self, input_shape: Any) -> None:
        shape = self._check(input_shape)
        if not self.layer.built:
            self.layer._build_on_call((None,) + shape[2:])
            self.layer.built = True
        self.built = True

    def call(self, inputs: Any, training: Any = None) -> Any:
        batch, time = self._check(tuple(inputs.shape))[:2]
        folded = _a.reshape(inputs, (batch * time,) + tuple(inputs.shape[2:]))
        y = self.layer(folded, training=training)
        return _a.reshape(y, (batch, time) + tuple(y.shape[1:]))
