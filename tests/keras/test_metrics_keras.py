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
    if kind == "column":
        return t[:, 1], p[:, 1]
    if kind == "labels":
        return np.array(FIXTURE["labels"]["y_true"]), np.array(FIXTURE["labels"]["y_pred"])
    if kind == "classes":
        scores = np.array(CLASSES["y_pred"], np.float32)
        return scores[:, ::-1] + 0.1 * np.array(CLASSES["y_true"], np.float32), scores
    return t, p


@pytest.mark.parametrize("case", FIXTURE["families"],
                         ids=lambda c: f"{c['name']}-{c['kwargs']}-{c['weighted']}")
def test_metric_families_match_keras(case):
    """Loss-averaging metrics, Sum, top-k accuracies, F-scores and R² (with and without
    sample weights, over two batches) give Keras 3's results."""
    m = getattr(tf.keras.metrics, case["name"])(**case["kwargs"])
    args = _inputs(case["inputs"])
    sw = np.array(FIXTURE["sample_weight"], np.float32) if case["weighted"] else None
    if sw is not None and "IoU" in case["name"] and "dtype" not in case["kwargs"]:
        with pytest.warns(UserWarning, match="weight as `float`, but dtype is `int`"):
            m.update_state(*args, sample_weight=sw)  # truncated to integers, as Keras's
    else:
        m.update_state(*args, sample_weight=sw)
    m.update_state(*[a[:2] for a in args])
    np.testing.assert_allclose(m.result().numpy(), case["result"], rtol=1e-5, atol=1e-6)
    m.reset_state()
    m.update_state(*args)  # starts afresh
    assert np.all(np.isfinite(m.result().numpy()))


@pytest.mark.parametrize("case", FIXTURE["functions"],
                         ids=lambda c: f"{c['name']}-{c['kwargs']}")
def test_metric_functions_match_keras(case):
    """``keras.metrics.binary_accuracy`` & co. give Keras 3's per-example values."""
    got = getattr(tf.keras.metrics, case["name"])(*_inputs(case["inputs"]), **case["kwargs"])
    np.testing.assert_allclose(np.asarray(got), case["result"], rtol=1e-5, atol=1e-6)


def test_loss_shaped_metric_functions_are_the_losses():
    for name in ("binary_crossentropy", "hinge", "mean_squared_error", "kl_divergence",
                 "categorical_focal_crossentropy", "log_cosh", "poisson"):
        assert getattr(tf.keras.metrics, name) is getattr(tf.keras.losses, name)


@pytest.mark.parametrize("cls, kwargs", [
    ("PrecisionAtRecall", {"recall": 0.5, "num_thresholds": 7, "class_id": 1}),
    ("SpecificityAtSensitivity", {"sensitivity": 0.3}),
    ("IoU", {"num_classes": 3, "target_class_ids": [0, 2], "ignore_class": 1}),
    ("MeanIoU", {"num_classes": 4}), ("BinaryIoU", {"threshold": 0.3}),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [1]}),
    ("OneHotMeanIoU", {"num_classes": 2}), ("PearsonCorrelation", {}),
])
def test_new_metrics_round_trip_their_config(cls, kwargs):
    m = getattr(tf.keras.metrics, cls)(**kwargs)
    config = m.get_config()
    assert getattr(tf.keras.metrics, cls)(**config).get_config() == config


def test_rate_at_floor_and_iou_refuse_bad_arguments():
    with pytest.raises(ValueError, match="PrecisionAtRecall: `recall` must be in the range"):
        tf.keras.metrics.PrecisionAtRecall(1.5)
    with pytest.raises(ValueError, match="num_thresholds must be an integer > 0"):
        tf.keras.metrics.RecallAtPrecision(0.5, num_thresholds=0)
    with pytest.raises(ValueError, match="with class_id, y_pred must have shape"):
        tf.keras.metrics.PrecisionAtRecall(0.5, class_id=0).update_state([1, 0], [0.3, 0.6])
    with pytest.raises(ValueError, match=r"IoU: target class id 3 is out of range"):
        tf.keras.metrics.IoU(num_classes=3, target_class_ids=[3])


def test_correlation_metrics_by_name_in_compile():
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(3)])
    model.compile("sgd", "mse", metrics=["pearson_correlation", "concordance_correlation"])
    logs = model.evaluate(np.eye(3, dtype=np.float32), np.eye(3, dtype=np.float32),
                          verbose=0, return_dict=True)
    assert set(logs) == {"loss", "pearson_correlation", "concordance_correlation"}
