"""Image resizing (``tf.image.resize`` and friends), as TF 2.21 computes it.

Every method TF offers is separable and linear in the pixels, so a resize is two small matrix
products: ``out = Wh @ image @ Ww.T`` per channel, with ``Wh``/``Ww`` built here in NumPy from
TF's kernel formulas (half-pixel centres for bilinear, bicubic and nearest; the scale-and-
translate kernels, with or without antialiasing, for lanczos, gaussian, mitchellcubic and the
antialiased bilinear/bicubic; box overlaps for area). The gradient is the einsum's: exact, and
of every order.
"""

from __future__ import annotations

import math as _m
from typing import Any

from ..engine import dtypes as _dt
from ..engine.backend import xp as np
from ..engine.convert import static_ints
from ..engine.errors import InvalidArgumentError, named
from ..engine.tensor import Tensor, shape_of
from .array import expand_dims, squeeze
from .einsum import einsum
from .image_geometry import image_tensor, like, pad_to_bounding_box, static_int
from .indexing import gather
from .math import cast

__all__ = ["ResizeMethod", "resize", "resize_with_pad"]


class ResizeMethod:
    """The names ``tf.image.resize`` accepts for ``method`` (``tf.image.ResizeMethod``).

    >>> import tapegrad as tf
    >>> tf.image.ResizeMethod.BILINEAR
    'bilinear'
    """

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


_METHODS = {v for k, v in vars(ResizeMethod).items() if k.isupper()}


# -- 1-D kernels of TF's scale_and_translate (sampling_kernels.h): (function, radius) -------------
def _lanczos(r: float):
    def k(x):
        x = np.abs(x)
        px = np.pi * np.where(x < 1e-6, 1.0, x)
        val = r * np.sin(px) * np.sin(px / r) / (px * px)
        return np.where(x > r, 0.0, np.where(x < 1e-6, 1.0, val))
    return k, r


def _keys_cubic(x, a=-0.5):
    x = np.abs(x)
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    return np.where(x >= 2, 0.0, np.where(x >= 1, far, near))


def _mitchell(x):
    x = np.abs(x)
    far = (((-7.0 / 18.0) * x + 2.0) * x - 10.0 / 3.0) * x + 16.0 / 9.0
    near = (((7.0 / 6.0) * x - 2.0) * x) * x + 8.0 / 9.0
    return np.where(x >= 2, 0.0, np.where(x >= 1, far, near))


_KERNELS = {
    "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0),
    # σ = 0.5; TF's span reaches 3σ while the kernel itself is cut only at floor(3σ) + 1
    "gaussian": (lambda x: np.where(np.abs(x) >= 2.0, 0.0, np.exp(-2.0 * x * x)), 1.5),
    "mitchellcubic": (_mitchell, 2.0), "keyscubic": (_keys_cubic, 2.0),
    "triangle": (lambda x: np.maximum(0.0, 1.0 - np.abs(x)), 1.0),
}


def _scale_translate_weights(n_in: int, n_out: int, kernel: str, antialias: bool):
    """``[n_out, n_in]`` weights of TF's ScaleAndTranslate (translation 0): each output samples
    at ``(x + 0.5) * n_in / n_out``, widening the kernel by the downscale when antialiasing."""
    fn, radius = _KERNELS[kernel]
    f32 = np.float32  # span ends are computed in float32 as TF's kernel does: ties decide taps
    inv_scale = f32(1.0) / (f32(n_out) / f32(n_in))
    kscale = max(inv_scale, f32(1.0)) if antialias else f32(1.0)
    reach = f32(radius) * kscale
    w = np.zeros((n_out, n_in))
    for x in range(n_out):
        sample = f32(x + 0.5) * inv_scale
        lo = min(max(_m.ceil(sample - reach - f32(0.5)), 0), n_in - 1)
        hi = min(max(_m.floor(sample + reach - f32(0.5)), 0), n_in - 1) + 1
        src = np.arange(lo, hi)
        vals = fn(np.abs((src + 0.5 - float(sample)) / float(kscale)))
        total = vals.sum()
        if abs(total) >= 1000.0 * np.finfo(np.float32).tiny:
            w[x, lo:hi] = vals / total
    return w


