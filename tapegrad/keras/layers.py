"""Keras layers (``tf.keras.layers``)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..ops import linalg as _la
from ..ops import nn as _nn
from ..ops import math as _m
from ..tensor import Variable, convert_to_tensor, name_scope
from ..ops.random import generator

__all__ = ["Layer", "Dense"]

_NAME_COUNTS: dict[str, int] = {}


def unique_name(base: str) -> str:
    """``dense``, then ``dense_1``, ``dense_2`` … (per base name, as Keras)."""
    n = _NAME_COUNTS.get(base, 0)
    _NAME_COUNTS[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def _snake(name: str) -> str:
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i and not name[i - 1].isupper():
            out.append("_")
        out.append(c.lower())
    return "".join(out)


class Layer:
    """Base layer: builds its variables on first call, tracks them, names them ``layer/var:0``."""

    def __init__(self, trainable: bool = True, name: str | None = None, **kwargs: Any):
        self.name = name or unique_name(_snake(type(self).__name__))
        self.trainable = trainable
        self.built = False
        self._weights: list[Variable] = []

    def add_weight(self, name: str, shape: Any, initializer: Callable | None = None,
                   trainable: bool = True, dtype: Any = "float32") -> Variable:
        init = initializer or (lambda shape, dtype: np.zeros(shape, dtype))
        with name_scope(self.name):
            v = Variable(init(tuple(shape), np.dtype(dtype)), trainable=trainable, name=name)
        self._weights.append(v)
        return v

    def build(self, input_shape: Any) -> None:
        self.built = True

    def call(self, inputs: Any, *args: Any, **kwargs: Any):
        return inputs

    def __call__(self, inputs: Any, *args: Any, training: Any = None, **kwargs: Any):
        if not self.built:
            self.build(tuple(convert_to_tensor(inputs).shape))
            self.built = True
        return self.call(inputs, *args, **kwargs)

    @property
    def trainable_variables(self) -> list[Variable]:
        return [v for v in self._weights if v.trainable] if self.trainable else []

    @property
    def variables(self) -> list[Variable]:
        return list(self._weights)


def glorot_uniform(shape: tuple, dtype: Any) -> np.ndarray:
    fan_in, fan_out = shape[-2] if len(shape) > 1 else shape[0], shape[-1]
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return generator().uniform(-limit, limit, shape).astype(dtype)


_ACTIVATIONS = {"relu": _nn.relu, "sigmoid": _m.sigmoid, "tanh": _m.tanh, None: None,
                "linear": None}


class Dense(Layer):
    """``activation(x @ kernel + bias)``; glorot-uniform kernel, zero bias (``layers.Dense``)."""

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True, **kwargs: Any):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = _ACTIVATIONS[activation] if not callable(activation) else activation
        self.use_bias = use_bias

    def build(self, input_shape: Any) -> None:
        self.kernel = self.add_weight("kernel", (input_shape[-1], self.units), glorot_uniform)
        self.bias = self.add_weight("bias", (self.units,)) if self.use_bias else None
        self.built = True

    def call(self, inputs: Any):
        y = _la.matmul(inputs, self.kernel)
        if self.bias is not None:
            y = y + self.bias
        return self.activation(y) if self.activation is not None else y
