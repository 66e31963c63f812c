"""The base class of the transposed convolutions (``Conv1DTranspose`` … ``Conv3DTranspose``)."""

from __future__ import annotations

from typing import Any

from .base_conv import _Conv
from .conv_nd import conv_transpose, transpose_length


class _ConvTranspose(_Conv):
    """Kernel ``(*kernel_size, filters, channels)`` (Keras's layout); output length per axis
    ``n * stride`` (SAME) or ``n * stride + max(k - stride, 0)`` (VALID), or from
    ``output_padding``."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 output_padding: Any = None, data_format: Any = None, dilation_rate: Any = 1,
                 **kwargs: Any):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)
        who = type(self).__name__
        if any(d != 1 for d in self.dilation_rate):
            raise NotImplementedError(f"{who}: dilation_rate other than 1 is not supported.")
        self.output_padding = None if output_padding is None else (
            (int(output_padding),) * self.rank if isinstance(output_padding, int)
            else tuple(int(p) for p in output_padding))
        if self.output_padding is not None:
            if len(self.output_padding) != self.rank or any(
                    not 0 <= p < s for p, s in zip(self.output_padding, self.strides)):
                raise ValueError(f"{who}: output_padding {self.output_padding} must be smaller "
                                 f"than strides {self.strides}.")

    def build(self, input_shape: Any) -> None:
        if len(input_shape) != self.rank + 2 or input_shape[-1] is None:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank "
                             f"{self.rank + 2} with known channels, got shape "
                             f"{tuple(input_shape)}.")
        self.kernel = self.add_weight("kernel", self.kernel_size + (self.filters, input_shape[-1]),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = (self.add_weight("bias", (self.filters,), initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint)
                     if self.use_bias else None)
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        pads = self.output_padding or (None,) * self.rank
        spatial = tuple(transpose_length(n, k, self.padding, s, 1, p) for n, k, s, p in
                        zip(tuple(input_shape)[1:-1], self.kernel_size, self.strides, pads))
        return (input_shape[0],) + spatial + (self.filters,)

    def call(self, inputs: Any) -> Any:
        out = self.compute_output_shape(tuple(inputs.shape))
        return self._finish(conv_transpose(inputs, self._autocast(self.kernel), out,
                                           self.strides, self.padding))

    def get_config(self) -> dict:
        config = super().get_config()
        del config["groups"]
        return dict(config, output_padding=self.output_padding)
