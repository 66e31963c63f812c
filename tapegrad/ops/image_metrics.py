"""Image metrics and filters (``tf.image``): psnr, ssim, ssim_multiscale, total_variation,
image_gradients, sobel_edges — TF's formulas, composed of differentiable ops.

SSIM's Gaussian window is separable (TF builds it as a softmax of ``-(i² + j²) / 2σ²``, which is
the outer product of two normalised 1-D Gaussians), so the windowed means are two small matrix
products, like a resize.
"""

from __future__ import annotations

from typing import Any

from ..engine import dtypes as _dt
from ..engine.backend import xp as np
from ..engine.convert import convert_to_tensor, static_float, static_int
from ..engine.errors import InvalidArgumentError, named
from ..engine.tensor import Tensor, _Base, shape_of
from .array import concat, pad, stack
from .einsum import einsum
from .image_colour import convert_image_dtype
from .image_geometry import image_tensor, like
from .math import abs, log, pow, squared_difference, subtract
from .nn import relu
from .reduce import reduce_mean, reduce_prod, reduce_sum

__all__ = ["psnr", "ssim", "ssim_multiscale", "total_variation", "image_gradients",
           "sobel_edges"]

_MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def _pair(a: Any, b: Any, max_val: Any, op: str):
    """(a, b, max_val) as floats: integer images scale to [0, 1] (max_val with them), float64
    stays float64, other floats compute in float32 — TF's ``convert_image_dtype`` steps."""
    a = a if isinstance(a, _Base) else convert_to_tensor(a)
    b = b if isinstance(b, _Base) else convert_to_tensor(b)
    if a.dtype != b.dtype:
        raise InvalidArgumentError(f"image.{op}: a and b must have the same dtype, got "
                                   f"{a.dtype.name} and {b.dtype.name}.")
    sa, sb = shape_of(a), shape_of(b)
    if len(sa) < 3 or len(sb) < 3 or sa[-3:] != sb[-3:]:
        raise InvalidArgumentError(f"image.{op}: the images must have rank >= 3 and the same "
                                   f"[height, width, channels], got shapes {list(sa)} and "
                                   f"{list(sb)}.")
    to = _dt.float64 if a.dtype == _dt.float64 else _dt.float32
    m = convert_image_dtype(like(max_val, a.dtype), to)
    return convert_image_dtype(a, to), convert_image_dtype(b, to), m


def psnr(a: Any, b: Any, max_val: Any, name: str | None = None) -> Tensor:
    """Peak signal-to-noise ratio in dB, per image: ``20 log10(max_val) - 10 log10(mse)``
    (``tf.image.psnr``).

    >>> import tapegrad as tf
    >>> round(float(tf.image.psnr(tf.ones([4, 4, 1]) * 0.5, tf.zeros([4, 4, 1]), 1.0)), 3)
    6.021
    """
    a, b, m = _pair(a, b, max_val, "psnr")
    mse = reduce_mean(squared_difference(a, b), [-3, -2, -1])
    return subtract(20 * log(m) / log(like(10.0, m.dtype)),
                    like(10 / np.log(10), m.dtype) * log(mse))


def _gauss_rows(n: int, size: int, sigma: float, dtype) -> Tensor:
    """``[n - size + 1, n]`` matrix of the 1-D normalised Gaussian window, 'VALID' positions."""
    coords = np.arange(size) - (size - 1) / 2.0
    g = np.exp(-0.5 * coords ** 2 / sigma ** 2)
    g /= g.sum()
    rows = np.zeros((n - size + 1, n))
    for i in range(n - size + 1):
        rows[i, i:i + size] = g
    return like(rows, dtype)


def _ssim_per_channel(x, y, m, size: int, sigma: float, k1: float, k2: float):
    """(mean SSIM over height and width, mean cs) per channel, or the maps when asked."""
    h, w = shape_of(x)[-3:-1]
    if h < size or w < size:
        raise named(InvalidArgumentError(f"image.ssim: images of {h}x{w} are smaller than "
                                         f"filter_size {size}; use a smaller filter_size."))
    rh, rw = _gauss_rows(h, size, sigma, x.dtype), _gauss_rows(w, size, sigma, x.dtype)

    def reducer(z):
        return einsum("pw,...owc->...opc", rw, einsum("oh,...hwc->...owc", rh, z))

    c1, c2 = (k1 * m) ** 2, (k2 * m) ** 2
    mean0, mean1 = reducer(x), reducer(y)
    num0 = mean0 * mean1 * 2.0
    den0 = mean0 * mean0 + mean1 * mean1
    luminance = (num0 + c1) / (den0 + c1)
    num1 = reducer(x * y) * 2.0
    den1 = reducer(x * x + y * y)
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    return luminance * cs, cs


def ssim(img1: Any, img2: Any, max_val: Any, filter_size: int = 11, filter_sigma: float = 1.5,
         k1: float = 0.01, k2: float = 0.03, return_index_map: bool = False) -> Tensor:
    """Structural similarity of two (batches of) images, averaged over channels
    (``tf.image.ssim``); ``return_index_map=True`` keeps the per-position map.

    >>> import tapegrad as tf
    >>> x = tf.random.uniform([16, 16, 1], seed=1)
    >>> round(float(tf.image.ssim(x, x, 1.0)), 4)
    1.0
    """
    x, y, m = _pair(img1, img2, max_val, "ssim")
    val, cs = _ssim_per_channel(x, y, m, static_int(filter_size, "filter_size", "image.ssim"),
                                static_float(filter_sigma, "filter_sigma", "image.ssim"), k1, k2)
    if not return_index_map:
        val = reduce_mean(val, [-3, -2])
    return reduce_mean(val, [-1])


