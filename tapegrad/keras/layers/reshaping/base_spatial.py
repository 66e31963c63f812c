"""The shared base of the padding, cropping and upsampling layers of rank 1, 2 and 3."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ...base_layer import Layer
from ..convolutional.base_conv import _channels_last, _tuple


def pairs(value: Any, rank: int, who: str, what: str) -> tuple:
    """An int, ``rank`` ints (symmetric) or ``rank`` pairs -> ``rank`` (before, after) pairs;
    a pair alone is accepted for rank 1."""
    if isinstance(value, int):
        return ((value, value),) * rank
    v = tuple(value)
    if rank == 1 and len(v) == 2 and all(isinstance(d, int) for d in v):
        return ((int(v[0]), int(v[1])),)
    if len(v) == rank and all(isinstance(d, int) or len(tuple(d)) == 2 for d in v):
        return tuple((int(d), int(d)) if isinstance(d, int) else (int(d[0]), int(d[1]))
                     for d in v)
    raise ValueError(f"{who}: {what} must be an int, {rank} ints or {rank} (before, after) "
                     f"pairs, got {value!r}.")


class _Spatial(Layer):
    """Rank-``rank`` spatial layers over ``(batch, *spatial, channels)``."""

    rank = 2

    def _spatial_config(self, key: str, value: tuple) -> dict:
        """Keras 3's config entry: a rank-1 layer writes its one pair (or size) alone; the
        1-D cropping and upsampling layers take no data_format."""
        if self.rank == 1:
            return {key: value[0]}
        return {key: value, "data_format": "channels_last"}

    def _check(self, shape: Any) -> tuple:
        if len(shape) != self.rank + 2:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank "
                             f"{self.rank + 2} (batch, {'spatial, ' * self.rank}channels), got "
                             f"shape {tuple(shape)}.")
        return tuple(shape)


class _ZeroPadding(_Spatial):
    def __init__(self, padding: Any = 1, data_format: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        _channels_last(data_format, type(self).__name__)
        self.padding = pairs(padding, self.rank, type(self).__name__, "padding")

    def compute_output_shape(self, input_shape: Any) -> tuple:
        s = self._check(input_shape)
        mid = tuple(None if n is None else n + a + b for n, (a, b) in zip(s[1:-1], self.padding))
        return (s[0],) + mid + (s[-1],)

    def call(self, inputs: Any) -> Any:
        self._check(inputs.shape)
        return _a.pad(inputs, [[0, 0]] + [list(p) for p in self.padding] + [[0, 0]])

    def get_config(self) -> dict:
        # ZeroPadding1D, unlike Cropping1D and UpSampling1D, takes data_format too
        return dict(super().get_config(), **self._spatial_config("padding", self.padding),
                    **({"data_format": "channels_last"} if self.rank == 1 else {}))


class _Cropping(_Spatial):
    def __init__(self, cropping: Any = 1, data_format: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        _channels_last(data_format, type(self).__name__)
        self.cropping = pairs(cropping, self.rank, type(self).__name__, "cropping")

    def compute_output_shape(self, input_shape: Any) -> tuple:
        s = self._check(input_shape)
        mid = []
        for n, (a, b) in zip(s[1:-1], self.cropping):
            if n is not None and a + b >= n:
                raise ValueError(f"{type(self).__name__} '{self.name}': cropping "
                                 f"{self.cropping} leaves nothing of the input shape {s}.")
            mid.append(None if n is None else n - a - b)
        return (s[0],) + tuple(mid) + (s[-1],)

    def call(self, inputs: Any) -> Any:
        shape = self.compute_output_shape(tuple(inputs.shape))
        index = (slice(None),) + tuple(slice(a, a + n) for (a, _), n in
                                       zip(self.cropping, shape[1:-1]))
        return inputs[index]

    def get_config(self) -> dict:
        return dict(super().get_config(), **self._spatial_config("cropping", self.cropping))


class _UpSampling(_Spatial):
    def __init__(self, size: Any = 2, data_format: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        _channels_last(data_format, type(self).__name__)
        self.size = _tuple(size, self.rank, "size", type(self).__name__)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        s = self._check(input_shape)
        mid = tuple(None if n is None else n * k for n, k in zip(s[1:-1], self.size))
        return (s[0],) + mid + (s[-1],)

    def call(self, inputs: Any) -> Any:
        self._check(tuple(inputs.shape))
        x = inputs
        for axis, k in enumerate(self.size, start=1):  # repeat each position k times
            n = x.shape[axis]
            x = _a.expand_dims(x, axis + 1)
            x = _a.tile(x, [1] * (axis + 1) + [k] + [1] * (x.ndim - axis - 2))
            x = _a.reshape(x, tuple(x.shape[:axis]) + (n * k,) + tuple(x.shape[axis + 2:]))
        return x

    def get_config(self) -> dict:
        return dict(super().get_config(), **self._spatial_config("size", self.size))
