"""Convolution and pooling over NHWC images (``tf.nn.conv2d``, ``max_pool2d``, … and friends).

All vectorized, never a Python loop over pixels: the forward and the filter gradient copy a strided
window view of the padded input into one im2col matrix and make one matrix product; the input
gradient and pooling loop only over the ``kh*kw`` kernel offsets, one strided slice each. The
three convolution primitives are bilinear and each one's VJP is written with the other two, so
every derivative order is available::

    conv(x, w)            dx = conv_input_grad(g, w)     dw = conv_filter_grad(x, g)
    conv_input_grad(g, w) dg = conv(gg, w)               dw = conv_filter_grad(gg, g)
    conv_filter_grad(x, g) dx = conv_input_grad(g, gw)   dg = conv(x, gw)

Leading dimensions in front of ``N, H, W, C`` (and in front of the filter's ``kh, kw, C, O``)
broadcast like batch dimensions, which is how batched cotangents (``jacobian``) pass through:
``unbroadcast`` then sums away any a given input did not have.
"""

from __future__ import annotations

from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.registry import primitive, unbroadcast
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from ..engine.convert import static_ints
from ..engine.errors import named
from .array import _reshape, _transpose
from .creation import _static_ints
from .math import tangent_add

__all__ = ["conv1d", "conv2d", "conv2d_transpose", "depthwise_conv2d", "separable_conv2d",
           "max_pool2d", "avg_pool2d", "max_pool1d", "avg_pool1d", "max_pool", "avg_pool"]

_lib = np.lib.stride_tricks


