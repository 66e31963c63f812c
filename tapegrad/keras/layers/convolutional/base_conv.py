"""The shared argument checks and the base class of the convolution layers (channels-last)."""

from __future__ import annotations

from typing import Any

from ... import activations
from ...base_layer import Layer


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


def conv_output_length(n: Any, k: int, padding: str, stride: int, dilation: int = 1) -> Any:
    """The output length of a window ``k`` (dilated by ``dilation``) sliding by ``stride``
    over ``n`` positions: ``ceil(n / stride)`` with SAME padding; ``None`` stays unknown."""
    if n is None:
        return None
    if padding == "SAME":
        return -(-n // stride)
    return max((n - (k - 1) * dilation - 1) // stride + 1, 0)


def _channels_last(data_format: Any, layer: str) -> None:
    if data_format not in (None, "channels_last"):
        raise ValueError(f"{layer}: only data_format='channels_last' is supported, got "
                         f"{data_format!r}; transpose the inputs to channels-last.")


class _Conv(Layer):
    rank = 2
    _prefixes = ("kernel", "bias")  # the weights whose options get_config names

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: Any = None, dilation_rate: Any = 1, groups: int = 1,
                 activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs: Any):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._setup(filters, kernel_size, strides, padding, data_format, dilation_rate, groups,
                    activation, use_bias)
        self._weight_options("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)

    def _setup(self, filters: int, kernel_size: Any, strides: Any, padding: str,
               data_format: Any, dilation_rate: Any, groups: int, activation: Any,
               use_bias: bool) -> None:
        """Check and store the window arguments every convolution layer shares."""
        who = type(self).__name__
        _channels_last(data_format, who)
        self.data_format = "channels_last"
        self.filters, self.groups = int(filters), int(groups)
        if self.groups < 1 or self.filters % self.groups:
            raise ValueError(f"{who}: filters ({filters}) must be a positive multiple of groups "
                             f"({groups}).")
        self.kernel_size = _tuple(kernel_size, self.rank, "kernel_size", who)
        self.strides = _tuple(strides, self.rank, "strides", who)
        self.dilation_rate = _tuple(dilation_rate, self.rank, "dilation_rate", who)
        self.padding = _padding(padding, who)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)

    def build(self, input_shape: Any) -> None:
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank "
                             f"{self.rank + 2} (batch, {'spatial, ' * self.rank}channels), got "
                             f"shape {tuple(input_shape)}.")
        if input_shape[-1] is None or input_shape[-1] % self.groups:
            raise ValueError(f"{type(self).__name__} '{self.name}': the input channels "
                             f"({input_shape[-1]}) must be known and a multiple of groups "
                             f"({self.groups}).")
        self._kernel_and_bias(self.kernel_size + (input_shape[-1] // self.groups, self.filters),
                              (self.filters,))
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        spatial = tuple(conv_output_length(n, k, self.padding, s, d) for n, k, s, d in
                        zip(tuple(input_shape)[1:-1], self.kernel_size, self.strides,
                            self.dilation_rate))
        return (input_shape[0],) + spatial + (self.filters,)

    def get_config(self) -> dict:
        return dict(super().get_config(), filters=self.filters, kernel_size=self.kernel_size,
                    strides=self.strides, padding=self.padding.lower(),
                    data_format=self.data_format, dilation_rate=self.dilation_rate,
                    groups=self.groups, activation=activations.serialize(self.activation),
                    use_bias=self.use_bias, activity_regularizer=self.activity_regularizer,
                    **self._weight_config(*self._prefixes))

    def _finish(self, y: Any) -> Any:
        if self.bias is not None:
            y = y + self._autocast(self.bias)
        return y if self.activation is activations.linear else self.activation(y)
