"""Conv3D, transposed, depthwise and separable convolutions and ``groups`` against Keras 3
with the same weights (tests/data/keras_layers.json, tools/record_keras_models.py): outputs,
weight gradients, symbolic shapes; gradient checks w.r.t. inputs and weights; configs."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import layers
from tapegrad.testing import check_grads

from .weight_grads import check_weight_grads

DATA = pathlib.Path(__file__).parent.parent / "data"
REF = json.loads((DATA / "keras_layers.json").read_text(encoding="utf-8"))["conv"]
# dilated transposed convolutions: TF's CPU kernels refuse them, so the reference is TF's
# gradient of the dilated convolution (tools/record_keras_layer_configs.py)
DILATED = [c for c in json.loads((DATA / "keras_layer_configs.json").read_text())["numbers"]
           if c["class_name"].endswith("Transpose")]


def _close(got, want, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=tol, atol=tol)


@pytest.mark.parametrize("key", sorted(REF))
def test_matches_keras(key):
    case = REF[key]
    x = np.array(case["x"], np.float32)
    layer = getattr(layers, case["layer"])(**case["config"])
    layer.build(x.shape)
    assert [list(v.shape) for v in layer.variables] == [list(np.shape(w))
                                                        for w in case["weights"]]
    layer.set_weights([np.array(w) for w in case["weights"]])
    with tf.GradientTape() as tape:
        y = layer(x)
        loss = tf.reduce_sum(y * np.array(case["coeff"], np.float32))
    _close(y, case["outputs"][0], 1e-4)
    for got, want in zip(tape.gradient(loss, layer.trainable_variables), case["grads"]):
        _close(got, want, 1e-3)
    symbolic = getattr(layers, case["layer"])(**case["config"])(
        tf.keras.Input(x.shape[1:], batch_size=x.shape[0]))
    assert symbolic.shape == tuple(np.shape(case["outputs"][0]))
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


@pytest.mark.parametrize("key", sorted(REF))
def test_gradients_wrt_inputs_and_weights(key):
    case = REF[key]
    shape = np.shape(case["x"])
    small = tuple(min(d, 5) if i else 1 for i, d in enumerate(shape[:-1])) + shape[-1:]
    layer = getattr(layers, case["layer"])(dtype="float64", **case["config"])
    x = np.random.default_rng(0).standard_normal(small)
    layer(x)
    check_grads(layer, [x], order=2, modes=("rev", "fwd"))
    check_weight_grads(layer, lambda: layer(x), order=1)


@pytest.mark.parametrize("case", DILATED, ids=[f"{c['class_name']}-{i}"
                                               for i, c in enumerate(DILATED)])
def test_dilated_transposed_convolutions_match_tf(case):
    x = np.array(case["x"], np.float32)
    layer = getattr(layers, case["class_name"])(**case["kwargs"])
    layer.build(x.shape)
    layer.set_weights([np.array(w, np.float32) for w in case["weights"]])
    _close(layer(x), case["y"], 1e-4)
    assert layer.compute_output_shape(x.shape) == np.shape(case["y"])


def test_dilated_transposed_convolution_gradients():
    layer = layers.Conv2DTranspose(2, (3, 2), dilation_rate=(2, 3), padding="same",
                                   bias_initializer="random_uniform", dtype="float64")
    x = np.random.default_rng(0).standard_normal((1, 3, 4, 2))
    layer(x)
    check_grads(layer, [x], order=2, modes=("rev", "fwd"))
    check_weight_grads(layer, lambda: layer(x), order=1)


def test_bad_arguments():
    with pytest.raises(ValueError, match="multiple of groups"):
        layers.Conv2D(3, 3, groups=2)
    with pytest.raises(ValueError, match="input channels .* multiple of groups"):
        layers.Conv2D(4, 3, groups=2)(np.zeros((1, 5, 5, 3), np.float32))
    with pytest.raises(ValueError, match="output_padding"):
        layers.Conv2DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="strides .* and dilation_rate .* cannot both"):
        layers.Conv1DTranspose(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="expects inputs of rank 5"):
        layers.Conv3D(2, 3)(np.zeros((1, 5, 5, 3), np.float32))
