"""Random image augmentations (``tf.image.random_*`` and ``tf.image.stateless_random_*``).

The stateful ops draw with ``tapegrad.random.uniform`` and so follow tapegrad's seed rules
(``tf.random.set_seed`` plus an op ``seed``); the stateless ones take a ``seed`` of two integers
and give the same result for the same seed on every call. The draws are not TF's bit streams;
what is drawn (and from which range) is TF's. The image keeps its gradient: a flip is a
``where`` between the image and its mirror, a brightness shift an ``add``.
"""

from __future__ import annotations

from typing import Any

from ..engine import dtypes as _dt
from ..engine.backend import xp as np
from ..engine.convert import convert_to_tensor, static_float, static_ints
from ..engine.errors import InvalidArgumentError
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .array import _getitem, reshape
from .image_colour import adjust_brightness, adjust_contrast, adjust_hue, adjust_saturation
from .image_geometry import _flip, _hw_axes, image_tensor
from .indexing import where
from .math import less
from .random import uniform

__all__ = ["random_flip_left_right", "random_flip_up_down", "random_brightness",
           "random_contrast", "random_saturation", "random_hue", "random_crop",
           "stateless_random_flip_left_right", "stateless_random_flip_up_down",
           "stateless_random_brightness", "stateless_random_contrast",
           "stateless_random_saturation", "stateless_random_hue", "stateless_random_crop",
           "sample_distorted_bounding_box", "stateless_sample_distorted_bounding_box"]


def _stateless(seed: Any, op: str):
    """A generator fixed by a shape-[2] integer ``seed`` (the stateless ops' contract)."""
    s = np.asarray(seed.numpy() if isinstance(seed, _Base) else seed)
    if s.shape != (2,) or s.dtype.kind not in "iu":
        raise InvalidArgumentError(f"image.{op}: seed must be a shape [2] integer tensor, got "
                                   f"{s.tolist()!r}.")
    return np.random.default_rng([int(v) & (2**63 - 1) for v in s])


def _draw(shape: list, lo: float, hi: float, seed: Any, stateless: str | None):
    """U[lo, hi) of ``shape`` (float32): from the op seed's stream, or from a stateless seed."""
    if stateless is None:
        return uniform(shape, lo, hi, seed=seed)
    gen = _stateless(seed, stateless)
    return convert_to_tensor(np.asarray(gen.uniform(lo, hi, shape), np.float32))


def _random_flip(image: Any, axis_of: int, seed: Any, op: str, stateless: bool) -> Tensor:
    """Flip each image (one draw per image of a batch) with probability 1/2, as TF."""
    x = image_tensor(image, op)
    batched = len(shape_of(x)) == 4
    n = [shape_of(x)[0]] if batched else []
    u = _draw(n, 0.0, 1.0, seed, op if stateless else None)
    mask = less(u, 0.5)
    if batched:
        mask = reshape(mask, [-1, 1, 1, 1])
    return where(mask, _flip(x, _hw_axes(x)[axis_of]), x)


def random_flip_left_right(image: Any, seed: int | None = None) -> Tensor:
    """Mirror horizontally with probability 1/2, independently per image
    (``tf.image.random_flip_left_right``).

    >>> import tapegrad as tf
    >>> tf.image.random_flip_left_right(tf.ones([2, 3, 1]), seed=1).shape
    TensorShape([2, 3, 1])
    """
    return _random_flip(image, 1, seed, "random_flip_left_right", False)


def random_flip_up_down(image: Any, seed: int | None = None) -> Tensor:
    """Mirror vertically with probability 1/2, independently per image
    (``tf.image.random_flip_up_down``).

    >>> import tapegrad as tf
    >>> tf.image.random_flip_up_down(tf.ones([2, 3, 1]), seed=1).shape
    TensorShape([2, 3, 1])
    """
    return _random_flip(image, 0, seed, "random_flip_up_down", False)


def stateless_random_flip_left_right(image: Any, seed: Any) -> Tensor:
    """``random_flip_left_right`` decided by a two-integer ``seed``
    (``tf.image.stateless_random_flip_left_right``).

    >>> import tapegrad as tf
    >>> a = tf.image.stateless_random_flip_left_right(tf.range(4.0)[None, :, None], (1, 2))
    >>> b = tf.image.stateless_random_flip_left_right(tf.range(4.0)[None, :, None], (1, 2))
    >>> bool((a.numpy() == b.numpy()).all())
    True
    """
    return _random_flip(image, 1, seed, "stateless_random_flip_left_right", True)


def stateless_random_flip_up_down(image: Any, seed: Any) -> Tensor:
    """``random_flip_up_down`` decided by a two-integer ``seed``
    (``tf.image.stateless_random_flip_up_down``).

    >>> import tapegrad as tf
    >>> tf.image.stateless_random_flip_up_down(tf.ones([2, 3, 1]), (3, 4)).shape
    TensorShape([2, 3, 1])
    """
    return _random_flip(image, 0, seed, "stateless_random_flip_up_down", True)


