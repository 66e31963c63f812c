"""``Softmax`` over ``axis``, with an optional mask."""

from __future__ import annotations

from typing import Any

from ....engine import dtypes as _dt
from ....ops import indexing as _ix
from ....ops import math as _m
from ....ops import nn as _nn
from ....ops import reduce as _r
from ...base_layer import Layer

__all__ = ["Softmax"]


def large_negative(dtype: Any) -> float:
    """The logit Keras gives masked positions: -1e9 (-3e4 in float16)."""
    return -3e4 if _dt.as_dtype(dtype).name == "float16" else -1e9


class Softmax(Layer):
    """``exp(x) / sum(exp(x))`` along ``axis`` (default the last; a tuple of axes too). With
    ``mask`` (broadcastable to the inputs, True = kept), masked positions get a logit of -1e9
    and an output of 0.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Softmax()(tf.constant([[0.0, 0.0]])).numpy()
    array([[0.5, 0.5]], dtype=float32)
    >>> tf.keras.layers.Softmax()(tf.constant([[1.0, 5.0, 1.0]]),
    ...                           mask=tf.constant([[True, False, True]])).numpy()
    array([[0.5, 0. , 0.5]], dtype=float32)
    """

    supports_masking = True

    def __init__(self, axis: Any = -1, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis = axis

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any, mask: Any = None) -> Any:
        if mask is not None:
            if mask.ndim > inputs.ndim or any(m not in (1, i) for m, i in zip(
                    mask.shape[::-1], inputs.shape[::-1])):
                raise ValueError(f"Softmax '{self.name}': the mask must broadcast to the "
                                 f"inputs, got mask shape {tuple(mask.shape)} for inputs "
                                 f"{tuple(inputs.shape)}.")
            if mask.dtype.name != "bool":
                mask = _m.greater(mask, _m.cast(0.5, mask.dtype))
            inputs = _ix.where(mask, inputs, _m.cast(large_negative(inputs.dtype),
                                                     inputs.dtype))
        if isinstance(self.axis, (tuple, list)) and len(self.axis) > 1:
            out = _m.exp(inputs - _r.reduce_logsumexp(inputs, axis=list(self.axis),
                                                      keepdims=True))
        else:
            axis = self.axis[0] if isinstance(self.axis, (tuple, list)) else self.axis
            out = _nn.softmax(inputs, axis=axis)
        if mask is not None:  # a fully masked row gives zeros, not a uniform distribution
            out = _ix.where(mask, out, _m.cast(0, out.dtype))
        return out

    def get_config(self) -> dict:
        return dict(super().get_config(), axis=self.axis)
