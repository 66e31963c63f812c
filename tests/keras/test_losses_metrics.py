"""Losses against closed forms (extreme logits included) and metrics' running state."""

import math

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import losses as L
from tapegrad.keras import metrics as M


def _f(t):
    return np.asarray(t.numpy(), np.float64)


def test_regression_losses():
    y_true = np.array([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]], np.float32)
    y_pred = np.array([[0.5, 3.0, 2.0], [1.0, -2.0, 1.5]], np.float32)
    e = y_pred.astype(np.float64) - y_true
    np.testing.assert_allclose(_f(L.mean_squared_error(y_true, y_pred)), (e ** 2).mean(-1),
                               rtol=1e-6)
    np.testing.assert_allclose(_f(L.mean_absolute_error(y_true, y_pred)), abs(e).mean(-1),
                               rtol=1e-6)
    hub = np.where(abs(e) <= 1.0, 0.5 * e ** 2, abs(e) - 0.5).mean(-1)
    np.testing.assert_allclose(_f(L.huber(y_true, y_pred)), hub, rtol=1e-6)
    hub2 = np.where(abs(e) <= 2.0, 0.5 * e ** 2, 2.0 * abs(e) - 2.0).mean(-1)
    np.testing.assert_allclose(_f(L.Huber(delta=2.0, reduction="none")(y_true, y_pred)), hub2,
                               rtol=1e-6)
    assert float(L.MeanSquaredError()(y_true, y_pred)) == pytest.approx((e ** 2).mean(), 1e-6)
    assert float(L.MeanAbsoluteError(reduction="sum")(y_true, y_pred)) == pytest.approx(
        abs(e).mean(-1).sum(), 1e-6)


def test_sample_weight_and_reductions():
    y_true, y_pred = [[0.0], [0.0], [0.0]], [[1.0], [2.0], [3.0]]
    mse = L.MeanSquaredError()
    assert float(mse(y_true, y_pred, sample_weight=[1.0, 0.0, 2.0])) == pytest.approx(19 / 3)
    with pytest.raises(ValueError, match="unknown reduction"):
        L.MeanSquaredError(reduction="average")


def _log_softmax(z):
    z = np.asarray(z, np.float64)
    m = z.max(-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(-1, keepdims=True))


def test_sparse_categorical_crossentropy_extreme_logits():
    logits = np.array([[1e4, 0.0, -1e4], [0.0, 0.0, 0.0], [-50.0, 30.0, 2.0]], np.float32)
    labels = np.array([2, 1, 1])
    want = -_log_softmax(logits)[np.arange(3), labels]  # [2e4, log 3, ~0]
    got = _f(L.sparse_categorical_crossentropy(labels, logits, from_logits=True))
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
    assert np.all(np.isfinite(got))
    loss = L.SparseCategoricalCrossentropy(from_logits=True)
    assert float(loss(labels[:, None], logits)) == pytest.approx(want.mean(), rel=1e-6)
    z = tf.Variable(logits)
    with tf.GradientTape() as tape:
        value = loss(labels, z)
    g = tape.gradient(value, z).numpy()
    soft = np.exp(_log_softmax(logits))
    np.testing.assert_allclose(g, (soft - np.eye(3)[labels]) / 3, atol=1e-6)