def _check_delta(max_delta: Any, op: str, most: float | None = None) -> float:
    d = static_float(max_delta, "max_delta", f"image.{op}")
    if not d >= 0:  # NaN too
        raise ValueError(f"image.{op}: max_delta must be non-negative, got {d}.")
    if most is not None and d > most:
        raise ValueError(f"image.{op}: max_delta must be <= {most}, got {d}.")
    return d


def _check_range(lower: Any, upper: Any, op: str) -> tuple[float, float]:
    lo = static_float(lower, "lower", f"image.{op}")
    hi = static_float(upper, "upper", f"image.{op}")
    if not hi > lo:  # NaN too
        raise ValueError(f"image.{op}: upper must be > lower, got lower={lo}, upper={hi}.")
    if lo < 0:
        raise ValueError(f"image.{op}: lower must be non-negative, got {lo}.")
    return lo, hi


def random_brightness(image: Any, max_delta: float, seed: int | None = None) -> Tensor:
    """``adjust_brightness`` by a delta drawn from ``[-max_delta, max_delta)``
    (``tf.image.random_brightness``).

    >>> import tapegrad as tf
    >>> y = tf.image.random_brightness(tf.zeros([2, 2, 3]), 0.2, seed=1)
    >>> bool(abs(float(y[0, 0, 0])) <= 0.2)
    True
    """
    d = _check_delta(max_delta, "random_brightness")
    return adjust_brightness(image, _draw([], -d, d, seed, None))


def stateless_random_brightness(image: Any, max_delta: float, seed: Any) -> Tensor:
    """``random_brightness`` with a two-integer ``seed``
    (``tf.image.stateless_random_brightness``).

    >>> import tapegrad as tf
    >>> tf.image.stateless_random_brightness(tf.zeros([2, 2, 3]), 0.2, (1, 2)).shape
    TensorShape([2, 2, 3])
    """
    d = _check_delta(max_delta, "stateless_random_brightness")
    return adjust_brightness(image, _draw([], -d, d, seed, "stateless_random_brightness"))


def random_contrast(image: Any, lower: float, upper: float, seed: int | None = None) -> Tensor:
    """``adjust_contrast`` by a factor drawn from ``[lower, upper)``
    (``tf.image.random_contrast``).

    >>> import tapegrad as tf
    >>> tf.image.random_contrast(tf.zeros([2, 2, 3]), 0.5, 1.5, seed=1).shape
    TensorShape([2, 2, 3])
    """
    lo, hi = _check_range(lower, upper, "random_contrast")
    return adjust_contrast(image, _draw([], lo, hi, seed, None))


def stateless_random_contrast(image: Any, lower: float, upper: float, seed: Any) -> Tensor:
    """``random_contrast`` with a two-integer ``seed`` (``tf.image.stateless_random_contrast``).

    >>> import tapegrad as tf
    >>> tf.image.stateless_random_contrast(tf.zeros([2, 2, 3]), 0.5, 1.5, (1, 2)).shape
    TensorShape([2, 2, 3])
    """
    lo, hi = _check_range(lower, upper, "stateless_random_contrast")
    return adjust_contrast(image, _draw([], lo, hi, seed, "stateless_random_contrast"))


def random_saturation(image: Any, lower: float, upper: float, seed: int | None = None) -> Tensor:
    """``adjust_saturation`` by a factor drawn from ``[lower, upper)``
    (``tf.image.random_saturation``).

    >>> import tapegrad as tf
    >>> tf.image.random_saturation(tf.zeros([2, 2, 3]), 0.5, 1.5, seed=1).shape
    TensorShape([2, 2, 3])
    """
    lo, hi = _check_range(lower, upper, "random_saturation")
    return adjust_saturation(image, _draw([], lo, hi, seed, None))


def stateless_random_saturation(image: Any, lower: float, upper: float, seed: Any) -> Tensor:
    """``random_saturation`` with a two-integer ``seed``
    (``tf.image.stateless_random_saturation``).

    >>> import tapegrad as tf
    >>> tf.image.stateless_random_saturation(tf.zeros([2, 2, 3]), 0.5, 1.5, (1, 2)).shape
    TensorShape([2, 2, 3])
    """
    lo, hi = _check_range(lower, upper, "stateless_random_saturation")
    return adjust_saturation(image, _draw([], lo, hi, seed, "stateless_random_saturation"))


