"""``EinsumDense``: a dense layer whose product is an einsum equation."""

from __future__ import annotations

import re
from typing import Any

from ....ops import einsum as _e
from ... import activations
from ...base_layer import Layer

__all__ = ["EinsumDense"]


def _analyze(layer: Layer, input_shape: tuple) -> tuple[list, list | None, list]:
    """Kernel shape, bias shape and full output shape from the equation (Keras 3's rules:
    ``ab,bc->ac`` or ``...ab,bc->...ac``; ``output_shape`` leaves out the batch axis)."""
    eq = layer.equation.replace(" ", "")
    m = re.fullmatch(r"(\.\.\.)?([a-zA-Z]+),([a-zA-Z]+)->(\.\.\.)?([a-zA-Z]+)", eq)
    if m is None or bool(m.group(1)) != bool(m.group(4)):
        raise ValueError(f"EinsumDense '{layer.name}': invalid equation {layer.equation!r}; "
                         f"use the form 'ab,bc->ac' or '...b,bc->...c'.")
    x_spec, w_spec, y_spec = m.group(2), m.group(3), m.group(5)
    elided = len(input_shape) - len(x_spec)
    if elided < 0 or (elided and not m.group(1)):
        raise ValueError(f"EinsumDense '{layer.name}': the equation {layer.equation!r} needs "
                         f"inputs of rank {len(x_spec)}, got shape {tuple(input_shape)}.")
    out = list(layer.partial_output_shape)
    lead = list(input_shape[:elided]) if m.group(1) else [input_shape[0]]
    full = lead + out
    if len(full) != len(lead) + len(y_spec) - (0 if m.group(1) else 1):
        raise ValueError(f"EinsumDense '{layer.name}': output_shape {tuple(out)} does not fit "
                         f"the output '{y_spec}' of {layer.equation!r}.")
    offset = len(full) - len(y_spec)
    x_dims = dict(zip(x_spec, input_shape[elided:]))
    for i, ch in enumerate(y_spec):
        if ch in x_dims:
            if full[offset + i] not in (None, x_dims[ch]):
                raise ValueError(f"EinsumDense '{layer.name}': the output dimension '{ch}' "
                                 f"({full[offset + i]}) differs from the input's "
                                 f"({x_dims[ch]}).")
            full[offset + i] = x_dims[ch]
    y_dims = dict(zip(y_spec, full[offset:]))
    kernel = [x_dims[ch] if ch in x_dims else y_dims.get(ch) for ch in w_spec]
    if any(d is None for d in kernel):
        raise ValueError(f"EinsumDense '{layer.name}': cannot tell the kernel shape of "
                         f"{layer.equation!r} from the input {tuple(input_shape)} and "
                         f"output_shape {tuple(out)}.")
    bias = None
    if layer.bias_axes:
        bad = [ch for ch in layer.bias_axes if ch not in y_spec]
        if bad:
            raise ValueError(f"EinsumDense '{layer.name}': bias_axes {layer.bias_axes!r} "
                             f"names axes {bad} that are not in the output '{y_spec}'.")
        first = min(y_spec.index(ch) for ch in layer.bias_axes)
        bias = [y_dims[ch] if ch in layer.bias_axes else 1 for ch in y_spec[first:]]
    return kernel, bias, full


class EinsumDense(Layer):
    """``activation(einsum(equation, inputs, kernel) + bias)``, the kernel's shape read off the
    equation, the input shape and ``output_shape`` (without the batch axis); ``bias_axes``
    names the output axes that get a bias.

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4),
    ...                                     bias_axes="de")
    >>> layer(tf.ones((3, 5, 6))).shape, [tuple(v.shape) for v in layer.variables]
    (TensorShape([3, 5, 2, 4]), [(6, 2, 4), (2, 4)])
    """

    supports_masking = True

    def __init__(self, equation: str, output_shape: Any, activation: Any = None,
                 bias_axes: str | None = None, kernel_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None,
                 bias_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, lora_rank: Any = None, **kwargs: Any):
        if lora_rank is not None:
            raise NotImplementedError("EinsumDense: lora_rank (LoRA) is not supported.")
        super().__init__(**kwargs)
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) \
            else tuple(output_shape)
        self.activation = activations.get(activation)
        self.bias_axes = bias_axes
        self._weight_options("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)

    def build(self, input_shape: Any) -> None:
        kernel, bias, self.full_output_shape = _analyze(self, tuple(input_shape))
        self._kernel_and_bias(tuple(kernel), None if bias is None else tuple(bias))
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(_analyze(self, tuple(input_shape))[2])

    def call(self, inputs: Any) -> Any:
        y = _e.einsum(self.equation, inputs, self._autocast(self.kernel))
        if self.bias is not None:
            y = y + self._autocast(self.bias)
        return y if self.activation is activations.linear else self.activation(y)

    def get_config(self) -> dict:
        return dict(super().get_config(), equation=self.equation,
                    output_shape=list(self.partial_output_shape), bias_axes=self.bias_axes,
                    activation=activations.serialize(self.activation),
                    activity_regularizer=self.activity_regularizer,
                    **self._weight_config("kernel", "bias"))
