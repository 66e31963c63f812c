"""Activation, reshaping and core layers: Keras 3's numbers (tests/data/keras_models.json,
tools/record_keras_models.py), symbolic shapes from compute_output_shape, gradients, config."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import layers
from tapegrad.testing import check_grads

REF = json.loads((pathlib.Path(__file__).parent.parent / "data" / "keras_models.json")
                 .read_text(encoding="utf-8"))
NAMES = sorted(REF["layers"])


@pytest.mark.parametrize("name", NAMES)
def test_matches_keras(name):
    case = REF["layers"][name]
    out = getattr(layers, name)(**case["config"])(np.array(case["x"], np.float32)).numpy()
    np.testing.assert_allclose(out, case["y"], rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", NAMES)
def test_gradients_and_config(name):
    case = REF["layers"][name]
    layer = getattr(layers, name)(dtype="float64", **case["config"])
    x = np.array(case["x"]) + 0.01  # away from the kinks of the ReLU family
    check_grads(layer, [x], order=2, modes=("rev", "fwd"))
    again = type(layer).from_config(layer.get_config())
    np.testing.assert_allclose(again(x).numpy(), layer(x).numpy())


@pytest.mark.parametrize("key", sorted(REF["shapes"]))
def test_conv_and_pooling_shapes_match_keras(key):
    name, cfg = key[:key.index("{")], json.loads(key[key.index("{"):])
    inp = tf.keras.Input((11, 3)) if name.endswith("1D") else tf.keras.Input((None, 11, 3))
    assert list(getattr(layers, name)(**cfg)(inp).shape) == REF["shapes"][key]


def test_symbolic_shapes_come_from_compute_output_shape():
    x = tf.keras.Input((None, 4))
    assert layers.Flatten()(tf.keras.Input((2, 5))).shape == (None, 10)
    assert layers.Flatten()(x).shape == (None, None)
    assert layers.Reshape((-1, 2))(tf.keras.Input((3, 4))).shape == (None, 6, 2)
    assert layers.Permute((2, 1))(x).shape == (None, 4, None)
    assert layers.RepeatVector(3)(tf.keras.Input((4,))).shape == (None, 3, 4)
    assert layers.Identity()(x) is not x and layers.Identity()(x).shape == x.shape
    y = layers.Lambda(lambda t: t[:, :1] * 2.0)(tf.keras.Input((5,)))
    assert y.shape == (None, 1)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="permutation of 1..2"):
        layers.Permute((0, 1))
    with pytest.raises(ValueError, match=r"RepeatVector .* rank 2 .* \(None, 3, 4\)"):
        layers.RepeatVector(2)(tf.keras.Input((3, 4)))
    with pytest.raises(ValueError, match="negative_slope must be >= 0"):
        layers.LeakyReLU(-1.0)
    with pytest.raises(TypeError, match="must be callable"):
        layers.Lambda(3)
    assert layers.LeakyReLU(alpha=0.2).negative_slope == 0.2


def test_pooling_padding_upsampling_symbolic_shapes():
    img = tf.keras.Input((None, 5, 2))
    assert layers.ZeroPadding2D(1)(img).shape == (None, None, 7, 2)
    assert layers.UpSampling2D((2, 3))(img).shape == (None, None, 15, 2)
    assert layers.GlobalMaxPooling2D()(img).shape == (None, 2)
    seq = tf.keras.Input((None, 4))
    assert layers.GlobalAveragePooling1D()(seq).shape == (None, 4)
    assert layers.MaxPooling1D(2)(tf.keras.Input((7, 4))).shape == (None, 3, 4)
    with pytest.raises(ValueError, match=r"MaxPooling1D .* rank 3 .* \(None, 7\)"):
        layers.MaxPooling1D()(tf.keras.Input((7,)))
    with pytest.raises(ValueError, match="ZeroPadding2D: padding must be"):
        layers.ZeroPadding2D((1, 2, 3))


def test_prelu_and_time_distributed():
    prelu = layers.PReLU(alpha_initializer=tf.keras.initializers.Constant(0.25),
                         shared_axes=[1], dtype="float64")
    x = np.random.default_rng(3).standard_normal((2, 3, 4)) + 0.01
    y = prelu(x).numpy()
    np.testing.assert_allclose(y, np.where(x > 0, x, 0.25 * x))
    assert tuple(prelu.alpha.shape) == (1, 4)
    check_grads(prelu, [x], order=2, modes=("rev", "fwd"))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(prelu(x))
    np.testing.assert_allclose(tape.gradient(loss, prelu.alpha).numpy(),
                               np.minimum(x, 0).sum(axis=(0, 1), keepdims=True)[0])
    dense = layers.Dense(2, dtype="float64")
    td = layers.TimeDistributed(dense, dtype="float64")
    out = td(x)
    np.testing.assert_allclose(out.numpy(), (x @ dense.kernel.numpy()) + dense.bias.numpy(),
                               rtol=1e-12)
    check_grads(td, [x], order=2, modes=("rev", "fwd"))
    assert td(tf.keras.Input((None, 4))).shape == (None, None, 2)
    with pytest.raises(ValueError, match="rank >= 3"):
        td(tf.keras.Input((4,)))


def test_noise_and_spatial_dropout_only_while_training():
    x = np.ones((4, 6, 8), np.float32)
    for layer in (layers.GaussianNoise(0.5, seed=1), layers.SpatialDropout1D(0.5, seed=1)):
        np.testing.assert_array_equal(layer(x).numpy(), x)
    noisy = layers.GaussianNoise(0.5, seed=1)(np.zeros((200, 50), np.float32), training=True)
    assert abs(float(np.std(noisy.numpy())) - 0.5) < 0.05
    y = layers.SpatialDropout1D(0.5, seed=1)(x, training=True).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0}
    assert (y == y[:, :1, :]).all()  # a channel is dropped at every step or at none
    img = layers.SpatialDropout2D(0.5, seed=2)(np.ones((2, 3, 3, 4), np.float32), training=True)
    assert (img.numpy() == img.numpy()[:, :1, :1, :]).all()
    with pytest.raises(ValueError, match=r"SpatialDropout2D .* rank 4"):
        layers.SpatialDropout2D(0.5)(x)
    with pytest.raises(ValueError, match="stddev must be >= 0"):
        layers.GaussianNoise(-1.0)
