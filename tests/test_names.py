"""Core names of ``tf`` (ops/names.py, function.executing_eagerly) against TF's documented
behaviour."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import check_grads


def test_newaxis_and_is_tensor():
    x = tf.zeros((2, 3))
    assert tf.newaxis is None and x[:, tf.newaxis].shape == (2, 1, 3)
    assert tf.is_tensor(x) and tf.is_tensor(tf.Variable(1.0))
    assert not tf.is_tensor(np.ones(2)) and not tf.is_tensor([1.0])


def test_shape_n_rank_size():
    a, b = tf.shape_n([tf.zeros((2, 3)), np.ones(4)], out_type=tf.int64)
    assert a.dtype == tf.int64 and a.numpy().tolist() == [2, 3] and b.numpy().tolist() == [4]
    assert int(tf.rank(tf.zeros((1, 2, 3)))) == 3 and tf.rank(1.0).dtype == tf.int32
    assert int(tf.size(tf.zeros((2, 5)))) == 10


def test_broadcast_static_shape():
    assert tf.broadcast_static_shape(tf.TensorShape([4, 1, 3]), tf.TensorShape([2, 1])) == \
        (4, 2, 3)
    with pytest.raises(ValueError, match=r"broadcast_static_shape.*\[2\].*\[3\]"):
        tf.broadcast_static_shape(tf.TensorShape([2]), tf.TensorShape([3]))


def test_get_static_value():
    v = tf.get_static_value(tf.constant([[1.5]]))
    assert isinstance(v, np.ndarray) and v.dtype == np.float32 and v.tolist() == [[1.5]]
    assert tf.get_static_value(3).tolist() == 3
    with pytest.raises(TypeError, match="get_static_value"):
        tf.get_static_value(object())


def test_identity_n_passes_gradients():
    a, b = tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        ia, ib = tf.identity_n([a, b])
        y = ia * ib
    assert [float(g) for g in tape.gradient(y, [a, b])] == [3.0, 2.0]
    check_grads(lambda x: tf.identity_n([x, 2.0 * x])[1] ** 2, [np.arange(3.0) + 1], order=2)


def test_no_op_and_executing_eagerly():
    assert tf.no_op() is None
    assert tf.executing_eagerly() is True
    seen = []

    @tf.function
    def f(x):
        seen.append(tf.executing_eagerly())
        return x + 1

    f(tf.constant(1.0))
    f(tf.constant(2.0))
    assert seen and not any(seen) and tf.executing_eagerly()
