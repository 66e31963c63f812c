"""Boxes and patches (``tf.image``): non-max suppression (plain, with scores / soft-NMS,
padded, from overlaps, combined per class), crop_and_resize, extract_patches.

NMS returns indices (no gradient, as TF); it follows TF's CPU kernel step by step in float32:
candidates above ``score_threshold`` in descending score (ties: lower index first), each kept
unless its IoU with a kept box exceeds ``iou_threshold``. ``crop_and_resize`` is differentiable
w.r.t. the image and the boxes; ``extract_patches`` w.r.t. the images.
"""

from __future__ import annotations

import heapq
import math as _m
from typing import Any

from ..engine import dtypes as _dt
from ..engine.backend import xp as np
from ..engine.convert import convert_to_tensor, static_float, static_ints
from ..engine.errors import InvalidArgumentError, named
from ..engine.tensor import Tensor, _Base, shape_of
from .array import _getitem, pad, reshape, stack
from .image_geometry import like, static_int
from .indexing import gather, where
from .math import cast
from .random import generator

__all__ = ["non_max_suppression", "non_max_suppression_with_scores",
           "non_max_suppression_padded", "non_max_suppression_overlaps",
           "combined_non_max_suppression", "crop_and_resize", "extract_patches",
           "extract_glimpse", "draw_bounding_boxes"]


def _value(x: Any, dtype=np.float32):
    v = x.numpy() if isinstance(x, _Base) else x
    if v is None or np.iscomplexobj(v) or np.asarray(v).dtype.kind in "OSU":
        raise named(TypeError(f"expected a real-valued tensor of boxes, scores or sizes, got "
                              f"{v!r:.60}."))
    return np.asarray(v, dtype=dtype)


def _iou_matrix(boxes):
    """Pairwise IoU of ``[n, 4]`` boxes given by any two opposite corners (TF's kernel)."""
    y0, x0 = np.minimum(boxes[:, 0], boxes[:, 2]), np.minimum(boxes[:, 1], boxes[:, 3])
    y1, x1 = np.maximum(boxes[:, 0], boxes[:, 2]), np.maximum(boxes[:, 1], boxes[:, 3])
    area = (y1 - y0) * (x1 - x0)
    ih = np.maximum(np.minimum(y1[:, None], y1) - np.maximum(y0[:, None], y0), 0)
    iw = np.maximum(np.minimum(x1[:, None], x1) - np.maximum(x0[:, None], x0), 0)
    inter = ih * iw
    union = area[:, None] + area - inter
    ok = (area[:, None] > 0) & (area > 0)
    return np.where(ok, inter / np.where(ok, union, 1), 0).astype(np.float32)


def _greedy(sim, scores, max_out: int, threshold: float, score_threshold: float,
            sigma: float = 0.0):
    """TF's NonMaxSuppressionV5 loop on a similarity matrix; returns (indices, scores)."""
    soft = sigma > 0
    scale = np.float32(-0.5 / sigma) if soft else np.float32(0.0)
    heap = [(-s, i, 0) for i, s in enumerate(scores) if s > score_threshold]
    heapq.heapify(heap)  # max score first, then the lower index
    picked, picked_scores = [], []
    while len(picked) < max_out and heap:
        neg, i, begin = heapq.heappop(heap)
        score = original = np.float32(-neg)
        hard = False
        for j in range(len(picked) - 1, begin - 1, -1):
            s = sim[i, picked[j]]
            weight = np.exp(scale * s * s)
            score = np.float32(score * (weight if soft or s <= threshold else 0.0))
            if not soft and s > threshold:
                hard = True
                break
            if score <= score_threshold:
                break
        if hard:
            continue
        if score == original:
            picked.append(i)
            picked_scores.append(score)
        elif score > score_threshold:
            heapq.heappush(heap, (-score, i, len(picked)))
    return np.asarray(picked, np.int32), np.asarray(picked_scores, np.float32)


