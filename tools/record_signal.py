"""Record tf.signal outputs and gradients for tests/data/tf_signal.npz.

Run with a Python that has TensorFlow 2.21 installed (never a tapegrad dependency):
``python tools/record_signal.py``. Inputs are drawn from a fixed seed and stored beside the
outputs, so the test feeds tapegrad exactly what TF saw.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def _grad(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x).numpy()


def _ffts(rng, out):
    c = (rng.standard_normal((2, 4, 6)) + 1j * rng.standard_normal((2, 4, 6))).astype(np.complex64)
    r = rng.standard_normal((2, 4, 6)).astype(np.float32)
    out.update(c=c, r=r, fft=tf.signal.fft(c).numpy(), ifft=tf.signal.ifft(c).numpy(),
               fft2d=tf.signal.fft2d(c).numpy(), ifft2d=tf.signal.ifft2d(c).numpy(),
               fft3d=tf.signal.fft3d(c).numpy(), ifft3d=tf.signal.ifft3d(c).numpy(),
               rfft=tf.signal.rfft(r).numpy(), rfft_8=tf.signal.rfft(r, [8]).numpy(),
               rfft_4=tf.signal.rfft(r, [4]).numpy(), rfft2d=tf.signal.rfft2d(r).numpy(),
               rfft3d=tf.signal.rfft3d(r).numpy(), irfft=tf.signal.irfft(c).numpy(),
               irfft_7=tf.signal.irfft(c, [7]).numpy(), irfft2d=tf.signal.irfft2d(c).numpy(),
               irfft3d=tf.signal.irfft3d(c).numpy(),
               fftshift=tf.signal.fftshift(r).numpy(),
               fftshift_1=tf.signal.fftshift(r, axes=1).numpy(),
               ifftshift=tf.signal.ifftshift(r).numpy())
    r64 = r.astype(np.float64)
    w = rng.standard_normal((2, 4, 4))
    out["w"] = w
    out["grad_rfft"] = _grad(lambda x: tf.reduce_sum(tf.abs(tf.signal.rfft(x)) * w), r64)
    out["grad_rfft2d"] = _grad(lambda x: tf.reduce_sum(
        tf.math.real(tf.signal.rfft2d(x)) * w[..., :4] + tf.math.imag(tf.signal.rfft2d(x))), r64)
    out["grad_irfft"] = _grad(lambda x: tf.reduce_sum(
        tf.signal.irfft(tf.complex(x, x[..., ::-1] * 0.5)) * tf.range(10, dtype=tf.float64)), r64)


def _frames(rng, out):
    s = rng.standard_normal((2, 50)).astype(np.float32)
    out.update(s=s, frame=tf.signal.frame(s, 16, 5).numpy(),
               frame_pad=tf.signal.frame(s, 16, 5, pad_end=True, pad_value=1.5).numpy(),
               frame_axis0=tf.signal.frame(s.T, 8, 12, axis=0).numpy(),
               ola=tf.signal.overlap_and_add(tf.signal.frame(s, 16, 5), 5).numpy())
    for name, fn in (("hann", tf.signal.hann_window), ("hamming", tf.signal.hamming_window)):
        out[name] = fn(9).numpy()
        out[name + "_sym"] = fn(9, periodic=False).numpy()
    out["kaiser"] = tf.signal.kaiser_window(9, beta=6.0).numpy()
    out["kbd"] = tf.signal.kaiser_bessel_derived_window(8, beta=6.0).numpy()
    st = tf.signal.stft(s, 16, 4)
    out["stft"] = st.numpy()
    out["stft_pad"] = tf.signal.stft(s, 15, 6, fft_length=20, window_fn=tf.signal.hamming_window,
                                     pad_end=True).numpy()
    out["istft"] = tf.signal.inverse_stft(
        st, 16, 4, window_fn=tf.signal.inverse_stft_window_fn(4)).numpy()
    out["grad_stft"] = _grad(lambda x: tf.reduce_sum(tf.abs(tf.signal.stft(x, 16, 4)) ** 2),
                             s.astype(np.float64))


def _spectral(rng, out):
    out["mel"] = tf.signal.linear_to_mel_weight_matrix(8, 17, 8000, 20.0, 4000.0).numpy()
    out["mel_default"] = tf.signal.linear_to_mel_weight_matrix().numpy()
    lm = rng.standard_normal((3, 10)).astype(np.float32)
    out["log_mel"] = lm
    out["mfcc"] = tf.signal.mfccs_from_log_mel_spectrograms(lm).numpy()
    x = rng.standard_normal((3, 8))
    out["dct_x"] = x
    for t in (1, 2, 3, 4):
        out[f"dct{t}"] = tf.signal.dct(x, type=t).numpy()
        out[f"idct{t}"] = tf.signal.idct(x, type=t).numpy()
        if t != 1:
            out[f"dct{t}_ortho"] = tf.signal.dct(x, type=t, norm="ortho").numpy()
    out["dct2_n5"] = tf.signal.dct(x, n=5).numpy()
    out["dct2_n11"] = tf.signal.dct(x, n=11).numpy()
    out["grad_dct2"] = _grad(lambda v: tf.reduce_sum(tf.signal.dct(v, norm="ortho") * x), x)


def main() -> None:
    rng = np.random.default_rng(20)
    out: dict = {}
    _ffts(rng, out)
    _frames(rng, out)
    _spectral(rng, out)
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "tf_signal.npz")
    np.savez_compressed(path, **out)


if __name__ == "__main__":
    main()
