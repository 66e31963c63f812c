"""Masks: Masking, Embedding(mask_zero=True), propagation through Sequential and functional
models, masked recurrent layers, pooling and merging, against Keras 3
(tests/data/keras_layers.json, tools/record_keras_models.py)."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import layers
from tapegrad.testing import check_grads

REF = json.loads((pathlib.Path(__file__).parent.parent / "data" / "keras_layers.json")
                 .read_text(encoding="utf-8"))["masks"]
X = np.array(REF["x"], np.float32)
IDS = np.array(REF["ids"], np.int32)


def _close(got, want, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=tol, atol=tol)


@pytest.mark.parametrize("key", ["lstm", "gru_backwards", "simple_last"])
def test_masked_recurrent_layers_match_keras(key):
    case = REF[key]
    masked = layers.Masking()(X)
    _close(masked._keras_mask, case["mask"])
    layer = getattr(layers, case["layer"])(3, **case["config"])
    layer.build((None, 5, 2))
    layer.set_weights([np.array(w) for w in case["weights"]])
    with tf.GradientTape() as tape:
        outs = layer(masked)  # the mask comes from the input tensor
        outs = outs if isinstance(outs, list) else [outs]
        loss = tf.reduce_sum(outs[0] * np.array(case["coeff"], np.float32))
    for got, want in zip(outs, case["outputs"]):
        _close(got, want)
    for got, want in zip(tape.gradient(loss, layer.trainable_variables), case["grads"]):
        _close(got, want, 1e-4)
    assert (getattr(outs[0], "_keras_mask", None) is not None) == layer.return_sequences


def test_masked_bidirectional_gives_zeros_on_masked_steps():
    case = REF["bidirectional"]
    bi = layers.Bidirectional(layers.LSTM(2, return_sequences=True))
    bi.build((None, 5, 2))
    bi(np.zeros((1, 5, 2), np.float32))
    bi.set_weights([np.array(w) for w in case["weights"]])
    _close(bi(layers.Masking()(X)), case["y"])


def test_sequential_embedding_mask_reaches_gru_and_pooling():
    case = REF["sequential"]
    model = tf.keras.Sequential([tf.keras.Input((5,), dtype="int32"),
                                 layers.Embedding(6, 2, mask_zero=True),
                                 layers.GRU(3, return_sequences=True),
                                 layers.GlobalAveragePooling1D(), layers.Dense(1)])
    model.set_weights([np.array(w) for w in case["weights"]])
    _close(model(IDS), case["y"])


def test_functional_masks_through_concatenate_and_add():
    case = REF["functional"]
    a, b = tf.keras.Input((5,), dtype="int32"), tf.keras.Input((5, 2))
    cat = layers.Concatenate()([layers.Embedding(6, 2, mask_zero=True)(a), layers.Masking()(b)])
    model = tf.keras.Model([a, b], layers.LSTM(2)(layers.Add()([cat, cat])))
    model.set_weights([np.array(w) for w in case["weights"]])
    _close(model([IDS, X]), case["y"])


def test_explicit_mask_argument_and_model_mask():
    mask = np.array([[True, True, False], [True, False, False]])
    x = np.random.default_rng(0).standard_normal((2, 3, 2)).astype(np.float32)
    pool = layers.GlobalAveragePooling1D()
    _close(pool(x, mask=mask), [x[0, :2].mean(0), x[1, 0]])
    inp = tf.keras.Input((3, 2))
    model = tf.keras.Model(inp, layers.GlobalAveragePooling1D()(inp))
    with pytest.warns(UserWarning, match="does not support masking"):  # Keras 3 warns too
        _close(model(x, mask=mask), [x[0, :2].mean(0), x[1, 0]])
    seq = tf.keras.Sequential([layers.Dense(2, kernel_initializer="ones"),
                               layers.GlobalAveragePooling1D()])
    dense_sum = x.sum(-1, keepdims=True).repeat(2, -1)
    with pytest.warns(UserWarning, match="does not support masking"):
        _close(seq(x, mask=mask), [dense_sum[0, :2].mean(0), dense_sum[1, 0]])


def test_masked_step_gradients():
    rng = np.random.default_rng(1)
    mask = np.array([[True, False, True], [False, True, True]])
    layer = layers.LSTM(2, return_sequences=True, dtype="float64")
    layer.build((None, 3, 2))
    x, h0 = rng.standard_normal((2, 3, 2)), rng.standard_normal((2, 2))
    check_grads(lambda x, h: layer(x, initial_state=[h, h], mask=mask), [x, h0], order=2,
                modes=("rev", "fwd"))
    pool = layers.GlobalAveragePooling1D(dtype="float64")
    check_grads(lambda x: pool(x, mask=mask), [x], order=2, modes=("rev", "fwd"))
    masking = layers.Masking(mask_value=0.5, dtype="float64")
    check_grads(masking, [x], order=2, modes=("rev", "fwd"))


def test_configs_and_warning_on_a_layer_without_masking():
    for layer in (layers.Masking(mask_value=-1.0), layers.Embedding(4, 2, mask_zero=True)):
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()
    assert layers.Embedding(4, 2).compute_mask(tf.constant([[0, 1]])) is None
    masked = layers.Masking()(X)
    with pytest.warns(UserWarning, match="does not support masking"):
        layers.Flatten()(masked)
    symbolic = layers.Embedding(6, 2, mask_zero=True)(tf.keras.Input((None,), dtype="int32"))
    assert symbolic.shape == (None, None, 2)
