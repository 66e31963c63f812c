"""Image colour (``tf.image``): dtype conversion, colour spaces and colour adjustments.

Integer images hold intensities in ``[0, dtype.max]``, float images in ``[0, 1]``, as TF's
``convert_image_dtype`` defines. Adjustments work on float images and return the input's dtype
(integer results saturate), as TF's; all are composed of differentiable ops.
"""

from __future__ import annotations

from typing import Any

from ..engine import dtypes as _dt
from ..engine.backend import xp as np
from ..engine.convert import convert_to_tensor, static_float
from ..engine.errors import InvalidArgumentError, named
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .array import concat, expand_dims, stack, unstack
from .einsum import tensordot
from .image_geometry import like
from .indexing import where
from .math import (add, cast, floordiv, floormod, greater, maximum, minimum, multiply,
                   pow, rsqrt, subtract, truediv)
from .norms import clip_by_value
from .reduce import reduce_max, reduce_mean, reduce_min, reduce_std

__all__ = ["convert_image_dtype", "rgb_to_grayscale", "grayscale_to_rgb", "rgb_to_hsv",
           "hsv_to_rgb", "rgb_to_yiq", "yiq_to_rgb", "rgb_to_yuv", "yuv_to_rgb",
           "adjust_brightness", "adjust_contrast", "adjust_gamma", "adjust_saturation",
           "adjust_hue", "per_image_standardization"]


def _tensor(x: Any) -> Tensor:
    return x if isinstance(x, _Base) else convert_to_tensor(x)


def _saturate_cast(x, dtype: _dt.DType):
    """Clamp to ``dtype``'s range, then cast (TF's ``saturate_cast``)."""
    if dtype.is_integer:
        lo, hi = dtype.min, dtype.max
        src = x.dtype
        if src.is_integer:
            lo, hi = max(lo, src.min), min(hi, src.max)
        else:
            lo, hi = max(float(lo), float(src.min)), min(float(hi), float(src.max))
        x = clip_by_value(x, like(lo, src), like(hi, src))
    return cast(x, dtype)