def _bilinear_weights(n_in: int, n_out: int):
    """Half-pixel-centre bilinear (TF's ResizeBilinear): source ``(x + 0.5) * scale - 0.5``."""
    src = (np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5
    lo_f = np.floor(src)
    lo = np.maximum(lo_f, 0).astype(np.int64)
    hi = np.minimum(np.ceil(src), n_in - 1).astype(np.int64)
    frac = src - lo_f
    w = np.zeros((n_out, n_in))
    np.add.at(w, (np.arange(n_out), lo), 1 - frac)
    np.add.at(w, (np.arange(n_out), hi), frac)
    return w


def _bicubic_weights(n_in: int, n_out: int):
    """Half-pixel-centre Keys cubic (a = -0.5) of TF's ResizeBicubic: taps that fall outside
    the image get weight 0 and the rest are renormalised; the fractional offset is rounded to
    1/1024 as TF's coefficient table does."""
    src = (np.arange(n_out) + 0.5) * np.float32(n_in / n_out) - 0.5
    base = np.floor(src)
    delta = np.round((src - base) * 1024) / 1024  # TF reads the kernel from a 1024-step table
    w = np.zeros((n_out, n_in))
    for off in (-1, 0, 1, 2):
        idx = base + off
        vals = _keys_cubic(delta - off)
        inside = (idx >= 0) & (idx <= n_in - 1)
        rows = np.arange(n_out)[inside]
        np.add.at(w, (rows, idx[inside].astype(np.int64)), vals[inside])
    return w / w.sum(axis=1, keepdims=True)


def _area_weights(n_in: int, n_out: int):
    """TF's ResizeArea: each output averages the input cells its box ``[x, x + 1) * scale``
    covers, weighted by the covered length."""
    scale = n_in / n_out
    w = np.zeros((n_out, n_in))
    for x in range(n_out):
        a, b = x * scale, (x + 1) * scale
        for i in range(int(np.floor(a)), int(np.ceil(b))):
            cover = min(i + 1, b) - max(i, a)
            w[x, min(max(i, 0), n_in - 1)] += cover
    return w / scale


def _weights(n_in: int, n_out: int, method: str, antialias: bool):
    if method == "bilinear":
        return (_scale_translate_weights(n_in, n_out, "triangle", True) if antialias
                else _bilinear_weights(n_in, n_out))
    if method == "bicubic":
        return (_scale_translate_weights(n_in, n_out, "keyscubic", True) if antialias
                else _bicubic_weights(n_in, n_out))
    if method == "area":
        return _area_weights(n_in, n_out)
    return _scale_translate_weights(n_in, n_out, method, antialias)


def _nearest_index(n_in: int, n_out: int):
    """Half-pixel nearest neighbour (TF's ResizeNearestNeighbor): ``floor((x + 0.5) * scale)``."""
    idx = np.floor((np.arange(n_out) + 0.5) * np.float32(n_in / n_out))
    return np.clip(idx, 0, n_in - 1).astype(np.int32)


def _size_arg(size: Any, op: str) -> tuple[int, int]:
    vals = static_ints(size, "size", f"image.{op}")
    if len(vals) != 2:
        raise InvalidArgumentError(f"image.{op}: size must be [new_height, new_width], got "
                                   f"{vals}.")
    h, w = (static_int(v, "size", op) for v in vals)
    if h <= 0 or w <= 0:
        raise named(InvalidArgumentError(f"image.{op}: size must be positive, got {[h, w]}."))
    return h, w


def _aspect_size(h: int, w: int, th: int, tw: int) -> tuple[int, int]:
    """TF's ``preserve_aspect_ratio``: the largest size within ``th x tw`` (float32 maths)."""
    f32 = np.float32
    scale = min(f32(th) / f32(h), f32(tw) / f32(w))
    return int(np.round(scale * f32(h))), int(np.round(scale * f32(w)))


def _resize4(x, h_out: int, w_out: int, method: str, antialias: bool):
    """Resize a 4-D batch; nearest keeps the dtype, the rest compute in float (see docs)."""
    _, h, w, _ = shape_of(x)
    if method == "nearest":
        x = gather(x, _nearest_index(h, h_out), axis=1)
        return gather(x, _nearest_index(w, w_out), axis=2)
    if x.dtype != _dt.float64:
        x = cast(x, _dt.float32)
    wh = like(_weights(h, h_out, method, antialias), x.dtype)
    ww = like(_weights(w, w_out, method, antialias), x.dtype)
    return einsum("pw,bowc->bopc", ww, einsum("oh,bhwc->bowc", wh, x))


def resize(images: Any, size: Any, method: str = ResizeMethod.BILINEAR,
           preserve_aspect_ratio: bool = False, antialias: bool = False,
           name: str | None = None) -> Tensor:
    """Resize image(s) to ``size = [new_height, new_width]`` (``tf.image.resize``).

    ``method`` is one of :class:`ResizeMethod`; ``antialias=True`` widens the kernel when
    downsampling (not for nearest or area, as TF). The result is float32 (float64 stays
    float64), except that nearest keeps the input's dtype. Differentiable w.r.t. ``images``.

    >>> import tapegrad as tf
    >>> tf.image.resize([[[1.0], [3.0]]], [1, 4]).numpy().ravel().tolist()
    [1.0, 1.5, 2.5, 3.0]
    """
    x = image_tensor(images, "resize")
    method = str(method).lower()
    if method not in _METHODS:
        raise InvalidArgumentError(f"image.resize: unknown method {method!r}; use one of "
                                   f"{sorted(_METHODS)} (tf.image.ResizeMethod).")
    th, tw = _size_arg(size, "resize")
    single = len(shape_of(x)) == 3
    x4 = expand_dims(x, 0) if single else x
    h, w = shape_of(x4)[1:3]
    if h == 0 or w == 0:
        raise InvalidArgumentError(f"image.resize: the image is empty (shape "
                                   f"{list(shape_of(x))}).")
    if preserve_aspect_ratio:
        th, tw = _aspect_size(h, w, th, tw)
    out = _resize4(x4, th, tw, method, bool(antialias))
    return squeeze(out, 0) if single else out


def resize_with_pad(image: Any, target_height: Any, target_width: Any,
                    method: str = ResizeMethod.BILINEAR, antialias: bool = False) -> Tensor:
    """Resize keeping the aspect ratio, then zero-pad to ``target_height x target_width``
    (``tf.image.resize_with_pad``).

    >>> import tapegrad as tf
    >>> tf.image.resize_with_pad(tf.ones([2, 4, 1]), 4, 4).numpy()[..., 0].tolist()[0]
    [0.0, 0.0, 0.0, 0.0]
    """
    x = image_tensor(image, "resize_with_pad")
    th = static_int(target_height, "target_height", "resize_with_pad")
    tw = static_int(target_width, "target_width", "resize_with_pad")
    if th <= 0 or tw <= 0:
        raise InvalidArgumentError(f"image.resize_with_pad: target size must be positive, "
                                   f"got {th}x{tw}.")
    h, w = shape_of(x)[-3:-1]
    f32 = np.float32
    ratio = max(f32(w) / f32(tw), f32(h) / f32(th))
    rh, rw = f32(h) / ratio, f32(w) / f32(ratio)
    top = max(0, int(np.floor((f32(th) - rh) / f32(2))))
    left = max(0, int(np.floor((f32(tw) - rw) / f32(2))))
    resized = resize(x, [int(np.floor(rh)), int(np.floor(rw))], method, antialias=antialias)
    return pad_to_bounding_box(resized, top, left, th, tw)
