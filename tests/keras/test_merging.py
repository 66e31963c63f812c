"""Merging layers: Keras 3's numbers (tests/data/keras_models.json), symbolic shapes, errors and
gradients."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import layers
from tapegrad.testing import check_grads

REF = json.loads((pathlib.Path(__file__).parent.parent / "data" / "keras_models.json")
                 .read_text(encoding="utf-8"))["merging"]
NAMES = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"]


@pytest.mark.parametrize("name", NAMES)
def test_matches_keras(name):
    xs = [np.array(x, np.float32) for x in REF["x"]]
    out = getattr(layers, name)()(xs).numpy()
    np.testing.assert_allclose(out, REF["y"][name], rtol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_gradients(name):
    layer = getattr(layers, name)(dtype="float64")
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((2, 3)), rng.standard_normal((2, 3)) + 0.1
    check_grads(lambda a, b: layer([a, b]), [x, y], order=2, modes=("rev", "fwd"))
    if name not in ("Subtract", "Concatenate"):
        z = rng.standard_normal((1, 3))  # a broadcast batch dimension, then three inputs
        check_grads(lambda a, b, c: layer([a, b, c]), [x, z, y + 0.2], order=2,
                    modes=("rev", "fwd"))


def test_symbolic_shapes_and_errors():
    a, b = tf.keras.Input((None, 3)), tf.keras.Input((5, 2))
    assert layers.Concatenate()([a, b]).shape == (None, 5, 5)
    assert layers.Add()([a, tf.keras.Input((5, 1))]).shape == (None, 5, 3)
    with pytest.raises(ValueError, match="at least 2 inputs"):
        layers.Add()(a)
    with pytest.raises(ValueError, match=r"same shape.*\(None, 5, 3\), \(None, 5, 2\)"):
        layers.Add()([tf.keras.Input((5, 3)), b])
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        layers.Concatenate(axis=1)([tf.keras.Input((4, 3)), b])
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.Subtract()([b, b, b])
    assert layers.Concatenate.from_config(layers.Concatenate(axis=1).get_config()).axis == 1


def test_dot_matches_keras_and_differentiates():
    xs = [np.array(x, np.float32) for x in REF["x"]]
    np.testing.assert_allclose(layers.Dot(axes=1, normalize=True)(xs).numpy(), REF["y"]["Dot"],
                               rtol=1e-5)
    rng = np.random.default_rng(2)
    for normalize in (False, True):
        dot = layers.Dot(axes=1, normalize=normalize, dtype="float64")
        check_grads(lambda a, b, dot=dot: dot([a, b]), [rng.standard_normal((2, 3)),
                                              rng.standard_normal((2, 3))], order=2,
                    modes=("rev", "fwd"))
    assert layers.Dot(1)([tf.keras.Input((4,)), tf.keras.Input((4,))]).shape == (None, 1)
    with pytest.raises(ValueError, match="dimension incompatibility 4 != 3"):
        layers.Dot(1)([tf.keras.Input((4,)), tf.keras.Input((3,))])


DOTS = [c for c in json.loads((pathlib.Path(__file__).parent.parent / "data" /
                               "keras_layer_configs.json").read_text())["numbers"]
        if c["class_name"] == "Dot"]


@pytest.mark.parametrize("case", DOTS, ids=[str(c["kwargs"]) for c in DOTS])
def test_dot_of_higher_rank_inputs_matches_keras(case):
    """Keras's batch_dot (tools/record_keras_layer_configs.py), and its gradients."""
    xs = [np.array(x, np.float32) for x in case["x"]]
    layer = layers.Dot(**case["kwargs"])
    np.testing.assert_allclose(layer(xs).numpy(), case["y"], rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape([x.shape for x in xs]) == np.shape(case["y"])
    small = [np.asarray(x, np.float64)[:1] for x in xs]
    dot = layers.Dot(**case["kwargs"], dtype="float64")
    check_grads(lambda a, b: dot([a, b]), small, order=2, modes=("rev", "fwd"))


def test_lower_case_functions_build_the_layers():
    xs = [np.array(x, np.float32) for x in REF["x"]]
    for name in NAMES:
        out = getattr(layers, name.lower())(xs)
        np.testing.assert_allclose(out.numpy(), REF["y"][name], rtol=1e-6)
    np.testing.assert_allclose(layers.dot(xs, axes=1, normalize=True).numpy(), REF["y"]["Dot"],
                               rtol=1e-5)
