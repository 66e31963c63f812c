"""The base class of the global pooling layers: a reduction over every spatial axis."""

from __future__ import annotations

from typing import Any

from ....ops import reduce as _r
from ...base_layer import Layer
from ..convolutional.base_conv import _channels_last


class _GlobalPool(Layer):
    """``(batch, *spatial, channels) -> (batch, channels)`` (or keeping the axes as 1)."""

    rank = 2
    reduction = staticmethod(_r.reduce_mean)  # or reduce_max

    def __init__(self, data_format: Any = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        _channels_last(data_format, type(self).__name__)
        self.data_format = "channels_last"
        self.keepdims = bool(keepdims)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        s = tuple(input_shape)
        if len(s) != self.rank + 2:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank "
                             f"{self.rank + 2}, got shape {s}.")
        return (s[0],) + (1,) * self.rank + (s[-1],) if self.keepdims else (s[0], s[-1])

    def call(self, inputs: Any) -> Any:
        self.compute_output_shape(tuple(inputs.shape))
        return self.reduction(inputs, axis=list(range(1, self.rank + 1)),
                              keepdims=self.keepdims)

    def get_config(self) -> dict:
        return dict(super().get_config(), data_format=self.data_format, keepdims=self.keepdims)