def _halve(z):
    """TF's MS-SSIM downscale: symmetric-pad odd sides by one, then 2x2 average pooling."""
    h, w = shape_of(z)[-3:-1]
    lead = len(shape_of(z)) - 3
    z = pad(z, [[0, 0]] * lead + [[0, h % 2], [0, w % 2], [0, 0]], mode="SYMMETRIC")
    h, w = h + h % 2, w + w % 2
    ph = like(np.kron(np.eye(h // 2), [0.5, 0.5]), z.dtype)
    pw = like(np.kron(np.eye(w // 2), [0.5, 0.5]), z.dtype)
    return einsum("pw,...owc->...opc", pw, einsum("oh,...hwc->...owc", ph, z))


def ssim_multiscale(img1: Any, img2: Any, max_val: Any, power_factors: Any = _MSSSIM_WEIGHTS,
                    filter_size: int = 11, filter_sigma: float = 1.5, k1: float = 0.01,
                    k2: float = 0.03) -> Tensor:
    """Multi-scale SSIM (``tf.image.ssim_multiscale``): the product over scales of
    ``relu(cs) ** power`` (the last scale's full SSIM), halving the images between scales.

    >>> import tapegrad as tf
    >>> x = tf.random.uniform([1, 48, 48, 1], seed=1)
    >>> round(float(tf.image.ssim_multiscale(x, x, 1.0, filter_size=3)[0]), 4)
    1.0
    """
    x, y, m = _pair(img1, img2, max_val, "ssim_multiscale")
    powers = [float(p) for p in (power_factors.numpy() if isinstance(power_factors, _Base)
                                 else power_factors)]
    mcs = []
    for k in range(len(powers)):
        if k:
            x, y = _halve(x), _halve(y)
        val, cs = _ssim_per_channel(
            x, y, m, static_int(filter_size, "filter_size", "image.ssim_multiscale"),
            static_float(filter_sigma, "filter_sigma", "image.ssim_multiscale"), k1, k2)
        mcs.append(relu(reduce_mean(cs, [-3, -2])))
    scores = stack(mcs[:-1] + [relu(reduce_mean(val, [-3, -2]))], axis=-1)
    return reduce_mean(reduce_prod(pow(scores, like(powers, scores.dtype)), [-1]), [-1])


def total_variation(images: Any, name: str | None = None) -> Tensor:
    """Sum of absolute differences of neighbouring pixels, per image
    (``tf.image.total_variation``).

    >>> import tapegrad as tf
    >>> float(tf.image.total_variation([[[0.0], [1.0]], [[3.0], [1.0]]]))
    6.0
    """
    x = image_tensor(images, "total_variation")
    h, w = (0, 1) if len(shape_of(x)) == 3 else (1, 2)
    axes = None if len(shape_of(x)) == 3 else [1, 2, 3]

    def diff(ax):
        lo = [slice(None)] * len(shape_of(x))
        hi = list(lo)
        lo[ax], hi[ax] = slice(None, -1), slice(1, None)
        return x[tuple(hi)] - x[tuple(lo)]

    return reduce_sum(abs(diff(h)), axes) + reduce_sum(abs(diff(w)), axes)


def image_gradients(image: Any) -> tuple[Tensor, Tensor]:
    """``(dy, dx)``: forward differences ``I[y+1] - I[y]``, zero on the last row/column
    (``tf.image.image_gradients``; 4-D input).

    >>> import tapegrad as tf
    >>> dy, dx = tf.image.image_gradients([[[[1.0], [2.0]], [[4.0], [8.0]]]])
    >>> dy.numpy().ravel().tolist(), dx.numpy().ravel().tolist()
    ([3.0, 6.0, 0.0, 0.0], [1.0, 0.0, 4.0, 0.0])
    """
    x = image_tensor(image, "image_gradients", ranks=(4,))
    b, h, w, d = shape_of(x)
    dy = concat([x[:, 1:] - x[:, :-1], like(np.zeros((b, 1, w, d)), x.dtype)], 1)
    dx = concat([x[:, :, 1:] - x[:, :, :-1], like(np.zeros((b, h, 1, d)), x.dtype)], 2)
    return dy, dx


_SOBEL = (np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
          np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]))


def sobel_edges(image: Any) -> Tensor:
    """Sobel responses ``[batch, h, w, channels, 2]`` (vertical then horizontal), the image
    reflect-padded by one pixel (``tf.image.sobel_edges``).

    >>> import tapegrad as tf
    >>> tf.image.sobel_edges(tf.zeros([1, 4, 5, 3])).shape
    TensorShape([1, 4, 5, 3, 2])
    """
    x = image_tensor(image, "sobel_edges", ranks=(4,))
    _, h, w, _ = shape_of(x)
    padded = pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    outs = []
    for kernel in _SOBEL:
        terms = [float(kernel[i, j]) * padded[:, i:i + h, j:j + w]
                 for i in range(3) for j in range(3) if kernel[i, j]]
        out = terms[0]
        for t in terms[1:]:
            out = out + t
        outs.append(out)
    return stack(outs, axis=-1)
