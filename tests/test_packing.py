"""A Python list or tuple of tensors where a tensor goes is packed on the tape (TF's
auto-packing): gradients reach every element, to any order."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import check_grads


def test_reduce_sum_of_a_list_of_losses():
    a, b = tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum([a * a, 5.0 * b])
    assert [float(g) for g in tape.gradient(y, [a, b])] == [4.0, 5.0]


def test_convert_to_tensor_nested_with_python_numbers():
    a, b = tf.Variable(2.0, dtype=tf.float64), tf.Variable(3.0, dtype=tf.float64)
    with tf.GradientTape() as tape:
        m = tf.convert_to_tensor([[a, 1.0], (b, a)])
        y = tf.reduce_sum(m * m)
    assert m.dtype == tf.float64 and m.numpy().tolist() == [[2.0, 1.0], [3.0, 2.0]]
    assert [float(g) for g in tape.gradient(y, [a, b])] == [8.0, 6.0]


@pytest.mark.parametrize("f", [
    lambda x: tf.reduce_sum([x * x, tf.sin(x)]),
    lambda x: tf.reduce_prod(tf.convert_to_tensor([x[0], x[1] * x[2]])),
    lambda x: tf.matmul([[x[0], x[1]]], [[x[2]], [x[0]]]),
    lambda x: tf.concat([[x[0], x[1]], x], axis=0) ** 2,
    lambda x: tf.exp((x[0], x[1])),
])
def test_packed_lists_have_gradients_to_order_two(f):
    check_grads(f, [np.array([0.3, -0.7, 1.2])], order=2)


def test_packing_inside_a_function_and_without_a_tape():
    f = tf.function(lambda a, b: tf.reduce_sum([a, 2.0 * b]))
    assert float(f(tf.constant(1.0), tf.constant(2.0))) == 5.0
    assert float(tf.reduce_sum([tf.constant(1.0), tf.constant(2.0)])) == 3.0


def test_a_list_of_mixed_dtypes_is_refused():
    a = tf.Variable(1.0)
    with tf.GradientTape(), pytest.raises((ValueError, TypeError)):
        tf.convert_to_tensor([a, tf.constant(1, tf.int32)])


def test_without_a_tape_the_tensors_dtype_decides():
    x = tf.constant([0.1, 0.2], tf.float64)
    assert tf.reduce_sum([x, x]).dtype == tf.float64
    assert tf.convert_to_tensor([x[0], 1.0]).dtype == tf.float64
    assert tf.shape([x, x]).numpy().tolist() == [2, 2]
