"""Image geometry (``tf.image``): flips, rot90, transpose, crops and pads.

Every function takes one image ``[height, width, channels]`` or a batch
``[batch, height, width, channels]``, as TF's, and is composed of slicing and padding ops, so
the gradient is the slice's or the pad's.
"""

from __future__ import annotations

from typing import Any

from ..engine import dtypes as _dt
from ..engine.backend import xp as np
from ..engine.convert import convert_to_tensor, static_float
from ..engine.errors import InvalidArgumentError, named
from ..engine.tensor import Tensor, _Base, shape_of
from .array import _getitem, _transpose, pad
from .math import cast

__all__ = ["flip_left_right", "flip_up_down", "rot90", "transpose", "central_crop",
           "crop_to_bounding_box", "pad_to_bounding_box", "resize_with_crop_or_pad"]


def image_tensor(image: Any, op: str, ranks: tuple = (3, 4)) -> Tensor:
    """``image`` as a tensor of rank 3 (one image) or 4 (a batch); a clear error otherwise."""
    x = image if isinstance(image, _Base) else convert_to_tensor(image)
    if len(shape_of(x)) not in ranks:
        want = " or ".join(str(r) for r in ranks)
        raise InvalidArgumentError(
            f"image.{op}: expected an image of rank {want} ([height, width, channels] or "
            f"[batch, height, width, channels]), got shape {list(shape_of(x))}.")
    return x


def static_int(value: Any, what: str, op: str) -> int:
    """A Python int from an int, a NumPy integer or a 0-d tensor (sizes, offsets, ``k``)."""
    v = value.numpy() if isinstance(value, _Base) else value
    if np.iscomplexobj(v) or isinstance(v, (float, np.floating)) and not float(v).is_integer():
        raise named(InvalidArgumentError(f"image.{op}: {what} must be an integer, got "
                                         f"{value!r}."))
    try:
        return int(v)
    except (TypeError, ValueError):
        raise named(InvalidArgumentError(f"image.{op}: {what} must be an integer, got "
                                         f"{value!r}.")) \
            from None


def like(value: Any, dtype: Any) -> Tensor:
    """``value`` as a tensor of ``dtype``: tensors are cast (keeping their gradient), Python and
    NumPy constants become constants of that dtype."""
    if isinstance(value, _Base):
        return cast(value, dtype)
    if value is None:  # np.asarray(None, float32) is NaN: TF refuses None
        raise named(ValueError("Attempt to convert a value (None) with an unsupported type "
                               "(<class 'NoneType'>) to a Tensor."))
    try:
        return convert_to_tensor(np.asarray(value, dtype=_dt.np_dtype(dtype)))
    except (TypeError, ValueError) as e:
        raise named(TypeError(f"expected a number of dtype {_dt.as_dtype(dtype).name}, got "
                              f"{value!r} ({e}).")) from None


def _hw_axes(x) -> tuple[int, int]:
    return (0, 1) if len(shape_of(x)) == 3 else (1, 2)


def _flip(x, axis: int):
    index = [slice(None)] * len(shape_of(x))
    index[axis] = slice(None, None, -1)
    return _getitem(x, index=tuple(index))


def flip_left_right(image: Any) -> Tensor:
    """Mirror the image(s) horizontally (``tf.image.flip_left_right``).

    >>> import tapegrad as tf
    >>> tf.image.flip_left_right([[[1], [2], [3]]]).numpy()[..., 0].tolist()
    [[3, 2, 1]]
    """
    x = image_tensor(image, "flip_left_right")
    return _flip(x, _hw_axes(x)[1])


def flip_up_down(image: Any) -> Tensor:
    """Mirror the image(s) vertically (``tf.image.flip_up_down``).

    >>> import tapegrad as tf
    >>> tf.image.flip_up_down([[[1]], [[2]]]).numpy()[..., 0].tolist()
    [[2], [1]]
    """
    x = image_tensor(image, "flip_up_down")
    return _flip(x, _hw_axes(x)[0])


def _swap_hw(x):
    perm = [1, 0, 2] if len(shape_of(x)) == 3 else [0, 2, 1, 3]
    return _transpose(x, perm=tuple(perm))


def transpose(image: Any, name: str | None = None) -> Tensor:
    """Swap height and width (``tf.image.transpose``).

    >>> import tapegrad as tf
    >>> tf.image.transpose(tf.zeros([2, 5, 3])).shape
    TensorShape([5, 2, 3])
    """
    return _swap_hw(image_tensor(image, "transpose"))


def rot90(image: Any, k: Any = 1, name: str | None = None) -> Tensor:
    """Rotate the image(s) ``k`` quarter turns counter-clockwise (``tf.image.rot90``).

    >>> import tapegrad as tf
    >>> tf.image.rot90([[[1], [2]], [[3], [4]]]).numpy()[..., 0].tolist()
    [[2, 4], [1, 3]]
    """
    x = image_tensor(image, "rot90")
    k = static_int(k, "k", "rot90") % 4
    h, w = _hw_axes(x)
    if k == 1:
        return _swap_hw(_flip(x, w))
    if k == 2:
        return _flip(_flip(x, h), w)
    if k == 3:
        return _flip(_swap_hw(x), w)
    return x


