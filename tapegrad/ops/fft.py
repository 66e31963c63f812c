"""Fourier transforms (``tf.signal.fft`` … ``irfft3d``, ``fftshift``).

The transforms are four primitives, each the other's adjoint under TF's complex-gradient
convention (the cotangent of z = x + iy is dL/dx + i dL/dy, see ``ops/complex.py``):
``_dft`` (complex → complex, its adjoint the transform of the opposite sign), ``_rdft`` (real →
half spectrum) with ``_rdft_adjoint``, and ``_irdft`` (half spectrum → real) with
``_irdft_adjoint``.
"""

from __future__ import annotations

import math as _pymath
from typing import Any

from ..engine.backend import xp as np
from ..engine.errors import InvalidArgumentError, named
from ..engine.registry import primitive
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .array import _getitem, pad
from .complex import complex_dtype, real_dtype

__all__ = [
    "fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d", "rfft", "irfft", "rfft2d", "irfft2d",
    "rfft3d", "irfft3d", "fftshift", "ifftshift",
]


def _axes(rank: int) -> tuple:
    return tuple(range(-rank, 0))


def _fit(a, lengths: tuple, rank: int):
    """``a`` cropped or zero-padded on its last ``rank`` axes to ``lengths``."""
    a = a[(Ellipsis,) + tuple(slice(0, n) for n in lengths)]
    pads = [(0, 0)] * (a.ndim - rank) + [(0, n - d) for n, d in zip(lengths, a.shape[-rank:])]
    return np.pad(a, pads) if any(p for _, p in pads) else a


# -- complex → complex ------------------------------------------------------------------------
@primitive(name="dft")
def _dft(z, *, rank, sign, scale):
    axes = _axes(rank)
    n = _pymath.prod(z.shape[-rank:])
    out = np.fft.fftn(z, axes=axes) if sign < 0 else np.fft.ifftn(z, axes=axes) * n
    return (out * scale).astype(z.dtype, copy=False)


# the adjoint of the DFT matrix is the DFT of the opposite sign (F^H = conj(F))
_dft.defvjp(lambda g, ans, z, *, rank, sign, scale: (_dft(g, rank=rank, sign=-sign,
                                                           scale=scale),))
_dft.defjvp(lambda t, ans, z, *, rank, sign, scale: _dft(t[0], rank=rank, sign=sign, scale=scale))


# -- real → half spectrum, and its adjoint ----------------------------------------------------
@primitive(name="rdft")
def _rdft(x, *, n):
    rank = len(n)
    return np.fft.rfftn(_fit(x, n, rank), axes=_axes(rank)).astype(complex_dtype(x.dtype))


@primitive(name="rdft_adjoint")
def _rdft_adjoint(g, *, n, in_len):
    # Re(F^H g) with g zero-padded from the half spectrum to the full length, then fitted back
    rank = len(n)
    full = _fit(g, n[:-1] + (n[-1],), rank)
    out = np.fft.ifftn(full, axes=_axes(rank)).real * _pymath.prod(n)
    return np.ascontiguousarray(_fit(out, in_len, rank)).astype(real_dtype(g.dtype))


_rdft.defvjp(lambda g, ans, x, *, n: (_rdft_adjoint(g, n=n, in_len=shape_of(x)[-len(n):]),))
_rdft.defjvp(lambda t, ans, x, *, n: _rdft(t[0], n=n))
_rdft_adjoint.defvjp(lambda g, ans, x, *, n, in_len: (_rdft_fit(g, n, shape_of(x)[-len(n):]),))
_rdft_adjoint.defjvp(lambda t, ans, x, *, n, in_len: _rdft_adjoint(t[0], n=n, in_len=in_len))


def _rdft_fit(g, n, out_len):
    """_rdft of ``g``, its half spectrum fitted to ``out_len`` (the adjoint's adjoint)."""
    spec = _rdft(g, n=n)
    if shape_of(spec)[-len(n):] == tuple(out_len):
        return spec
    return _fit_tensor(spec, out_len)


def _fit_tensor(x, lengths):
    rank, shape = len(lengths), shape_of(x)
    x = _getitem(x, index=(Ellipsis,) + tuple(slice(0, k) for k in lengths))
    pads = [[0, 0]] * (len(shape) - rank) + [[0, max(0, k - d)] for k, d in
                                             zip(lengths, shape[-rank:])]
    return pad(x, pads) if any(p for _, p in pads) else x


