"""Framing and spectral features (``tf.signal``): frame, overlap_and_add, TF's windows, STFT and
its inverse, the mel filterbank, MFCCs and DCTs (the FFTs live in ``ops/fft.py``).

``_frame`` and ``_overlap_add`` are each other's VJP (framing copies samples into overlapping
frames; the adjoint adds them back). Windows, the mel matrix and the DCT matrices are
constants; ``dct`` is a matmul with one, so its gradient comes from matmul's.
"""

from __future__ import annotations

import math as _pymath
from typing import Any, Callable

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.convert import static_float, static_int
from ..engine.errors import InvalidArgumentError, named
from ..engine.registry import primitive
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .array import _getitem, _reshape, pad
from .fft import irfft, rfft
from .linalg import matmul

__all__ = [
    "frame", "overlap_and_add", "hann_window", "hamming_window", "kaiser_window",
    "kaiser_bessel_derived_window", "vorbis_window", "stft", "inverse_stft",
    "inverse_stft_window_fn", "linear_to_mel_weight_matrix", "mfccs_from_log_mel_spectrograms",
    "dct", "idct",
]


def _tensor(x: Any) -> Tensor:
    return x if isinstance(x, _Base) else Tensor(convert_raw(x))


# -- frame / overlap-add ------------------------------------------------------------------------
@primitive(name="frame")
def _frame(x, *, frame_length, frame_step, num_frames, axis):
    # axis < 0 counts from the end, so leading batch dims on a cotangent leave it right
    moved = np.moveaxis(x, axis, -1)
    idx = frame_step * np.arange(num_frames)[:, None] + np.arange(frame_length)[None, :]
    out = moved[..., idx]  # (..., frames, frame_length)
    return np.ascontiguousarray(np.moveaxis(out, (-2, -1), (axis - 1, axis)) if axis != -1
                                else out)


@primitive(name="overlap_add")
def _overlap_add(x, *, frame_step, length, axis):
    # x holds frames on ``axis`` and samples on ``axis + 1``; the output's ``axis + 1`` is time
    moved = np.moveaxis(x, (axis, axis + 1), (-2, -1)) if axis != -2 else x
    frames, frame_length = moved.shape[-2:]
    out = np.zeros(moved.shape[:-2] + (length,), x.dtype)
    for j in range(frame_length):  # samples j of all frames land on distinct positions
        out[..., j:j + frame_step * (frames - 1) + 1:frame_step] += moved[..., :, j]
    return np.moveaxis(out, -1, axis + 1) if axis != -2 else out


_frame.defvjp(lambda g, ans, x, *, frame_length, frame_step, num_frames, axis: (_overlap_add(
    g, frame_step=frame_step, length=shape_of(x)[axis], axis=axis - 1),))
_frame.defjvp(lambda t, ans, x, **p: _frame(t[0], **p))
_overlap_add.defvjp(lambda g, ans, x, *, frame_step, length, axis: (_frame(
    g, frame_length=shape_of(x)[axis + 1], frame_step=frame_step,
    num_frames=shape_of(x)[axis], axis=axis + 1),))
_overlap_add.defjvp(lambda t, ans, x, **p: _overlap_add(t[0], **p))


def _positive(op: str, **values: Any) -> list:
    out = []
    for key, v in values.items():
        v = static_int(v, key, op)
        if v < 1:
            raise InvalidArgumentError(f"{op}: {key} must be a positive integer, got {v}.")
        out.append(v)
    return out


