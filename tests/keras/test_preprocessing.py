"""Normalization (adapt) and Rescaling against Keras 3 (tests/data/keras_models.json,
tools/record_keras_models.py), gradients, errors."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import layers
from tapegrad.testing import check_grads

REF = json.loads((pathlib.Path(__file__).parent.parent / "data" / "keras_models.json")
                 .read_text(encoding="utf-8"))["normalization"]


def test_normalization_adapt_matches_keras():
    norm = layers.Normalization()
    norm.adapt(np.array(REF["data"]))
    np.testing.assert_allclose(norm.mean.numpy(), REF["mean"], rtol=1e-5)
    np.testing.assert_allclose(norm.variance.numpy(), REF["variance"], rtol=1e-5)
    np.testing.assert_allclose(norm(np.array(REF["x"], np.float32)).numpy(), REF["y"],
                               rtol=1e-5, atol=1e-6)
    back = layers.Normalization(mean=norm.mean.numpy(), variance=norm.variance.numpy(),
                                invert=True)
    np.testing.assert_allclose(back(np.array(REF["y"], np.float32)).numpy(), REF["x"],
                               rtol=1e-4, atol=1e-4)
    batches = [np.array(REF["data"][:3]), np.array(REF["data"][3:])]
    again = layers.Normalization()
    again.adapt(iter(batches))
    np.testing.assert_allclose(again.mean.numpy(), REF["mean"], rtol=1e-5)


def test_rescaling_matches_keras_and_gradients():
    out = layers.Rescaling(1 / 127.5, -1)(np.array([[0, 127, 255]], np.uint8))
    np.testing.assert_allclose(out.numpy(), REF["rescaled"], rtol=1e-6)
    check_grads(layers.Rescaling(0.5, 1.0, dtype="float64"), [np.ones((2, 3))], order=2,
                modes=("rev", "fwd"))
    norm = layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0], dtype="float64")
    check_grads(norm, [np.random.default_rng(0).standard_normal((3, 2))], order=2,
                modes=("rev", "fwd"))
    assert norm(tf.keras.Input((2,))).shape == (None, 2)
    with pytest.raises(ValueError, match="give both mean and variance"):
        layers.Normalization(mean=1.0)
