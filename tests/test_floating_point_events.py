"""Floating-point events are silent, as in TF: inf and NaN flow through, no NumPy warning prints.

Ops are silenced where they are dispatched; these are the places that compute with NumPy outside
an op: variable updates, optimizers, metrics, the gradient checker. Finding the op that made a
NaN is check-numerics' job, and it still works.
"""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import check_grads

pytestmark = pytest.mark.filterwarnings("error")  # a leaked RuntimeWarning fails here

INF, NAN = float("inf"), float("nan")


def test_variable_updates_make_inf_and_nan_silently():
    v = tf.Variable([INF, 3e38, 1.0])
    v.assign_add([-INF, 3e38, 0.0])
    assert np.isnan(v.numpy()[0]) and v.numpy()[1] == np.inf and v.numpy()[2] == 1.0
    v.assign_sub([0.0, INF, 1.0])
    assert np.isnan(v.numpy()[1]) and v.numpy()[2] == 0.0
    table = tf.Variable([[INF, 1.0], [1.0, 1.0]])
    table.scatter_sub(tf.IndexedSlices(tf.constant([[INF, 0.0]]), tf.constant([0]), [2, 2]))
    assert np.isnan(table.numpy()[0, 0]) and table.numpy()[1].tolist() == [1.0, 1.0]


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad", "RMSprop"])
def test_optimizers_step_on_inf_and_nan_gradients_silently(name):
    opt = getattr(tf.keras.optimizers, name)(learning_rate=0.1)
    w = tf.Variable([1.0, 2.0, 3.0])
    opt.apply_gradients([(tf.constant([INF, NAN, 1.0]), w)])
    opt.apply_gradients([(tf.constant([-INF, 1.0, 1.0]), w)])
    assert not np.isfinite(w.numpy()[:2]).any() and np.isfinite(w.numpy()[2])
    table = tf.Variable(np.ones((3, 2), np.float32))  # a sparse (IndexedSlices) gradient
    rows = tf.IndexedSlices(tf.constant([[INF, NAN]]), tf.constant([1]), tf.constant([3, 2]))
    opt.apply_gradients([(rows, table)])
    opt.apply_gradients([(rows, table)])
    assert not np.isfinite(table.numpy()[1]).any() and np.isfinite(table.numpy()[[0, 2]]).all()


def test_fit_on_a_diverging_loss_reports_nan_silently():
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(1e30), loss="mse")
    x = np.array([[1e30], [-1e30]], np.float32)
    history = model.fit(x, -x, epochs=3, verbose=0)
    assert not np.isfinite(history.history["loss"][-1])


def test_mean_metric_of_inf_and_nan():
    m = tf.keras.metrics.Mean()
    m.update_state([INF, -INF])
    assert np.isnan(float(m.result()))
    m = tf.keras.metrics.Mean()
    m.update_state([3e38, 3e38], sample_weight=[1.0, 1.0])
    assert float(m.result()) == np.inf


def test_the_mean_of_nothing_is_nan_as_in_tf():
    assert np.isnan(float(tf.reduce_mean(tf.zeros([0]))))
    np.testing.assert_array_equal(tf.reduce_mean(tf.zeros([0, 3]), axis=0).numpy(), [NAN] * 3)
    assert tf.reduce_mean(tf.zeros([0, 3]), axis=1).shape == (0,)


def test_check_grads_reports_an_infinite_difference_as_a_mismatch():
    with pytest.raises(AssertionError, match="does not match finite differences"):
        check_grads(lambda x: tf.exp(x * 1000.0), [np.array([1.0])], order=1)
