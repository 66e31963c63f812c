"""The functional API: keras.Input, symbolic shapes, Model(inputs, outputs), structure and
summary, checked against Keras 3 (tests/data/keras_models.json, tools/record_keras_models.py)."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import layers

REF = json.loads((pathlib.Path(__file__).parent.parent / "data" / "keras_models.json")
                 .read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _fresh_names():
    tf.keras.backend.clear_session()


def _lines(model):
    out = []
    model.summary(print_fn=out.append)
    return out


def test_chain_matches_keras_numbers_and_summary():
    ref = REF["chain"]
    inp = tf.keras.Input(shape=(3,), name="x")
    h = layers.Dense(4, name="d1", activation="tanh")(inp)
    model = tf.keras.Model(inp, layers.Dense(2, name="d2")(h), name="m")
    model.set_weights([np.array(w) for w in ref["weights"]])
    np.testing.assert_allclose(model(np.array(ref["x"])).numpy(), ref["y"], rtol=1e-5)
    assert _lines(model) == ref["summary"]
    assert [layer.name for layer in model.layers] == ["x", "d1", "d2"]
    assert model.get_layer("d1") is model.layers[1] and model.get_layer(index=-1).name == "d2"
    assert model.inputs == [inp] and model.output.shape == (None, 2)


def test_two_inputs_summary_has_connections():
    a, b = tf.keras.Input((3,), name="a"), tf.keras.Input((3,), name="b")
    s = layers.Add(name="add")([layers.Dense(3, name="da")(a), b])
    model = tf.keras.Model([a, b], s)
    assert [layer.name for layer in model.layers] == ["a", "da", "b", "add"]
    lines = _lines(model)
    assert lines[1:] == REF["two_inputs"]["summary"][1:]
    out = model([np.ones((2, 3)), np.zeros((2, 3))])
    assert out.shape == (2, 3)


def test_unknown_dimensions_stay_unknown_and_build_at_construction():
    model = tf.keras.Sequential([tf.keras.Input((None, None, 3)), layers.Conv2D(4, 3),
                                 layers.BatchNormalization()])
    assert [tuple(v.shape) for v in model.variables][:2] == [(3, 3, 3, 4), (4,)]
    assert _lines(model) == REF["conv_unknown_dims"]["summary"]
    assert model(np.zeros((1, 9, 7, 3), np.float32)).shape == (1, 7, 5, 4)
    x = tf.keras.Input((None, None, 3))
    assert layers.Conv2D(8, 3, strides=2, padding="same")(x).shape == (None, None, None, 8)
    assert layers.Dense(5)(tf.keras.Input((7, 2), batch_size=4)).shape == (4, 7, 5)


def test_several_outputs_dict_inputs_and_shared_layers():
    a, b = tf.keras.Input((2,), name="a"), tf.keras.Input((2,), name="b")
    shared = layers.Dense(3, name="shared")
    ya, yb = shared(a), shared(b)
    model = tf.keras.Model({"a": a, "b": b}, [ya, yb])
    assert len(model.trainable_variables) == 2  # one kernel and one bias, used twice
    xa, xb = np.ones((4, 2), np.float32), 2 * np.ones((4, 2), np.float32)
    out_a, out_b = model({"a": xa, "b": xb})
    np.testing.assert_allclose(out_a.numpy(), shared(xa).numpy())
    np.testing.assert_allclose(out_b.numpy(), shared(xb).numpy())
    with pytest.raises(ValueError, match=r"missing input\(s\) \['b'\]"):
        model({"a": xa})
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model({"a": xa, "b": xb})[1])
    (dk, db) = tape.gradient(loss, model.trainable_variables)
    np.testing.assert_allclose(db.numpy(), [4.0, 4.0, 4.0])  # d sum / d bias = batch size
    np.testing.assert_allclose(dk.numpy(), np.full((2, 3), 8.0))


def test_nested_models_and_submodels_from_intermediate_outputs():
    inp = tf.keras.Input((4,))
    h = layers.Dense(3, activation="relu", name="hidden")(inp)
    base = tf.keras.Model(inp, layers.Dense(2, name="head")(h), name="base")
    outer_in = tf.keras.Input((4,))
    outer = tf.keras.Model(outer_in, layers.Dense(1)(base(outer_in)))
    assert outer.layers[1] is base and len(outer.trainable_variables) == 6
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    features = tf.keras.Model(base.input, base.get_layer("hidden").output)
    np.testing.assert_allclose(features(x).numpy(),
                               np.maximum(x @ base.get_layer("hidden").kernel.numpy(), 0),
                               rtol=1e-5, atol=1e-5)
    assert outer(x).shape == (2, 1)


def test_functional_training_flag_reaches_layers():
    inp = tf.keras.Input((4,))
    model = tf.keras.Model(inp, layers.Dropout(0.5, seed=1)(inp))
    x = np.ones((8, 4), np.float32)
    np.testing.assert_array_equal(model(x).numpy(), x)
    y = model(x, training=True).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0} and (y == 0).any()


def test_errors_name_the_problem():
    a, b = tf.keras.Input((2,), name="a"), tf.keras.Input((2,), name="b")
    y = layers.Add()([a, b])
    with pytest.raises(ValueError, match="disconnected.*'b'"):
        tf.keras.Model(a, y)
    with pytest.raises(ValueError, match="symbolic tensor"):
        tf.keras.Model(a, np.zeros(2))
    with pytest.raises(ValueError, match="No such layer: nope"):
        tf.keras.Model([a, b], y).get_layer("nope")
    with pytest.raises(ValueError, match=r"expected 2 input\(s\)"):
        tf.keras.Model([a, b], y)(np.zeros((1, 2)))
    with pytest.raises(TypeError, match="no truth value"):
        bool(a)
    with pytest.raises(AttributeError, match="never been called on a symbolic"):
        _ = layers.Dense(2).output


def test_python_operators_on_symbolic_tensors():
    a, b = tf.keras.Input((3,)), tf.keras.Input((3,))
    y = (a + 1.0) * b - a / 2.0
    z = -y[:, :2]
    assert y.shape == (None, 3) and z.shape == (None, 2)
    model = tf.keras.Model([a, b], [y, z])
    assert model.layers == [model.layers[0], model.layers[1]]  # operations are not layers
    xa, xb = np.full((2, 3), 2.0, np.float32), np.full((2, 3), 3.0, np.float32)
    y_val, z_val = model([xa, xb])
    np.testing.assert_allclose(y_val.numpy(), (xa + 1) * xb - xa / 2)
    np.testing.assert_allclose(z_val.numpy(), -((xa + 1) * xb - xa / 2)[:, :2])
    with pytest.raises(TypeError, match="keras.layers.Lambda"):
        np.asarray(a)
