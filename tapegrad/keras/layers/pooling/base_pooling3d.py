"""The base class of the 3-D pooling layers: 2-D pooling over height and width on each depth
slice, then a reduction over depth windows (both max and mean split that way, since the
window — and its part inside the input — is a box)."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import conv as _conv
from ....ops import reduce as _r
from ...base_layer import Layer
from ..convolutional.base_conv import _channels_last, _padding, _tuple, conv_output_length


class _Pool3D(Layer):
    reduce_max = True

    def __init__(self, pool_size: Any = (2, 2, 2), strides: Any = None, padding: str = "valid",
                 data_format: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        who = type(self).__name__
        _channels_last(data_format, who)
        self.pool_size = _tuple(pool_size, 3, "pool_size", who)
        self.strides = self.pool_size if strides is None else _tuple(strides, 3, "strides", who)
        self.padding = _padding(padding, who)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if len(input_shape) != 5:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank 5 "
                             f"(batch, depth, height, width, channels), got shape "
                             f"{tuple(input_shape)}.")
        spatial = tuple(conv_output_length(n, k, self.padding, s) for n, k, s in
                        zip(tuple(input_shape)[1:-1], self.pool_size, self.strides))
        return (input_shape[0],) + spatial + (input_shape[-1],)

    def call(self, inputs: Any) -> Any:
        out_d = self.compute_output_shape(tuple(inputs.shape))[1]
        b, d, h, w, c = inputs.shape
        pool = _conv.max_pool2d if self.reduce_max else _conv.avg_pool2d
        y = pool(_a.reshape(inputs, (b * d, h, w, c)), ksize=self.pool_size[1:],
                 strides=self.strides[1:], padding=self.padding)
        y = _a.reshape(y, (b, d) + tuple(y.shape[1:]))
        k, s = self.pool_size[0], self.strides[0]
        before = max((out_d - 1) * s + k - d, 0) // 2 if self.padding == "SAME" else 0
        reduce = _r.reduce_max if self.reduce_max else _r.reduce_mean
        slices = [reduce(y[:, max(j * s - before, 0):min(j * s - before + k, d)], axis=1)
                  for j in range(out_d)]
        return _a.stack(slices, axis=1)

    def get_config(self) -> dict:
        return dict(super().get_config(), pool_size=self.pool_size, strides=self.strides,
                    padding=self.padding.lower())
