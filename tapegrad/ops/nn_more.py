"""More of ``tf.nn``: CReLU, moments from sufficient statistics and weights, depth/space
rearrangements and local response normalisation — all composites of existing ops, so their
gradients are those ops' gradients.
"""

from __future__ import annotations

from typing import Any

from ..engine.backend import xp as np
from ..engine.convert import convert_to_tensor, static_int, static_ints
from ..engine.errors import InvalidArgumentError
from ..engine.tensor import Tensor, shape_of
from .array import concat, pad, reshape, transpose
from .math import pow, square
from .nn import relu
from .reduce import normalize_axes, reduce_sum

__all__ = ["crelu", "sufficient_statistics", "normalize_moments", "weighted_moments",
           "depth_to_space", "space_to_depth", "local_response_normalization", "lrn"]


def crelu(features: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """Concatenated ReLU: ``concat([relu(x), relu(-x)], axis)`` (``tf.nn.crelu``).

    >>> import tapegrad as tf
    >>> tf.nn.crelu([1.0, -2.0]).numpy()
    array([1., 0., 0., 2.], dtype=float32)
    """
    x = convert_to_tensor(features)
    return concat([relu(x), relu(-x)], axis)


def sufficient_statistics(x: Any, axes: Any, shift: Any = None, keepdims: bool = False,
                          name: str | None = None) -> tuple:
    """``(count, Σ(x - shift), Σ(x - shift)², shift)`` over ``axes``
    (``tf.nn.sufficient_statistics``); count is a tensor of ``x``'s dtype.

    >>> import tapegrad as tf
    >>> c, m, v, _ = tf.nn.sufficient_statistics(tf.constant([1.0, 2.0, 3.0]), [0])
    >>> float(c), float(m), float(v)
    (3.0, 6.0, 14.0)
    """
    x = convert_to_tensor(x)
    if x._value.dtype.kind not in "fc":
        raise TypeError(f"sufficient_statistics: x must be a float tensor, got {x.dtype.name}.")
    s = shape_of(x)
    ax = normalize_axes(static_ints(axes, "axes", "sufficient_statistics"), len(s),
                        "sufficient_statistics")
    n = 1
    for a in ax:
        n *= s[a]
    count = Tensor(np.asarray(n, dtype=x._value.dtype))  # a constant, as TF's static count
    y = x if shift is None else x - shift
    return (count, reduce_sum(y, ax, keepdims=keepdims),
            reduce_sum(square(y), ax, keepdims=keepdims), shift)


def normalize_moments(counts: Any, mean_ss: Any, variance_ss: Any, shift: Any,
                      name: str | None = None) -> tuple:
    """Mean and variance from sufficient statistics (``tf.nn.normalize_moments``).

    >>> import tapegrad as tf
    >>> m, v = tf.nn.normalize_moments(3.0, 6.0, 14.0, None)
    >>> float(m), round(float(v), 4)
    (2.0, 0.6667)
    """
    counts = convert_to_tensor(counts)
    shifted_mean = mean_ss / counts
    variance = variance_ss / counts - square(shifted_mean)
    return (shifted_mean if shift is None else shifted_mean + shift), variance


def weighted_moments(x: Any, axes: Any, frequency_weights: Any, keepdims: bool = False,
                     name: str | None = None) -> tuple:
    """Frequency-weighted mean and variance over ``axes`` (``tf.nn.weighted_moments``).

    >>> import tapegrad as tf
    >>> m, v = tf.nn.weighted_moments(tf.constant([1.0, 3.0]), [0], tf.constant([3.0, 1.0]))
    >>> float(m), float(v)
    (1.5, 0.75)
    """
    x = convert_to_tensor(x)
    ax = normalize_axes(static_ints(axes, "axes", "weighted_moments"), len(shape_of(x)),
                        "weighted_moments")
    w = convert_to_tensor(frequency_weights, dtype_hint=x.dtype) + x * 0
    total = reduce_sum(w, ax, keepdims=True)
    mean = reduce_sum(w * x, ax, keepdims=True) / total
    var = reduce_sum(w * square(x - mean), ax, keepdims=True) / total
    if not keepdims:
        keep = [d for i, d in enumerate(shape_of(mean)) if i not in ax]
        mean, var = reshape(mean, keep), reshape(var, keep)
    return mean, var


def _nhwc(x: Any, block_size: int, data_format: str, op: str) -> tuple:
    x = convert_to_tensor(x)
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"{op}: data_format must be 'NHWC' or 'NCHW', got {data_format!r}.")
    if len(shape_of(x)) != 4:
        raise InvalidArgumentError(f"{op}: input must be 4-D, got shape {list(shape_of(x))}.")
    if static_int(block_size, "block_size", op) < 2:
        raise ValueError(f"{op}: block_size must be at least 2, got {block_size}.")
    return (x if data_format == "NHWC" else transpose(x, [0, 2, 3, 1])), int(block_size)