def _nms_args(boxes: Any, scores: Any, max_output_size: Any, op: str):
    b, s = _value(boxes), _value(scores)
    if b.ndim != 2 or b.shape[-1] != 4 or s.shape != b.shape[:1]:
        raise InvalidArgumentError(f"image.{op}: boxes must be [num_boxes, 4] and scores "
                                   f"[num_boxes], got shapes {list(b.shape)} and "
                                   f"{list(s.shape)}.")
    n = static_int(max_output_size, "max_output_size", op)
    if n < 0:
        raise InvalidArgumentError(f"image.{op}: max_output_size must be >= 0, got {n}.")
    return b, s, n


def non_max_suppression(boxes: Any, scores: Any, max_output_size: Any,
                        iou_threshold: float = 0.5, score_threshold: float = float("-inf"),
                        name: str | None = None) -> Tensor:
    """Indices (int32) of at most ``max_output_size`` boxes kept by greedy non-max suppression
    (``tf.image.non_max_suppression``).

    >>> import tapegrad as tf
    >>> boxes = [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3]]
    >>> tf.image.non_max_suppression(boxes, [0.9, 0.8, 0.7], 3).numpy().tolist()
    [0, 2]
    """
    b, s, n = _nms_args(boxes, scores, max_output_size, "non_max_suppression")
    idx, _ = _greedy(_iou_matrix(b), s, n, np.float32(iou_threshold),
                     np.float32(score_threshold))
    return convert_to_tensor(idx)


def non_max_suppression_with_scores(boxes: Any, scores: Any, max_output_size: Any,
                                    iou_threshold: float = 0.5,
                                    score_threshold: float = float("-inf"),
                                    soft_nms_sigma: float = 0.0,
                                    name: str | None = None) -> tuple[Tensor, Tensor]:
    """(indices, scores) of the kept boxes; ``soft_nms_sigma > 0`` decays overlapping scores by
    ``exp(-0.5 * iou² / sigma)`` instead of dropping them — TF's Soft-NMS, with TF's scale
    (``tf.image.non_max_suppression_with_scores``).

    >>> import tapegrad as tf
    >>> boxes = [[0, 0, 1, 1], [0, 0.1, 1, 1.1]]
    >>> idx, sc = tf.image.non_max_suppression_with_scores(boxes, [0.9, 0.8], 2,
    ...                                                    soft_nms_sigma=0.5)
    >>> print(idx.numpy(), sc.numpy().round(2))
    [0 1] [0.9  0.41]
    """
    b, s, n = _nms_args(boxes, scores, max_output_size, "non_max_suppression_with_scores")
    idx, kept = _greedy(_iou_matrix(b), s, n, np.float32(iou_threshold),
                        np.float32(score_threshold),
                        static_float(soft_nms_sigma, "soft_nms_sigma",
                                     "image.non_max_suppression_with_scores"))
    return convert_to_tensor(idx), convert_to_tensor(kept)


def non_max_suppression_overlaps(overlaps: Any, scores: Any, max_output_size: Any,
                                 overlap_threshold: float = 0.5,
                                 score_threshold: float = float("-inf"),
                                 name: str | None = None) -> Tensor:
    """Non-max suppression on a given ``[n, n]`` overlap matrix
    (``tf.image.non_max_suppression_overlaps``).

    >>> import tapegrad as tf
    >>> ov = [[1.0, 0.7, 0.0], [0.7, 1.0, 0.0], [0.0, 0.0, 1.0]]
    >>> tf.image.non_max_suppression_overlaps(ov, [0.9, 0.8, 0.7], 3).numpy().tolist()
    [0, 2]
    """
    ov, s = _value(overlaps), _value(scores)
    if ov.ndim != 2 or ov.shape != (s.shape[0], s.shape[0]):
        raise InvalidArgumentError(f"image.non_max_suppression_overlaps: overlaps must be "
                                   f"[n, n] for {s.shape[0]} scores, got {list(ov.shape)}.")
    n = static_int(max_output_size, "max_output_size", "non_max_suppression_overlaps")
    idx, _ = _greedy(ov, s, n, np.float32(overlap_threshold), np.float32(score_threshold))
    return convert_to_tensor(idx)


