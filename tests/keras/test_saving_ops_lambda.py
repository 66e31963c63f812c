"""``.keras`` files whose functional graph holds Python operators on symbolic tensors
(``x + y``, ``2.0 * x``, ``x[:, 1:3]``, ``x @ m`` …, written as Keras 3's operations) and
Lambda layers: a file written by Keras 3 (tools/record_keras_ops_lambda.py) predicts Keras's
numbers here, and ours round-trips."""

import json
import pathlib
import zipfile

import numpy as np
import pytest

import tapegrad as tf

keras = tf.keras
DATA = pathlib.Path(__file__).parent.parent / "data"
FIXTURE = json.loads((DATA / "keras_ops_lambda.json").read_text())
INPUTS = [np.array(FIXTURE["x"], np.float32), np.array(FIXTURE["y"], np.float32)]


def double(x):
    return x * 2.0


def _functions():
    return {"double": double, "minus_one": lambda t: t - 1.0}


def test_a_keras_file_with_operators_and_lambdas_predicts_keras_numbers():
    model = keras.models.load_model(DATA / "keras_ops_lambda.keras",
                                    custom_objects=_functions())
    np.testing.assert_allclose(model.predict(INPUTS, verbose=0), FIXTURE["predict"],
                               rtol=1e-5, atol=1e-5)


def test_a_loaded_model_saves_its_layers_build_shapes(tmp_path):
    """A layer built from a file's build_config keeps that shape, so saving the loaded model
    again writes it (Keras cannot rebuild a Dense from ``input_shape: null``)."""
    model = keras.models.load_model(DATA / "keras_ops_lambda.keras",
                                    custom_objects=_functions())
    model.save(tmp_path / "again.keras")
    layers = json.loads(zipfile.ZipFile(tmp_path / "again.keras").read("config.json"))[
        "config"]["layers"]
    dense = next(e for e in layers if e["name"] == "dense")
    assert dense["build_config"]["input_shape"] == [None, 4]


def test_an_anonymous_lambda_needs_its_function_by_layer_name():
    with pytest.raises(ValueError, match=r"'minus_one' holds an anonymous function.*"
                                         r"never runs from a file"):
        keras.models.load_model(DATA / "keras_ops_lambda.keras",
                                custom_objects={"double": double})
    with pytest.raises(ValueError, match="Could not locate function 'double'"):
        keras.models.load_model(DATA / "keras_ops_lambda.keras",
                                custom_objects={"minus_one": lambda t: t - 1.0})


def _build():
    x = keras.Input((4,), name="x")
    y = keras.Input((3,), name="y")
    h = keras.layers.Dense(3, name="dense")(x) + y
    h = 3.0 / (2.0 * h * h + 1.0) - 0.5
    h = -(h ** 2.0)
    first, middle = h[:, 0], h[..., 1:3]
    mixed = middle @ tf.constant([[1.0, -1.0], [0.5, 2.0]])
    named = keras.layers.Lambda(double, name="double_it")(mixed)
    anon = keras.layers.Lambda(lambda t: t - 1.0, name="minus_one")(named)
    return keras.Model([x, y], keras.layers.Concatenate()([anon / 4.0,
                                                          keras.layers.Reshape((1,))(first)]))


def test_operators_and_lambdas_round_trip(tmp_path):
    model = _build()
    path = tmp_path / "ops.keras"
    model.save(path)
    config = json.loads(zipfile.ZipFile(path).read("config.json"))
    kinds = {entry["class_name"] for entry in config["config"]["layers"]}
    assert {"Add", "Subtract", "Multiply", "TrueDivide", "Power", "Negative", "GetItem",
            "Matmul", "Lambda"} <= kinds
    ops = [e for e in config["config"]["layers"] if e["module"] == "keras.src.ops.numpy"]
    assert all(e["registered_name"] == e["class_name"] for e in ops)
    lam = next(e for e in config["config"]["layers"] if e["name"] == "minus_one")
    assert lam["config"]["function"]["class_name"] == "__lambda__"  # Keras's record
    twin = keras.models.load_model(path, custom_objects=_functions())
    np.testing.assert_allclose(twin.predict(INPUTS, verbose=0),
                               model.predict(INPUTS, verbose=0), rtol=1e-6)
    # and again, from what was loaded (its layers keep their build shapes)
    twin.save(tmp_path / "again.keras")
    again = keras.models.load_model(tmp_path / "again.keras", custom_objects=_functions())
    np.testing.assert_allclose(again.predict(INPUTS, verbose=0),
                               model.predict(INPUTS, verbose=0), rtol=1e-6)


def test_registered_lambda_functions_need_no_custom_objects(tmp_path):
    @keras.saving.register_keras_serializable(package="test_ops_lambda")
    def halve(t):
        return t / 2.0

    x = keras.Input((2,))
    model = keras.Model(x, keras.layers.Lambda(halve)(x) * 3.0)
    model.save(tmp_path / "h.keras")
    twin = keras.models.load_model(tmp_path / "h.keras")
    np.testing.assert_allclose(twin(np.ones((1, 2), np.float32)).numpy(), [[1.5, 1.5]])
