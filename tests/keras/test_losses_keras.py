"""Losses against values recorded with Keras 3 (tools/record_keras_losses.py), and their
gradients against finite differences."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import check_grads

FIXTURE = json.loads((pathlib.Path(__file__).parent.parent / "data" /
                      "keras_losses.json").read_text())
Y_TRUE = np.array(FIXTURE["y_true"], np.float32)
SW = np.array(FIXTURE["sample_weight"], np.float32)


@pytest.mark.parametrize("fn", sorted(FIXTURE["cases"]))
def test_functions_and_classes_match_keras(fn):
    case = FIXTURE["cases"][fn]
    y_pred = np.array(case["y_pred"], np.float32)
    kwargs = case.get("kwargs", {})
    got = getattr(tf.keras.losses, fn)(Y_TRUE, y_pred, **kwargs)
    np.testing.assert_allclose(got.numpy(), case["values"], rtol=1e-5, atol=1e-6)
    for reduction in ("sum_over_batch_size", "sum", "none"):
        loss = getattr(tf.keras.losses, case["class"])(reduction=reduction, **kwargs)
        np.testing.assert_allclose(loss(Y_TRUE, y_pred, sample_weight=SW).numpy(),
                                   case[reduction], rtol=1e-5, atol=1e-6)
    assert tf.keras.losses.get(fn) is getattr(tf.keras.losses, fn)  # Keras 3: the function


@pytest.mark.parametrize("fn", ["mean_absolute_percentage_error", "kl_divergence", "poisson",
                                "log_cosh", "cosine_similarity", "squared_hinge",
                                "mean_squared_logarithmic_error", "binary_focal_crossentropy",
                                "categorical_focal_crossentropy", "dice", "tversky"])
def test_gradients_with_respect_to_y_pred(fn):
    rng = np.random.default_rng(0)
    y_true = rng.uniform(0.2, 0.8, (3, 4))
    y_pred = rng.uniform(0.2, 0.8, (3, 4))
    check_grads(lambda p: getattr(tf.keras.losses, fn)(y_true, p), (y_pred,), order=2)


def test_focal_losses_from_logits_match_probabilities():
    logits = np.array([[0.3, -1.2, 2.0], [1.0, 0.5, -0.5]], np.float32)
    y = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]], np.float32)
    probs = tf.nn.softmax(logits).numpy()
    np.testing.assert_allclose(
        tf.keras.losses.categorical_focal_crossentropy(y, logits, from_logits=True).numpy(),
        tf.keras.losses.categorical_focal_crossentropy(y, probs).numpy(), rtol=1e-5)
    sig = tf.nn.sigmoid(logits).numpy()
    np.testing.assert_allclose(
        tf.keras.losses.binary_focal_crossentropy(y, logits, from_logits=True).numpy(),
        tf.keras.losses.binary_focal_crossentropy(y, sig).numpy(), rtol=1e-5)


def test_loss_serialize_round_trip():
    loss = tf.keras.losses.Tversky(alpha=0.2, beta=0.8)
    again = tf.keras.losses.deserialize(tf.keras.losses.serialize(loss))
    assert type(again) is tf.keras.losses.Tversky and again.get_config() == loss.get_config()
    assert tf.keras.losses.deserialize("dice") is tf.keras.losses.dice
