"""tf.signal (ops/fft.py, ops/signal.py) and complex numbers (ops/complex.py): gradients to order
2, and values and gradients against numbers recorded from TF 2.21 (tools/record_signal.py)."""

import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.ops import fft as fft_ops
from tapegrad.testing import GradCase

S = tf.signal
DATA = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "tf_signal.npz"))


def _z(x):
    """A complex input built from a real one: x + i x reversed along the last axis."""
    return tf.complex(x, tf.reverse(x, [-1]) * 0.5)


def _power(z):
    return tf.math.real(z) ** 2 + tf.math.imag(z) * tf.math.imag(z)


R1 = [((6,),), ((2, 5),)]
R2 = [((4, 6),), ((2, 3, 4),)]
R3 = [((2, 3, 4),)]

GRAD_CASES = [
    GradCase("complex_real_imag", lambda x, y: tf.math.real(tf.complex(x, y)) * tf.math.imag(
        tf.complex(y, x)), [((3,), (3,)), ((2, 3), (3,))]),
    GradCase("conj", lambda x: tf.math.imag(tf.math.conj(_z(x))), R1),
    GradCase("complex_abs", lambda x: tf.abs(_z(x)), R1, domain=(0.5, 2.0)),
    GradCase("complex_multiply", lambda x: _power(_z(x) * _z(x * 0.5 + 1.0)), R1),
    GradCase("fft", lambda x: _power(S.fft(_z(x))), R1),
    GradCase("ifft", lambda x: tf.math.real(S.ifft(_z(x))) * x, R1),
    GradCase("fft2d_ifft2d", lambda x: tf.math.imag(S.ifft2d(S.fft2d(_z(x)) * _z(x))), R2),
    GradCase("fft3d", lambda x: _power(S.fft3d(_z(x))) + tf.math.real(S.ifft3d(_z(x))), R3),
    GradCase("rfft", lambda x: _power(S.rfft(x)), R1),
    GradCase("rfft_pad_crop", lambda x: _power(S.rfft(x, [8])) + tf.reduce_sum(
        tf.math.imag(S.rfft(x, [3])) ** 2), R1),
    GradCase("rfft2d_3d", lambda x: _power(S.rfft2d(x)) * 0.1 + tf.reduce_sum(
        tf.math.imag(S.rfft3d(x)) ** 2), R3),
    GradCase("irfft", lambda x: S.irfft(_z(x)) ** 2, R1),
    GradCase("irfft_len", lambda x: S.irfft(_z(x), [7]) * S.irfft(_z(x), [3])[..., :1], R1),
    GradCase("irfft2d_3d", lambda x: S.irfft2d(_z(x)) ** 2 + tf.reduce_sum(S.irfft3d(_z(x))), R3),
    GradCase("rdft_adjoint", lambda x: fft_ops._rdft_adjoint(_z(x), n=(6,), in_len=(5,)) ** 2,
             [((4,),), ((2, 3),)]),
    GradCase("irdft_adjoint", lambda x: _power(fft_ops._irdft_adjoint(x, n=(6,), in_len=(3,))),
             [((5,),), ((2, 7),)]),
    GradCase("fftshift", lambda x: S.fftshift(x) * S.ifftshift(x, axes=-1), R2),
    GradCase("frame", lambda x: S.frame(x, 3, 2) ** 2, [((7,),), ((2, 8),)]),
    GradCase("frame_pad_axis", lambda x: S.frame(x, 2, 1, pad_end=True, axis=0) ** 2,
             [((5, 2),)]),
    GradCase("overlap_and_add", lambda x: S.overlap_and_add(x, 2) ** 2, [((3, 4),), ((2, 3, 3),)]),
    GradCase("stft", lambda x: tf.abs(S.stft(x, 8, 3)), [((20,),)], modes=("rev", "fwd")),
    GradCase("inverse_stft", lambda x: S.inverse_stft(_z(x), 8, 2) ** 2, [((4, 5),)]),
    GradCase("dct", lambda x: S.dct(x) * S.dct(x, type=4, norm="ortho"), R1),
    GradCase("dct1_idct_n", lambda x: S.dct(x, type=1, n=4) + S.idct(x, type=3)[..., :4], R1),
    GradCase("mfcc", lambda x: S.mfccs_from_log_mel_spectrograms(x) ** 2, R2),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def _same(name, got, tol=1e-4):
    want = DATA[name]
    got = np.asarray(got)
    assert got.dtype == want.dtype and got.shape == want.shape, (name, got.dtype, got.shape)
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol, err_msg=name)


@pytest.mark.parametrize("name,fn", [
    ("fft", S.fft), ("ifft", S.ifft), ("fft2d", S.fft2d), ("ifft2d", S.ifft2d),
    ("fft3d", S.fft3d), ("ifft3d", S.ifft3d), ("irfft", S.irfft), ("irfft2d", S.irfft2d),
    ("irfft3d", S.irfft3d), ("irfft_7", lambda c: S.irfft(c, [7]))])
def test_complex_transforms_as_tf(name, fn):
    _same(name, fn(DATA["c"]))


@pytest.mark.parametrize("name,fn", [
    ("rfft", S.rfft), ("rfft_8", lambda r: S.rfft(r, [8])), ("rfft_4", lambda r: S.rfft(r, [4])),
    ("rfft2d", S.rfft2d), ("rfft3d", S.rfft3d), ("fftshift", S.fftshift),
    ("fftshift_1", lambda r: S.fftshift(r, axes=1)), ("ifftshift", S.ifftshift)])
def test_real_transforms_as_tf(name, fn):
    _same(name, fn(DATA["r"]))