def random_hue(image: Any, max_delta: float, seed: int | None = None) -> Tensor:
    """``adjust_hue`` by a delta drawn from ``[-max_delta, max_delta)``, ``max_delta <= 0.5``
    (``tf.image.random_hue``).

    >>> import tapegrad as tf
    >>> tf.image.random_hue(tf.zeros([2, 2, 3]), 0.1, seed=1).shape
    TensorShape([2, 2, 3])
    """
    d = _check_delta(max_delta, "random_hue", 0.5)
    return adjust_hue(image, _draw([], -d, d, seed, None))


def stateless_random_hue(image: Any, max_delta: float, seed: Any) -> Tensor:
    """``random_hue`` with a two-integer ``seed`` (``tf.image.stateless_random_hue``).

    >>> import tapegrad as tf
    >>> tf.image.stateless_random_hue(tf.zeros([2, 2, 3]), 0.1, (1, 2)).shape
    TensorShape([2, 2, 3])
    """
    d = _check_delta(max_delta, "stateless_random_hue", 0.5)
    return adjust_hue(image, _draw([], -d, d, seed, "stateless_random_hue"))


def _crop_at(value: Any, size: Any, offsets_of, op: str) -> Tensor:
    x = value if isinstance(value, _Base) else convert_to_tensor(value)
    want = static_ints(size, "size", f"image.{op}")
    shape = list(shape_of(x))
    if len(want) != len(shape) or any(w < 0 or w > s for w, s in zip(want, shape)):
        raise InvalidArgumentError(f"image.{op}: need 0 <= size <= value.shape in every "
                                   f"dimension, got size {want} for shape {shape}.")
    offsets = offsets_of([s - w + 1 for s, w in zip(shape, want)])
    return _getitem(x, index=tuple(slice(int(o), int(o) + w) for o, w in zip(offsets, want)))


def random_crop(value: Any, size: Any, seed: int | None = None,
                name: str | None = None) -> Tensor:
    """A window of ``size`` at a uniformly drawn offset, any rank (``tf.image.random_crop``).

    >>> import tapegrad as tf
    >>> tf.image.random_crop(tf.zeros([5, 6, 3]), [2, 3, 3], seed=1).shape
    TensorShape([2, 3, 3])
    """
    def offsets(limits):
        return (uniform([len(limits)], 0, _dt.int32.max, dtype=_dt.int32, seed=seed).numpy()
                % np.asarray(limits))
    return _crop_at(value, size, offsets, "random_crop")


def stateless_random_crop(value: Any, size: Any, seed: Any, name: str | None = None) -> Tensor:
    """``random_crop`` with a two-integer ``seed`` (``tf.image.stateless_random_crop``).

    >>> import tapegrad as tf
    >>> tf.image.stateless_random_crop(tf.zeros([5, 6, 3]), [2, 3, 3], (1, 2)).shape
    TensorShape([2, 3, 3])
    """
    def offsets(limits):
        return _stateless(seed, "stateless_random_crop").integers(0, limits)
    return _crop_at(value, size, offsets, "stateless_random_crop")


# -- sample_distorted_bounding_box -----------------------------------------------------------------
def _random_crop_rect(draws, width: int, height: int, lo: float, hi: float, ratio: float):
    """TF's GenerateRandomCrop: a (x, y, w, h) crop of the aspect ``ratio`` whose area is within
    ``[lo, hi]`` of the image, or None; ``draws`` yields U[0, 1) numbers."""
    min_area, max_area = lo * width * height, hi * width * height
    h = int(np.rint(np.sqrt(min_area / ratio)))
    max_h = int(np.rint(np.sqrt(max_area / ratio)))
    if np.rint(max_h * ratio) > width:
        max_h = int((width + 0.5 - 1e-7) / ratio)
        if np.rint(max_h * ratio) > width:
            max_h -= 1
    max_h = min(max_h, height)
    h = min(h, max_h)
    if h < max_h:
        h += int(next(draws) * (max_h - h + 1))
    w = int(np.rint(h * ratio))
    if w * h < min_area:
        h += 1
        w = int(np.rint(h * ratio))
    if w * h > max_area:
        h -= 1
        w = int(np.rint(h * ratio))
    if not (min_area <= w * h <= max_area) or w > width or h > height or w <= 0 or h <= 0:
        return None
    y = int(next(draws) * (height - h)) if h < height else 0
    x = int(next(draws) * (width - w)) if w < width else 0
    return x, y, w, h


def _covers(rect, boxes, minimum: float) -> bool:
    """TF's SatisfiesOverlapConstraints: the crop covers ``minimum`` of some box's area."""
    x, y, w, h = rect
    if w * h < 1:
        return False
    for x0, y0, x1, y1 in boxes:
        area = (x1 - x0) * (y1 - y0)
        if area < 1:
            continue
        inter = max(min(x + w, x1) - max(x, x0), 0) * max(min(y + h, y1) - max(y, y0), 0)
        if inter / area >= minimum:
            return True
    return False


