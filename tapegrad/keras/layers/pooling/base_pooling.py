"""The base class of the window pooling layers (1-D, 2-D and 3-D; channels-last)."""

from __future__ import annotations

from typing import Any

from ...base_layer import Layer
from ..convolutional.base_conv import _channels_last, _padding, _tuple, conv_output_length


class _Pool(Layer):
    """``pool_size`` windows moved by ``strides`` (default: the pool size) over the ``rank``
    spatial axes of ``(batch, *spatial, channels)`` inputs."""

    rank = 2

    def __init__(self, pool_size: Any = 2, strides: Any = None, padding: str = "valid",
                 data_format: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        who = type(self).__name__
        _channels_last(data_format, who)
        self.data_format = "channels_last"
        self.pool_size = _tuple(pool_size, self.rank, "pool_size", who)
        self.strides = (self.pool_size if strides is None else
                        _tuple(strides, self.rank, "strides", who))
        self.padding = _padding(padding, who)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank "
                             f"{self.rank + 2} (batch, {'spatial, ' * self.rank}channels), got "
                             f"shape {tuple(input_shape)}.")
        spatial = tuple(conv_output_length(n, k, self.padding, s) for n, k, s in
                        zip(tuple(input_shape)[1:-1], self.pool_size, self.strides))
        return (input_shape[0],) + spatial + (input_shape[-1],)

    def build(self, input_shape: Any) -> None:
        self.compute_output_shape(input_shape)
        self.built = True

    def get_config(self) -> dict:
        return dict(super().get_config(), pool_size=self.pool_size, strides=self.strides,
                    padding=self.padding.lower(), data_format=self.data_format)


class _Pool1D(_Pool):
    rank = 1


class _Pool2D(_Pool):
    rank = 2