def frame(signal: Any, frame_length: Any, frame_step: Any, pad_end: bool = False,
          pad_value: Any = 0, axis: int = -1, name: str | None = None) -> Tensor:
    """Overlapping frames of ``frame_length`` samples every ``frame_step`` along ``axis``
    (``tf.signal.frame``); with ``pad_end`` the end is padded with ``pad_value`` so that every
    sample lands in a frame.

    >>> import tapegrad as tf
    >>> tf.signal.frame([1, 2, 3, 4, 5], 3, 2).numpy().tolist()
    [[1, 2, 3], [3, 4, 5]]
    """
    x = _tensor(signal)
    fl, step = _positive("frame", frame_length=frame_length, frame_step=frame_step)
    shape = shape_of(x)
    if not shape:
        raise named(InvalidArgumentError("frame: the signal must have rank >= 1, got a scalar."))
    ax = axis - len(shape) if axis >= 0 else axis
    length = shape[ax]
    if pad_end:
        frames = -(-length // step)
        need = max(0, (frames - 1) * step + fl - length)
        if need:
            pads = [[0, 0] for _ in shape]
            pads[ax] = [0, need]
            x = pad(x, pads, constant_values=pad_value)
    else:
        frames = 1 + (length - fl) // step if length >= fl else 0
    return _frame(x, frame_length=fl, frame_step=step, num_frames=frames, axis=ax)


def overlap_and_add(signal: Any, frame_step: Any, name: str | None = None) -> Tensor:
    """Add frames ``[..., frames, frame_length]`` back together, ``frame_step`` apart
    (``tf.signal.overlap_and_add``): ``[..., (frames - 1) * frame_step + frame_length]``.

    >>> import tapegrad as tf
    >>> tf.signal.overlap_and_add([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], 2).numpy().tolist()
    [1.0, 1.0, 2.0, 1.0, 1.0]
    """
    x = _tensor(signal)
    (step,) = _positive("overlap_and_add", frame_step=frame_step)
    shape = shape_of(x)
    if len(shape) < 2:
        raise InvalidArgumentError(f"overlap_and_add: the signal must have rank >= 2 "
                                   f"[..., frames, frame_length], got shape {list(shape)}.")
    frames, fl = shape[-2:]
    length = max(0, (frames - 1) * step + fl)
    return _overlap_add(x, frame_step=step, length=length, axis=-2)


# -- windows (constants, as TF's: no gradient) ---------------------------------------------------
def _window(op: str, window_length: Any, dtype: Any, make: Callable) -> Tensor:
    n = static_int(window_length, "window_length", op)
    (n,) = _positive(op, window_length=n) if n != 0 else (0,)
    npd = _dt.np_dtype(dtype)
    if np.dtype(npd).kind != "f":
        raise named(ValueError(f"{op}: dtype must be a floating point type, got "
                               f"{np.dtype(npd).name}."))
    return Tensor(np.asarray(make(n) if n > 1 else np.ones(n), dtype=npd))


def _raised_cosine(a: float, b: float, n: int, periodic: bool):
    even = 1 - (n % 2) if periodic else 0
    denom = n + even - 1  # periodic windows are one longer and drop their last sample
    return a - b * np.cos(2.0 * np.pi * np.arange(n) / denom)


def hann_window(window_length: Any, periodic: bool = True, dtype: Any = _dt.float32,
                name: str | None = None) -> Tensor:
    """The Hann window ``0.5 - 0.5 cos(2πn / N)`` (``tf.signal.hann_window``); periodic
    (N = length) by default, symmetric (N = length - 1) otherwise.

    >>> import tapegrad as tf
    >>> tf.signal.hann_window(4).numpy().tolist()
    [0.0, 0.5, 1.0, 0.5]
    """
    return _window("hann_window", window_length, dtype,
                   lambda n: _raised_cosine(0.5, 0.5, n, bool(periodic)))


def hamming_window(window_length: Any, periodic: bool = True, dtype: Any = _dt.float32,
                   name: str | None = None) -> Tensor:
    """The Hamming window ``0.54 - 0.46 cos(2πn / N)`` (``tf.signal.hamming_window``).

    >>> import tapegrad as tf
    >>> tf.signal.hamming_window(4, dtype=tf.float64).numpy().round(2).tolist()
    [0.08, 0.54, 1.0, 0.54]
    """
    return _window("hamming_window", window_length, dtype,
                   lambda n: _raised_cosine(0.54, 0.46, n, bool(periodic)))


def kaiser_window(window_length: Any, beta: float = 12.0, dtype: Any = _dt.float32,
                  name: str | None = None) -> Tensor:
    """The (symmetric) Kaiser window with shape ``beta`` (``tf.signal.kaiser_window``).

    >>> import tapegrad as tf
    >>> tf.signal.kaiser_window(3, beta=0.0).numpy().tolist()
    [1.0, 1.0, 1.0]
    """
    b = static_float(beta, "beta", "kaiser_window")
    return _window("kaiser_window", window_length, dtype, lambda n: np.kaiser(n, b))


def kaiser_bessel_derived_window(window_length: Any, beta: float = 12.0,
                                 dtype: Any = _dt.float32, name: str | None = None) -> Tensor:
    """The Kaiser–Bessel-derived window (``tf.signal.kaiser_bessel_derived_window``): the
    square root of the normalised running sum of a Kaiser window, mirrored.

    >>> import tapegrad as tf
    >>> tf.signal.kaiser_bessel_derived_window(4, 0.0, tf.float64).numpy().round(3).tolist()
    [0.577, 0.816, 0.816, 0.577]
    """
    b = static_float(beta, "beta", "kaiser_bessel_derived_window")

    def make(n):
        csum = np.cumsum(np.kaiser(n // 2 + 1, b))
        half = np.sqrt(csum[:-1] / csum[-1])
        return np.concatenate([half, half[::-1]])
    return _window("kaiser_bessel_derived_window", window_length, dtype, make)


def vorbis_window(window_length: Any, dtype: Any = _dt.float32,
                  name: str | None = None) -> Tensor:
    """The Vorbis power-complementary window (``tf.signal.vorbis_window``).

    >>> import tapegrad as tf
    >>> tf.signal.vorbis_window(2, tf.float64).numpy().round(3).tolist()
    [0.707, 0.707]
    """
    def make(n):
        return np.sin(np.pi / 2 * np.sin(np.pi * (np.arange(n) + 0.5) / n) ** 2)
    return _window("vorbis_window", window_length, dtype, make)


# -- STFT ---------------------------------------------------------------------------------------
def _default_fft_length(frame_length: int) -> int:
    return 1 << max(0, (frame_length - 1).bit_length())  # the smallest power of 2 >= it


def stft(signals: Any, frame_length: Any, frame_step: Any, fft_length: Any = None,
         window_fn: Callable | None = hann_window, pad_end: bool = False,
         name: str | None = None) -> Tensor:
    """The short-time Fourier transform of real ``[..., samples]`` signals
    (``tf.signal.stft``): framed, windowed by ``window_fn(frame_length, dtype=...)`` and
    ``rfft``-ed to ``[..., frames, fft_length // 2 + 1]``; ``fft_length`` defaults to the
    smallest power of 2 holding a frame.

    >>> import tapegrad as tf
    >>> tf.signal.stft(tf.zeros([2, 100]), frame_length=16, frame_step=8).shape
    TensorShape([2, 11, 9])
    """
    x = _tensor(signals)
    fl, step = _positive("stft", frame_length=frame_length, frame_step=frame_step)
    n = _default_fft_length(fl) if fft_length is None else int(fft_length)
    frames = frame(x, fl, step, pad_end=pad_end)
    if window_fn is not None:
        frames = frames * window_fn(fl, dtype=x.dtype)
    return rfft(frames, [n])


def inverse_stft_window_fn(frame_step: Any,
                           forward_window_fn: Callable = hann_window,
                           name: str | None = None) -> Callable:
    """The window for ``inverse_stft`` that undoes ``forward_window_fn`` with overlap
    ``frame_step`` (``tf.signal.inverse_stft_window_fn``): the forward window divided by the
    overlapped sum of its squares.

    >>> import tapegrad as tf
    >>> w = tf.signal.inverse_stft_window_fn(2)(4, dtype=tf.float64)
    >>> w.numpy().round(3).tolist()
    [0.0, 1.0, 1.0, 1.0]
    """
    (step,) = _positive("inverse_stft_window_fn", frame_step=frame_step)

    def window(frame_length: int, dtype: Any = _dt.float32) -> Tensor:
        forward = forward_window_fn(frame_length, dtype=dtype).numpy()
        overlaps = -(-frame_length // step)
        sq = np.pad(forward ** 2, (0, overlaps * step - frame_length))
        denom = np.tile(sq.reshape(overlaps, step).sum(0), overlaps)[:frame_length]
        with np.errstate(divide="ignore", invalid="ignore"):
            return Tensor((forward / denom).astype(forward.dtype))
    return window


def inverse_stft(stfts: Any, frame_length: Any, frame_step: Any, fft_length: Any = None,
                 window_fn: Callable | None = hann_window, name: str | None = None) -> Tensor:
    """Signals from their STFTs (``tf.signal.inverse_stft``): ``irfft`` each frame, keep (or
    zero-pad to) ``frame_length`` samples, window and overlap-add. Pass
    ``window_fn=tf.signal.inverse_stft_window_fn(frame_step)`` for perfect reconstruction.

    >>> import tapegrad as tf
    >>> x = tf.sin(0.3 * tf.range(64, dtype=tf.float32))
    >>> s = tf.signal.stft(x, 16, 4)
    >>> y = tf.signal.inverse_stft(s, 16, 4, window_fn=tf.signal.inverse_stft_window_fn(4))
    >>> bool(tf.reduce_max(tf.abs(y[12:-12] - x[12:-12])) < 1e-5)
    True
    """
    z = _tensor(stfts)
    fl, step = _positive("inverse_stft", frame_length=frame_length, frame_step=frame_step)
    n = _default_fft_length(fl) if fft_length is None else int(fft_length)
    frames = irfft(z, [n])
    if n > fl:
        frames = _getitem(frames, index=(Ellipsis, slice(0, fl)))
    elif n < fl:
        pads = [[0, 0]] * (len(shape_of(frames)) - 1) + [[0, fl - n]]
        frames = pad(frames, pads)
    if window_fn is not None:
        frames = frames * window_fn(fl, dtype=frames.dtype)
    return overlap_and_add(frames, step)


# -- mel filterbank, MFCCs ----------------------------------------------------------------------
def _hertz_to_mel(f):
    return 1127.0 * np.log1p(f / 700.0)  # HTK's mel scale, as TF's


def linear_to_mel_weight_matrix(num_mel_bins: int = 20, num_spectrogram_bins: int = 129,
                                sample_rate: Any = 8000, lower_edge_hertz: float = 125.0,
                                upper_edge_hertz: float = 3800.0, dtype: Any = _dt.float32,
                                name: str | None = None) -> Tensor:
    """A ``[num_spectrogram_bins, num_mel_bins]`` matrix of triangular mel filters
    (``tf.signal.linear_to_mel_weight_matrix``): multiply linear magnitude spectrograms by it.
    The DC bin gets no weight, as in TF.

    >>> import tapegrad as tf
    >>> tf.signal.linear_to_mel_weight_matrix(4, 9, 8000, 100.0, 4000.0).shape
    TensorShape([9, 4])
    """
    op = "linear_to_mel_weight_matrix"
    num_mel_bins, num_spectrogram_bins = _positive(
        op, num_mel_bins=num_mel_bins, num_spectrogram_bins=num_spectrogram_bins)
    sr = static_float(sample_rate, "sample_rate", op)
    lo = static_float(lower_edge_hertz, "lower_edge_hertz", op)
    hi = static_float(upper_edge_hertz, "upper_edge_hertz", op)
    if sr <= 0 or lo < 0 or lo >= hi or hi > sr / 2:
        raise ValueError(f"{op}: need sample_rate > 0 and 0 <= lower_edge_hertz < "
                         f"upper_edge_hertz <= sample_rate / 2, got sample_rate={sr}, "
                         f"lower_edge_hertz={lo}, upper_edge_hertz={hi}.")
    npd = _dt.np_dtype(dtype)
    linear = np.linspace(0.0, sr / 2, num_spectrogram_bins, dtype=npd)[1:]
    mel = _hertz_to_mel(linear)[:, None]
    edges = np.linspace(_hertz_to_mel(np.asarray(lo, npd)), _hertz_to_mel(np.asarray(hi, npd)),
                        num_mel_bins + 2, dtype=npd)
    lower, center, upper = edges[:-2], edges[1:-1], edges[2:]
    rising = (mel - lower) / (center - lower)
    falling = (upper - mel) / (upper - center)
    weights = np.maximum(0.0, np.minimum(rising, falling)).astype(npd)
    return Tensor(np.pad(weights, [(1, 0), (0, 0)]))


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms: Any,
                                    name: str | None = None) -> Tensor:
    """MFCCs of ``[..., num_mel_bins]`` log-mel spectrograms
    (``tf.signal.mfccs_from_log_mel_spectrograms``): an orthonormal DCT-II (TF's scaling,
    ``dct(x) / sqrt(2 * num_mel_bins)``); keep the first few coefficients.

    >>> import tapegrad as tf
    >>> m = tf.signal.mfccs_from_log_mel_spectrograms(tf.ones([1, 4], tf.float64))
    >>> round(float(m[0, 0]), 3), round(float(tf.reduce_max(tf.abs(m[0, 1:]))), 3)
    (2.828, 0.0)
    """
    x = _tensor(log_mel_spectrograms)
    bins = shape_of(x)[-1] if shape_of(x) else 0
    if bins < 1:
        raise InvalidArgumentError(f"mfccs_from_log_mel_spectrograms: the input must be "
                                   f"[..., num_mel_bins] with num_mel_bins > 0, got shape "
                                   f"{list(shape_of(x))}.")
    return dct(x, type=2) * (1.0 / _pymath.sqrt(2.0 * bins))


# -- DCT ----------------------------------------------------------------------------------------
def _dct_matrix(kind: int, n: int, norm: str | None):
    """M with dct(x) = x @ M for length-n x (scipy's definitions, which TF follows)."""
    i = np.arange(n)[:, None]  # input sample
    k = np.arange(n)[None, :]  # output coefficient
    if kind == 1:
        m = 2.0 * np.cos(np.pi * i * k / (n - 1))
        m[0, :], m[-1, :] = 1.0, (-1.0) ** np.arange(n)
    elif kind == 2:
        m = 2.0 * np.cos(np.pi * k * (2 * i + 1) / (2 * n))
        if norm == "ortho":
            m[:, 0] *= np.sqrt(1.0 / (4 * n))
            m[:, 1:] *= np.sqrt(1.0 / (2 * n))
    elif kind == 3:
        m = 2.0 * np.cos(np.pi * (2 * k + 1) * i / (2 * n))
        m[0, :] = 1.0
        if norm == "ortho":
            m[0, :] /= np.sqrt(n)
            m[1:, :] *= np.sqrt(1.0 / (2 * n))
    else:
        m = 2.0 * np.cos(np.pi * (2 * k + 1) * (2 * i + 1) / (4 * n))
        if norm == "ortho":
            m *= np.sqrt(1.0 / (2 * n))
    return m


def dct(input: Any, type: int = 2, n: int | None = None, axis: int = -1,  # noqa: A002
        norm: str | None = None, name: str | None = None) -> Tensor:
    """The discrete cosine transform of type 1–4 over the last axis (``tf.signal.dct``), as
    scipy's; ``n`` crops or zero-pads the input first; ``norm='ortho'`` for types 2–4.

    >>> import tapegrad as tf
    >>> tf.signal.dct(tf.constant([1.0, 2.0, 3.0], tf.float64)).numpy().round(3).tolist()
    [12.0, -3.464, 0.0]
    """
    x = _tensor(input)
    shape = shape_of(x)
    if type not in (1, 2, 3, 4) or axis != -1 or norm not in (None, "ortho") or \
            (type == 1 and norm == "ortho"):
        raise ValueError(f"dct: need type in 1..4, axis=-1 and norm None or 'ortho' (not with "
                         f"type 1), got type={type}, axis={axis}, norm={norm!r}.")
    if np.dtype(x.dtype.as_numpy_dtype).kind != "f" or not shape:
        raise named(ValueError(f"dct: the input must be a float tensor of rank >= 1, got "
                               f"{x.dtype.name}{list(shape)}."))
    length = shape[-1] if n is None else int(n)
    if length < (2 if type == 1 else 1):
        raise named(ValueError(f"dct: the length must be >= {2 if type == 1 else 1}, got "
                               f"{length}."))
    if length < shape[-1]:
        x = _getitem(x, index=(Ellipsis, slice(0, length)))
    elif length > shape[-1]:
        x = pad(x, [[0, 0]] * (len(shape) - 1) + [[0, length - shape[-1]]])
    m = Tensor(_dct_matrix(type, length, norm).astype(x.dtype.as_numpy_dtype))
    flat = _reshape(x, shape=(-1, length)) if len(shape) != 2 else x
    out = matmul(flat, m)
    return out if len(shape) == 2 else _reshape(out, shape=tuple(shape[:-1]) + (length,))


def idct(input: Any, type: int = 2, n: int | None = None, axis: int = -1,  # noqa: A002
         norm: str | None = None, name: str | None = None) -> Tensor:
    """The inverse DCT (``tf.signal.idct``): the DCT of the inverse type (2 ↔ 3, 1 and 4
    themselves); without ``norm='ortho'`` the round trip is scaled by 2N (2(N-1) for type 1).

    >>> import tapegrad as tf
    >>> x = tf.constant([1.0, 2.0, 3.0])
    >>> tf.signal.idct(tf.signal.dct(x, norm="ortho"), norm="ortho").numpy().round(3).tolist()
    [1.0, 2.0, 3.0]
    """
    if n is not None:
        raise ValueError(f"idct: n must be None (as TF's), got {n}.")
    return dct(input, type={1: 1, 2: 3, 3: 2, 4: 4}.get(type, type), n=n, axis=axis, norm=norm)
