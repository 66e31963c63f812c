"""Image and numeric preprocessing layers against Keras 3 (tests/data/keras_layers.json,
tools/record_keras_models.py): Resizing, CenterCrop, the random affine layers with a fixed
factor range, Discretization, CategoryEncoding; the random layers' behaviour; gradients."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import layers
from tapegrad.testing import check_grads

DATA = pathlib.Path(__file__).parent.parent / "data"
REF = json.loads((DATA / "keras_layers.json").read_text(encoding="utf-8"))["preprocessing"]
# Resizing's interpolations, antialias and pad_to_aspect_ratio (tools/record_keras_layer_configs.py)
RESIZING = [c for c in json.loads((DATA / "keras_layer_configs.json").read_text())["numbers"]
            if c["class_name"] == "Resizing"]


def _close(got, want, tol=1e-4):
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=tol, atol=tol)


@pytest.mark.parametrize("key", sorted(REF["images"]))
def test_image_layers_match_keras(key):
    case = REF["images"][key]
    layer = getattr(layers, case["layer"])(**case["config"])
    x = np.array(case["x"], np.float32)
    _close(layer(x, training=True), case["y"])
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    assert layer(tf.keras.Input(x.shape[1:])).shape[1:] == np.shape(case["y"])[1:]


def test_discretization_and_category_encoding_match_keras():
    case = REF["discretization"]
    disc = layers.Discretization(num_bins=4)
    disc.adapt(np.array(case["data"], np.float32))
    _close(disc.bin_boundaries, case["boundaries"], 1e-5)
    y = disc(np.array(case["x"], np.float32))
    assert y.dtype.name == "int64"
    np.testing.assert_array_equal(y.numpy(), case["int"])
    x = np.array(case["data"][:4], np.float32).reshape(2, 2)
    for mode in ("one_hot", "multi_hot", "count"):
        d = layers.Discretization(bin_boundaries=[-1.0, 0.0, 2.0], output_mode=mode)
        _close(d(x), case[mode])
        assert layers.Discretization.from_config(d.get_config()).get_config() == d.get_config()
    enc = REF["category_encoding"]
    ids = np.array(enc["ids"])
    _close(layers.CategoryEncoding(5)(ids), enc["multi_hot"])
    _close(layers.CategoryEncoding(5, output_mode="count")(
        ids, count_weights=np.array(enc["weights"], np.float32)), enc["count"])
    _close(layers.CategoryEncoding(4, output_mode="one_hot")(ids[:, :1]), enc["one_hot"])
    with pytest.raises(ValueError, match=r"integers in \[0, 3\)"):
        layers.CategoryEncoding(3)(ids)
    with pytest.raises(ValueError, match="call adapt"):
        layers.Discretization(num_bins=3)(np.zeros((2,), np.float32))


def test_random_layers_only_while_training_and_seeded():
    x = np.random.default_rng(0).uniform(0, 255, (4, 6, 6, 3)).astype(np.float32)
    for layer in (layers.RandomFlip(seed=1), layers.RandomRotation(0.2, seed=1),
                  layers.RandomZoom(0.3, seed=1), layers.RandomTranslation(0.2, 0.2, seed=1),
                  layers.RandomContrast(0.5, seed=1)):
        _close(layer(x, training=False), x)
        assert not np.allclose(layer(x), x)  # Keras 3: training defaults to True
        again = type(layer).from_config(layer.get_config())
        _close(again(x), type(layer).from_config(layer.get_config())(x))
    y = layers.RandomFlip("horizontal", seed=3)(x).numpy()
    for img, out in zip(x, y):
        assert np.allclose(out, img) or np.allclose(out, img[:, ::-1])
    contrast = layers.RandomContrast((0.2, 0.6), seed=2)(x).numpy()
    mean = x.mean(axis=(1, 2), keepdims=True)
    f = ((contrast - mean) / (x - mean))[..., 0, 0, 0]
    assert np.all((0.8 <= f) & (f <= 1.6)) and contrast.min() >= 0 and contrast.max() <= 255
    crop = layers.RandomCrop(3, 4, seed=0)
    out = crop(x).numpy()
    assert out.shape == (4, 3, 4, 3)
    assert any(np.allclose(out, x[:, i:i + 3, j:j + 4]) for i in range(4) for j in range(3))
    # inference: the centered box of the target's aspect ratio, resized (Keras 3)
    _close(crop(x, training=False), layers.Resizing(3, 4, crop_to_aspect_ratio=True)(x))


@pytest.mark.parametrize("case", RESIZING, ids=[str(c["kwargs"]) for c in RESIZING])
def test_resizing_options_match_keras(case):
    layer = layers.Resizing(**case["kwargs"])
    _close(layer(np.array(case["x"], np.float32)), case["y"], 2e-5)


def test_gradients_through_image_layers():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, (1, 4, 5, 2))
    for layer in (layers.Resizing(3, 7, dtype="float64"), layers.CenterCrop(5, 3, dtype="float64"),
                  layers.Resizing(2, 3, pad_to_aspect_ratio=True, fill_value=0.5,
                                  interpolation="bicubic", antialias=True, dtype="float64"),
                  layers.RandomRotation((0.1, 0.1), fill_mode="constant", dtype="float64"),
                  layers.RandomZoom((0.2, 0.2), dtype="float64"),
                  layers.RandomTranslation((0.1, 0.1), (-0.3, -0.3), fill_mode="wrap",
                                          dtype="float64")):
        check_grads(lambda x, layer=layer: layer(x), [x], order=2, modes=("rev", "fwd"))


def test_bad_arguments():
    with pytest.raises(ValueError, match="fill_mode must be one of"):
        layers.RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="mode must be one of"):
        layers.RandomFlip("diagonal")
    with pytest.raises(ValueError, match="only one of pad_to_aspect_ratio"):
        layers.Resizing(2, 2, pad_to_aspect_ratio=True, crop_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="exactly one of"):
        layers.Discretization()
    with pytest.raises(ValueError, match="expects images"):
        layers.Resizing(2, 2)(np.zeros((2, 3), np.float32))
