"""The tf.nn convolution and pooling variants built on the 2-D ones: conv3d and its transpose,
3-D pooling, conv1d_transpose, atrous (dilated) convolutions and the rank-generic
``convolution`` / ``conv_transpose`` / ``pool``. Each is a composition of differentiable ops,
so its gradients (to any order) are theirs."""

from __future__ import annotations

from typing import Any

from ..engine.tape import GradientTape
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .array import _reshape, _transpose, pad
from .conv import (_float_value, _hw_ints, avg_pool1d, avg_pool2d, conv1d, conv2d,
                   conv2d_transpose, max_pool1d, max_pool2d)
from .creation import _static_ints, zeros
from .math import multiply
from .reduce import reduce_sum

__all__ = ["conv3d", "conv3d_transpose", "conv1d_transpose", "atrous_conv2d",
           "atrous_conv2d_transpose", "convolution", "conv_transpose", "max_pool3d", "avg_pool3d",
           "pool"]


def _channels_first(data_format: str | None, op: str) -> bool:
    if data_format in (None, "NDHWC", "NWC", "NHWC"):
        return False
    if data_format in ("NCDHW", "NCW", "NCHW"):
        return True
    raise ValueError(f"{op}: data_format must be channels-last (e.g. 'NDHWC') or channels-first "
                     f"('NCDHW'), got {data_format!r}.")


def _tensor(x: Any) -> Any:
    return x if isinstance(x, _Base) else Tensor(convert_raw(x))


