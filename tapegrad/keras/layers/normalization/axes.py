"""Axis and parameter-shape helpers shared by the normalization layers."""

from __future__ import annotations

from typing import Any

from ....ops import nn as _nn
from ....ops.array import reshape
from ...base_layer import Layer


def gamma_and_beta(layer: Any, shape: tuple) -> None:
    """``layer.gamma`` (with ``scale``) and ``layer.beta`` (with ``center``), else None, from
    the options stored under ``gamma`` and ``beta``; the scale first, as Keras orders them."""
    layer.gamma = layer._add_weight_as("gamma", shape) if layer.scale else None
    layer.beta = layer._add_weight_as("beta", shape) if layer.center else None


def _axes(axis: Any, rank: int, layer: Layer) -> tuple:
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    out = []
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"{type(layer).__name__} '{layer.name}': axis {a} is out of range "
                             f"for inputs of rank {rank}.")
        out.append(a % rank)
    return tuple(sorted(out))


def _moments(x: Any, axes: tuple) -> tuple:
    """Mean and (biased) variance over ``axes``, keeping dims."""
    return _nn.moments(x, axes=list(axes), keepdims=True)


def _param_shape(input_shape: tuple, axes: tuple) -> tuple:
    return tuple(input_shape[a] for a in axes)


def _broadcastable(v: Any, rank: int, axes: tuple) -> Any:
    """A parameter of shape ``input_shape[axes]`` reshaped to broadcast against the input."""
    shape = [1] * rank
    for i, a in enumerate(axes):
        shape[a] = v.shape[i]
    return reshape(v, shape)