# -- half spectrum → real, and its adjoint ----------------------------------------------------
def _half_weights(n_last: int, dtype) -> Any:
    """irfft counts each interior bin twice (it stands for its mirror), DC and Nyquist once."""
    w = np.full(n_last // 2 + 1, 2.0)
    w[0] = 1.0
    if n_last % 2 == 0:
        w[-1] = 1.0
    return w.astype(dtype)


@primitive(name="irdft")
def _irdft(z, *, n):
    rank = len(n)
    return np.fft.irfftn(z, s=n, axes=_axes(rank)).astype(real_dtype(z.dtype))


@primitive(name="irdft_adjoint")
def _irdft_adjoint(g, *, n, in_len):
    rank = len(n)
    spec = np.fft.rfftn(_fit(g, n, rank), axes=_axes(rank))
    spec = spec * _half_weights(n[-1], g.dtype) / _pymath.prod(n)
    return np.ascontiguousarray(_fit(spec, in_len, rank)).astype(complex_dtype(g.dtype))


_irdft.defvjp(lambda g, ans, z, *, n: (_irdft_adjoint(g, n=n, in_len=shape_of(z)[-len(n):]),))
_irdft.defjvp(lambda t, ans, z, *, n: _irdft(t[0], n=n))
_irdft_adjoint.defvjp(lambda g, ans, x, *, n, in_len: (
    _fit_tensor(_irdft(g, n=n), shape_of(x)[-len(n):]),))
_irdft_adjoint.defjvp(lambda t, ans, x, *, n, in_len: _irdft_adjoint(t[0], n=n, in_len=in_len))


# -- public FFTs ------------------------------------------------------------------------------
def _input(x: Any, op: str, kinds: str) -> Tensor:
    t = x if isinstance(x, _Base) else Tensor(convert_raw(x))
    if np.dtype(t.dtype.as_numpy_dtype).kind not in kinds:
        want = "complex64 or complex128" if kinds == "c" else "float32 or float64"
        raise named(InvalidArgumentError(f"{op}: the input must be {want}, got {t.dtype.name}"
                                         f"{list(shape_of(t))}; use tf.cast or tf.complex first."))
    return t


def _complex_fft(x, op, rank, sign):
    z = _input(x, op, "c")
    if len(shape_of(z)) < rank:
        raise InvalidArgumentError(f"{op}: the input must have rank >= {rank}, got shape "
                                   f"{list(shape_of(z))}.")
    n = _pymath.prod(shape_of(z)[-rank:])
    return _dft(z, rank=rank, sign=sign, scale=1.0 if sign < 0 else 1.0 / max(n, 1))


def _lengths(op, x, rank, fft_length, inverse):
    shape = shape_of(x)
    if len(shape) < rank:
        raise InvalidArgumentError(f"{op}: the input must have rank >= {rank}, got shape "
                                   f"{list(shape)}.")
    if fft_length is None:
        n = list(shape[-rank:])
        if inverse:
            n[-1] = 2 * (n[-1] - 1)
        return tuple(n)
    n = tuple(int(v) for v in np.asarray(convert_raw(
        fft_length._value if isinstance(fft_length, _Base) else fft_length)).reshape(-1))
    if len(n) != rank or min(n) < 1:
        raise InvalidArgumentError(f"{op}: fft_length must hold {rank} positive length(s), got "
                                   f"{list(n)}.")
    return n


def fft(input: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """The DFT over the innermost axis (``tf.signal.fft``); complex64/complex128 in and out.

    >>> import tapegrad as tf
    >>> tf.signal.fft(tf.complex([1.0, 2.0, 3.0, 4.0], 0.0 * tf.ones(4))).numpy()
    array([10.+0.j, -2.+2.j, -2.+0.j, -2.-2.j], dtype=complex64)
    """
    return _complex_fft(input, "fft", 1, -1)


def ifft(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The inverse DFT over the innermost axis, divided by its length (``tf.signal.ifft``).

    >>> import tapegrad as tf
    >>> tf.signal.ifft(tf.signal.fft(tf.complex([1.0, 2.0], [0.0, 0.0]))).numpy()
    array([1.+0.j, 2.+0.j], dtype=complex64)
    """
    return _complex_fft(input, "ifft", 1, 1)


def fft2d(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The 2-D DFT over the two innermost axes (``tf.signal.fft2d``).

    >>> import tapegrad as tf
    >>> tf.signal.fft2d(tf.complex(tf.ones([2, 2]), tf.zeros([2, 2]))).numpy().real
    array([[4., 0.],
           [0., 0.]], dtype=float32)
    """
    return _complex_fft(input, "fft2d", 2, -1)


def ifft2d(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The inverse 2-D DFT over the two innermost axes (``tf.signal.ifft2d``).

    >>> import tapegrad as tf
    >>> tf.signal.ifft2d(tf.complex(tf.ones([2, 2]), tf.zeros([2, 2]))).numpy().real
    array([[1., 0.],
           [0., 0.]], dtype=float32)
    """
    return _complex_fft(input, "ifft2d", 2, 1)


def fft3d(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The 3-D DFT over the three innermost axes (``tf.signal.fft3d``).

    >>> import tapegrad as tf
    >>> float(tf.math.real(tf.signal.fft3d(tf.complex(tf.ones([2, 2, 2]), 0.0)))[0, 0, 0])
    8.0
    """
    return _complex_fft(input, "fft3d", 3, -1)


def ifft3d(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The inverse 3-D DFT over the three innermost axes (``tf.signal.ifft3d``).

    >>> import tapegrad as tf
    >>> float(tf.math.real(tf.signal.ifft3d(tf.complex(tf.ones([2, 2, 2]), 0.0)))[0, 0, 0])
    1.0
    """
    return _complex_fft(input, "ifft3d", 3, 1)


def _real_fft(x, op, rank, fft_length):
    x = _input(x, op, "f")
    return _rdft(x, n=_lengths(op, x, rank, fft_length, False))


def _inverse_real_fft(z, op, rank, fft_length):
    z = _input(z, op, "c")
    return _irdft(z, n=_lengths(op, z, rank, fft_length, True))


def rfft(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """The DFT of a real signal over its innermost axis, ``fft_length // 2 + 1`` bins
    (``tf.signal.rfft``): float32 gives complex64. The input is cropped or zero-padded to
    ``fft_length`` (default: its length).

    >>> import tapegrad as tf
    >>> tf.signal.rfft([1.0, 2.0, 3.0, 4.0]).numpy()
    array([10.+0.j, -2.+2.j, -2.+0.j], dtype=complex64)
    """
    return _real_fft(input_tensor, "rfft", 1, fft_length)


def irfft(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """The real signal of a half spectrum (``tf.signal.irfft``); ``fft_length`` defaults to
    ``2 * (bins - 1)``. complex64 gives float32.

    >>> import tapegrad as tf
    >>> tf.signal.irfft(tf.signal.rfft([1.0, 2.0, 3.0, 4.0])).numpy()
    array([1., 2., 3., 4.], dtype=float32)
    """
    return _inverse_real_fft(input_tensor, "irfft", 1, fft_length)


def rfft2d(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """The 2-D DFT of a real signal over its two innermost axes (``tf.signal.rfft2d``).

    >>> import tapegrad as tf
    >>> tf.signal.rfft2d(tf.ones([2, 4])).shape
    TensorShape([2, 3])
    """
    return _real_fft(input_tensor, "rfft2d", 2, fft_length)


def irfft2d(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """The inverse of ``rfft2d`` (``tf.signal.irfft2d``).

    >>> import tapegrad as tf
    >>> tf.signal.irfft2d(tf.signal.rfft2d(tf.ones([2, 4]))).numpy().round(3).tolist()
    [[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]]
    """
    return _inverse_real_fft(input_tensor, "irfft2d", 2, fft_length)


def rfft3d(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """The 3-D DFT of a real signal over its three innermost axes (``tf.signal.rfft3d``).

    >>> import tapegrad as tf
    >>> tf.signal.rfft3d(tf.ones([2, 2, 4])).shape
    TensorShape([2, 2, 3])
    """
    return _real_fft(input_tensor, "rfft3d", 3, fft_length)


def irfft3d(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """The inverse of ``rfft3d`` (``tf.signal.irfft3d``).

    >>> import tapegrad as tf
    >>> tf.signal.irfft3d(tf.signal.rfft3d(tf.ones([1, 2, 4]))).shape
    TensorShape([1, 2, 4])
    """
    return _inverse_real_fft(input_tensor, "irfft3d", 3, fft_length)


def _shift(x: Any, axes: Any, sign: int) -> Tensor:
    x = x if isinstance(x, _Base) else Tensor(convert_raw(x))
    shape = shape_of(x)
    axes = range(len(shape)) if axes is None else ([axes] if isinstance(axes, int) else axes)
    out = x
    for ax in axes:
        d = shape[ax]
        src = np.roll(np.arange(d), sign * (d // 2))  # a gather along ``ax``
        out = _getitem(out, index=(slice(None),) * (ax % len(shape)) + (src,))
    return out


def fftshift(x: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """Move the zero-frequency bin to the centre (``tf.signal.fftshift``), over all axes by
    default.

    >>> import tapegrad as tf
    >>> tf.signal.fftshift([0, 1, 2, 3, -2, -1]).numpy().tolist()
    [3, -2, -1, 0, 1, 2]
    """
    return _shift(x, axes, 1)


def ifftshift(x: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """The inverse of ``fftshift`` (``tf.signal.ifftshift``).

    >>> import tapegrad as tf
    >>> tf.signal.ifftshift([3, -2, -1, 0, 1, 2]).numpy().tolist()
    [0, 1, 2, 3, -2, -1]
    """
    return _shift(x, axes, -1)