def non_max_suppression_padded(boxes: Any, scores: Any, max_output_size: Any,
                               iou_threshold: float = 0.5,
                               score_threshold: float = float("-inf"),
                               pad_to_max_output_size: bool = False, name: str | None = None,
                               sorted_input: bool = False, canonicalized_coordinates: bool = False,
                               tile_size: int = 512) -> tuple[Tensor, Tensor]:
    """(indices, number valid); with ``pad_to_max_output_size`` the indices are zero-padded to
    ``max_output_size``; a leading batch axis is allowed
    (``tf.image.non_max_suppression_padded``).

    >>> import tapegrad as tf
    >>> boxes = [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3]]
    >>> idx, n = tf.image.non_max_suppression_padded(boxes, [0.9, 0.8, 0.7], 3,
    ...                                              pad_to_max_output_size=True)
    >>> idx.numpy().tolist(), int(n)
    ([0, 2, 0], 2)
    """
    b, s = _value(boxes), _value(scores)
    if b.ndim == 3:
        pairs = [non_max_suppression_padded(bi, si, max_output_size, iou_threshold,
                                            score_threshold, True) for bi, si in zip(b, s)]
        return (convert_to_tensor(np.stack([p[0].numpy() for p in pairs])),
                convert_to_tensor(np.asarray([int(p[1]) for p in pairs], np.int32)))
    b, s, n = _nms_args(b, s, max_output_size, "non_max_suppression_padded")
    idx, _ = _greedy(_iou_matrix(b), s, n, np.float32(iou_threshold),
                     np.float32(score_threshold))
    count = np.int32(len(idx))
    if pad_to_max_output_size:
        idx = np.concatenate([idx, np.zeros(n - len(idx), np.int32)])
    return convert_to_tensor(idx), convert_to_tensor(count)


def _combined_one(boxes, scores, per_class: int, threshold, score_threshold):
    """(score, class, box) of every box kept by per-class NMS, for one batch element."""
    found = []
    for c in range(scores.shape[1]):
        bc = boxes[:, c if boxes.shape[1] > 1 else 0]
        idx, kept = _greedy(_iou_matrix(bc), scores[:, c], per_class, threshold,
                            score_threshold)
        found += [(float(sc), c, bc[i]) for i, sc in zip(idx, kept)]
    found.sort(key=lambda t: -t[0])
    return found