def test_categorical_crossentropy_logits_and_probabilities():
    logits = np.array([[1e4, -1e4], [2.0, 1.0]], np.float32)
    onehot = np.array([[0.0, 1.0], [1.0, 0.0]], np.float32)
    want = -(onehot * _log_softmax(logits)).sum(-1)
    np.testing.assert_allclose(_f(L.categorical_crossentropy(onehot, logits, from_logits=True)),
                               want, rtol=1e-6)
    probs = np.array([[0.2, 0.8], [0.5, 0.5]], np.float32)
    np.testing.assert_allclose(_f(L.categorical_crossentropy(onehot, probs)),
                               [-math.log(0.8), -math.log(0.5)], rtol=1e-6)
    # a zero probability is clipped to 1e-7, not log(0) = -inf
    got = _f(L.categorical_crossentropy([[1.0, 0.0]], [[0.0, 1.0]]))
    np.testing.assert_allclose(got, [-math.log(1e-7)], rtol=1e-5)
    smooth = L.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2)
    soft_labels = onehot * 0.8 + 0.1
    assert float(smooth(onehot, logits)) == pytest.approx(
        (-(soft_labels * _log_softmax(logits)).sum(-1)).mean(), rel=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        L.categorical_crossentropy([[1.0, 0.0]], [[1.0, 0.0, 0.0]])


def test_sparse_from_probabilities():
    probs = np.array([[0.1, 0.9], [0.7, 0.3]], np.float32)
    np.testing.assert_allclose(_f(L.sparse_categorical_crossentropy([1, 1], probs)),
                               [-math.log(0.9), -math.log(0.3)], rtol=1e-6)


def test_binary_crossentropy_extreme_logits_and_probabilities():
    logits = np.array([[1e4, -1e4, 0.0, 3.0]], np.float32)
    labels = np.array([[1.0, 1.0, 0.0, 0.0]], np.float32)
    x = logits.astype(np.float64)
    per = np.maximum(x, 0) - x * labels + np.log1p(np.exp(-abs(x)))  # [0, 1e4, log 2, ~3.05]
    np.testing.assert_allclose(_f(L.binary_crossentropy(labels, logits, from_logits=True)),
                               [per.mean()], rtol=1e-6)
    p = np.array([[0.9, 0.2]], np.float32)
    want = -(math.log(0.9) + math.log(0.8)) / 2
    np.testing.assert_allclose(_f(L.binary_crossentropy([[1.0, 0.0]], p)), [want], rtol=1e-6)
    got = _f(L.binary_crossentropy([[1.0]], [[0.0]]))  # clipped: -log(1e-7), finite
    np.testing.assert_allclose(got, [-math.log(1e-7)], rtol=1e-4)
    bce = L.BinaryCrossentropy(from_logits=True)
    assert float(bce(labels, logits)) == pytest.approx(per.mean(), rel=1e-6)


def test_losses_match_tensorflow():
    yt = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], np.float32)
    yp = np.array([[0.2, 0.7, 0.1], [0.05, 0.9, 0.05]], np.float32)
    # TensorFlow 2.21 / Keras 3.15 outputs of the same calls
    cases = [
        (L.CategoricalCrossentropy()(yt, yp), 1.6762036085128784),
        (L.CategoricalCrossentropy(label_smoothing=0.1, from_logits=True)(yt, yp * 10),
         4.296457290649414),
        (L.BinaryCrossentropy()(yt, yp), 1.0057982206344604),
        (L.BinaryCrossentropy(from_logits=True, label_smoothing=0.2)(yt, yp * 10 - 3),
         1.5364323854446411),
        (L.SparseCategoricalCrossentropy()(np.array([1, 0]), yp), 1.6762036085128784),
        (L.Huber(0.5)(yt, yp * 3), 0.3635416328907013),
        (L.MeanAbsoluteError()(yt, yp), 0.4166666269302368),
    ]
    for got, want in cases:
        assert float(got) == pytest.approx(want, rel=1e-6)


def test_loss_get():
    assert L.get("mse") is L.mean_squared_error  # Keras 3 returns the per-example function
    assert L.get("mse")([[0.0, 2.0]], [[0.0, 0.0]]).numpy().tolist() == [2.0]
    with pytest.raises(ValueError, match="Unknown loss"):
        L.get("msq")


def test_metrics_running_state():
    m = M.Mean()
    m.update_state([1.0, 2.0, 3.0])
    m.update_state([10.0], sample_weight=[2.0])
    assert float(m.result()) == pytest.approx(26 / 5)
    assert [v.name for v in m.variables] == ["mean/total:0", "mean/count:0"]
    m.reset_state()
    assert float(m.result()) == 0.0

    acc = M.SparseCategoricalAccuracy()
    acc.update_state([0, 1, 2], [[0.9, 0.1, 0.0], [0.8, 0.2, 0.0], [0.0, 0.1, 0.9]])
    assert float(acc.result()) == pytest.approx(2 / 3)
    acc.update_state(np.array([[1]]), [[0.0, 1.0, 0.0]])
    assert float(acc.result()) == pytest.approx(3 / 4)

    cat = M.CategoricalAccuracy()
    assert float(cat([[0, 0, 1], [0, 1, 0]], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]])) == 0.5
    binary = M.BinaryAccuracy(threshold=0.5)
    assert float(binary([[1.0], [0.0], [1.0]], [[0.6], [0.4], [0.2]])) == pytest.approx(2 / 3)
    exact = M.Accuracy()
    assert float(exact([1, 2, 3, 4], [1, 2, 0, 0])) == 0.5
    with pytest.raises(ValueError, match="Could not interpret metric"):
        M.get("precision@k")