# -- padding arithmetic (TF's) ---------------------------------------------------------------------
def _same_or_valid(size: int, k: int, s: int, d: int, padding: str) -> tuple[int, int]:
    """(before, after) padding of one spatial dimension, as TF computes it.

    SAME: out = ceil(size / s) and the missing rows split with the extra one after;
    VALID: no padding.
    """
    if padding == "VALID":
        return (0, 0)
    eff = (k - 1) * d + 1
    out = -(-size // s)
    total = max((out - 1) * s + eff - size, 0)
    return (total // 2, total - total // 2)


def _out_size(size: int, k: int, s: int, d: int, pad: tuple[int, int]) -> int:
    return (size + pad[0] + pad[1] - (k - 1) * d - 1) // s + 1


def _pad_hw(x, pads, value=0):
    """Pad the H and W axes (-3, -2) of ``x`` (any leading dims)."""
    if not any(pads[0] + pads[1]):
        return x
    width = [(0, 0)] * (x.ndim - 3) + [tuple(pads[0]), tuple(pads[1]), (0, 0)]
    return np.pad(x, width, constant_values=value)


def _windows(xp, ksize, strides, dilations, out_hw):
    """Strided view (..., Ho, Wo, C, kh, kw) of every kernel window of the padded ``xp``."""
    (kh, kw), (sh, sw), (dh, dw) = ksize, strides, dilations
    v = _lib.sliding_window_view(xp, ((kh - 1) * dh + 1, (kw - 1) * dw + 1), axis=(-3, -2))
    return v[..., ::sh, ::sw, :, ::dh, ::dw][..., :out_hw[0], :out_hw[1], :, :, :]


def _im2col(xp, ksize, strides, dilations, out_hw):
    """The padded NHWC ``xp``'s kernel windows as a (N*Ho*Wo, kh*kw*C) matrix whose columns
    follow the HWIO filter's memory order. Measured: for shallow inputs one strided slice copied
    per kernel offset is fastest (3x at C=1), for deep ones one copy of the window view (2x at
    C=16: the slices' writes are strided)."""
    n, c = xp.shape[0], xp.shape[-1]
    kh, kw = ksize
    if c >= 8:
        patches = _windows(xp, ksize, strides, dilations, out_hw)
        return np.ascontiguousarray(patches.transpose(0, 1, 2, 4, 5, 3)).reshape(
            n * out_hw[0] * out_hw[1], kh * kw * c)
    cols = np.empty((n,) + tuple(out_hw) + (kh, kw, c), dtype=xp.dtype)
    for i, j, (hs, ws) in _offsets(ksize, strides, dilations, out_hw):
        cols[:, :, :, i, j, :] = xp[:, hs, ws, :]
    return cols.reshape(n * out_hw[0] * out_hw[1], kh * kw * c)


def _col2im(cols, size, ksize, strides, dilations, pads):
    """The transpose of _im2col from offset-major ``cols`` (kh*kw, N, Ho, Wo, C): add each kernel
    offset's contiguous block back onto the padded image, then cut the padding away."""
    n, ho, wo, c = cols.shape[1:]
    hp, wp = size[0] + sum(pads[0]), size[1] + sum(pads[1])
    dxp = np.zeros((n, hp, wp, c), dtype=cols.dtype)
    for k, (_, _, (hs, ws)) in enumerate(_offsets(ksize, strides, dilations, (ho, wo))):
        dxp[:, hs, ws, :] += cols[k]
    return dxp[:, pads[0][0]:pads[0][0] + size[0], pads[1][0]:pads[1][0] + size[1], :]


def _offsets(ksize, strides, dilations, out_hw):
    """For each kernel offset (i, j): the strided H and W slices of the padded input it reads."""
    (kh, kw), (sh, sw), (dh, dw) = ksize, strides, dilations
    ho, wo = out_hw
    for i in range(kh):
        for j in range(kw):
            yield i, j, (slice(i * dh, i * dh + sh * (ho - 1) + 1, sh),
                         slice(j * dw, j * dw + sw * (wo - 1) + 1, sw))


# -- convolution primitives ---------------------------------------------------------------------
@primitive(name="conv2d", same_dtype=True)
def _conv2d(x, w, *, strides, dilations, pads):
    h, wd = x.shape[-3], x.shape[-2]
    kh, kw = w.shape[-4], w.shape[-3]
    out_hw = (_out_size(h, kh, strides[0], dilations[0], pads[0]),
              _out_size(wd, kw, strides[1], dilations[1], pads[1]))
    if x.ndim == 4 and w.ndim == 4:  # the common case: one im2col matrix product
        cols = _im2col(_pad_hw(x, pads), (kh, kw), strides, dilations, out_hw)
        return (cols @ w.reshape(cols.shape[1], -1)).reshape((x.shape[0],) + out_hw +
                                                             w.shape[-1:])
    patches = _windows(_pad_hw(x, pads), (kh, kw), strides, dilations, out_hw)
    return np.einsum("...nhwcij,...ijco->...nhwo", patches, w, optimize=True)


@primitive(name="conv2d_input_grad", same_dtype=True)
def _conv2d_input_grad(g, w, *, size, strides, dilations, pads):
    """The transpose of conv2d in x: scatter g @ w[i, j]^T back over each kernel offset."""
    kh, kw = w.shape[-4], w.shape[-3]
    if g.ndim == 4 and w.ndim == 4:  # one batched product g W[k]^T, offset-major, then col2im
        o, c = g.shape[-1], w.shape[-2]
        cols = np.matmul(g.reshape(1, -1, o), w.reshape(kh * kw, c, o).transpose(0, 2, 1))
        return _col2im(cols.reshape((kh * kw,) + g.shape[:3] + (c,)), size, (kh, kw), strides,
                       dilations, pads)
    lead = np.broadcast_shapes(g.shape[:-4], w.shape[:-4])
    n, ho, wo = g.shape[-4:-1]
    hp = size[0] + pads[0][0] + pads[0][1]
    wp = size[1] + pads[1][0] + pads[1][1]
    dxp = np.zeros(lead + (n, hp, wp, w.shape[-2]), dtype=np.result_type(g, w))
    for i, j, (hs, ws) in _offsets((kh, kw), strides, dilations, (ho, wo)):
        wt = np.swapaxes(w[..., i, j, :, :], -1, -2)[..., None, None, :, :]  # (..., 1, 1, O, C)
        dxp[..., hs, ws, :] += np.matmul(g, wt)
    return dxp[..., pads[0][0]:pads[0][0] + size[0], pads[1][0]:pads[1][0] + size[1], :]


@primitive(name="conv2d_filter_grad", same_dtype=True)
def _conv2d_filter_grad(x, g, *, ksize, strides, dilations, pads):
    """sum over n, h, w of window(x) (x) g: the filter gradient of conv2d."""
    if x.ndim == 4 and g.ndim == 4:
        cols = _im2col(_pad_hw(x, pads), ksize, strides, dilations, g.shape[-3:-1])
        dw = cols.T @ g.reshape(cols.shape[0], g.shape[-1])
        return dw.reshape(tuple(ksize) + (x.shape[-1], g.shape[-1]))
    patches = _windows(_pad_hw(x, pads), ksize, strides, dilations, g.shape[-3:-1])
    return np.einsum("...nhwcij,...nhwo->...ijco", patches, g, optimize=True)


def _size(x):
    s = shape_of(x)
    return (s[-3], s[-2])


def _ksize(w):
    s = shape_of(w)
    return (s[-4], s[-3])


_conv2d.defvjps(
    lambda g, ans, x, w, *, strides, dilations, pads: unbroadcast(_conv2d_input_grad(
        g, w, size=_size(x), strides=strides, dilations=dilations, pads=pads), x, ans),
    lambda g, ans, x, w, *, strides, dilations, pads: unbroadcast(_conv2d_filter_grad(
        x, g, ksize=_ksize(w), strides=strides, dilations=dilations, pads=pads), w, ans))


@_conv2d.defjvp
def _conv2d_jvp(t, ans, x, w, *, strides, dilations, pads):
    kw = dict(strides=strides, dilations=dilations, pads=pads)
    return tangent_add(None if t[0] is None else _conv2d(t[0], w, **kw),
                       None if t[1] is None else _conv2d(x, t[1], **kw), ans)


_conv2d_input_grad.defvjps(
    lambda gg, ans, g, w, *, size, strides, dilations, pads: unbroadcast(_conv2d(
        gg, w, strides=strides, dilations=dilations, pads=pads), g, ans),
    lambda gg, ans, g, w, *, size, strides, dilations, pads: unbroadcast(_conv2d_filter_grad(
        gg, g, ksize=_ksize(w), strides=strides, dilations=dilations, pads=pads), w, ans))


@_conv2d_input_grad.defjvp
def _conv2d_input_grad_jvp(t, ans, g, w, *, size, strides, dilations, pads):
    kw = dict(size=size, strides=strides, dilations=dilations, pads=pads)
    return tangent_add(None if t[0] is None else _conv2d_input_grad(t[0], w, **kw),
                       None if t[1] is None else _conv2d_input_grad(g, t[1], **kw), ans)


_conv2d_filter_grad.defvjps(
    lambda gw, ans, x, g, *, ksize, strides, dilations, pads: unbroadcast(_conv2d_input_grad(
        g, gw, size=_size(x), strides=strides, dilations=dilations, pads=pads), x, ans),
    lambda gw, ans, x, g, *, ksize, strides, dilations, pads: unbroadcast(_conv2d(
        x, gw, strides=strides, dilations=dilations, pads=pads), g, ans))


@_conv2d_filter_grad.defjvp
def _conv2d_filter_grad_jvp(t, ans, x, g, *, ksize, strides, dilations, pads):
    kw = dict(ksize=ksize, strides=strides, dilations=dilations, pads=pads)
    return tangent_add(None if t[0] is None else _conv2d_filter_grad(t[0], g, **kw),
                       None if t[1] is None else _conv2d_filter_grad(x, t[1], **kw), ans)


# -- argument checking ----------------------------------------------------------------------------
def _hw_ints(value: Any, what: str, op: str, n: int = 2) -> tuple:
    """TF's int-or-list argument (length 1, n or n + 2 with 1 at batch and channel)."""
    vals = static_ints(value, what, op)
    if len(vals) == 1:
        vals = vals * n
    elif len(vals) == n + 2:
        if vals[0] != 1 or vals[-1] != 1:
            raise ValueError(f"{op}: {what} {vals} must be 1 in the batch and channel "
                             f"dimensions (NHWC).")
        vals = vals[1:-1]
    elif len(vals) != n:
        raise named(ValueError(f"{op}: {what} must be an int or a list of 1, {n} or {n + 2} ints, "
                               f"got {vals}."))
    if any(v < 1 for v in vals):
        raise ValueError(f"{op}: {what} must be positive, got {vals}.")
    return tuple(vals)


def _pads(padding: Any, size: tuple, ksize: tuple, strides: tuple, dilations: tuple,
          op: str) -> tuple:
    if isinstance(padding, str):
        p = padding.upper()
        if p not in ("SAME", "VALID"):
            raise ValueError(f"{op}: padding must be 'SAME', 'VALID' or a list of pairs, got "
                             f"{padding!r}.")
        return tuple(_same_or_valid(n, k, s, d, p)
                     for n, k, s, d in zip(size, ksize, strides, dilations, strict=True))
    pairs = [tuple(int(v) for v in p) for p in padding]
    if len(pairs) == 4:
        if pairs[0] != (0, 0) or pairs[3] != (0, 0):
            raise ValueError(f"{op}: explicit padding {pairs} must be [0, 0] in the batch and "
                             f"channel dimensions.")
        pairs = pairs[1:3]
    if len(pairs) != 2 or any(len(p) != 2 or min(p) < 0 for p in pairs):
        raise ValueError(f"{op}: explicit padding must be 4 pairs of non-negative ints, got "
                         f"{padding!r}.")
    return tuple(pairs)


def _float_value(x: Any, op: str, what: str):
    v = x._value if isinstance(x, _Base) else convert_raw(x)
    if v.dtype.kind not in "fc":
        raise named(TypeError(f"{op}: {what} must be a floating-point tensor, got "
                              f"{_dt.from_numpy(v.dtype).name}{list(v.shape)}."))
    return v


def _check_out(op: str, xs: tuple, ks: tuple, strides, dilations, pads) -> None:
    for n, k, s, d, p in zip(xs, ks, strides, dilations, pads, strict=True):
        if _out_size(n, k, s, d, p) < 1:
            raise ValueError(f"{op}: the window ({k} with dilation {d}) is larger than the "
                             f"padded input ({n} + {p[0] + p[1]}): computed output size would be "
                             f"non-positive. Use padding='SAME' or a smaller window.")


def _nchw_in(data_format: str | None, op: str) -> bool:
    """True for channels-first data (transposed to channels-last around the kernel)."""
    if data_format in (None, "NHWC", "NWC"):
        return False
    if data_format in ("NCHW", "NCW"):
        return True
    raise ValueError(f"{op}: data_format must be 'NHWC' or 'NCHW', got {data_format!r}.")


# -- public convolution ---------------------------------------------------------------------------
def conv2d(input: Any, filters: Any, strides: Any, padding: Any,  # noqa: A002
           data_format: str = "NHWC", dilations: Any = None, name: str | None = None) -> Tensor:
    """2-D convolution (``tf.nn.conv2d``): ``input`` [N, H, W, C], ``filters`` [kh, kw, C, O].

    ``strides`` and ``dilations`` are an int or a list of 1, 2 or 4 ints; ``padding`` is
    ``'SAME'`` (output ceil(H / stride), zeros split as TF splits them, the odd one after),
    ``'VALID'`` or explicit ``[[0, 0], [top, bottom], [left, right], [0, 0]]``.
    ``data_format='NCHW'`` transposes in and out. Differentiable to any order in both arguments.

    >>> import tapegrad as tf
    >>> x = tf.ones([1, 4, 4, 1])
    >>> tf.nn.conv2d(x, tf.ones([3, 3, 1, 2]), strides=1, padding="SAME")[0, :2, :2, 0].numpy()
    array([[4., 6.],
           [6., 9.]], dtype=float32)
    """
    op = "conv2d"
    xv = _float_value(input, op, "input")
    wv = _float_value(filters, op, "filters")
    nc = _nchw_in(data_format, op)
    if xv.ndim != 4 or wv.ndim != 4:
        raise named(ValueError(f"{op}: input must be 4-D [batch, height, width, channels] and "
                               f"filters "
                               f"4-D [height, width, in_channels, out_channels]; got input "
                               f"{list(xv.shape)} and filters {list(wv.shape)}."))
    if xv.dtype != wv.dtype:
        raise named(TypeError(f"{op}: input is {_dt.from_numpy(xv.dtype).name} but filters are "
                              f"{_dt.from_numpy(wv.dtype).name}; they must match."))
    if nc:
        input = _transpose(input, perm=(0, 2, 3, 1))
        xs = (xv.shape[0], xv.shape[2], xv.shape[3], xv.shape[1])
    else:
        xs = xv.shape
    if xs[3] != wv.shape[2]:
        raise ValueError(f"{op}: input depth {xs[3]} (input shape {list(xv.shape)}, "
                         f"{data_format}) must equal the filters' in_channels {wv.shape[2]} "
                         f"(filters shape {list(wv.shape)}).")
    st = _hw_ints(strides, "strides", op)
    dl = _hw_ints(1 if dilations is None else dilations, "dilations", op)
    pads = _pads(padding, xs[1:3], wv.shape[:2], st, dl, op)
    _check_out(op, xs[1:3], wv.shape[:2], st, dl, pads)
    y = _conv2d(input, filters, strides=st, dilations=dl, pads=pads)
    return _transpose(y, perm=(0, 3, 1, 2)) if nc else y


def conv2d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any,  # noqa: A002
                     padding: Any = "SAME", data_format: str = "NHWC", dilations: Any = None,
                     name: str | None = None) -> Tensor:
    """The transpose of conv2d (``tf.nn.conv2d_transpose``): conv2d's gradient w.r.t. its input,
    as a layer. ``input`` [N, h, w, O], ``filters`` [kh, kw, C, O], result ``output_shape``
    [N, H, W, C], where conv2d of an [N, H, W, C] image with the same arguments gives [N, h, w, O].

    >>> import tapegrad as tf
    >>> y = tf.nn.conv2d_transpose(tf.ones([1, 2, 2, 1]), tf.ones([2, 2, 1, 1]), [1, 4, 4, 1], 2)
    >>> y[0, :, :, 0].numpy()
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.]], dtype=float32)
    """
    op = "conv2d_transpose"
    gv = _float_value(input, op, "input")
    wv = _float_value(filters, op, "filters")
    out = _static_ints(output_shape, "output_shape", op)
    if len(out) != 4 or gv.ndim != 4 or wv.ndim != 4:
        raise ValueError(f"{op}: input and filters must be 4-D and output_shape 4 ints; got "
                         f"input {list(gv.shape)}, filters {list(wv.shape)}, output_shape "
                         f"{output_shape!r}.")
    if gv.dtype != wv.dtype:
        raise TypeError(f"{op}: input is {_dt.from_numpy(gv.dtype).name} but filters are "
                        f"{_dt.from_numpy(wv.dtype).name}; they must match.")
    nc = _nchw_in(data_format, op)
    if nc:
        input = _transpose(input, perm=(0, 2, 3, 1))
        out = (out[0], out[2], out[3], out[1])
        gs = (gv.shape[0], gv.shape[2], gv.shape[3], gv.shape[1])
    else:
        gs = gv.shape
    st = _hw_ints(strides, "strides", op)
    dl = _hw_ints(1 if dilations is None else dilations, "dilations", op)
    pads = _pads(padding, out[1:3], wv.shape[:2], st, dl, op)
    expect = tuple(_out_size(n, k, s, d, p) for n, k, s, d, p in
                   zip(out[1:3], wv.shape[:2], st, dl, pads, strict=True))
    if gs[0] != out[0] or gs[3] != wv.shape[3] or wv.shape[2] != out[3] or gs[1:3] != expect:
        raise ValueError(f"{op}: conv2d of output_shape {list(out)} with filters "
                         f"{list(wv.shape)} would give [{out[0]}, {expect[0]}, {expect[1]}, "
                         f"{wv.shape[3]}], but input is {list(gs)} ({data_format}).")
    y = _conv2d_input_grad(input, filters, size=tuple(out[1:3]), strides=st, dilations=dl,
                           pads=pads)
    return _transpose(y, perm=(0, 3, 1, 2)) if nc else y


def depthwise_conv2d(input: Any, filter: Any, strides: Any, padding: Any,  # noqa: A002
                     data_format: str | None = None, dilations: Any = None,
                     name: str | None = None) -> Tensor:
    """Each input channel convolved with its own ``channel_multiplier`` filters
    (``tf.nn.depthwise_conv2d``): ``input`` [N, H, W, C], ``filter`` [kh, kw, C, M], result
    [N, Ho, Wo, C * M] (channel c * M + m). The channels ride as a leading broadcast dimension
    of the conv2d primitives, so the gradients are theirs.

    >>> import tapegrad as tf
    >>> y = tf.nn.depthwise_conv2d(tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 2, 1]), [1, 1, 1, 1],
    ...                            "VALID")
    >>> y.shape, float(y[0, 0, 0, 1])
    (TensorShape([1, 2, 2, 2]), 4.0)
    """
    op = "depthwise_conv2d"
    xv = _float_value(input, op, "input")
    wv = _float_value(filter, op, "filter")
    if xv.ndim != 4 or wv.ndim != 4:
        raise named(ValueError(f"{op}: input must be 4-D [batch, height, width, channels] and "
                               f"filter "
                               f"4-D [height, width, in_channels, channel_multiplier]; got input "
                               f"{list(xv.shape)} and filter {list(wv.shape)}."))
    if xv.dtype != wv.dtype:
        raise named(TypeError(f"{op}: input is {_dt.from_numpy(xv.dtype).name} but filter is "
                              f"{_dt.from_numpy(wv.dtype).name}; they must match."))
    nc = _nchw_in(data_format, op)
    if nc:
        input = _transpose(input, perm=(0, 2, 3, 1))
    n, h, w, c = shape_of(input)
    if c != wv.shape[2]:
        raise ValueError(f"{op}: input depth {c} (input shape {list(xv.shape)}) must equal the "
                         f"filter's in_channels {wv.shape[2]} (filter shape {list(wv.shape)}).")
    st = _hw_ints(strides, "strides", op)
    dl = _hw_ints(1 if dilations is None else dilations, "dilations", op)
    pads = _pads(padding, (h, w), wv.shape[:2], st, dl, op)
    _check_out(op, (h, w), wv.shape[:2], st, dl, pads)
    kh, kw, _, m = wv.shape
    xc = _reshape(_transpose(input, perm=(3, 0, 1, 2)), shape=(c, n, h, w, 1))
    wc = _reshape(_transpose(filter, perm=(2, 0, 1, 3)), shape=(c, kh, kw, 1, m))
    y = _conv2d(xc, wc, strides=st, dilations=dl, pads=pads)  # [C, N, Ho, Wo, M]
    ho, wo = shape_of(y)[2:4]
    y = _reshape(_transpose(y, perm=(1, 2, 3, 0, 4)), shape=(n, ho, wo, c * m))
    return _transpose(y, perm=(0, 3, 1, 2)) if nc else y


def separable_conv2d(input: Any, depthwise_filter: Any, pointwise_filter: Any,  # noqa: A002
                     strides: Any, padding: Any, data_format: str | None = None,
                     dilations: Any = None, name: str | None = None) -> Tensor:
    """A depthwise conv2d followed by a 1x1 conv2d mixing channels
    (``tf.nn.separable_conv2d``): ``pointwise_filter`` is [1, 1, C * M, O].

    >>> import tapegrad as tf
    >>> tf.nn.separable_conv2d(tf.ones([1, 4, 4, 2]), tf.ones([3, 3, 2, 1]),
    ...                        tf.ones([1, 1, 2, 3]), [1, 1, 1, 1], "SAME").shape
    TensorShape([1, 4, 4, 3])
    """
    y = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    return conv2d(y, pointwise_filter, 1, "VALID", data_format=data_format or "NHWC")


def conv1d(input: Any, filters: Any, stride: Any, padding: Any,  # noqa: A002
           data_format: str = "NWC", dilations: Any = None, name: str | None = None) -> Tensor:
    """1-D convolution (``tf.nn.conv1d``): ``input`` [N, W, C], ``filters`` [kw, C, O].

    As TF, a conv2d over a height-1 image.

    >>> import tapegrad as tf
    >>> y = tf.nn.conv1d(tf.ones([1, 5, 1]), tf.ones([3, 1, 1]), stride=2, padding="VALID")
    >>> y[0, :, 0].numpy()
    array([3., 3.], dtype=float32)
    """
    op = "conv1d"
    xs, ws = shape_of(input), shape_of(filters)
    if len(xs) != 3 or len(ws) != 3:
        raise ValueError(f"{op}: input must be 3-D [batch, width, channels] and filters 3-D "
                         f"[width, in_channels, out_channels]; got input {list(xs)} and filters "
                         f"{list(ws)}.")
    nc = _nchw_in(data_format, op)
    s = _hw_ints(stride, "stride", op, n=1)[0]
    d = _hw_ints(1 if dilations is None else dilations, "dilations", op, n=1)[0]
    if nc:
        input = _transpose(input, perm=(0, 2, 1))
        xs = (xs[0], xs[2], xs[1])
    if not isinstance(padding, str):
        raise ValueError(f"{op}: padding must be 'SAME' or 'VALID', got {padding!r}.")
    x4 = _reshape(input, shape=(xs[0], 1) + tuple(xs[1:]))
    w4 = _reshape(filters, shape=(1,) + tuple(ws))
    try:
        y = conv2d(x4, w4, (1, s), padding, dilations=(1, d))
    except ValueError as e:
        raise type(e)(str(e).replace("conv2d", op)) from None
    ys = shape_of(y)
    y = _reshape(y, shape=(ys[0], ys[2], ys[3]))
    return _transpose(y, perm=(0, 2, 1)) if nc else y


# -- pooling --------------------------------------------------------------------------------------
_ONE = (1, 1)


@primitive(name="avg_pool2d")
def _avg_pool(x, *, ksize, strides, pads):
    out_hw = (_out_size(x.shape[-3], ksize[0], strides[0], 1, pads[0]),
              _out_size(x.shape[-2], ksize[1], strides[1], 1, pads[1]))
    s = _windows(_pad_hw(x, pads), ksize, strides, _ONE, out_hw).sum(axis=(-2, -1))
    return (s / _counts(x.shape[-3:-1], ksize, strides, pads, x.dtype)).astype(x.dtype, copy=False)


def _counts(size, ksize, strides, pads, dtype):
    """How many real (unpadded) inputs each window holds: TF's SAME average ignores padding."""
    ones = _pad_hw(np.ones(tuple(size) + (1,), dtype=dtype), pads)
    out_hw = (_out_size(size[0], ksize[0], strides[0], 1, pads[0]),
              _out_size(size[1], ksize[1], strides[1], 1, pads[1]))
    return _windows(ones, ksize, strides, _ONE, out_hw).sum(axis=(-2, -1))  # (Ho, Wo, 1)


@primitive(name="avg_pool2d_grad")
def _avg_pool_grad(g, *, size, ksize, strides, pads):
    """The transpose of avg_pool: each output's g / count spread over its window."""
    ho, wo = g.shape[-3:-1]
    gc = g / _counts(size, ksize, strides, pads, g.dtype)
    hp, wp = size[0] + sum(pads[0]), size[1] + sum(pads[1])
    dxp = np.zeros(g.shape[:-3] + (hp, wp, g.shape[-1]), dtype=g.dtype)
    for _, _, (hs, ws) in _offsets(ksize, strides, _ONE, (ho, wo)):
        dxp[..., hs, ws, :] += gc
    return dxp[..., pads[0][0]:pads[0][0] + size[0], pads[1][0]:pads[1][0] + size[1], :]


_avg_pool.defvjp(lambda g, ans, x, *, ksize, strides, pads: (
    _avg_pool_grad(g, size=_size(x), ksize=ksize, strides=strides, pads=pads),))
_avg_pool.defjvp(lambda t, ans, x, *, ksize, strides, pads: _avg_pool(
    t[0], ksize=ksize, strides=strides, pads=pads))
_avg_pool_grad.defvjp(lambda gg, ans, g, *, size, ksize, strides, pads: (
    _avg_pool(gg, ksize=ksize, strides=strides, pads=pads),))
_avg_pool_grad.defjvp(lambda t, ans, g, *, size, ksize, strides, pads: _avg_pool_grad(
    t[0], size=size, ksize=ksize, strides=strides, pads=pads))


def _pool_geometry(x, ksize, strides, pads):
    """Output size and the (H, W) slices of the padded input each kernel offset reads."""
    out_hw = (_out_size(x.shape[-3], ksize[0], strides[0], 1, pads[0]),
              _out_size(x.shape[-2], ksize[1], strides[1], 1, pads[1]))
    return out_hw, [sl for _, _, sl in _offsets(ksize, strides, _ONE, out_hw)]


@primitive(name="max_pool2d")
def _max_pool(x, *, ksize, strides, pads):
    """(max of each window, which kernel offset holds it): the offsets are kept for the VJP,
    which then needs no second search."""
    xp = _pad_hw(x, pads, value=-np.inf)
    _, slices = _pool_geometry(x, ksize, strides, pads)
    best = xp[(Ellipsis,) + slices[0] + (slice(None),)].copy()
    arg = np.zeros(best.shape, dtype=np.int16 if len(slices) < 2**15 else np.int32)
    for k, sl in enumerate(slices[1:], 1):
        v = xp[(Ellipsis,) + sl + (slice(None),)]
        np.copyto(arg, k, where=v > best)  # strictly greater: ties keep the first, as TF's
        np.maximum(best, v, out=best)
    return best, arg


@primitive(name="max_pool2d_grad")
def _max_pool_grad(g, arg, *, size, ksize, strides, pads):
    """Add each output's g onto its window's argmax (``arg``, from the forward): one strided
    slice per kernel offset (overlapping windows add up)."""
    out_hw = arg.shape[-3:-1]
    hp, wp = size[0] + sum(pads[0]), size[1] + sum(pads[1])
    dxp = np.zeros(g.shape[:-3] + (hp, wp, g.shape[-1]), dtype=g.dtype)
    for k, (_, _, (hs, ws)) in enumerate(_offsets(ksize, strides, _ONE, out_hw)):
        dxp[..., hs, ws, :] += g * (arg == k)
    return dxp[..., pads[0][0]:pads[0][0] + size[0], pads[1][0]:pads[1][0] + size[1], :]


@primitive(name="max_pool2d_select")
def _max_pool_select(gg, arg, *, ksize, strides, pads):
    """gg read at each window's argmax: the transpose of max_pool2d_grad (and max_pool's
    JVP)."""
    ggp = _pad_hw(gg, pads)
    out = np.zeros(ggp.shape[:-3] + arg.shape[-3:], dtype=gg.dtype)
    for k, (_, _, (hs, ws)) in enumerate(_offsets(ksize, strides, _ONE, arg.shape[-3:-1])):
        out += ggp[..., hs, ws, :] * (arg == k)
    return out


# the argmax positions are piecewise constant in x: no gradient flows to x through them
_max_pool.defvjp(lambda g, ans, x, *, ksize, strides, pads: (_max_pool_grad(
    g[0], ans[1], size=_size(x), ksize=ksize, strides=strides, pads=pads),))
_max_pool.defjvp(lambda t, ans, x, *, ksize, strides, pads: (_max_pool_select(
    t[0], ans[1], ksize=ksize, strides=strides, pads=pads), None))
_max_pool_grad.defvjps(lambda gg, ans, g, arg, *, size, ksize, strides, pads: _max_pool_select(
    gg, arg, ksize=ksize, strides=strides, pads=pads), None)
_max_pool_grad.defjvp(lambda t, ans, g, arg, *, size, ksize, strides, pads: None if t[0] is None
                      else _max_pool_grad(t[0], arg, size=size, ksize=ksize, strides=strides,
                                          pads=pads))
_max_pool_select.defvjps(lambda g, ans, gg, arg, *, ksize, strides, pads: _max_pool_grad(
    g, arg, size=_size(gg), ksize=ksize, strides=strides, pads=pads), None)
_max_pool_select.defjvp(lambda t, ans, gg, arg, *, ksize, strides, pads: None if t[0] is None
                        else _max_pool_select(t[0], arg, ksize=ksize, strides=strides,
                                              pads=pads))


def _pool(prim, op: str, input: Any, ksize: Any, strides: Any, padding: Any,  # noqa: A002
          data_format: str) -> Tensor:
    xv = _float_value(input, op, "input")
    if xv.ndim != 4:
        raise ValueError(f"{op}: input must be 4-D [batch, height, width, channels], got shape "
                         f"{list(xv.shape)}.")
    nc = _nchw_in(data_format, op)
    if nc:
        input = _transpose(input, perm=(0, 2, 3, 1))
    xs = shape_of(input)
    ks = _hw_ints(ksize, "ksize", op)
    st = _hw_ints(strides, "strides", op)
    if not isinstance(padding, str):
        raise ValueError(f"{op}: padding must be 'SAME' or 'VALID', got {padding!r}.")
    pads = _pads(padding, xs[1:3], ks, st, _ONE, op)
    _check_out(op, xs[1:3], ks, st, _ONE, pads)
    y = prim(input, ksize=ks, strides=st, pads=pads)
    if type(y) is tuple:  # max_pool2d's second output: the argmax kept for its VJP
        y = y[0]
    return _transpose(y, perm=(0, 3, 1, 2)) if nc else y


def max_pool2d(input: Any, ksize: Any, strides: Any, padding: Any,  # noqa: A002
               data_format: str = "NHWC", name: str | None = None) -> Tensor:
    """Max over each ``ksize`` window (``tf.nn.max_pool2d``); SAME pads with -inf. The gradient
    goes to the first maximum of each window (row-major), as TF's; ties get nothing else.

    >>> import tapegrad as tf
    >>> x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
    >>> tf.nn.max_pool2d(x, ksize=2, strides=2, padding="VALID")[0, :, :, 0].numpy()
    array([[ 5.,  7.],
           [13., 15.]], dtype=float32)
    """
    return _pool(_max_pool, "max_pool2d", input, ksize, strides, padding, data_format)


def avg_pool2d(input: Any, ksize: Any, strides: Any, padding: Any,  # noqa: A002
               data_format: str = "NHWC", name: str | None = None) -> Tensor:
    """Mean over each ``ksize`` window (``tf.nn.avg_pool2d``); with SAME padding the padded
    zeros are not counted (each window divides by its number of real inputs), as TF's.

    >>> import tapegrad as tf
    >>> x = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    >>> tf.nn.avg_pool2d(x, ksize=2, strides=2, padding="SAME")[0, :, :, 0].numpy()
    array([[2. , 3.5],
           [6.5, 8. ]], dtype=float32)
    """
    return _pool(_avg_pool, "avg_pool2d", input, ksize, strides, padding, data_format)


def _pool1d(pool2d, op: str, input: Any, ksize: Any, strides: Any, padding: Any,  # noqa: A002
            data_format: str) -> Tensor:
    xs = shape_of(input)
    if len(xs) != 3:
        raise ValueError(f"{op}: input must be 3-D [batch, width, channels], got shape "
                         f"{list(xs)}.")
    k = _hw_ints(ksize, "ksize", op, n=1)[0]
    s = _hw_ints(strides, "strides", op, n=1)[0]
    nc = _nchw_in(data_format, op)
    if nc:
        input = _transpose(input, perm=(0, 2, 1))
        xs = (xs[0], xs[2], xs[1])
    try:
        y = pool2d(_reshape(input, shape=(xs[0], 1, xs[1], xs[2])), (1, k), (1, s), padding)
    except ValueError as e:
        raise type(e)(str(e).replace(pool2d.__name__, op)) from None
    ys = shape_of(y)
    y = _reshape(y, shape=(ys[0], ys[2], ys[3]))
    return _transpose(y, perm=(0, 2, 1)) if nc else y


def max_pool1d(input: Any, ksize: Any, strides: Any, padding: Any,  # noqa: A002
               data_format: str = "NWC", name: str | None = None) -> Tensor:
    """Max over windows of a [N, W, C] signal (``tf.nn.max_pool1d``): a height-1 max_pool2d.

    >>> import tapegrad as tf
    >>> tf.nn.max_pool1d(tf.reshape(tf.range(5.0), [1, 5, 1]), 2, 2, "SAME")[0, :, 0].numpy()
    array([1., 3., 4.], dtype=float32)
    """
    return _pool1d(max_pool2d, "max_pool1d", input, ksize, strides, padding, data_format)


def avg_pool1d(input: Any, ksize: Any, strides: Any, padding: Any,  # noqa: A002
               data_format: str = "NWC", name: str | None = None) -> Tensor:
    """Mean over windows of a [N, W, C] signal (``tf.nn.avg_pool1d``): a height-1 avg_pool2d.

    >>> import tapegrad as tf
    >>> tf.nn.avg_pool1d(tf.reshape(tf.range(5.0), [1, 5, 1]), 2, 2, "SAME")[0, :, 0].numpy()
    array([0.5, 2.5, 4. ], dtype=float32)
    """
    return _pool1d(avg_pool2d, "avg_pool1d", input, ksize, strides, padding, data_format)


def max_pool(input: Any, ksize: Any, strides: Any, padding: Any,  # noqa: A002
             data_format: str | None = None, name: str | None = None) -> Tensor:
    """``tf.nn.max_pool`` for 3-D (:func:`max_pool1d`) or 4-D (:func:`max_pool2d`) input."""
    if len(shape_of(input)) == 3:
        return max_pool1d(input, ksize, strides, padding, data_format or "NWC")
    return max_pool2d(input, ksize, strides, padding, data_format or "NHWC")


def avg_pool(input: Any, ksize: Any, strides: Any, padding: Any,  # noqa: A002
             data_format: str | None = None, name: str | None = None) -> Tensor:
    """``tf.nn.avg_pool`` for 3-D (:func:`avg_pool1d`) or 4-D (:func:`avg_pool2d`) input."""
    if len(shape_of(input)) == 3:
        return avg_pool1d(input, ksize, strides, padding, data_format or "NWC")
    return avg_pool2d(input, ksize, strides, padding, data_format or "NHWC")