def test_frames_windows_stft_as_tf():
    s = DATA["s"]
    _same("frame", S.frame(s, 16, 5))
    _same("frame_pad", S.frame(s, 16, 5, pad_end=True, pad_value=1.5))
    _same("frame_axis0", S.frame(s.T, 8, 12, axis=0))
    _same("ola", S.overlap_and_add(S.frame(s, 16, 5), 5))
    for name, fn in (("hann", S.hann_window), ("hamming", S.hamming_window)):
        _same(name, fn(9))
        _same(name + "_sym", fn(9, periodic=False))
    _same("kaiser", S.kaiser_window(9, beta=6.0))
    _same("kbd", S.kaiser_bessel_derived_window(8, beta=6.0))
    st = S.stft(s, 16, 4)
    _same("stft", st, 1e-3)
    _same("stft_pad", S.stft(s, 15, 6, fft_length=20, window_fn=S.hamming_window, pad_end=True),
          1e-3)
    _same("istft", S.inverse_stft(st, 16, 4, window_fn=S.inverse_stft_window_fn(4)), 1e-3)


def test_mel_mfcc_dct_as_tf():
    _same("mel", S.linear_to_mel_weight_matrix(8, 17, 8000, 20.0, 4000.0))
    _same("mel_default", S.linear_to_mel_weight_matrix())
    _same("mfcc", S.mfccs_from_log_mel_spectrograms(DATA["log_mel"]))
    x = DATA["dct_x"]
    for t in (1, 2, 3, 4):
        _same(f"dct{t}", S.dct(x, type=t), 1e-9)
        _same(f"idct{t}", S.idct(x, type=t), 1e-9)
        if t != 1:
            _same(f"dct{t}_ortho", S.dct(x, type=t, norm="ortho"), 1e-9)
    _same("dct2_n5", S.dct(x, n=5), 1e-9)
    _same("dct2_n11", S.dct(x, n=11), 1e-9)


def _grad(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x).numpy()


def test_gradients_as_tf():
    r, w = DATA["r"].astype(np.float64), DATA["w"]
    _same("grad_rfft", _grad(lambda x: tf.reduce_sum(tf.abs(S.rfft(x)) * w), r), 1e-6)
    _same("grad_rfft2d", _grad(lambda x: tf.reduce_sum(
        tf.math.real(S.rfft2d(x)) * w[..., :4] + tf.math.imag(S.rfft2d(x))), r), 1e-6)
    _same("grad_irfft", _grad(lambda x: tf.reduce_sum(
        S.irfft(tf.complex(x, x[..., ::-1] * 0.5)) * tf.range(10, dtype=tf.float64)), r), 1e-6)
    _same("grad_stft", _grad(lambda x: tf.reduce_sum(tf.abs(S.stft(x, 16, 4)) ** 2),
                             DATA["s"].astype(np.float64)), 1e-4)
    x = DATA["dct_x"]
    _same("grad_dct2", _grad(lambda v: tf.reduce_sum(S.dct(v, norm="ortho") * x), x), 1e-9)


def test_dtypes_and_errors():
    assert S.rfft(np.zeros(4)).dtype == tf.complex128
    assert S.irfft(tf.complex(tf.zeros(3), tf.zeros(3))).dtype == tf.float32
    with pytest.raises(InvalidArgumentError, match="fft: the input must be complex64"):
        S.fft(tf.zeros(4))
    with pytest.raises(InvalidArgumentError, match="rfft: the input must be float32"):
        S.rfft(tf.complex(tf.zeros(4), tf.zeros(4)))
    with pytest.raises(InvalidArgumentError, match="fft2d: the input must have rank >= 2"):
        S.fft2d(tf.complex(tf.zeros(4), tf.zeros(4)))
    with pytest.raises(InvalidArgumentError, match="frame: frame_step must be a positive"):
        S.frame(tf.zeros(4), 2, 0)
    with pytest.raises(ValueError, match="dct: need type in 1..4"):
        S.dct(tf.zeros(4), type=5)
    with pytest.raises(TypeError, match="complex: real and imag must both be"):
        tf.complex(tf.zeros(2), tf.zeros(2, dtype=tf.float64))


def test_audio_tutorial_preprocessing():
    """TF's "Simple audio recognition" spectrogram: |stft| with a frame of 255 and step 128."""
    wave = tf.sin(tf.range(16000, dtype=tf.float32) * 0.05)
    spectrogram = tf.abs(S.stft(wave, frame_length=255, frame_step=128))
    spectrogram = spectrogram[..., tf.newaxis]
    assert spectrogram.shape == (124, 129, 1) and spectrogram.dtype == tf.float32
    mel = tf.tensordot(spectrogram[..., 0], S.linear_to_mel_weight_matrix(40, 129, 16000), 1)
    mfcc = S.mfccs_from_log_mel_spectrograms(tf.math.log(mel + 1e-6))[..., :13]
    assert mfcc.shape == (124, 13)
    peak = int(tf.argmax(spectrogram[10, :, 0]))  # 0.05 rad/sample: bin 0.05 * 256 / 2π ≈ 2
    assert peak == 2


def test_complex_jvp_with_one_part_held_constant():
    """tf.complex(x, y) pushes a tangent through either part alone; the part without one
    contributes an exact zero (not t * 0 of the other part's shape gone wrong)."""
    x, y = tf.constant([1.5, -2.0]), tf.constant([0.5, 3.0])
    with tf.autodiff.ForwardAccumulator(y, tf.constant([2.0, -1.0])) as acc:
        z = tf.complex(x, y)
    np.testing.assert_allclose(acc.jvp(z).numpy(), [2j, -1j])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([4.0, 0.0])) as acc:
        z = tf.complex(x, y)
    np.testing.assert_allclose(acc.jvp(z).numpy(), [4.0, 0.0])
