"""The base class of the 2-D pooling layers."""

from __future__ import annotations

from typing import Any

from ...base_layer import Layer
from ..convolutional.base_conv import _channels_last, _padding, _tuple, conv_output_length


class _Pool2D(Layer):
    def __init__(self, pool_size: Any = (2, 2), strides: Any = None, padding: str = "valid",
                 data_format: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        who = type(self).__name__
        _channels_last(data_format, who)
        self.pool_size = _tuple(pool_size, 2, "pool_size", who)
        self.strides = self.pool_size if strides is None else _tuple(strides, 2, "strides", who)
        self.padding = _padding(padding, who)

    def build(self, input_shape: Any) -> None:
        if len(input_shape) != 4:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank 4 "
                             f"(batch, height, width, channels), got shape "
                             f"{tuple(input_shape)}.")
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        spatial = tuple(conv_output_length(n, k, self.padding, s) for n, k, s in
                        zip(tuple(input_shape)[1:-1], self.pool_size, self.strides))
        return (input_shape[0],) + spatial + (input_shape[-1],)


class _Pool1D(Layer):
    def __init__(self, pool_size: Any = 2, strides: Any = None, padding: str = "valid",
                 data_format: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        who = type(self).__name__
        _channels_last(data_format, who)
        self.pool_size = _tuple(pool_size, 1, "pool_size", who)
        self.strides = self.pool_size if strides is None else _tuple(strides, 1, "strides", who)
        self.padding = _padding(padding, who)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if len(input_shape) != 3:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank 3 "
                             f"(batch, steps, channels), got shape {tuple(input_shape)}.")
        steps = conv_output_length(input_shape[1], self.pool_size[0], self.padding,
                                   self.strides[0])
        return (input_shape[0], steps, input_shape[-1])

    def get_config(self) -> dict:
        return dict(super().get_config(), pool_size=self.pool_size, strides=self.strides,
                    padding=self.padding.lower())