def _distorted_box(image_size: Any, bounding_boxes: Any, uniforms, min_object_covered: float,
                   aspect_ratio_range, area_range, max_attempts: int, use_image: bool, op: str):
    size = np.asarray(image_size.numpy() if isinstance(image_size, _Base) else image_size)
    if size.shape != (3,) or size.dtype.kind not in "iu":
        raise InvalidArgumentError(f"image.{op}: image_size must be [height, width, channels] "
                                   f"integers, got {size.tolist()!r}.")
    height, width = int(size[0]), int(size[1])
    b = np.asarray(convert_raw(bounding_boxes))
    if b.dtype.kind not in "biuf" or (b.size and b.shape[-1] != 4):
        raise InvalidArgumentError(f"image.{op}: bounding_boxes must be real numbers of shape "
                                   f"[batch, N, 4], got {_dt.from_numpy(b.dtype).name}"
                                   f"{list(b.shape)}.")
    b = b.astype(np.float32).reshape(-1, 4)
    if not len(b) and not use_image:
        raise InvalidArgumentError(f"image.{op}: No bounding boxes provided as input. One must "
                                   f"enable use_image_if_no_bounding_boxes if you wish to not "
                                   f"provide any bounding boxes.")
    boxes = [(int(r[1] * width), int(r[0] * height), int(r[3] * width), int(r[2] * height))
             for r in b] or [(0, 0, width, height)]
    (lo_r, hi_r), (lo_a, hi_a) = aspect_ratio_range, area_range
    draws = iter(uniforms(4 * int(max_attempts)))
    rect = (0, 0, width, height)
    for _ in range(int(max_attempts)):
        ratio = next(draws) * (hi_r - lo_r) + lo_r
        got = _random_crop_rect(draws, width, height, lo_a, hi_a, ratio)
        if got is not None and _covers(got, boxes, float(min_object_covered)):
            rect = got
            break
    x, y, w, h = rect
    begin = convert_to_tensor(np.asarray([y, x, 0], size.dtype))
    out_size = convert_to_tensor(np.asarray([h, w, -1], size.dtype))
    box = np.asarray([[[y / height, x / width, (y + h) / height, (x + w) / width]]], np.float32)
    return begin, out_size, convert_to_tensor(box)


def sample_distorted_bounding_box(image_size: Any, bounding_boxes: Any, seed: int = 0,
                                  min_object_covered: float = 0.1,
                                  aspect_ratio_range: Any = None, area_range: Any = None,
                                  max_attempts: Any = None,
                                  use_image_if_no_bounding_boxes: Any = None,
                                  name: str | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """A random crop ``(begin, size, bboxes)`` that covers at least ``min_object_covered`` of
    one of ``bounding_boxes``, TF's search (``tf.image.sample_distorted_bounding_box``); feed
    ``begin`` and ``size`` to ``tf.slice``.

    >>> import tapegrad as tf
    >>> begin, size, box = tf.image.sample_distorted_bounding_box(
    ...     [40, 60, 3], [[[0.1, 0.1, 0.9, 0.9]]], seed=1)
    >>> tf.slice(tf.zeros([40, 60, 3]), begin, size).shape.rank, box.shape
    (3, TensorShape([1, 1, 4]))
    """
    return _distorted_box(
        image_size, bounding_boxes,
        lambda n: uniform([n], seed=seed or None).numpy().astype(np.float64),
        min_object_covered, aspect_ratio_range or (0.75, 1.33), area_range or (0.05, 1.0),
        max_attempts or 100, bool(use_image_if_no_bounding_boxes),
        "sample_distorted_bounding_box")


def stateless_sample_distorted_bounding_box(image_size: Any, bounding_boxes: Any, seed: Any,
                                            min_object_covered: float = 0.1,
                                            aspect_ratio_range: Any = None,
                                            area_range: Any = None, max_attempts: Any = None,
                                            use_image_if_no_bounding_boxes: Any = None,
                                            name: str | None = None) -> tuple:
    """``sample_distorted_bounding_box`` fixed by a two-integer ``seed``
    (``tf.image.stateless_sample_distorted_bounding_box``).

    >>> import tapegrad as tf
    >>> a = tf.image.stateless_sample_distorted_bounding_box([40, 60, 3], [[[0, 0, 1, 1]]],
    ...                                                      (1, 2))
    >>> b = tf.image.stateless_sample_distorted_bounding_box([40, 60, 3], [[[0, 0, 1, 1]]],
    ...                                                      (1, 2))
    >>> a[0].numpy().tolist() == b[0].numpy().tolist()
    True
    """
    op = "stateless_sample_distorted_bounding_box"
    return _distorted_box(
        image_size, bounding_boxes, lambda n: _stateless(seed, op).random(n),
        min_object_covered, aspect_ratio_range or (0.75, 1.33), area_range or (0.05, 1.0),
        max_attempts or 100, bool(use_image_if_no_bounding_boxes), op)