def depth_to_space(input: Any, block_size: int, data_format: str = "NHWC",  # noqa: A002
                   name: str | None = None) -> Tensor:
    """Move depth into b×b spatial blocks: [N, H, W, C] → [N, H·b, W·b, C/b²]
    (``tf.nn.depth_to_space``).

    >>> import tapegrad as tf
    >>> tf.nn.depth_to_space(tf.reshape(tf.range(4.0), [1, 1, 1, 4]), 2)[0, :, :, 0].numpy()
    array([[0., 1.],
           [2., 3.]], dtype=float32)
    """
    x, b = _nhwc(input, block_size, data_format, "depth_to_space")
    n, h, w, c = shape_of(x)
    if c % (b * b):
        raise InvalidArgumentError(f"depth_to_space: depth {c} is not divisible by "
                                   f"block_size² = {b * b}.")
    y = transpose(reshape(x, [n, h, w, b, b, c // (b * b)]), [0, 1, 3, 2, 4, 5])
    y = reshape(y, [n, h * b, w * b, c // (b * b)])
    return y if data_format == "NHWC" else transpose(y, [0, 3, 1, 2])


def space_to_depth(input: Any, block_size: int, data_format: str = "NHWC",  # noqa: A002
                   name: str | None = None) -> Tensor:
    """Move b×b spatial blocks into depth: [N, H, W, C] → [N, H/b, W/b, C·b²]
    (``tf.nn.space_to_depth``), the inverse of ``depth_to_space``.

    >>> import tapegrad as tf
    >>> tf.nn.space_to_depth(tf.reshape(tf.range(4.0), [1, 2, 2, 1]), 2).numpy().ravel()
    array([0., 1., 2., 3.], dtype=float32)
    """
    x, b = _nhwc(input, block_size, data_format, "space_to_depth")
    n, h, w, c = shape_of(x)
    if h % b or w % b:
        raise InvalidArgumentError(f"space_to_depth: height {h} and width {w} must be "
                                   f"divisible by block_size {b}.")
    y = transpose(reshape(x, [n, h // b, b, w // b, b, c]), [0, 1, 3, 2, 4, 5])
    y = reshape(y, [n, h // b, w // b, b * b * c])
    return y if data_format == "NHWC" else transpose(y, [0, 3, 1, 2])


def local_response_normalization(input: Any, depth_radius: int = 5, bias: float = 1.0,  # noqa: A002
                                 alpha: float = 1.0, beta: float = 0.5,
                                 name: str | None = None) -> Tensor:
    """``x / (bias + alpha · Σ x²)^beta``, the sum over a window of ``2·depth_radius + 1``
    channels (``tf.nn.local_response_normalization``, ``tf.nn.lrn``); 4-D input.

    >>> import tapegrad as tf
    >>> x = tf.ones([1, 1, 1, 3])
    >>> tf.nn.lrn(x, depth_radius=1, bias=0.0, alpha=1.0, beta=1.0).numpy().ravel()
    array([0.5       , 0.33333334, 0.5       ], dtype=float32)
    """
    x = convert_to_tensor(input)
    if len(shape_of(x)) != 4:
        raise InvalidArgumentError(f"local_response_normalization: input must be 4-D, got "
                                   f"shape {list(shape_of(x))}.")
    r, c = static_int(depth_radius, "depth_radius", "local_response_normalization"), shape_of(x)[-1]
    if r < 0:
        raise InvalidArgumentError(f"local_response_normalization: depth_radius must be >= 0, "
                                   f"got {r}.")
    sq = pad(square(x), [[0, 0], [0, 0], [0, 0], [r, r]])
    window = sq[..., 0:c]
    for k in range(1, 2 * r + 1):
        window = window + sq[..., k:k + c]
    return x / pow(window * alpha + bias, beta)


lrn = local_response_normalization
