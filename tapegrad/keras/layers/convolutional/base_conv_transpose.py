"""The base class of the transposed convolutions (``Conv1DTranspose`` … ``Conv3DTranspose``)."""

from __future__ import annotations

from typing import Any

from .base_conv import _Conv
from ...base_layer import Layer
from .conv_nd import conv_transpose, dilate_kernel, transpose_length


class _ConvTranspose(_Conv):
    """Kernel ``(*kernel_size, filters, channels)`` (Keras's layout); output length per axis
    ``n * stride`` (SAME) or ``n * stride + max(k - stride, 0)`` (VALID), or from
    ``output_padding``."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 output_padding: Any = None, data_format: Any = None, dilation_rate: Any = 1,
                 activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs: Any):
        Layer.__init__(self, activity_regularizer=activity_regularizer, **kwargs)
        self._setup(filters, kernel_size, strides, padding, data_format, dilation_rate, 1,
                    activation, use_bias)
        self._weight_options("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)
        who = type(self).__name__
        self.output_padding = None if output_padding is None else (
            (int(output_padding),) * self.rank if isinstance(output_padding, int)
            else tuple(int(p) for p in output_padding))
        if self.output_padding is not None:
            if len(self.output_padding) != self.rank or any(
                    not 0 <= p < s for p, s in zip(self.output_padding, self.strides)):
                raise ValueError(f"{who}: output_padding {self.output_padding} must be smaller "
                                 f"than strides {self.strides}.")
        if any(s > 1 for s in self.strides) and any(d > 1 for d in self.dilation_rate):
            raise ValueError(f"{who}: strides {self.strides} and dilation_rate "
                             f"{self.dilation_rate} cannot both be above 1 (as in Keras).")

    def build(self, input_shape: Any) -> None:
        if len(input_shape) != self.rank + 2 or input_shape[-1] is None:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank "
                             f"{self.rank + 2} with known channels, got shape "
                             f"{tuple(input_shape)}.")
        self._kernel_and_bias(self.kernel_size + (self.filters, input_shape[-1]),
                              (self.filters,))
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        pads = self.output_padding or (None,) * self.rank
        spatial = tuple(transpose_length(n, k, self.padding, s, d, p) for n, k, s, d, p in
                        zip(tuple(input_shape)[1:-1], self.kernel_size, self.strides,
                            self.dilation_rate, pads))
        return (input_shape[0],) + spatial + (self.filters,)

    def call(self, inputs: Any) -> Any:
        out = self.compute_output_shape(tuple(inputs.shape))
        kernel = dilate_kernel(self._autocast(self.kernel), self.dilation_rate)
        return self._finish(conv_transpose(inputs, kernel, out, self.strides, self.padding))

    def get_config(self) -> dict:
        config = super().get_config()
        del config["groups"]
        return dict(config, output_padding=self.output_padding)