def _crop(x, top: int, left: int, height: int, width: int):
    index = [slice(None)] * len(shape_of(x))
    h, w = _hw_axes(x)
    index[h], index[w] = slice(top, top + height), slice(left, left + width)
    return _getitem(x, index=tuple(index))


def central_crop(image: Any, central_fraction: float) -> Tensor:
    """The central ``central_fraction`` of each side (``tf.image.central_crop``).

    >>> import tapegrad as tf
    >>> tf.image.central_crop(tf.zeros([8, 6, 3]), 0.5).shape
    TensorShape([4, 4, 3])
    """
    x = image_tensor(image, "central_crop")
    f = static_float(central_fraction, "central_fraction", "image.central_crop")
    if not 0.0 < f <= 1.0:
        raise ValueError(f"image.central_crop: central_fraction must be within (0, 1], got {f}.")
    if f == 1.0:
        return x
    h, w = (shape_of(x)[a] for a in _hw_axes(x))
    top, left = int((h - h * f) / 2), int((w - w * f) / 2)  # TF truncates in float64
    return _crop(x, top, left, h - 2 * top, w - 2 * left)


def _box_args(op: str, *values: Any) -> list[int]:
    names = ("offset_height", "offset_width", "target_height", "target_width")
    return [static_int(v, n, op) for v, n in zip(values, names)]


def crop_to_bounding_box(image: Any, offset_height: Any, offset_width: Any, target_height: Any,
                         target_width: Any) -> Tensor:
    """The ``target_height x target_width`` window whose top-left corner is at
    (``offset_height``, ``offset_width``) (``tf.image.crop_to_bounding_box``).

    >>> import tapegrad as tf
    >>> tf.image.crop_to_bounding_box(tf.zeros([5, 5, 1]), 1, 2, 3, 3).shape
    TensorShape([3, 3, 1])
    """
    x = image_tensor(image, "crop_to_bounding_box")
    top, left, th, tw = _box_args("crop_to_bounding_box", offset_height, offset_width,
                                  target_height, target_width)
    h, w = (shape_of(x)[a] for a in _hw_axes(x))
    for ok, why in [(top >= 0, "offset_height must be >= 0"),
                    (left >= 0, "offset_width must be >= 0"),
                    (th > 0, "target_height must be > 0"), (tw > 0, "target_width must be > 0"),
                    (w >= tw + left, "width must be >= target + offset"),
                    (h >= th + top, "height must be >= target + offset")]:
        if not ok:
            raise InvalidArgumentError(
                f"image.crop_to_bounding_box: {why} (image {h}x{w}, offset ({top}, {left}), "
                f"target {th}x{tw}).")
    return _crop(x, top, left, th, tw)


def pad_to_bounding_box(image: Any, offset_height: Any, offset_width: Any, target_height: Any,
                        target_width: Any) -> Tensor:
    """Zero-pad the image(s) to ``target_height x target_width``, the image's top-left corner at
    (``offset_height``, ``offset_width``) (``tf.image.pad_to_bounding_box``).

    >>> import tapegrad as tf
    >>> tf.image.pad_to_bounding_box(tf.ones([1, 1, 1]), 1, 0, 2, 2).numpy()[..., 0].tolist()
    [[0.0, 0.0], [1.0, 0.0]]
    """
    x = image_tensor(image, "pad_to_bounding_box")
    top, left, th, tw = _box_args("pad_to_bounding_box", offset_height, offset_width,
                                  target_height, target_width)
    h, w = (shape_of(x)[a] for a in _hw_axes(x))
    bottom, right = th - top - h, tw - left - w
    for ok, why in [(top >= 0, "offset_height must be >= 0"),
                    (left >= 0, "offset_width must be >= 0"),
                    (bottom >= 0, "height must be <= target - offset"),
                    (right >= 0, "width must be <= target - offset")]:
        if not ok:
            raise InvalidArgumentError(
                f"image.pad_to_bounding_box: {why} (image {h}x{w}, offset ({top}, {left}), "
                f"target {th}x{tw}).")
    paddings = [[top, bottom], [left, right], [0, 0]]
    if len(shape_of(x)) == 4:
        paddings = [[0, 0]] + paddings
    return pad(x, paddings)


def resize_with_crop_or_pad(image: Any, target_height: Any, target_width: Any) -> Tensor:
    """Centre-crop and/or zero-pad to ``target_height x target_width``
    (``tf.image.resize_with_crop_or_pad``).

    >>> import tapegrad as tf
    >>> tf.image.resize_with_crop_or_pad(tf.ones([4, 2, 1]), 2, 4).numpy()[..., 0].tolist()
    [[0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0]]
    """
    x = image_tensor(image, "resize_with_crop_or_pad")
    th = static_int(target_height, "target_height", "resize_with_crop_or_pad")
    tw = static_int(target_width, "target_width", "resize_with_crop_or_pad")
    if th <= 0 or tw <= 0:
        raise InvalidArgumentError(f"image.resize_with_crop_or_pad: target size must be "
                                   f"positive, got {th}x{tw}.")
    h, w = (shape_of(x)[a] for a in _hw_axes(x))
    dh, dw = th - h, tw - w
    cropped = _crop(x, max(-dh // 2, 0), max(-dw // 2, 0), min(th, h), min(tw, w))
    return pad_to_bounding_box(cropped, max(dh // 2, 0), max(dw // 2, 0), th, tw)
