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


@pytest.mark.parametrize("fn", sorted(FIXTURE["extra"]))
def test_ctc_circle_and_generalized_ce_match_keras(fn):
    """Values, every reduction with sample weights, and the gradient of the summed values
    w.r.t. ``y_pred``, all against Keras 3 on TF."""
    case = FIXTURE["extra"][fn]
    y_true, kwargs = np.array(case["y_true"]), case["kwargs"]
    y_pred = tf.constant(np.array(case["y_pred"], np.float32))
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        values = getattr(tf.keras.losses, fn)(y_true, y_pred, **kwargs)
        total = tf.reduce_sum(values)
    np.testing.assert_allclose(values.numpy(), case["values"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(tape.gradient(total, y_pred).numpy(), case["grad"], rtol=1e-4,
                               atol=1e-5)
    sw = np.array(case["sample_weight"], np.float32)
    for reduction in ("sum_over_batch_size", "sum", "none"):
        loss = getattr(tf.keras.losses, case["class"])(reduction=reduction, **kwargs)
        np.testing.assert_allclose(loss(y_true, y_pred, sample_weight=sw).numpy(),
                                   case[reduction], rtol=1e-5, atol=1e-5)
    assert tf.keras.losses.get(fn) is getattr(tf.keras.losses, fn)


def test_ctc_circle_and_generalized_ce_gradients_by_finite_differences():
    rng = np.random.default_rng(3)
    labels = np.array([[1, 2, 0], [2, 2, 1]])
    check_grads(lambda p: tf.keras.losses.ctc(labels, p), (rng.normal(size=(2, 5, 3)),),
                order=2)
    emb = rng.normal(size=(5, 3))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    check_grads(lambda p: tf.keras.losses.circle([0, 1, 0, 1, 1], p, gamma=3.0), (emb,),
                order=2)
    probs = rng.uniform(0.2, 0.8, (3, 4))
    check_grads(lambda p: tf.keras.losses.categorical_generalized_cross_entropy(
        [0, 3, 1], p, q=0.6), (probs,), order=2)


def test_ctc_edge_cases_and_errors():
    # a label needing more steps than there are (1, 1 needs a blank between): inf, as TF
    assert np.isinf(tf.keras.losses.ctc([[1, 1]], np.zeros((1, 2, 3), np.float32)).numpy()[0])
    with pytest.raises(ValueError, match=r"ctc: targets `y_true` .* got shape \(3,\)"):
        tf.keras.losses.ctc([1, 2, 0], np.zeros((1, 2, 3), np.float32))
    with pytest.raises(ValueError, match=r"ctc: logits `y_pred` .* got shape \(2, 3\)"):
        tf.keras.losses.ctc([[1, 2]], np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match=r"q must be in the interval \(0, 1\)"):
        tf.keras.losses.CategoricalGeneralizedCrossEntropy(q=1.0)


@pytest.mark.parametrize("loss", [tf.keras.losses.CTC(), tf.keras.losses.Circle(gamma=3.0),
                                  tf.keras.losses.CategoricalGeneralizedCrossEntropy(q=0.3)])
def test_new_losses_serialize_round_trip(loss):
    again = tf.keras.losses.deserialize(tf.keras.losses.serialize(loss))
    assert type(again) is type(loss) and again.get_config() == loss.get_config()
