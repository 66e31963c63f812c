"""Convolution and pooling layers (channels-last, as Keras's default)."""

from __future__ import annotations

from typing import Any

from ...ops import array as _a
from ...ops import conv as _conv
from ...ops import reduce as _r
from .. import activations, initializers
from ..base_layer import Layer

__all__ = ["Conv1D", "Conv2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D"]


def _tuple(v: Any, n: int, what: str, layer: str) -> tuple:
    t = (int(v),) * n if isinstance(v, int) else tuple(int(d) for d in v)
    if len(t) != n or any(d <= 0 for d in t):
        raise ValueError(f"{layer}: {what} must be a positive int or {n} positive ints, "
                         f"got {v!r}.")
    return t


def _padding(p: str, layer: str) -> str:
    if str(p).lower() not in ("valid", "same"):
        raise ValueError(f"{layer}: padding must be 'valid' or 'same', got {p!r}.")
    return str(p).upper()


def _channels_last(data_format: Any, layer: str) -> None:
    if data_format not in (None, "channels_last"):
        raise ValueError(f"{layer}: only data_format='channels_last' is supported, got "
                         f"{data_format!r}; transpose the inputs to channels-last.")


class _Conv(Layer):
    rank = 2

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: Any = None, dilation_rate: Any = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", **kwargs: Any):
        super().__init__(**kwargs)
        who = type(self).__name__
        _channels_last(data_format, who)
        self.filters = int(filters)
        self.kernel_size = _tuple(kernel_size, self.rank, "kernel_size", who)
        self.strides = _tuple(strides, self.rank, "strides", who)
        self.dilation_rate = _tuple(dilation_rate, self.rank, "dilation_rate", who)
        self.padding = _padding(padding, who)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)

    def build(self, input_shape: Any) -> None:
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank "
                             f"{self.rank + 2} (batch, {'spatial, ' * self.rank}channels), got "
                             f"shape {tuple(input_shape)}.")
        shape = self.kernel_size + (input_shape[-1], self.filters)
        self.kernel = self.add_weight("kernel", shape, initializer=self.kernel_initializer)
        self.bias = (self.add_weight("bias", (self.filters,), initializer=self.bias_initializer)
                     if self.use_bias else None)
        self.built = True

    def _finish(self, y: Any) -> Any:
        if self.bias is not None:
            y = y + self.bias
        return y if self.activation is activations.linear else self.activation(y)


class Conv2D(_Conv):
    """2-D convolution over ``(batch, height, width, channels)`` inputs.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Conv2D(4, 3, padding="same")(tf.zeros((1, 8, 8, 2))).shape
    TensorShape([1, 8, 8, 4])
    """

    def call(self, inputs: Any) -> Any:
        y = _conv.conv2d(inputs, self.kernel, strides=self.strides, padding=self.padding,
                       dilations=self.dilation_rate)
        return self._finish(y)


class Conv1D(_Conv):
    """1-D convolution over ``(batch, steps, channels)`` inputs (a Conv2D of height 1).

    >>> import tapegrad as tf
    >>> tf.keras.layers.Conv1D(4, 3)(tf.zeros((2, 10, 3))).shape
    TensorShape([2, 8, 4])
    """

    rank = 1

    def call(self, inputs: Any) -> Any:
        x = _a.expand_dims(inputs, 1)
        k = _a.expand_dims(self.kernel, 0)
        y = _conv.conv2d(x, k, strides=(1,) + self.strides, padding=self.padding,
                       dilations=(1,) + self.dilation_rate)
        return self._finish(_a.reshape(y, (y.shape[0],) + tuple(y.shape[2:])))


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


class MaxPooling2D(_Pool2D):
    """Maximum over ``pool_size`` windows (stride defaults to the pool size).

    >>> import tapegrad as tf
    >>> tf.keras.layers.MaxPooling2D()(tf.zeros((1, 4, 4, 3))).shape
    TensorShape([1, 2, 2, 3])
    """

    def call(self, inputs: Any) -> Any:
        return _conv.max_pool2d(inputs, ksize=self.pool_size, strides=self.strides,
                              padding=self.padding)


class AveragePooling2D(_Pool2D):
    """Mean over ``pool_size`` windows (stride defaults to the pool size).

    >>> import tapegrad as tf
    >>> tf.keras.layers.AveragePooling2D()(tf.ones((1, 4, 4, 1))).numpy().ravel()
    array([1., 1., 1., 1.], dtype=float32)
    """

    def call(self, inputs: Any) -> Any:
        return _conv.avg_pool2d(inputs, ksize=self.pool_size, strides=self.strides,
                              padding=self.padding)


class GlobalAveragePooling2D(Layer):
    """Mean over height and width: ``(batch, h, w, c) -> (batch, c)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.GlobalAveragePooling2D()(tf.ones((2, 3, 3, 5))).shape
    TensorShape([2, 5])
    """

    def __init__(self, data_format: Any = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        _channels_last(data_format, "GlobalAveragePooling2D")
        self.keepdims = keepdims

    def call(self, inputs: Any) -> Any:
        if inputs.ndim != 4:
            raise ValueError(f"GlobalAveragePooling2D '{self.name}' expects inputs of rank 4, "
                             f"got shape {tuple(inputs.shape)}.")
        return _r.reduce_mean(inputs, axis=[1, 2], keepdims=self.keepdims)