def convert_image_dtype(image: Any, dtype: Any, saturate: bool = False,
                        name: str | None = None) -> Tensor:
    """Convert an image to ``dtype``, rescaling intensities (``tf.image.convert_image_dtype``).

    Floats map ``[0, 1]`` onto ``[0, dtype.max]`` of an integer type; between integer types the
    value is scaled by the ratio of the maxima; ``saturate=True`` clamps before casting, as TF.

    >>> import tapegrad as tf
    >>> tf.image.convert_image_dtype(tf.constant([0.0, 0.5, 1.0]), tf.uint8).numpy().tolist()
    [0, 127, 255]
    """
    x = _tensor(image)
    out, src = _dt.as_dtype(dtype), x.dtype
    for d, what in ((out, "dtype"), (src, "image dtype")):
        if not (d.is_floating or d.is_integer):
            raise named(AttributeError(f"image.convert_image_dtype: {what} must be either "
                                       f"floating point or integer, got {d.name}."),
                        keep_class=True)  # TF's class
    if out == src:
        return x
    if src.is_integer and out.is_integer:
        if src.max > out.max:  # scale down first: in.max lands in [out.max, out.max + 1)
            scaled = floordiv(x, like((int(src.max) + 1) // (int(out.max) + 1), src))
            return _saturate_cast(scaled, out) if saturate else cast(scaled, out)
        y = _saturate_cast(x, out) if saturate else cast(x, out)
        return multiply(y, like((int(out.max) + 1) // (int(src.max) + 1), out))
    if src.is_floating and out.is_floating:
        return cast(x, out)
    if src.is_integer:
        return multiply(like(x, out), like(1.0 / float(src.max), out))
    scaled = multiply(x, like(float(out.max) + 0.5, src))  # + 0.5: the cast truncates
    return _saturate_cast(scaled, out) if saturate else cast(scaled, out)


def float_image(image: Any) -> tuple[Tensor, _dt.DType]:
    """(the image as floats, its dtype): float images as they are, integer ones in float32."""
    x = _tensor(image)
    if x.dtype.is_floating:
        return x, x.dtype
    return convert_image_dtype(x, _dt.float32), x.dtype


def _channels(x, n: int, op: str) -> None:
    shape = shape_of(x)
    if not shape or shape[-1] != n:
        raise named(InvalidArgumentError(f"image.{op}: the last dimension must be {n} (channels), "
                                         f"got shape {list(shape)}."))


def rgb_to_grayscale(images: Any, name: str | None = None) -> Tensor:
    """Luma ``0.2989 R + 0.587 G + 0.114 B`` in a last axis of size 1
    (``tf.image.rgb_to_grayscale``).

    >>> import tapegrad as tf
    >>> round(float(tf.image.rgb_to_grayscale([[[1.0, 0.0, 0.0]]])[0, 0, 0]), 4)
    0.2989
    """
    x, orig = float_image(images)
    _channels(x, 3, "rgb_to_grayscale")
    gray = tensordot(x, like([0.2989, 0.5870, 0.1140], x.dtype), [[-1], [-1]])
    return convert_image_dtype(expand_dims(gray, -1), orig)


def grayscale_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """Repeat a single channel three times (``tf.image.grayscale_to_rgb``).

    >>> import tapegrad as tf
    >>> tf.image.grayscale_to_rgb(tf.zeros([2, 2, 1])).shape
    TensorShape([2, 2, 3])
    """
    x = _tensor(images)
    _channels(x, 1, "grayscale_to_rgb")
    return concat([x, x, x], -1)


def _float_only(images: Any, op: str) -> Tensor:
    x = _tensor(images)
    if not x.dtype.is_floating:
        raise InvalidArgumentError(f"image.{op}: images must be float16, float32 or float64, "
                                   f"got {x.dtype.name}; use convert_image_dtype first.")
    return x


def _hsv(x):
    """(h, s, v) of float RGB ``x``, each without the channel axis (TF's kernel's formulas)."""
    r, g, b = unstack(x, axis=-1)
    v = reduce_max(x, -1)
    rng = subtract(v, reduce_min(x, -1))
    pos = greater(rng, 0)
    safe = where(pos, rng, 1)  # 0/0 never runs: the where picks 0 there
    s = where(greater(v, 0), truediv(rng, where(greater(v, 0), v, 1)), 0)
    h = where(r == v, (g - b) / (6 * safe),
              where(g == v, (b - r) / (6 * safe) + 2 / 6, (r - g) / (6 * safe) + 4 / 6))
    h = where(pos, h, 0)
    return where(h < 0, h + 1, h), s, v


def rgb_to_hsv(images: Any, name: str | None = None) -> Tensor:
    """RGB to hue, saturation, value, each in ``[0, 1]`` (``tf.image.rgb_to_hsv``).

    >>> import tapegrad as tf
    >>> print(tf.image.rgb_to_hsv([[[0.0, 1.0, 0.0]]]).numpy().round(4))
    [[[0.3333 1.     1.    ]]]
    """
    x = _float_only(images, "rgb_to_hsv")
    _channels(x, 3, "rgb_to_hsv")
    return stack(list(_hsv(x)), -1)


def _rgb(h, s, v):
    """RGB from h, s, v without the channel axis: ``v - c * clamp(min(k, 4 - k), 0, 1)`` with
    ``k = (n + 6h) mod 6`` for n = 5, 3, 1 — the closed form of TF's six-sector switch."""
    c = s * v
    out = []
    for n in (5.0, 3.0, 1.0):
        k = floormod(n + 6 * h, 6.0)
        out.append(v - c * clip_by_value(minimum(k, 4 - k), 0.0, 1.0))
    return stack(out, -1)


def hsv_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """Hue, saturation, value to RGB (``tf.image.hsv_to_rgb``).

    >>> import tapegrad as tf
    >>> tf.image.hsv_to_rgb([[[0.0, 1.0, 1.0]]]).numpy().tolist()
    [[[1.0, 0.0, 0.0]]]
    """
    x = _float_only(images, "hsv_to_rgb")
    _channels(x, 3, "hsv_to_rgb")
    h, s, v = unstack(x, axis=-1)
    return _rgb(h, s, v)


_RGB_TO_YIQ = [[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617],
               [0.114, -0.32134392, 0.31119955]]
_YIQ_TO_RGB = [[1, 1, 1], [0.95598634, -0.27201283, -1.10674021],
               [0.6208248, -0.64720424, 1.70423049]]
_RGB_TO_YUV = [[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512],
               [0.114, 0.43601035, -0.10001026]]
_YUV_TO_RGB = [[1, 1, 1], [0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0]]


def _linear_colour(images: Any, kernel: list, op: str) -> Tensor:
    x = _float_only(images, op)
    _channels(x, 3, op)
    return tensordot(x, like(kernel, x.dtype), [[-1], [0]])


def rgb_to_yiq(images: Any) -> Tensor:
    """RGB to YIQ, TF's matrix (``tf.image.rgb_to_yiq``).

    >>> import tapegrad as tf
    >>> print(abs(tf.image.rgb_to_yiq([[1.0, 1.0, 1.0]]).numpy()).round(4))
    [[1. 0. 0.]]
    """
    return _linear_colour(images, _RGB_TO_YIQ, "rgb_to_yiq")


def yiq_to_rgb(images: Any) -> Tensor:
    """YIQ to RGB, TF's matrix (``tf.image.yiq_to_rgb``).

    >>> import tapegrad as tf
    >>> tf.image.yiq_to_rgb([[1.0, 0.0, 0.0]]).numpy().tolist()
    [[1.0, 1.0, 1.0]]
    """
    return _linear_colour(images, _YIQ_TO_RGB, "yiq_to_rgb")


def rgb_to_yuv(images: Any) -> Tensor:
    """RGB to YUV, TF's matrix (``tf.image.rgb_to_yuv``).

    >>> import tapegrad as tf
    >>> print(abs(tf.image.rgb_to_yuv([[1.0, 1.0, 1.0]]).numpy()).round(4))
    [[1. 0. 0.]]
    """
    return _linear_colour(images, _RGB_TO_YUV, "rgb_to_yuv")


def yuv_to_rgb(images: Any) -> Tensor:
    """YUV to RGB, TF's matrix (``tf.image.yuv_to_rgb``).

    >>> import tapegrad as tf
    >>> tf.image.yuv_to_rgb([[1.0, 0.0, 0.0]]).numpy().tolist()
    [[1.0, 1.0, 1.0]]
    """
    return _linear_colour(images, _YUV_TO_RGB, "yuv_to_rgb")


def adjust_brightness(image: Any, delta: Any) -> Tensor:
    """Add ``delta`` to every intensity (``tf.image.adjust_brightness``); integer images are
    converted to float, shifted and saturated back.

    >>> import tapegrad as tf
    >>> print(tf.image.adjust_brightness([[[0.5, 0.25, 0.0]]], 0.25).numpy())
    [[[0.75 0.5  0.25]]]
    """
    x, orig = float_image(image)
    return convert_image_dtype(add(x, like(delta, x.dtype)), orig, saturate=True)


def adjust_contrast(images: Any, contrast_factor: Any) -> Tensor:
    """``(x - mean) * contrast_factor + mean``, the mean taken per image and channel over height
    and width (``tf.image.adjust_contrast``).

    >>> import tapegrad as tf
    >>> print(tf.image.adjust_contrast([[[0.25]], [[0.75]]], 2.0).numpy().ravel())
    [0. 1.]
    """
    x, orig = float_image(images)
    if len(shape_of(x)) < 3:
        raise named(InvalidArgumentError(f"image.adjust_contrast: images must have rank >= 3, got "
                                         f"shape {list(shape_of(x))}."))
    mean = reduce_mean(x, axis=[-3, -2], keepdims=True)
    out = (x - mean) * like(contrast_factor, x.dtype) + mean
    return convert_image_dtype(out, orig, saturate=True)


def adjust_gamma(image: Any, gamma: Any = 1, gain: Any = 1) -> Tensor:
    """``gain * image ** gamma`` (``tf.image.adjust_gamma``).

    >>> import tapegrad as tf
    >>> tf.image.adjust_gamma([0.25, 1.0], 2.0).numpy().tolist()
    [0.0625, 1.0]
    """
    x, orig = float_image(image)
    g = np.asarray(convert_raw(gamma))
    if g.dtype.kind not in "iuf":
        raise TypeError(f"image.adjust_gamma: gamma must be a real number, got {gamma!r:.40}.")
    if (g < 0).any():
        raise InvalidArgumentError(
            f"image.adjust_gamma: Gamma should be a non-negative real number, got {g}.")
    out = multiply(like(gain, x.dtype), pow(x, like(gamma, x.dtype)))
    return convert_image_dtype(out, orig, saturate=True)


def adjust_saturation(image: Any, saturation_factor: Any, name: str | None = None) -> Tensor:
    """Scale the HSV saturation by ``saturation_factor``, clamped to ``[0, 1]``
    (``tf.image.adjust_saturation``).

    >>> import tapegrad as tf
    >>> tf.image.adjust_saturation([[[1.0, 0.5, 0.5]]], 0.0).numpy().tolist()
    [[[1.0, 1.0, 1.0]]]
    """
    x, orig = float_image(image)
    _channels(x, 3, "adjust_saturation")
    h, s, v = _hsv(x)
    s = clip_by_value(s * like(saturation_factor, x.dtype), 0.0, 1.0)
    return convert_image_dtype(_rgb(h, s, v), orig, saturate=True)


def adjust_hue(image: Any, delta: Any, name: str | None = None) -> Tensor:
    """Rotate the HSV hue by ``delta`` (in ``[-1, 1]``, wrapping) (``tf.image.adjust_hue``).

    >>> import tapegrad as tf
    >>> print(abs(tf.image.adjust_hue([[[1.0, 0.0, 0.0]]], 1 / 3).numpy()).round(4))
    [[[0. 1. 0.]]]
    """
    x, orig = float_image(image)
    _channels(x, 3, "adjust_hue")
    if not isinstance(delta, _Base) and not -1.0 <= static_float(delta, "delta",
                                                                "image.adjust_hue") <= 1.0:
        raise InvalidArgumentError(f"image.adjust_hue: delta must be in [-1, 1], got {delta}.")
    h, s, v = _hsv(x)
    return convert_image_dtype(_rgb(floormod(h + like(delta, x.dtype), 1.0), s, v), orig,
                               saturate=True)


def per_image_standardization(image: Any) -> Tensor:
    """``(x - mean) / max(stddev, 1 / sqrt(N))`` over each image's N values
    (``tf.image.per_image_standardization``); float32 out, float64 stays float64.

    >>> import tapegrad as tf
    >>> tf.image.per_image_standardization([[[0.0]], [[2.0]]]).numpy().ravel().tolist()
    [-1.0, 1.0]
    """
    x = _tensor(image)
    if len(shape_of(x)) < 3:
        raise InvalidArgumentError(f"image.per_image_standardization: the image must have rank "
                                   f">= 3, got shape {list(shape_of(x))}.")
    if x.dtype != _dt.float64:
        x = cast(x, _dt.float32)
    n = int(np.prod(shape_of(x)[-3:]))
    mean = reduce_mean(x, axis=[-1, -2, -3], keepdims=True)
    std = reduce_std(x, axis=[-1, -2, -3], keepdims=True)
    return (x - mean) / maximum(std, rsqrt(like(float(n), x.dtype)))
