"""3-D pooling, global 3-D pooling, padding, cropping, upsampling of rank 1-3 and
GroupNormalization against Keras 3 (tests/data/keras_layers.json,
tools/record_keras_models.py); gradient checks w.r.t. inputs and weights; configs; errors."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import layers
from tapegrad.testing import check_grads

from .weight_grads import check_weight_grads

REF = json.loads((pathlib.Path(__file__).parent.parent / "data" / "keras_layers.json")
                 .read_text(encoding="utf-8"))["shapes"]


def _close(got, want, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=tol, atol=tol)


@pytest.mark.parametrize("key", sorted(REF))
def test_matches_keras(key):
    case = REF[key]
    x = np.array(case["x"], np.float32)
    layer = getattr(layers, case["layer"])(**case["config"])
    layer.build(x.shape)
    layer.set_weights([np.array(w) for w in case["weights"]])
    with tf.GradientTape() as tape:
        y = layer(x)
        loss = tf.reduce_sum(y * np.array(case["coeff"], np.float32))
    _close(y, case["outputs"][0])
    for got, want in zip(tape.gradient(loss, layer.trainable_variables), case["grads"]):
        _close(got, want, 1e-4)
    symbolic = getattr(layers, case["layer"])(**case["config"])(
        tf.keras.Input(x.shape[1:], batch_size=x.shape[0]))
    assert symbolic.shape == tuple(np.shape(case["outputs"][0]))
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


@pytest.mark.parametrize("key", sorted(REF))
def test_gradients_wrt_inputs_and_weights(key):
    case = REF[key]
    layer = getattr(layers, case["layer"])(dtype="float64", **case["config"])
    x = np.random.default_rng(1).standard_normal(np.shape(case["x"]))
    x = x[:1]  # one example keeps the finite differences quick
    layer(x)
    check_grads(layer, [x], order=2 if "max" not in key else 1, modes=("rev", "fwd"))
    if layer.trainable_variables:
        check_weight_grads(layer, lambda: layer(x), order=1)


def test_defaults_and_errors():
    assert layers.Cropping2D().cropping == ((0, 0), (0, 0))
    assert layers.UpSampling3D().size == (2, 2, 2)
    with pytest.raises(ValueError, match="leaves nothing"):
        layers.Cropping1D((2, 2))(np.zeros((1, 4, 2), np.float32))
    with pytest.raises(ValueError, match="multiple of groups"):
        layers.GroupNormalization(groups=4)(np.zeros((1, 3, 6), np.float32))
    with pytest.raises(ValueError, match="expects inputs of rank 5"):
        layers.MaxPooling3D()(np.zeros((1, 4, 4, 2), np.float32))
    with pytest.raises(ValueError, match="padding must be"):
        layers.ZeroPadding3D(((1, 2), (1, 2)))


def test_spatial_dropout3d_and_gaussian_dropout():
    x = np.ones((64, 2, 2, 2, 8), np.float32)
    y = layers.SpatialDropout3D(0.5, seed=1)(x, training=True).numpy()
    assert np.all(y.max(axis=(1, 2, 3)) == y.min(axis=(1, 2, 3)))  # whole channels
    assert set(np.unique(y)) == {0.0, 2.0}
    _close(layers.SpatialDropout3D(0.5)(x), x)
    noisy = layers.GaussianDropout(0.2, seed=3)(np.ones((200, 50), np.float32), training=True)
    std = float(np.std(noisy.numpy()))
    assert abs(float(np.mean(noisy.numpy())) - 1) < 0.02 and abs(std - 0.5) < 0.02
    _close(layers.GaussianDropout(0.2)(x), x)
    layer = layers.GaussianDropout(0.3, seed=2)
    assert layers.GaussianDropout.from_config(layer.get_config()).get_config() == \
        layer.get_config()
    with pytest.raises(ValueError, match="rate must be in"):
        layers.GaussianDropout(1.0)
    with pytest.raises(ValueError, match="expects inputs of rank 5"):
        layers.SpatialDropout3D(0.5)(np.ones((1, 2, 2, 3), np.float32), training=True)
