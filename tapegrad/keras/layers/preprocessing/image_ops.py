"""Image sampling for the preprocessing layers, written with tapegrad ops (so the layers are
differentiable in their inputs): resizing (``tf.image.resize``), center crops to an aspect
ratio, and the projective transform behind the random rotation, zoom and translation (TF's
``ImageProjectiveTransformV3``: fill modes reflect, wrap, nearest and constant)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....engine.convert import convert_to_tensor
from ....ops import array as _a
from ....ops import image_resize as _image
from ....ops import indexing as _ix
from ....ops import math as _m

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("bilinear", "nearest")
RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")


def check_choice(value: str, choices: tuple, who: str, what: str) -> str:
    if value not in choices:
        raise ValueError(f"{who}: {what} must be one of {list(choices)}, got {value!r}.")
    return value


def resize(images: Any, height: int, width: int, interpolation: str = "bilinear",
           antialias: bool = False) -> Any:
    """``(batch, h, w, c)`` resized to ``(batch, height, width, c)`` by ``tf.image.resize``
    (half-pixel centers), as Keras 3's TensorFlow backend does."""
    return _m.cast(_image.resize(images, [height, width], method=interpolation,
                                 antialias=antialias), images.dtype)


def crop_box(height: int, width: int, target_h: int, target_w: int) -> tuple:
    """The centered box of the target's aspect ratio (Keras's ``crop_to_aspect_ratio``)."""
    crop_h = max(min(height, int(float(width * target_h) / target_w)), 1)
    crop_w = max(min(width, int(float(height * target_w) / target_h)), 1)
    top, left = int(float(height - crop_h) / 2), int(float(width - crop_w) / 2)
    return top, left, crop_h, crop_w


def pad_to_aspect(images: Any, target_h: int, target_w: int, fill_value: float) -> Any:
    """``(batch, h, w, c)`` padded with ``fill_value`` equally on both sides of the one axis
    that is short of the target's aspect ratio (Keras's ``pad_to_aspect_ratio``, with its
    float32 arithmetic)."""
    b, h, w, c = images.shape
    f32 = np.float32
    pad_h = max(h, int(f32(w * target_h) / f32(target_w)))
    pad_w = max(w, int(f32(h * target_w) / f32(target_h)))
    top, left = int(f32(pad_h - h) / 2), int(f32(pad_w - w) / 2)
    dtype = np.dtype(images.dtype.name)
    if top > 0:
        fill = convert_to_tensor(np.full((b, top, w, c), fill_value, dtype))
        images = _a.concat([fill, images, fill], axis=1)
    if left > 0:
        fill = convert_to_tensor(np.full((b, images.shape[1], left, c), fill_value, dtype))
        images = _a.concat([fill, images, fill], axis=2)
    return images


def _map(coord: np.ndarray, n: int, mode: str) -> np.ndarray:
    """TF's ``map_coordinate``: where a coordinate outside [0, n - 1] reads from."""
    if mode == "constant" or n <= 1:
        return coord if mode == "constant" else np.zeros_like(coord)
    if mode == "nearest":
        return np.clip(coord, 0, n - 1)
    if mode == "wrap":  # TF's arithmetic, including its clamp of what lands in (n - 1, n)
        size = n - 1
        c = np.where(coord < 0, coord + n * (np.trunc(-coord / size) + 1), coord)
        c = np.where(c > n - 1, c - n * np.trunc(c / size), c)
        return np.clip(c, 0, n - 1)
    size2 = 2 * n  # reflect: d c b a | a b c d | d c b a
    c = np.mod(coord, size2)
    c = np.where(c >= n, size2 - c - 1, c)
    return np.clip(c, 0, n - 1)


def affine_transform(images: Any, transforms: np.ndarray, interpolation: str = "bilinear",
                     fill_mode: str = "reflect", fill_value: float = 0.0) -> Any:
    """Output pixel (y, x) of image i reads the input at ``((a0 x + a1 y + a2) / k, (b0 x +
    b1 y + b2) / k)``, ``k = c0 x + c1 y + 1``, from ``transforms[i] = [a0 … c1]``."""
    b, h, w, c = images.shape
    t = np.asarray(transforms, np.float64).reshape(b, 8)
    ys, xs = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64),
                         indexing="ij")
    k = t[:, 6, None, None] * xs + t[:, 7, None, None] * ys + 1.0
    src_x = _map((t[:, 0, None, None] * xs + t[:, 1, None, None] * ys + t[:, 2, None, None]) / k,
                 w, fill_mode)
    src_y = _map((t[:, 3, None, None] * xs + t[:, 4, None, None] * ys + t[:, 5, None, None]) / k,
                 h, fill_mode)
    flat = _a.reshape(images, (b * h * w, c))
    batch = np.arange(b)[:, None, None]
    if interpolation == "nearest":
        corners = [(np.floor(src_y + 0.5), np.floor(src_x + 0.5), np.ones_like(src_x))]
    else:
        y0, x0 = np.floor(src_y), np.floor(src_x)
        dy, dx = src_y - y0, src_x - x0
        corners = [(y0, x0, (1 - dy) * (1 - dx)), (y0, x0 + 1, (1 - dy) * dx),
                   (y0 + 1, x0, dy * (1 - dx)), (y0 + 1, x0 + 1, dy * dx)]
    out = None
    for yy, xx, weight in corners:
        inside = (yy >= 0) & (yy <= h - 1) & (xx >= 0) & (xx <= w - 1)
        index = (batch * h + np.clip(yy, 0, h - 1).astype(np.int64)) * w + \
            np.clip(xx, 0, w - 1).astype(np.int64)
        values = _a.reshape(_ix.gather(flat, convert_to_tensor(index.reshape(-1))),
                            (b, h, w, c))
        keep = convert_to_tensor((weight * inside)[..., None].astype(images.dtype.name))
        fill = convert_to_tensor((weight * ~inside * fill_value)[..., None].astype(
            images.dtype.name))
        term = values * keep + fill
        out = term if out is None else out + term
    return _m.cast(out, images.dtype)
