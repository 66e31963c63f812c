"""Invalid arguments raise tf.errors.InvalidArgumentError where TF's eager mode does, and stay
catchable as ValueError (an out-of-range index also as IndexError)."""

import pytest

import tapegrad as tf


@pytest.mark.parametrize("f, words", [
    (lambda: tf.matmul(tf.ones((2, 3)), tf.ones((2, 3))), "matmul"),
    (lambda: tf.reshape(tf.ones(3), [2]), "reshape"),
    (lambda: tf.concat([tf.ones((2, 2)), tf.ones((3, 3))], 0), "concat"),
    (lambda: tf.stack([tf.ones(2), tf.ones(3)]), "stack"),
    (lambda: tf.gather(tf.ones(3), 5), "gather"),
    (lambda: tf.ones(3) + tf.ones(2), "add"),
    (lambda: tf.ones(3)[5], "getitem"),
    (lambda: tf.range(0, 3, 0), "range"),
])
def test_invalid_arguments_are_tf_errors_and_value_errors(f, words):
    with pytest.raises(tf.errors.InvalidArgumentError, match=words) as info:
        f()
    assert isinstance(info.value, ValueError)


def test_an_index_out_of_range_is_also_an_index_error():
    with pytest.raises(IndexError):
        tf.constant([1.0, 2.0])[2]
