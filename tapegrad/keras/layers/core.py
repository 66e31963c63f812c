"""Core layers: Dense, Activation, Dropout, Flatten, Reshape, Embedding."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine import dtypes as _dt
from ...ops import array as _a
from ...ops import linalg as _la
from ...ops import math as _m
from ...ops import nn as _nn
from .. import activations, initializers
from ..base_layer import Layer

__all__ = ["InputLayer", "Input", "Dense", "Activation", "Dropout", "Flatten", "Reshape",
           "Embedding"]


class InputLayer(Layer):
    """Declares the input shape of a ``Sequential`` (the identity when called).

    >>> import tapegrad as tf
    >>> model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(2)])
    >>> [tuple(v.shape) for v in model.variables]  # built at once: the input shape is known
    [(3, 2), (2,)]
    """

    def __init__(self, shape: Any = None, batch_size: int | None = None, dtype: Any = None,
                 name: str | None = None, input_shape: Any = None, **kwargs: Any):
        shape = input_shape if shape is None else shape
        if shape is None:
            raise ValueError("InputLayer: give the shape of one example, e.g. shape=(784,).")
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._build_input_shape = (batch_size,) + tuple(shape)


def Input(shape: Any = None, batch_size: int | None = None, dtype: Any = None,  # noqa: N802
          name: str | None = None, **kwargs: Any) -> InputLayer:
    """``tf.keras.Input``: here an :class:`InputLayer`, for the first place of a
    ``Sequential`` (the functional API is not provided)."""
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name, **kwargs)


class Dense(Layer):
    """``activation(inputs @ kernel + bias)``: glorot-uniform kernel, zero bias.

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.Dense(2, activation="relu")
    >>> layer(tf.ones((3, 4))).shape, [tuple(v.shape) for v in layer.variables]
    (TensorShape([3, 2]), [(4, 2), (2,)])
    """

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 **kwargs: Any):
        super().__init__(**kwargs)
        if int(units) <= 0:
            raise ValueError(f"Dense: units must be a positive integer, got {units!r}.")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)

    def build(self, input_shape: Any) -> None:
        if len(input_shape) < 1 or input_shape[-1] is None:
            raise ValueError(f"Dense '{self.name}': the last dimension of the inputs must be "
                             f"known, got input shape {tuple(input_shape)}.")
        self.kernel = self.add_weight("kernel", (input_shape[-1], self.units),
                                      initializer=self.kernel_initializer)
        self.bias = (self.add_weight("bias", (self.units,), initializer=self.bias_initializer)
                     if self.use_bias else None)
        self.built = True

    def call(self, inputs: Any) -> Any:
        if inputs.shape[-1] != self.kernel.shape[0]:
            raise ValueError(f"Dense '{self.name}': built for inputs with last dimension "
                             f"{self.kernel.shape[0]}, called on shape {tuple(inputs.shape)}.")
        if inputs.ndim > 2:  # (..., d) @ (d, units) on the last axis
            y = _la.matmul(_a.reshape(inputs, (-1, inputs.shape[-1])), self.kernel)
            y = _a.reshape(y, tuple(inputs.shape[:-1]) + (self.units,))
        else:
            y = _la.matmul(inputs, self.kernel)
        if self.bias is not None:
            y = y + self.bias
        return y if self.activation is activations.linear else self.activation(y)


class Activation(Layer):
    """Applies an activation by name or callable.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Activation("relu")(tf.constant([-1.0, 1.0])).numpy()
    array([0., 1.], dtype=float32)
    """

    def __init__(self, activation: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs: Any) -> Any:
        return self.activation(inputs)


class Dropout(Layer):
    """Zeroes a fraction ``rate`` of the inputs and scales the rest by 1/(1-rate), only when
    called with ``training=True``; otherwise the identity.

    >>> import tapegrad as tf
    >>> drop = tf.keras.layers.Dropout(0.5)
    >>> drop(tf.ones((4,))).numpy()
    array([1., 1., 1., 1.], dtype=float32)
    """

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None,
                 **kwargs: Any):
        super().__init__(**kwargs)
        if not 0 <= float(rate) < 1:
            raise ValueError(f"Dropout: rate must be in [0, 1), got {rate!r}.")
        self.rate = float(rate)
        self.noise_shape = noise_shape
        self.seed = seed

    def call(self, inputs: Any, training: bool = False) -> Any:
        if not training or self.rate == 0:
            return inputs
        return _nn.dropout(inputs, rate=self.rate, noise_shape=self.noise_shape, seed=self.seed)


class Flatten(Layer):
    """Reshapes ``(batch, ...)`` to ``(batch, -1)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Flatten()(tf.zeros((2, 3, 4))).shape
    TensorShape([2, 12])
    """

    def call(self, inputs: Any) -> Any:
        if inputs.ndim == 1:
            return _a.expand_dims(inputs, 1)
        return _a.reshape(inputs, (inputs.shape[0], int(np.prod(inputs.shape[1:]))))


class Reshape(Layer):
    """Reshapes each example to ``target_shape`` (the batch dimension is kept; ``-1`` allowed).

    >>> import tapegrad as tf
    >>> tf.keras.layers.Reshape((2, 6))(tf.zeros((5, 12))).shape
    TensorShape([5, 2, 6])
    """

    def __init__(self, target_shape: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)

    def call(self, inputs: Any) -> Any:
        per_example = int(np.prod(inputs.shape[1:]))
        known = int(np.prod([d for d in self.target_shape if d != -1]))
        if (-1 not in self.target_shape and known != per_example) or \
                (-1 in self.target_shape and (known == 0 or per_example % known)):
            raise ValueError(f"Reshape '{self.name}': cannot reshape an input of shape "
                             f"{tuple(inputs.shape)} ({per_example} values per example) to "
                             f"{self.target_shape}.")
        return _a.reshape(inputs, (inputs.shape[0],) + self.target_shape)


class Embedding(Layer):
    """Looks up rows of an ``(input_dim, output_dim)`` table; its gradient is an IndexedSlices,
    which optimizers apply row-wise.

    >>> import tapegrad as tf
    >>> emb = tf.keras.layers.Embedding(10, 3)
    >>> emb(tf.constant([[1, 2], [3, 4]])).shape
    TensorShape([2, 2, 3])
    """

    def __init__(self, input_dim: int, output_dim: int, embeddings_initializer: Any = "uniform",
                 **kwargs: Any):
        super().__init__(**kwargs)
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        init = "random_uniform" if embeddings_initializer == "uniform" else embeddings_initializer
        self.embeddings_initializer = initializers.get(init)

    def build(self, input_shape: Any) -> None:
        self.embeddings = self.add_weight("embeddings", (self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer)
        self.built = True

    def call(self, inputs: Any) -> Any:
        if _dt.np_dtype(inputs.dtype).kind not in "iu":
            inputs = _m.cast(inputs, "int32")
        return _nn.embedding_lookup(self.embeddings, inputs)