def combined_non_max_suppression(boxes: Any, scores: Any, max_output_size_per_class: Any,
                                 max_total_size: Any, iou_threshold: float = 0.5,
                                 score_threshold: float = float("-inf"),
                                 pad_per_class: bool = False, clip_boxes: bool = True,
                                 name: str | None = None) -> tuple:
    """Per-class NMS over a batch, then the best ``max_total_size`` detections
    (``tf.image.combined_non_max_suppression``): boxes ``[batch, n, q, 4]`` (q = 1 or the class
    count), scores ``[batch, n, classes]``. Returns (boxes, scores, classes, valid_detections).

    >>> import tapegrad as tf
    >>> out = tf.image.combined_non_max_suppression(
    ...     [[[[0, 0, 1, 1]], [[0, 0.1, 1, 1.1]]]], [[[0.9, 0.1], [0.8, 0.7]]], 2, 3)
    >>> print(out[1].numpy(), out[2].numpy(), out[3].numpy())
    [[0.9 0.7 0. ]] [[0. 1. 0.]] [2]
    """
    b, s = _value(boxes), _value(scores)
    op = "combined_non_max_suppression"
    if b.ndim != 4 or b.shape[-1] != 4 or s.ndim != 3 or s.shape[:2] != b.shape[:2] or \
            b.shape[2] not in (1, s.shape[2]):
        raise InvalidArgumentError(f"image.{op}: boxes must be [batch, n, q, 4] (q = 1 or the "
                                   f"class count) and scores [batch, n, classes], got shapes "
                                   f"{list(b.shape)} and {list(s.shape)}.")
    per_class = static_int(max_output_size_per_class, "max_output_size_per_class", op)
    total = static_int(max_total_size, "max_total_size", op)
    size = min(per_class * s.shape[2], total) if pad_per_class else total
    out_b = np.zeros((b.shape[0], size, 4), np.float32)
    out_s, out_c = np.zeros((b.shape[0], size), np.float32), np.zeros((b.shape[0], size),
                                                                       np.float32)
    valid = np.zeros(b.shape[0], np.int32)
    for k in range(b.shape[0]):
        found = _combined_one(b[k], s[k], per_class, np.float32(iou_threshold),
                              np.float32(score_threshold))[:size]
        valid[k] = len(found)
        for j, (sc, c, box) in enumerate(found):
            out_b[k, j], out_s[k, j], out_c[k, j] = box, sc, c
    if clip_boxes:
        out_b = np.clip(out_b, 0.0, 1.0)
    return tuple(convert_to_tensor(v) for v in (out_b, out_s, out_c, valid))


# -- crop_and_resize -------------------------------------------------------------------------------
def _sample_positions(lo, hi, n_out: int, n_in: int):
    """TF's source coordinates of ``n_out`` samples between box edges ``lo``/``hi`` (tensors
    [num_boxes]): ends included, or the centre for a single sample; shape [num_boxes, n_out]."""
    if n_out > 1:
        step = np.arange(n_out, dtype=np.float64) / (n_out - 1)
        return (lo[:, None] + (hi - lo)[:, None] * like(step, lo.dtype)) * (n_in - 1)
    return ((lo + hi) * 0.5 * (n_in - 1))[:, None]


def _axis_taps(pos, n_in: int, nearest: bool):
    """(lower index, upper index, upper weight (tensor), inside mask) for source positions."""
    p = pos.numpy()
    inside = (p >= 0) & (p <= n_in - 1)
    if nearest:
        idx = np.clip(np.where(p >= 0, np.floor(p + 0.5), np.ceil(p - 0.5)), 0, n_in - 1)
        return idx.astype(np.int64), idx.astype(np.int64), None, inside
    lo = np.floor(p)
    frac = pos - like(lo, pos.dtype)  # d(frac)/d(box) carries the boxes' gradient
    return (np.clip(lo, 0, n_in - 1).astype(np.int64),
            np.clip(np.ceil(p), 0, n_in - 1).astype(np.int64), frac, inside)


