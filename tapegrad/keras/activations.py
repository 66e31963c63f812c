"""Activation functions by name (``tf.keras.activations``); each is a tapegrad op.

>>> import tapegrad as tf
>>> tf.keras.activations.get("relu")(tf.constant([-1.0, 2.0])).numpy()
array([0., 2.], dtype=float32)
"""

from __future__ import annotations

from typing import Any, Callable

from ..ops import math as _m
from ..ops import nn as _nn
from ..ops.indexing import where as _where

__all__ = ["relu", "sigmoid", "tanh", "softmax", "gelu", "elu", "selu", "silu", "swish",
           "softplus", "leaky_relu", "linear", "relu6", "hard_sigmoid", "hard_silu",
           "hard_swish", "softsign", "exponential", "mish", "log_softmax", "get", "serialize"]


def relu(x: Any) -> Any:
    """max(x, 0)."""
    return _nn.relu(x)


def sigmoid(x: Any) -> Any:
    """1 / (1 + exp(-x))."""
    return _m.sigmoid(x)


def tanh(x: Any) -> Any:
    """Hyperbolic tangent."""
    return _m.tanh(x)


def softmax(x: Any, axis: int = -1) -> Any:
    """exp(x) / sum(exp(x)) along ``axis``."""
    return _nn.softmax(x, axis=axis)


def gelu(x: Any, approximate: bool = False) -> Any:
    """x Φ(x) (exact by default, as Keras's activation)."""
    return _nn.gelu(x, approximate=approximate)


def elu(x: Any, alpha: float = 1.0) -> Any:
    """x if x > 0 else alpha (exp(x) - 1)."""
    if alpha != 1.0:
        return _nn_where_pos(x, _nn.elu(x) * alpha)
    return _nn.elu(x)


def _nn_where_pos(x: Any, neg: Any) -> Any:
    return _where(_m.greater(x, 0), x, neg)


def selu(x: Any) -> Any:
    """Scaled ELU with the self-normalizing constants."""
    return _nn.selu(x)


def silu(x: Any) -> Any:
    """x sigmoid(x) (also called swish)."""
    return _nn.silu(x)


swish = silu


def softplus(x: Any) -> Any:
    """log(1 + exp(x)), computed without overflow."""
    return _nn.softplus(x)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Any:
    """x if x > 0 else negative_slope x (Keras's default slope 0.2)."""
    return _nn.leaky_relu(x, alpha=negative_slope)


def linear(x: Any) -> Any:
    """The identity."""
    return x


def relu6(x: Any) -> Any:
    """min(max(x, 0), 6)."""
    return _nn.relu6(x)


def hard_sigmoid(x: Any) -> Any:
    """relu6(x + 3) / 6: 0 below -3, 1 above 3, linear between (Keras 3's)."""
    return relu6(x + _m.cast(3.0, x.dtype)) / _m.cast(6.0, x.dtype)


def hard_silu(x: Any) -> Any:
    """x hard_sigmoid(x) (also called hard_swish)."""
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def softsign(x: Any) -> Any:
    """x / (1 + |x|)."""
    return _nn.softsign(x)


def exponential(x: Any) -> Any:
    """exp(x)."""
    return _m.exp(x)


def mish(x: Any) -> Any:
    """x tanh(softplus(x))."""
    return x * _m.tanh(_nn.softplus(x))


def log_softmax(x: Any, axis: int = -1) -> Any:
    """log(softmax(x)) along ``axis``, computed stably."""
    return _nn.log_softmax(x, axis=axis)


_BY_NAME: dict[str, Callable] = {f.__name__: f for f in (
    relu, sigmoid, tanh, softmax, gelu, elu, selu, silu, softplus, leaky_relu, linear,
    relu6, hard_sigmoid, hard_silu, softsign, exponential, mish, log_softmax)}
_BY_NAME["swish"] = silu
_BY_NAME["hard_swish"] = hard_silu


def get(identifier: Any) -> Callable:
    """The activation for a name, a callable, or None (linear)."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(f"Unknown activation {identifier!r}; known: {sorted(_BY_NAME)}.")
        return _BY_NAME[identifier]
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation {identifier!r}: give a name or a callable.")


def serialize(fn: Callable) -> str:
    """The activation's name."""
    return getattr(fn, "__name__", repr(fn))
