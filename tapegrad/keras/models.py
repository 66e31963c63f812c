"""``Model`` (subclass it and write ``call``, or build it from ``keras.Input`` with the
functional API) and ``Sequential``, with weights files; the training methods (``compile``,
``fit``, ``evaluate``, ``predict``) come from ``trainer.Trainer``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import saving as _saving
from .base_layer import Layer, _accepts_training
from .functional import Graph, with_mask
from .keras_tensor import is_keras_tensor
from .layers.core.input_layer import InputLayer
from .model_structure import ModelStructure
from ..module import _walk
from .trainer import History, Trainer

__all__ = ["Model", "Sequential", "History"]


class Model(Trainer, ModelStructure, Layer):
    """A layer with training methods. Subclass it: create layers in ``__init__``, compute in
    ``call``; the layers' variables are tracked automatically.

    >>> import tapegrad as tf
    >>> class MLP(tf.keras.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = [tf.keras.layers.Dense(8, activation="relu") for _ in range(2)]
    ...         self.out = tf.keras.layers.Dense(1)
    ...     def call(self, x):
    ...         for layer in self.hidden:
    ...             x = layer(x)
    ...         return self.out(x)
    >>> model = MLP()
    >>> model(tf.ones((2, 3))).shape, len(model.trainable_variables)
    (TensorShape([2, 1]), 6)
    """

    def __init__(self, *args: Any, **kwargs: Any):
        inputs = args[0] if args else kwargs.pop("inputs", None)
        outputs = args[1] if len(args) > 1 else kwargs.pop("outputs", None)
        if len(args) > 2:
            raise TypeError(f"Model: takes (inputs, outputs) positionally, got {len(args)} "
                            f"positional arguments.")
        if (inputs is None) != (outputs is None):
            raise ValueError("Model: give both inputs and outputs (the functional API), or "
                             "neither (then subclass Model and write call()).")
        super().__init__(**kwargs)
        self._graph: Graph | None = None
        if inputs is not None:
            self._graph = Graph(inputs, outputs)
            self._functional_layers = list(self._graph.layers)  # tracked: their variables
            self.built = True

    def call(self, inputs: Any, training: bool = False, mask: Any = None) -> Any:
        if self._graph is not None:
            return self._graph.run(inputs, training, mask)
        raise NotImplementedError(f"{type(self).__name__}.call is not defined: a Model "
                                  f"subclass computes its outputs in call(inputs).")

    def build(self, input_shape: Any = None) -> None:
        """Create the variables by calling the model once on zeros of ``input_shape`` (a
        leading ``None`` batch dimension becomes 1)."""
        if input_shape is not None and not self.built:
            self.built = True  # sub-layers build themselves on this first call
            shape = tuple(1 if d is None else int(d) for d in input_shape)
            self(np.zeros(shape, np.float32))
        self.built = True

    def _build_on_call(self, input_shape: Any) -> None:
        # a model's layers build themselves inside call(); only a user-written build runs here
        if type(self).build not in (Model.build, Sequential.build):
            self.build(input_shape)

    @property
    def layers(self) -> list[Layer]:
        """The direct sub-layers, in the order they were assigned (a functional model's: its
        InputLayers, then each layer in the order the graph runs them)."""
        if self._graph is not None:
            return list(self._graph.layers)
        out: list[Layer] = []
        for value in self._attr_values():
            for item in _walk(value):
                if isinstance(item, Layer) and all(item is not o for o in out):
                    out.append(item)
        return out

    # -- weights files --------------------------------------------------------------------------
    def save_weights(self, filepath: str, overwrite: bool = True) -> None:
        """Write every variable to ``filepath`` (``.weights.h5`` in Keras 3's layout, ``.npz``,
        or ``.safetensors`` when that package is installed), atomically."""
        _saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath: str, **kwargs: Any) -> None:
        """Read variables written by ``save_weights``; names, shapes and dtypes must match."""
        _saving.load_weights(self, filepath)


class Sequential(Model):
    """A plain stack of layers, each feeding the next.

    >>> import tapegrad as tf
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="relu"),
    ...                              tf.keras.layers.Dense(2)])
    >>> model(tf.ones((3, 5))).shape, [tuple(v.shape) for v in model.trainable_variables]
    (TensorShape([3, 2]), [(5, 4), (4,), (4, 2), (2,)])
    """

    def __init__(self, layers: Any = None, name: str | None = None, **kwargs: Any):
        super().__init__(name=name, **kwargs)
        self._layers: list[Layer] = []
        self._input_shape: tuple | None = None
        for layer in layers or []:
            self.add(layer)

    def add(self, layer: Layer) -> None:
        """Append a layer."""
        if is_keras_tensor(layer):  # keras.Input(...) in the first place
            layer = layer._node.layer
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add: expected a Layer, got {type(layer).__name__} "
                            f"{layer!r}.")
        if isinstance(layer, InputLayer):
            if self._layers:
                raise ValueError("Sequential.add: an Input/InputLayer must come first.")
            self._input_layer = layer
            self._input_shape = layer._build_input_shape
            return
        self._layers.append(layer)
        if len(self._layers) == 1 and layer._build_input_shape is not None:
            self._input_shape = layer._build_input_shape
        if self._input_shape is not None:
            # the input shape is known (input_shape= on the first layer): build as we go
            self.built = False
            self.build(self._input_shape)

    def pop(self) -> Layer:
        """Remove and return the last layer."""
        return self._layers.pop()

    @property
    def layers(self) -> list[Layer]:
        return list(self._layers)

    def build(self, input_shape: Any = None) -> None:
        if input_shape is not None and not self.built and self._layers:
            self.built = True  # each layer builds itself on this symbolic call
            if self.__dict__.get("_input_layer") is None:
                self._input_layer = InputLayer(shape=tuple(input_shape)[1:],
                                               batch_size=input_shape[0])
            x = inputs = self._input_layer.output
            for layer in self._layers:
                x = layer(x)
            self._graph = Graph(inputs, x)
        self.built = True

    def call(self, inputs: Any, training: bool = False, mask: Any = None) -> Any:
        x = with_mask(inputs, mask)
        for layer in self._layers:
            x = layer(x, training=training) if _accepts_training(layer) else layer(x)
        return x