def crop_and_resize(image: Any, boxes: Any, box_indices: Any, crop_size: Any,
                    method: str = "bilinear", extrapolation_value: float = 0.0,
                    name: str | None = None) -> Tensor:
    """Crop normalised boxes ``[y1, x1, y2, x2]`` out of a batch of images and resample each to
    ``crop_size`` (``tf.image.crop_and_resize``); samples outside the image get
    ``extrapolation_value``. Float32 out (float64 stays float64); differentiable w.r.t. the
    image and the boxes (bilinear).

    >>> import tapegrad as tf
    >>> img = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
    >>> tf.image.crop_and_resize(img, [[0.0, 0.0, 1.0, 1.0]], [0], [2, 2]).numpy().ravel()
    array([ 0.,  3., 12., 15.], dtype=float32)
    """
    op = "crop_and_resize"
    x = image if isinstance(image, _Base) else convert_to_tensor(image)
    if len(shape_of(x)) != 4:
        raise InvalidArgumentError(f"image.{op}: image must be 4-D [batch, height, width, "
                                   f"depth], got shape {list(shape_of(x))}.")
    if x.dtype != _dt.float64:
        x = cast(x, _dt.float32)
    bx = boxes if isinstance(boxes, _Base) else convert_to_tensor(np.asarray(boxes, np.float32))
    bx = cast(bx, x.dtype)
    ind = _value(box_indices, np.int64)
    nb, h, w, _ = shape_of(x)
    if shape_of(bx)[-1:] != (4,) or len(shape_of(bx)) != 2 or ind.shape != shape_of(bx)[:1]:
        raise InvalidArgumentError(f"image.{op}: boxes must be [num_boxes, 4] and box_indices "
                                   f"[num_boxes], got {list(shape_of(bx))} and "
                                   f"{list(ind.shape)}.")
    if ((ind < 0) | (ind >= nb)).any():
        raise InvalidArgumentError(f"image.{op}: box_indices {ind.tolist()} must be in "
                                   f"[0, {nb}) (the batch size).")
    ch, cw = (static_int(v, "crop_size", op) for v in _value(crop_size, np.int64))
    if method not in ("bilinear", "nearest"):
        raise InvalidArgumentError(f"image.{op}: method must be 'bilinear' or 'nearest', got "
                                   f"{method!r}.")
    near = method == "nearest"
    y0, yi1, fy, in_y = _axis_taps(_sample_positions(bx[:, 0], bx[:, 2], ch, h), h, near)
    x0, xi1, fx, in_x = _axis_taps(_sample_positions(bx[:, 1], bx[:, 3], cw, w), w, near)
    b = ind[:, None, None]
    flat = reshape(x, [-1, shape_of(x)[3]])

    def at(yy, xx):  # [num_boxes, ch, cw, depth]
        return gather(flat, (b * h + yy[:, :, None]) * w + xx[:, None, :])

    if near:
        out = at(y0, x0)
    else:
        fy, fx = fy[:, :, None, None], fx[:, None, :, None]
        top = at(y0, x0) + (at(y0, xi1) - at(y0, x0)) * fx
        bottom = at(yi1, x0) + (at(yi1, xi1) - at(yi1, x0)) * fx
        out = top + (bottom - top) * fy
    keep = (in_y[:, :, None] & in_x[:, None, :])[..., None]
    return where(keep, out, like(extrapolation_value, x.dtype))


# -- extract_patches -------------------------------------------------------------------------------
def _window(size: int, k: int, s: int, r: int, padding: str) -> tuple[int, int]:
    """(output length, leading pad) of a window of ``k`` taps ``r`` apart, stride ``s``."""
    eff = (k - 1) * r + 1
    if padding == "VALID":
        return max(0, _m.ceil((size - eff + 1) / s)), 0
    out = _m.ceil(size / s)
    return out, max((out - 1) * s + eff - size, 0) // 2


