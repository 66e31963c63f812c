"""Recurrent layers: outputs, states and weight gradients against Keras 3 with the same weights
(tests/data/keras_models.json, tools/record_keras_models.py), gradient checks, shapes, errors."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import layers
from tapegrad.testing import check_grads

REF = json.loads((pathlib.Path(__file__).parent.parent / "data" / "keras_models.json")
                 .read_text(encoding="utf-8"))["rnn"]


def _layer(case, **kw):
    layer = getattr(layers, case["name"])(4, return_sequences=True, return_state=True,
                                          **case["config"], **kw)
    layer.build((None, 5, 3))
    layer.set_weights([np.array(w) for w in case["weights"]])
    return layer


@pytest.mark.parametrize("key", sorted(k for k in REF if not k.startswith("bi_")))
def test_outputs_states_and_gradients_match_keras(key):
    case = REF[key]
    layer = _layer(case)
    x = np.array(case["x"], np.float32)
    with tf.GradientTape() as tape:
        outs = layer(x)
        loss = tf.reduce_sum(outs[0] * np.array(case["coeff"], np.float32))
    assert len(outs) == len(case["outputs"])
    for got, want in zip(outs, case["outputs"]):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
    grads = tape.gradient(loss, layer.trainable_variables)
    for got, want in zip(grads, case["grads"]):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("key", ["SimpleRNN", "LSTM", "GRU", "GRU_reset_before"])
def test_gradient_check_inputs_and_initial_state(key):
    case = REF[key]
    layer = _layer(case, dtype="float64")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 3))
    n_states = 2 if case["name"] == "LSTM" else 1
    states = [rng.standard_normal((2, 4)) * 0.5 for _ in range(n_states)]
    check_grads(lambda x, *s: layer(x, initial_state=list(s))[0], [x] + states, order=2,
                modes=("rev", "fwd"))


@pytest.mark.parametrize("key", sorted(k for k in REF if k.startswith("bi_")))
def test_bidirectional_matches_keras(key):
    case = REF[key]
    inner = getattr(layers, case["inner"])(case["units"],
                                           return_sequences=case["return_sequences"],
                                           return_state=case["return_state"])
    bi = layers.Bidirectional(inner, merge_mode=case["mode"])
    bi.build((None, 5, 3))
    bi(np.zeros((1, 5, 3), np.float32))
    bi.set_weights([np.array(w) for w in case["weights"]])
    outs = bi(np.array(case["x"], np.float32))
    outs = outs if isinstance(outs, list) else [outs]
    assert len(outs) == len(case["outputs"])
    for got, want in zip(outs, case["outputs"]):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)


def test_bidirectional_gradients_and_shapes():
    bi = layers.Bidirectional(layers.GRU(2, return_sequences=True, dtype="float64"),
                              merge_mode="mul", dtype="float64")
    x = np.random.default_rng(1).standard_normal((2, 3, 2))
    check_grads(bi, [x], order=1, modes=("rev", "fwd"))
    y = layers.Bidirectional(layers.LSTM(3, return_state=True))(tf.keras.Input((None, 2)))
    assert [t.shape for t in y] == [(None, 6)] + [(None, 3)] * 4
    with pytest.raises(ValueError, match="merge_mode must be one of"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="must be a SimpleRNN, LSTM or GRU"):
        layers.Bidirectional(layers.Dense(2))


def test_symbolic_shapes_and_options():
    x = tf.keras.Input((None, 3))
    assert layers.LSTM(6)(x).shape == (None, 6)
    seq, h = layers.GRU(5, return_sequences=True, return_state=True)(x)
    assert seq.shape == (None, None, 5) and h.shape == (None, 5)
    model = tf.keras.Model(x, layers.SimpleRNN(2)(layers.LSTM(4, return_sequences=True)(x)))
    assert model(np.zeros((3, 7, 3), np.float32)).shape == (3, 2)
    lstm = layers.LSTM(3)
    lstm.build((None, 2, 2))
    np.testing.assert_array_equal(lstm.bias.numpy(), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    rk = lstm.recurrent_kernel.numpy()  # (3, 12): orthonormal rows, as Keras's Orthogonal
    np.testing.assert_allclose(rk @ rk.T, np.eye(3), atol=1e-5)


def test_errors():
    with pytest.raises(ValueError, match=r"LSTM .* \(batch, timesteps, features\).*\(None, 3\)"):
        layers.LSTM(2)(tf.keras.Input((3,)))
    with pytest.raises(ValueError, match="takes 2 initial state"):
        layers.LSTM(2)(np.zeros((1, 2, 3), np.float32), initial_state=[np.zeros((1, 2))])
    with pytest.raises(ValueError, match="stateful=True needs a known batch size"):
        layers.GRU(2, stateful=True)(tf.keras.Input((4, 3)))
    with pytest.raises(ValueError, match="dropout must be in"):
        layers.GRU(2, dropout=1.5)
    with pytest.raises(ValueError, match="units must be a positive"):
        layers.SimpleRNN(0)
