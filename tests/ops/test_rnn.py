"""The fused LSTM cell: values and gradients against the same step composed from tapegrad ops,
gradients to second order (the fused backward kernel at first order, the composed VJP under an
outer tape)."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.ops import rnn
from tapegrad.testing import GradCase


def _composed(z, c):
    i, f, g, o = tf.split(z, 4, axis=-1)
    c_new = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
    return tf.sigmoid(o) * tf.tanh(c_new), c_new


def _both(z, c):  # one output mixing h and c_new, so both cotangents are exercised
    h, c_new = rnn.lstm_cell(z, c)
    return h * 2.0 + c_new


def _acts_times_h(h, c_new, acts):
    return acts * h[..., :1] + c_new[..., :1]


def _gru_composed(xz, hz, h):
    xz_z, xz_r, xz_h = tf.split(xz, 3, axis=-1)
    hz_z, hz_r, hz_h = tf.split(hz, 3, axis=-1)
    z, r = tf.sigmoid(xz_z + hz_z), tf.sigmoid(xz_r + hz_r)
    hh = tf.tanh(xz_h + r * hz_h)
    return z * h + (1.0 - z) * hh


def _gru_acts(xz, hz, h):
    h_new, acts = rnn._gru_cell(xz, hz, h)
    return acts * h_new[..., :1]


GRAD_CASES = [
    GradCase("lstm_cell", _both, [((3, 8), (3, 2)), ((2, 3, 4), (2, 3, 1))]),
    GradCase("lstm_cell_h_only", lambda z, c: rnn.lstm_cell(z, c)[0], [((2, 12), (2, 3))]),
    GradCase("lstm_cell_c_only", lambda z, c: rnn.lstm_cell(z, c)[1], [((2, 12), (2, 3))]),
    # the primitive's third output, the activated gates it keeps for its VJP
    GradCase("lstm_cell_acts", lambda z, c: _acts_times_h(*rnn._lstm_cell(z, c)),
             [((2, 12), (2, 3))]),
    GradCase("gru_cell", rnn.gru_cell,
             [((3, 6), (3, 6), (3, 2)), ((2, 3, 9), (2, 3, 9), (2, 3, 3))]),
    GradCase("gru_cell_acts", _gru_acts, [((2, 6), (2, 6), (2, 2))]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lstm_cell_matches_the_composed_step(dtype):
    rng = np.random.default_rng(0)
    z = tf.constant(rng.uniform(-4, 4, (5, 16)).astype(dtype))
    c = tf.constant(rng.uniform(-2, 2, (5, 4)).astype(dtype))
    gh = tf.constant(rng.standard_normal((5, 4)).astype(dtype))
    gc = tf.constant(rng.standard_normal((5, 4)).astype(dtype))
    results = []
    for cell in (rnn.lstm_cell, _composed):
        with tf.GradientTape() as tape:
            tape.watch([z, c])
            h, c_new = cell(z, c)
        grads = tape.gradient([h, c_new], [z, c], output_gradients=[gh, gc])
        results.append([v.numpy() for v in (h, c_new, *grads)])
    tol = 1e-6 if dtype == np.float32 else 1e-13
    for fused, composed in zip(*results):
        assert fused.dtype == dtype
        np.testing.assert_allclose(fused, composed, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gru_cell_matches_the_composed_step(dtype):
    rng = np.random.default_rng(1)
    args = [tf.constant(rng.uniform(-3, 3, s).astype(dtype)) for s in ((4, 9), (4, 9), (4, 3))]
    g = tf.constant(rng.standard_normal((4, 3)).astype(dtype))
    results = []
    for cell in (rnn.gru_cell, _gru_composed):
        with tf.GradientTape() as tape:
            tape.watch(args)
            out = cell(*args)
        results.append([out.numpy()] + [v.numpy() for v in tape.gradient(out, args, g)])
    tol = 1e-6 if dtype == np.float32 else 1e-13
    for fused, composed in zip(*results):
        np.testing.assert_allclose(fused, composed, rtol=tol, atol=tol)


def test_lstm_cell_refuses_mixed_dtypes():
    with pytest.raises(TypeError, match="lstm_cell"):
        rnn.lstm_cell(tf.zeros([1, 4]), tf.zeros([1, 1], tf.float64))