def extract_patches(images: Any, sizes: Any, strides: Any, rates: Any, padding: str,
                    name: str | None = None) -> Tensor:
    """Patches ``sizes = [1, kh, kw, 1]`` of a 4-D batch laid out in the depth axis,
    ``[batch, rows, cols, kh * kw * depth]`` (``tf.image.extract_patches``); ``rates`` dilate,
    'SAME' pads with zeros.

    >>> import tapegrad as tf
    >>> x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
    >>> p = tf.image.extract_patches(x, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    >>> p.shape, p[0, 0, 1].numpy().tolist()
    (TensorShape([1, 2, 2, 4]), [2.0, 3.0, 6.0, 7.0])
    """
    op = "extract_patches"
    x = images if isinstance(images, _Base) else convert_to_tensor(images)
    if len(shape_of(x)) != 4:
        raise InvalidArgumentError(f"image.{op}: images must be 4-D, got shape "
                                   f"{list(shape_of(x))}.")
    vals = [static_ints(a, what, f"image.{op}")
            for a, what in ((sizes, "sizes"), (strides, "strides"), (rates, "rates"))]
    if any(len(v) != 4 or v[0] != 1 or v[3] != 1 for v in vals):
        raise InvalidArgumentError(f"image.{op}: sizes, strides and rates must be "
                                   f"[1, rows, cols, 1], got {vals}.")
    padding = str(padding).upper()
    if padding not in ("SAME", "VALID"):
        raise InvalidArgumentError(f"image.{op}: padding must be 'SAME' or 'VALID', got "
                                   f"{padding!r}.")
    (_, kh, kw, _), (_, sh, sw, _), (_, rh, rw, _) = vals
    b, h, w, d = shape_of(x)
    oh, ph = _window(h, kh, sh, rh, padding)
    ow, pw = _window(w, kw, sw, rw, padding)
    need_h, need_w = (oh - 1) * sh + (kh - 1) * rh + 1, (ow - 1) * sw + (kw - 1) * rw + 1
    x = pad(x, [[0, 0], [ph, max(need_h - h - ph, 0)], [pw, max(need_w - w - pw, 0)], [0, 0]])
    rows = np.arange(oh)[:, None] * sh + np.arange(kh)[None, :] * rh  # [oh, kh]
    cols = np.arange(ow)[:, None] * sw + np.arange(kw)[None, :] * rw  # [ow, kw]
    index = (slice(None), rows[:, None, :, None], cols[None, :, None, :])
    return reshape(_getitem(x, index=index), [b, oh, ow, kh * kw * d])


# -- extract_glimpse, draw_bounding_boxes ----------------------------------------------------------
def _glimpse_corner(offset, size: int, n: int, centered: bool, normalized: bool) -> int:
    """Top (or left) pixel of a glimpse, in float32 and truncated, as TF's V2 kernel."""
    f32 = np.float32
    v = f32(offset)
    if normalized:
        v = v * f32(n)
        if centered:
            v = v / f32(2) + f32(n) / f32(2) - f32(size) / f32(2)
    elif centered:
        v = v + f32(n) / f32(2)
    return int(v)


def _glimpse_fill(x, noise: str, shape: list):
    if noise == "zero":
        return np.zeros(shape)
    v = x.numpy()
    if noise == "gaussian":
        return generator().normal(v.mean(), v.std(), shape)
    return generator().uniform(v.min(), v.max(), shape)


def extract_glimpse(input: Any, size: Any, offsets: Any, centered: bool = True,  # noqa: A002
                    normalized: bool = True, noise: str = "uniform",
                    name: str | None = None) -> Tensor:
    """Windows of ``size = [h, w]`` at ``offsets`` ``[batch, 2]`` (y, x) from a 4-D batch
    (``tf.image.extract_glimpse``); what falls outside the image is filled with ``noise``
    ('uniform' between the image's min and max, 'gaussian', or 'zero').

    >>> import tapegrad as tf
    >>> x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
    >>> print(tf.image.extract_glimpse(x, [2, 2], [[0.0, 0.0]]).numpy()[0, ..., 0])
    [[ 5.  6.]
     [ 9. 10.]]
    """
    op = "extract_glimpse"
    x = input if isinstance(input, _Base) else convert_to_tensor(input)
    off = _value(offsets)
    if len(shape_of(x)) != 4 or off.shape != (shape_of(x)[0], 2):
        raise InvalidArgumentError(f"image.{op}: input must be 4-D and offsets [batch, 2], got "
                                   f"shapes {list(shape_of(x))} and {list(off.shape)}.")
    if noise not in ("uniform", "gaussian", "zero"):
        raise InvalidArgumentError(f"image.{op}: noise must be 'uniform', 'gaussian' or "
                                   f"'zero', got {noise!r}.")
    gh, gw = (static_int(v, "size", op) for v in _value(size, np.int64))
    _, h, w, d = shape_of(x)
    out = []
    for i in range(shape_of(x)[0]):
        top = _glimpse_corner(off[i, 0], gh, h, centered, normalized)
        left = _glimpse_corner(off[i, 1], gw, w, centered, normalized)
        rows, cols = np.arange(top, top + gh), np.arange(left, left + gw)
        inside = ((rows >= 0) & (rows < h))[:, None, None] & ((cols >= 0) & (cols < w))[:, None]
        got = _getitem(x[i], index=(np.clip(rows, 0, h - 1)[:, None], np.clip(cols, 0, w - 1)))
        if not inside.all():
            got = where(inside, got, like(_glimpse_fill(x, noise, [gh, gw, d]), x.dtype))
        out.append(got)
    return stack(out)


