"""The base class of the depthwise and separable convolutions (1-D and 2-D)."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import conv as _conv
from ... import constraints, initializers, regularizers
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
    """``depth_multiplier`` filters per input channel (and, for the separable layers, a 1x1
    ``pointwise_kernel`` mixing them into ``filters``)."""

    separable = False

    def __init__(self, *args: Any, depth_multiplier: int = 1,
                 depthwise_initializer: Any = "glorot_uniform",
                 pointwise_initializer: Any = "glorot_uniform",
                 depthwise_regularizer: Any = None, pointwise_regularizer: Any = None,
                 depthwise_constraint: Any = None, pointwise_constraint: Any = None,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build(self, input_shape: Any) -> None:
        if len(input_shape) != self.rank + 2 or input_shape[-1] is None:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank "
                             f"{self.rank + 2} with known channels, got shape "
                             f"{tuple(input_shape)}.")
        c, m = input_shape[-1], self.depth_multiplier
        shape = self.kernel_size + (c, m)
        if self.separable:
            self.depthwise_kernel = self.add_weight(
                "depthwise_kernel", shape, initializer=self.depthwise_initializer,
                regularizer=self.depthwise_regularizer, constraint=self.depthwise_constraint)
            self.pointwise_kernel = self.add_weight(
                "pointwise_kernel", (1,) * self.rank + (c * m, self.filters),
                initializer=self.pointwise_initializer,
                regularizer=self.pointwise_regularizer, constraint=self.pointwise_constraint)
        else:
            self.kernel = self.add_weight("kernel", shape,
                                          initializer=self.depthwise_initializer,
                                          regularizer=self.depthwise_regularizer,
                                          constraint=self.depthwise_constraint)
        out = self.filters if self.separable else c * m
        self.bias = (self.add_weight("bias", (out,), initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint)
                     if self.use_bias else None)
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
    def __init__(self, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 depth_multiplier: int = 1, data_format: Any = None, dilation_rate: Any = 1,
                 activation: Any = None, use_bias: bool = True,
                 depthwise_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 depthwise_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, depthwise_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs: Any):
        super().__init__(1, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, depth_multiplier=depth_multiplier,
                         depthwise_initializer=depthwise_initializer,
                         depthwise_regularizer=depthwise_regularizer,
                         depthwise_constraint=depthwise_constraint, **kwargs)
