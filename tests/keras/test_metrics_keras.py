"""Metrics against results recorded with Keras 3 (tools/record_keras_metrics.py)."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf

FIXTURE = json.loads((pathlib.Path(__file__).parent.parent / "data" /
                      "keras_metrics.json").read_text())
T = np.array(FIXTURE["y_true"], np.float32)
P = np.array(FIXTURE["y_pred"], np.float32)
W = np.array(FIXTURE["sample_weight"], np.float32)


@pytest.mark.parametrize("case", FIXTURE["cases"],
                         ids=lambda c: f"{c['name']}-{c['thresholds']}-{c['weighted']}")
def test_matches_keras(case):
    cls = getattr(tf.keras.metrics, case["name"])
    sw = W if case["weighted"] else None
    if case.get("regression"):
        m = cls()
        m.update_state(T + 0.5, P, sample_weight=sw)
    else:
        m = cls(thresholds=case["thresholds"])
        m.update_state(T, P, sample_weight=sw)
        m.update_state(T[:2], P[:2])
    np.testing.assert_allclose(m.result().numpy(), case["result"], rtol=1e-5, atol=1e-6)
    m.reset_state()
    assert not np.any(m.result().numpy())


def test_precision_and_recall_by_name_in_compile():
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=["precision", "recall"])
    logs = model.evaluate(np.ones((4, 2)), np.array([[1.0], [0.0], [1.0], [1.0]]), verbose=0,
                          return_dict=True)
    assert set(logs) == {"loss", "precision", "recall"}


CLASSES = FIXTURE["classes"]


def _inputs(kind):
    t, p = np.array(FIXTURE["y_true"], np.float32), np.array(FIXTURE["y_pred"], np.float32)
    if kind == "regression":
        return t + 0.5, p
    if kind == "onehot":
        return np.array(CLASSES["y_true"], np.float32), np.array(CLASSES["y_pred"], np.float32)
    if kind == "sparse":
        return np.argmax(CLASSES["y_true"], -1), np.array(CLASSES["y_pred"], np.float32)
    if kind == "values":
        return (p[:, 0],)
    return t, p


@pytest.mark.parametrize("case", FIXTURE["families"],
                         ids=lambda c: f"{c['name']}-{c['kwargs']}-{c['weighted']}")
def test_metric_families_match_keras(case):
    """Loss-averaging metrics, Sum, top-k accuracies, F-scores and R² (with and without
    sample weights, over two batches) give Keras 3's results."""
    m = getattr(tf.keras.metrics, case["name"])(**case["kwargs"])
    args = _inputs(case["inputs"])
    sw = np.array(FIXTURE["sample_weight"], np.float32) if case["weighted"] else None
    m.update_state(*args, sample_weight=sw)
    m.update_state(*[a[:2] for a in args])
    np.testing.assert_allclose(m.result().numpy(), case["result"], rtol=1e-5, atol=1e-6)
    m.reset_state()
    m.update_state(*args)  # starts afresh
    assert np.all(np.isfinite(m.result().numpy()))