_DEFAULT_COLOURS = [[1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5, 0, 0.5, 1],
                    [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1], [0, 1, 1, 1], [1, 0, 1, 1]]


def _box_outline(box, h: int, w: int):
    """A [h, w] mask of a box's one-pixel outline (TF's kernel: truncated, clamped corners)."""
    f32 = np.float32
    r0, r1 = int(f32(box[0]) * f32(h - 1)), int(f32(box[2]) * f32(h - 1))
    c0, c1 = int(f32(box[1]) * f32(w - 1)), int(f32(box[3]) * f32(w - 1))
    mask = np.zeros((h, w), bool)
    if r0 > r1 or c0 > c1 or r0 >= h or r1 < 0 or c0 >= w or c1 < 0:
        return mask
    rs, cs = slice(max(r0, 0), min(r1, h - 1) + 1), slice(max(c0, 0), min(c1, w - 1) + 1)
    for row in (r0, r1):
        if 0 <= row < h:
            mask[row, cs] = True
    for col in (c0, c1):
        if 0 <= col < w:
            mask[rs, col] = True
    return mask


def draw_bounding_boxes(images: Any, boxes: Any, colors: Any, name: str | None = None) -> Tensor:
    """Draw each box ``[y1, x1, y2, x2]`` (normalised) as a one-pixel outline in the next
    colour of ``colors`` (``tf.image.draw_bounding_boxes``); 1, 3 or 4 channels.

    >>> import tapegrad as tf
    >>> y = tf.image.draw_bounding_boxes(tf.zeros([1, 4, 4, 1]), [[[0.0, 0.0, 1.0, 1.0]]],
    ...                                  [[1.0]])
    >>> print(y.numpy()[0, ..., 0])
    [[1. 1. 1. 1.]
     [1. 0. 0. 1.]
     [1. 0. 0. 1.]
     [1. 1. 1. 1.]]
    """
    op = "draw_bounding_boxes"
    x = images if isinstance(images, _Base) else convert_to_tensor(images)
    b = _value(boxes)
    shape = shape_of(x)
    if len(shape) != 4 or shape[-1] not in (1, 3, 4) or b.ndim != 3 or b.shape[0] != shape[0] \
            or b.shape[-1] != 4:
        raise InvalidArgumentError(f"image.{op}: images must be [batch, h, w, 1 | 3 | 4] and "
                                   f"boxes [batch, num_boxes, 4], got shapes {list(shape)} and "
                                   f"{list(b.shape)}.")
    table = _value(colors) if colors is not None and np.size(_value(colors)) else \
        np.asarray(_DEFAULT_COLOURS, np.float32)
    if table.ndim != 2 or table.shape[1] < shape[-1]:
        raise InvalidArgumentError(f"image.{op}: colors must be [num_colors, >= channels], "
                                   f"got shape {list(table.shape)}.")
    if shape[-1] == 1:
        table = table.copy()
        table[:, 0] = 1.0  # TF draws every box white on a grey image
    canvas = np.zeros(shape, np.float32)
    mask = np.zeros(shape[:3], bool)
    for i in range(shape[0]):
        for k in range(b.shape[1]):
            outline = _box_outline(b[i, k], shape[1], shape[2])
            canvas[i][outline] = table[k % len(table), :shape[-1]]
            mask[i] |= outline
    return where(mask[..., None], like(canvas, x.dtype), x)