def _depth_pads(n: int, k: int, s: int, d: int, padding: str) -> tuple[int, int]:
    """TF's SAME padding of one axis (the odd zero goes after); VALID is none."""
    if padding == "VALID":
        return 0, 0
    total = max((-(-n // s) - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


def _conv3d_ndhwc(x: Any, w: Any, st: tuple, dl: tuple, padding: str) -> Tensor:
    """conv3d as one conv2d per kernel depth offset over the matching depth slices."""
    b, depth, h, wd, c = shape_of(x)
    kd = shape_of(w)[0]
    lo, hi = _depth_pads(depth, kd, st[0], dl[0], padding)
    if lo or hi:
        x = _pad_depth(x, lo, hi)
    out_d = (depth + lo + hi - (kd - 1) * dl[0] - 1) // st[0] + 1
    if out_d < 1:
        raise ValueError(f"conv3d: the kernel depth {kd} (dilation {dl[0]}) is larger than the "
                         f"input depth {depth}; use padding='SAME' or a smaller kernel.")
    y = None
    for i in range(kd):
        start = i * dl[0]
        sl = x[:, start:start + (out_d - 1) * st[0] + 1:st[0]]
        part = conv2d(_reshape(sl, shape=(b * out_d, h, wd, c)), w[i], st[1:], padding,
                      dilations=dl[1:])
        y = part if y is None else y + part
    return _reshape(y, shape=(b, out_d) + tuple(shape_of(y)[1:]))


def _pad_depth(x: Any, lo: int, hi: int) -> Tensor:
    return pad(x, [[0, 0], [lo, hi], [0, 0], [0, 0], [0, 0]])


def conv3d(input: Any, filters: Any, strides: Any, padding: str,  # noqa: A002 - TF's name
           data_format: str = "NDHWC", dilations: Any = None, name: str | None = None) -> Tensor:
    """3-D convolution (``tf.nn.conv3d``): ``input`` [N, D, H, W, C], ``filters``
    [kd, kh, kw, C, O]; ``strides``/``dilations`` are 1, 3 or 5 ints, ``padding`` 'SAME' or
    'VALID' (TF's split: the odd zero after).

    >>> import tapegrad as tf
    >>> y = tf.nn.conv3d(tf.ones([1, 3, 3, 3, 1]), tf.ones([2, 2, 2, 1, 1]), [1, 1, 1, 1, 1],
    ...                  "VALID")
    >>> y.shape, float(y[0, 0, 0, 0, 0])
    (TensorShape([1, 2, 2, 2, 1]), 8.0)
    """
    op = "conv3d"
    xv, wv = _float_value(input, op, "input"), _float_value(filters, op, "filters")
    if xv.ndim != 5 or wv.ndim != 5:
        raise ValueError(f"{op}: input must be 5-D [batch, depth, height, width, channels] and "
                         f"filters 5-D [depth, height, width, in_channels, out_channels]; got "
                         f"input {list(xv.shape)} and filters {list(wv.shape)}.")
    if xv.dtype != wv.dtype:
        raise TypeError(f"{op}: input is {xv.dtype} but filters are {wv.dtype}; they must match.")
    if not isinstance(padding, str) or padding.upper() not in ("SAME", "VALID"):
        raise ValueError(f"{op}: padding must be 'SAME' or 'VALID', got {padding!r}.")
    nc = _channels_first(data_format, op)
    x = _transpose(input, perm=(0, 2, 3, 4, 1)) if nc else _tensor(input)
    if shape_of(x)[4] != wv.shape[3]:
        raise ValueError(f"{op}: input depth {shape_of(x)[4]} (input shape {list(xv.shape)}) "
                         f"must equal the filters' in_channels {wv.shape[3]} (filters shape "
                         f"{list(wv.shape)}).")
    st = _hw_ints(strides, "strides", op, n=3)
    dl = _hw_ints(1 if dilations is None else dilations, "dilations", op, n=3)
    y = _conv3d_ndhwc(x, _tensor(filters), st, dl, padding.upper())
    return _transpose(y, perm=(0, 4, 1, 2, 3)) if nc else y


def _transpose_of(conv: Any, input: Any, filters: Any, out_shape: tuple) -> Tensor:  # noqa: A002
    """A convolution's transpose: the gradient of ``<conv(x), input>`` w.r.t. ``x`` of
    ``out_shape``. The gradient's ops are recorded by any tape that is listening, so the result
    is differentiable in ``input`` and ``filters`` like any other op."""
    x = zeros(out_shape, _tensor(input).dtype)
    with GradientTape() as tape:
        tape.watch(x)
        z = reduce_sum(multiply(conv(x), input))
    return tape.gradient(z, x)


def conv3d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any,  # noqa: A002
                     padding: str = "SAME", data_format: str = "NDHWC", dilations: Any = None,
                     name: str | None = None) -> Tensor:
    """The transpose of conv3d (``tf.nn.conv3d_transpose``): ``input`` [N, d, h, w, O],
    ``filters`` [kd, kh, kw, C, O], result ``output_shape`` [N, D, H, W, C].

    >>> import tapegrad as tf
    >>> y = tf.nn.conv3d_transpose(tf.ones([1, 1, 1, 1, 1]), tf.ones([2, 2, 2, 1, 1]),
    ...                            [1, 2, 2, 2, 1], 2)
    >>> float(tf.reduce_sum(y))
    8.0
    """
    op = "conv3d_transpose"
    out = _static_ints(output_shape, "output_shape", op)
    gv, wv = _float_value(input, op, "input"), _float_value(filters, op, "filters")
    if len(out) != 5 or gv.ndim != 5 or wv.ndim != 5:
        raise ValueError(f"{op}: input and filters must be 5-D and output_shape 5 ints; got input "
                         f"{list(gv.shape)}, filters {list(wv.shape)}, output_shape {list(out)}.")
    nc = _channels_first(data_format, op)
    if nc:
        input = _transpose(input, perm=(0, 2, 3, 4, 1))
        out = (out[0],) + out[2:] + (out[1],)
    want = shape_of(conv3d(zeros(out, gv.dtype), filters, strides, padding, dilations=dilations))
    if tuple(want) != tuple(shape_of(input)):
        raise ValueError(f"{op}: conv3d of output_shape {list(out)} with filters "
                         f"{list(wv.shape)} would give {list(want)}, but input is "
                         f"{list(shape_of(input))}.")
    y = _transpose_of(lambda x: conv3d(x, filters, strides, padding, dilations=dilations),
                      input, filters, out)
    return _transpose(y, perm=(0, 4, 1, 2, 3)) if nc else y


def conv1d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any,  # noqa: A002
                     padding: str = "SAME", data_format: str = "NWC", dilations: Any = None,
                     name: str | None = None) -> Tensor:
    """The transpose of conv1d (``tf.nn.conv1d_transpose``): ``input`` [N, w, O], ``filters``
    [k, C, O], result ``output_shape`` [N, W, C]; a height-1 conv2d_transpose.

    >>> import tapegrad as tf
    >>> y = tf.nn.conv1d_transpose(tf.ones([1, 2, 1]), tf.ones([2, 1, 1]), [1, 4, 1], 2)
    >>> y.numpy()[0, :, 0]
    array([1., 1., 1., 1.], dtype=float32)
    """
    op = "conv1d_transpose"
    out = _static_ints(output_shape, "output_shape", op)
    xs, ws = shape_of(input), shape_of(filters)
    if len(out) != 3 or len(xs) != 3 or len(ws) != 3:
        raise ValueError(f"{op}: input and filters must be 3-D and output_shape 3 ints; got "
                         f"input {list(xs)}, filters {list(ws)}, output_shape {list(out)}.")
    nc = _channels_first(data_format, op)
    if nc:
        input, out = _transpose(input, perm=(0, 2, 1)), (out[0], out[2], out[1])
        xs = shape_of(input)
    s = _hw_ints(strides, "strides", op, n=1)[0]
    d = _hw_ints(1 if dilations is None else dilations, "dilations", op, n=1)[0]
    try:
        y = conv2d_transpose(_reshape(input, shape=(xs[0], 1) + tuple(xs[1:])),
                             _reshape(filters, shape=(1,) + tuple(ws)), (out[0], 1) + out[1:],
                             (1, s), padding, dilations=(1, d))
    except ValueError as e:
        raise type(e)(str(e).replace("conv2d_transpose", op)) from None
    y = _reshape(y, shape=out)
    return _transpose(y, perm=(0, 2, 1)) if nc else y


def atrous_conv2d(value: Any, filters: Any, rate: int, padding: str,
                  name: str | None = None) -> Tensor:
    """A dilated conv2d with stride 1 (``tf.nn.atrous_conv2d``): ``rate - 1`` zeros between the
    filter's taps.

    >>> import tapegrad as tf
    >>> tf.nn.atrous_conv2d(tf.ones([1, 5, 5, 1]), tf.ones([2, 2, 1, 1]), 2, "VALID").shape
    TensorShape([1, 3, 3, 1])
    """
    return conv2d(value, filters, 1, padding, dilations=_rate(rate, "atrous_conv2d"))


def atrous_conv2d_transpose(value: Any, filters: Any, output_shape: Any, rate: int,
                            padding: str, name: str | None = None) -> Tensor:
    """The transpose of :func:`atrous_conv2d` (``tf.nn.atrous_conv2d_transpose``).

    >>> import tapegrad as tf
    >>> tf.nn.atrous_conv2d_transpose(tf.ones([1, 3, 3, 1]), tf.ones([2, 2, 1, 1]),
    ...                               [1, 5, 5, 1], 2, "VALID").shape
    TensorShape([1, 5, 5, 1])
    """
    return conv2d_transpose(value, filters, output_shape, 1, padding,
                            dilations=_rate(rate, "atrous_conv2d_transpose"))


def _rate(rate: Any, op: str) -> int:
    r = int(rate._value if isinstance(rate, _Base) else rate)
    if r < 1:
        raise ValueError(f"{op}: rate must be a positive int, got {r}.")
    return r


def convolution(input: Any, filters: Any, strides: Any = None, padding: str = "VALID",  # noqa: A002
                data_format: str | None = None, dilations: Any = None,
                name: str | None = None) -> Tensor:
    """``tf.nn.convolution``: conv1d, conv2d or conv3d by the filters' rank (3, 4 or 5).

    >>> import tapegrad as tf
    >>> tf.nn.convolution(tf.ones([1, 4, 4, 1]), tf.ones([3, 3, 1, 2]), padding="SAME").shape
    TensorShape([1, 4, 4, 2])
    """
    rank = len(shape_of(filters))
    st = 1 if strides is None else strides
    if rank == 3:
        return conv1d(input, filters, st, padding, data_format or "NWC", dilations)
    if rank == 4:
        return conv2d(input, filters, st, padding, data_format or "NHWC", dilations)
    if rank == 5:
        return conv3d(input, filters, st, padding, data_format or "NDHWC", dilations)
    raise ValueError(f"convolution: filters must be 3-D, 4-D or 5-D, got shape "
                     f"{list(shape_of(filters))}.")


def conv_transpose(input: Any, filters: Any, output_shape: Any, strides: Any,  # noqa: A002
                   padding: str = "SAME", data_format: str | None = None, dilations: Any = None,
                   name: str | None = None) -> Tensor:
    """``tf.nn.conv_transpose``: the 1-, 2- or 3-D transposed convolution by
    ``len(output_shape)`` (3, 4 or 5).

    >>> import tapegrad as tf
    >>> tf.nn.conv_transpose(tf.ones([1, 2, 2, 1]), tf.ones([2, 2, 1, 1]), [1, 4, 4, 1], 2).shape
    TensorShape([1, 4, 4, 1])
    """
    n = len(_static_ints(output_shape, "output_shape", "conv_transpose"))
    if n == 3:
        return conv1d_transpose(input, filters, output_shape, strides, padding,
                                data_format or "NWC", dilations)
    if n == 4:
        return conv2d_transpose(input, filters, output_shape, strides, padding,
                                data_format or "NHWC", dilations)
    if n == 5:
        return conv3d_transpose(input, filters, output_shape, strides, padding,
                                data_format or "NDHWC", dilations)
    raise ValueError(f"conv_transpose: output_shape must have 3, 4 or 5 entries, got {n}.")


def _pool3d(pool2d: Any, op: str, input: Any, ksize: Any, strides: Any,  # noqa: A002
            padding: str, data_format: str) -> Tensor:
    """A 3-D pool as a 2-D pool over (height, width) then one over depth: max and TF's mean
    (which counts only real inputs) are both separable over a box window."""
    xv = _float_value(input, op, "input")
    if xv.ndim != 5:
        raise ValueError(f"{op}: input must be 5-D [batch, depth, height, width, channels], got "
                         f"shape {list(xv.shape)}.")
    nc = _channels_first(data_format, op)
    x = _transpose(input, perm=(0, 2, 3, 4, 1)) if nc else _tensor(input)
    ks, st = _hw_ints(ksize, "ksize", op, n=3), _hw_ints(strides, "strides", op, n=3)
    b, d, h, w, c = shape_of(x)
    try:
        y = pool2d(_reshape(x, shape=(b * d, h, w, c)), ks[1:], st[1:], padding)
        ho, wo = shape_of(y)[1:3]
        y = pool2d(_reshape(y, shape=(b, d, ho * wo, c)), (ks[0], 1), (st[0], 1), padding)
    except ValueError as e:
        raise type(e)(str(e).replace(pool2d.__name__, op)) from None
    y = _reshape(y, shape=(b, shape_of(y)[1], ho, wo, c))
    return _transpose(y, perm=(0, 4, 1, 2, 3)) if nc else y


def max_pool3d(input: Any, ksize: Any, strides: Any, padding: str,  # noqa: A002
               data_format: str = "NDHWC", name: str | None = None) -> Tensor:
    """Max over each 3-D window (``tf.nn.max_pool3d``) of an [N, D, H, W, C] input.

    >>> import tapegrad as tf
    >>> x = tf.reshape(tf.range(8.0), [1, 2, 2, 2, 1])
    >>> tf.nn.max_pool3d(x, 2, 2, "VALID").numpy().ravel()
    array([7.], dtype=float32)
    """
    return _pool3d(max_pool2d, "max_pool3d", input, ksize, strides, padding, data_format)


def avg_pool3d(input: Any, ksize: Any, strides: Any, padding: str,  # noqa: A002
               data_format: str = "NDHWC", name: str | None = None) -> Tensor:
    """Mean over each 3-D window (``tf.nn.avg_pool3d``); SAME padding counts only real inputs,
    as TF's.

    >>> import tapegrad as tf
    >>> x = tf.reshape(tf.range(8.0), [1, 2, 2, 2, 1])
    >>> tf.nn.avg_pool3d(x, 2, 2, "VALID").numpy().ravel()
    array([3.5], dtype=float32)
    """
    return _pool3d(avg_pool2d, "avg_pool3d", input, ksize, strides, padding, data_format)


def pool(input: Any, window_shape: Any, pooling_type: str, strides: Any = None,  # noqa: A002
         padding: str = "VALID", data_format: str | None = None, dilations: Any = None,
         name: str | None = None) -> Tensor:
    """``tf.nn.pool``: 'MAX' or 'AVG' pooling of rank ``len(window_shape)`` (1, 2 or 3).
    Dilated windows are not supported (an error says so).

    >>> import tapegrad as tf
    >>> tf.nn.pool(tf.reshape(tf.range(16.0), [1, 4, 4, 1]), [2, 2], "MAX", [2, 2]).shape
    TensorShape([1, 2, 2, 1])
    """
    win = _static_ints(window_shape, "window_shape", "pool")
    if dilations is not None and any(v != 1 for v in _static_ints(dilations, "dilations", "pool")):
        raise NotImplementedError("pool: dilations other than 1 are not supported; use "
                                  "conv-based pooling or dilations=None.")
    kind = str(pooling_type).upper()
    if kind not in ("MAX", "AVG"):
        raise ValueError(f"pool: pooling_type must be 'MAX' or 'AVG', got {pooling_type!r}.")
    st = win if strides is None else _static_ints(strides, "strides", "pool")
    fns = {1: (max_pool1d, avg_pool1d, "NWC"), 2: (max_pool2d, avg_pool2d, "NHWC"),
           3: (max_pool3d, avg_pool3d, "NDHWC")}
    if len(win) not in fns:
        raise ValueError(f"pool: window_shape must have 1, 2 or 3 entries, got {list(win)}.")
    mx, av, fmt = fns[len(win)]
    return (mx if kind == "MAX" else av)(input, win, st, padding, data_format or fmt)
