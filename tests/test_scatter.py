"""Sliced assignment and scatter writes on Variables, and tf.tensor_scatter_nd_add/sub/max/min
(values from TF's documentation; gradients by finite differences to order 2)."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import check_grads


def test_sliced_assign():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    v[0, 1].assign(9.0)
    v[1:].assign_add([[1.0, 1.0]])
    v[:, 0].assign_sub([1.0, 1.0])
    assert v.numpy().tolist() == [[0.0, 9.0], [3.0, 5.0]]
    r = v[0]
    assert tf.is_tensor(r) and r.numpy().tolist() == [0.0, 9.0]


def test_sliced_read_still_differentiates():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v[0] * v[0])
    assert tape.gradient(y, v).numpy().tolist() == [[2.0, 4.0], [0.0, 0.0]]


def test_variable_scatter_writes():
    # TF docs: ref = [1..8]; scatter_nd_update([[4], [3], [1], [7]], [9, 10, 11, 12])
    v = tf.Variable([1.0, 2, 3, 4, 5, 6, 7, 8])
    v.scatter_nd_update([[4], [3], [1], [7]], [9.0, 10, 11, 12])
    assert v.numpy().tolist() == [1, 11, 3, 10, 9, 6, 7, 12]
    v = tf.Variable([1.0, 2, 3, 4, 5, 6, 7, 8])
    v.scatter_nd_add([[4], [3], [1], [7]], [9.0, 10, 11, 12])
    assert v.numpy().tolist() == [1, 13, 3, 14, 14, 6, 7, 20]
    v.scatter_nd_sub([[0], [0]], [1.0, 1.0])
    assert v.numpy()[0] == -1.0
    m = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    m.scatter_update(tf.IndexedSlices(tf.constant([[0.0, 0.0]]), tf.constant([1]), [2, 2]))
    assert m.numpy().tolist() == [[1.0, 2.0], [0.0, 0.0]]
    m.batch_scatter_update(tf.IndexedSlices(tf.constant([[5.0], [6.0]]),
                                            tf.constant([[1], [0]]), [2, 2]))
    assert m.numpy().tolist() == [[1.0, 5.0], [6.0, 0.0]]


def test_variable_scatter_errors():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="scatter_nd_update"):
        v.scatter_nd_update([[5]], [1.0])
    with pytest.raises(TypeError, match="dtype"):
        v.scatter_nd_update([[0]], tf.constant([1], tf.int32))


def test_tensor_scatter_values():
    # TF docs: tensor [1..8], indices [[4], [3], [1], [7]], updates [9, 10, 11, 12]
    t = tf.constant([1.0, 2, 3, 4, 5, 6, 7, 8])
    idx, upd = [[4], [3], [1], [7]], tf.constant([9.0, 10, 11, 12])
    assert tf.tensor_scatter_nd_add(t, idx, upd).numpy().tolist() == [1, 13, 3, 14, 14, 6, 7, 20]
    assert tf.tensor_scatter_nd_sub(t, idx, upd).numpy().tolist() == [1, -9, 3, -6, -4, 6, 7, -4]
    assert tf.tensor_scatter_nd_max(t, idx, upd).numpy().tolist() == [1, 11, 3, 10, 9, 6, 7, 12]
    assert tf.tensor_scatter_nd_min(t, idx, upd).numpy().tolist() == [1, 2, 3, 4, 5, 6, 7, 8]
    with pytest.raises(tf.errors.InvalidArgumentError, match="tensor_scatter_nd_add"):
        tf.tensor_scatter_nd_add(t, [[9]], [1.0])


X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, 0.5]])
U = np.array([[0.5, 2.5, -3.0], [3.5, -1.0, 0.7]])


@pytest.mark.parametrize("op", [tf.tensor_scatter_nd_add, tf.tensor_scatter_nd_sub,
                                tf.tensor_scatter_nd_max, tf.tensor_scatter_nd_min])
def test_tensor_scatter_gradients(op):
    check_grads(lambda x, u: op(x, [[1], [0]], u) ** 2, [X, U], order=2)
    repeated = [[0, 2], [1, 1], [0, 2]]
    check_grads(lambda x, u: op(x, repeated, tf.reshape(u, [-1])[:3]) ** 2, [X, U], order=2)


def test_tensor_scatter_max_splits_ties_evenly():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.tensor_scatter_nd_max(x, [[0]], tf.constant([1.0]))
    assert tape.gradient(y, x).numpy().tolist() == [0.5, 1.0]


def test_bad_indices_policy():
    t = tf.constant([1.0, 2.0, 3.0])
    upd = tf.constant([5.0, 7.0, 1.0])
    got = tf.tensor_scatter_nd_add(t, [[0], [9], [2]], upd, bad_indices_policy="IGNORE")
    assert got.numpy().tolist() == [6.0, 2.0, 4.0]
    got = tf.tensor_scatter_nd_max(t, [[-1], [1], [5]], upd, bad_indices_policy="IGNORE")
    assert got.numpy().tolist() == [1.0, 7.0, 3.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="tensor_scatter_nd_sub"):
        tf.tensor_scatter_nd_sub(t, [[0], [9], [2]], upd, bad_indices_policy="ERROR")
    with pytest.raises(tf.errors.InvalidArgumentError, match="bad_indices_policy"):
        tf.tensor_scatter_nd_min(t, [[0]], [1.0], bad_indices_policy="SKIP")
    u = tf.Variable([5.0, 7.0, 1.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.tensor_scatter_nd_add(t, [[0], [9], [2]], u * u,
                                                   bad_indices_policy="IGNORE"))
    assert tape.gradient(y, u).numpy().tolist() == [10.0, 0.0, 2.0]
