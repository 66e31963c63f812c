"""Convolutions of any rank (1, 2, 3) and groups, built on the 2-D primitives: a 1-D input is
an image of height 1, a 3-D one is folded into 2-D slices, one ``conv2d`` for each depth
offset of the kernel (so the gradients are conv2d's, to any order)."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import conv as _conv
from .base_conv import conv_output_length


def _same_pads(n: int, k: int, s: int, d: int) -> tuple[int, int]:
    """TF's SAME padding of one axis: the odd zero goes after."""
    total = max((-(-n // s) - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


def _conv3d(x: Any, w: Any, strides: tuple, padding: str, dilation: tuple) -> Any:
    b, depth, h, wd, c = x.shape
    kd, s, d = w.shape[0], strides[0], dilation[0]
    if padding == "SAME":
        x = _a.pad(x, [[0, 0], list(_same_pads(depth, kd, s, d)), [0, 0], [0, 0], [0, 0]])
    out_d = conv_output_length(x.shape[1], kd, "VALID", s, d)
    y = None
    for i in range(kd):
        start = i * d
        sl = x[:, start:start + (out_d - 1) * s + 1:s]
        part = _conv.conv2d(_a.reshape(sl, (b * out_d, h, wd, c)), w[i], strides=strides[1:],
                            padding=padding, dilations=dilation[1:])
        y = part if y is None else y + part
    return _a.reshape(y, (b, out_d) + tuple(y.shape[1:]))


def conv(x: Any, w: Any, strides: tuple, padding: str, dilation: tuple, groups: int = 1) -> Any:
    """Channels-last convolution of rank ``w.ndim - 2`` with ``groups`` channel groups
    (the kernel's input axis holds ``channels // groups``)."""
    if groups > 1:
        xs = _a.split(x, groups, axis=-1)
        ws = _a.split(w, groups, axis=-1)
        return _a.concat([conv(a, b, strides, padding, dilation) for a, b in zip(xs, ws)], -1)
    rank = w.ndim - 2
    if rank == 1:
        y = _conv.conv2d(_a.expand_dims(x, 1), _a.expand_dims(w, 0), strides=(1,) + strides,
                         padding=padding, dilations=(1,) + dilation)
        return _a.squeeze(y, axis=1)
    if rank == 2:
        return _conv.conv2d(x, w, strides=strides, padding=padding, dilations=dilation)
    return _conv3d(x, w, strides, padding, dilation)


def transpose_length(n: Any, k: int, padding: str, stride: int, dilation: int = 1,
                     output_padding: int | None = None) -> Any:
    """Keras's output length of a transposed convolution."""
    if n is None:
        return None
    k = (k - 1) * dilation + 1
    if output_padding is None:
        return n * stride if padding == "SAME" else n * stride + max(k - stride, 0)
    pad = k // 2 if padding == "SAME" else 0
    return (n - 1) * stride + k - 2 * pad + output_padding


def dilate_kernel(w: Any, dilation: tuple) -> Any:
    """The kernel ``w`` (spatial axes first) with ``dilation - 1`` zeros between its taps on
    each spatial axis: a dilated transposed convolution is the plain one with this kernel."""
    for axis, d in enumerate(dilation):
        if d == 1:
            continue
        k, rest = w.shape[axis], tuple(w.shape[axis + 1:])
        spread = _a.stack([w] + [w * 0.0] * (d - 1), axis=axis + 1)
        w = _a.reshape(spread, tuple(w.shape[:axis]) + (k * d,) + rest)
        w = w[(slice(None),) * axis + (slice(0, (k - 1) * d + 1),)]
    return w


def _place(y: Any, offset: int, stride: int, length: int) -> Any:
    """Spread ``y``'s depth slices ``stride`` apart starting at ``offset`` within ``length``
    (zeros elsewhere)."""
    b, n = y.shape[0], y.shape[1]
    rest = tuple(y.shape[2:])
    if stride > 1:
        zeros = y * 0.0
        y = _a.reshape(_a.stack([y] + [zeros] * (stride - 1), axis=2), (b, n * stride) + rest)
        y = y[:, :(n - 1) * stride + 1]
    after = length - offset - y.shape[1]
    if after < 0:
        y, after = y[:, :y.shape[1] + after], 0
    return _a.pad(y, [[0, 0], [offset, after]] + [[0, 0]] * len(rest))


def conv_transpose(x: Any, w: Any, out_shape: tuple, strides: tuple, padding: str) -> Any:
    """The transpose of :func:`conv` (kernel ``(*k, filters, channels)``) with Keras's output
    shape ``out_shape`` (batch included)."""
    rank = w.ndim - 2
    if rank == 1:
        y = _conv.conv2d_transpose(_a.expand_dims(x, 1), _a.expand_dims(w, 0),
                                   (out_shape[0], 1) + tuple(out_shape[1:]), (1,) + strides,
                                   padding=padding)
        return _a.squeeze(y, axis=1)
    if rank == 2:
        return _conv.conv2d_transpose(x, w, out_shape, strides, padding=padding)
    b, depth, h, wd, c = x.shape
    kd, s = w.shape[0], strides[0]
    full = (depth - 1) * s + kd
    start = _same_pads(out_shape[1], kd, s, 1)[0] if padding == "SAME" else 0
    flat = _a.reshape(x, (b * depth, h, wd, c))
    total = None
    for i in range(kd):
        part = _conv.conv2d_transpose(flat, w[i], (b * depth,) + tuple(out_shape[2:]),
                                      strides[1:], padding=padding)
        part = _place(_a.reshape(part, (b, depth) + tuple(part.shape[1:])), i, s,
                      max(full, start + out_shape[1]))
        total = part if total is None else total + part
    return total[:, start:start + out_shape[1]]
