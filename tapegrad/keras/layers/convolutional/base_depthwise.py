"""The base class of the depthwise and separable convolutions (1-D and 2-D)."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import conv as _conv
from ...base_layer import Layer
from .base_conv import _Conv


def depthwise(x: Any, w: Any, strides: tuple, padding: str, dilation: tuple) -> Any:
    """Each channel with its own ``depth_multiplier`` filters: ``w`` is ``(*k, C, M)``; a 1-D
    input is an image of height 1."""
    if w.ndim == 3:
        y = _conv.depthwise_conv2d(_a.expand_dims(x, 1), _a.expand_dims(w, 0),
                                   (1, 1) + strides + (1,), padding,
                                   dilations=(1,) + dilation)
        return _a.squeeze(y, axis=1)
    return _conv.depthwise_conv2d(x, w, (1,) + strides + (1,), padding, dilations=dilation)


class _Depthwise(_Conv):
    """``depth_multiplier`` filters per input channel and, for the separable layers, a 1x1
    ``pointwise_kernel`` mixing them into ``filters`` (this signature is theirs)."""

    separable = True
    _prefixes = ("depthwise", "pointwise", "bias")

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: Any = None, dilation_rate: Any = 1, depth_multiplier: int = 1,
                 activation: Any = None, use_bias: bool = True,
                 depthwise_initializer: Any = "glorot_uniform",
                 pointwise_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 depthwise_regularizer: Any = None, pointwise_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 depthwise_constraint: Any = None, pointwise_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs: Any):
        Layer.__init__(self, activity_regularizer=activity_regularizer, **kwargs)
        self._setup(filters, kernel_size, strides, padding, data_format, dilation_rate, 1,
                    activation, use_bias)
        self.depth_multiplier = int(depth_multiplier)
        self._weight_options("depthwise", depthwise_initializer, depthwise_regularizer,
                             depthwise_constraint)
        self._weight_options("pointwise", pointwise_initializer, pointwise_regularizer,
                             pointwise_constraint)
        self._weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)

    def build(self, input_shape: Any) -> None:
        if len(input_shape) != self.rank + 2 or input_shape[-1] is None:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank "
                             f"{self.rank + 2} with known channels, got shape "
                             f"{tuple(input_shape)}.")
        c, m = input_shape[-1], self.depth_multiplier
        shape = self.kernel_size + (c, m)
        if self.separable:
            self.depthwise_kernel = self._add_weight_as("depthwise", shape, "depthwise_kernel")
            self._kernel_and_bias((1,) * self.rank + (c * m, self.filters), (self.filters,),
                                  "pointwise", "pointwise_kernel")
        else:
            self._kernel_and_bias(shape, (c * m,), "depthwise", "kernel")
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = super().compute_output_shape(input_shape)
        if self.separable:
            return shape
        c = input_shape[-1]
        return shape[:-1] + (None if c is None else c * self.depth_multiplier,)

    def call(self, inputs: Any) -> Any:
        kernel = self._autocast(self.depthwise_kernel if self.separable else self.kernel)
        y = depthwise(inputs, kernel, self.strides, self.padding, self.dilation_rate)
        if self.separable:
            w = self._autocast(self.pointwise_kernel)
            y = _a.reshape(_a.reshape(y, (-1, w.shape[-2])) @ _a.reshape(w, w.shape[-2:]),
                           tuple(y.shape[:-1]) + (self.filters,))
        return self._finish(y)

    def get_config(self) -> dict:
        config = dict(super().get_config(), depth_multiplier=self.depth_multiplier)
        del config["groups"]
        if not self.separable:
            del config["filters"]
        return config


class _DepthwiseOnly(_Depthwise):
    separable = False
    _prefixes = ("depthwise", "bias")

    def __init__(self, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 depth_multiplier: int = 1, data_format: Any = None, dilation_rate: Any = 1,
                 activation: Any = None, use_bias: bool = True,
                 depthwise_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 depthwise_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, depthwise_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs: Any):
        Layer.__init__(self, activity_regularizer=activity_regularizer, **kwargs)
        self._setup(1, kernel_size, strides, padding, data_format, dilation_rate, 1,
                    activation, use_bias)
        self.depth_multiplier = int(depth_multiplier)
        self._weight_options("depthwise", depthwise_initializer, depthwise_regularizer,
                             depthwise_constraint)
        self._weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)
