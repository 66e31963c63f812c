"""repeat, roll, sequence_mask and scatter_nd (ops/array_more.py): gradient checks and TF
2.21's outputs (each expected value below was printed by TensorFlow)."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase

GRAD_CASES = [
    GradCase("repeat", lambda x: tf.repeat(x, 2) + tf.reduce_sum(tf.repeat(x, [2, 1], axis=0)),
             [((2,),), ((2, 3),)]),
    GradCase("roll", lambda x: tf.roll(x, [1, -2], [0, -1]), [((3, 4),), ((2, 3, 5),)]),
    GradCase("scatter_nd", lambda u: tf.scatter_nd([[2], [0], [2]], u, [4, 3]),
             [((3, 3),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def test_repeat_and_roll_as_tf():
    assert tf.repeat([[1, 2], [3, 4]], 2).numpy().tolist() == [1, 1, 2, 2, 3, 3, 4, 4]
    assert tf.repeat([[1, 2], [3, 4]], [1, 2], axis=0).numpy().tolist() == [[1, 2], [3, 4],
                                                                           [3, 4]]
    assert tf.repeat(3, 2).numpy().tolist() == [3, 3]
    assert tf.roll([[1, 2, 3], [4, 5, 6]], shift=[1, -1], axis=[0, 1]).numpy().tolist() == \
        [[5, 6, 4], [2, 3, 1]]
    assert tf.roll([1, 2, 3, 4], 1, 0).numpy().tolist() == [4, 1, 2, 3]
    assert tf.roll([1, 2, 3, 4], [1, 2], [0, 0]).numpy().tolist() == [2, 3, 4, 1]


def test_sequence_mask_as_tf():
    assert tf.sequence_mask([1, 3, 2], 5).numpy().tolist() == [
        [True, False, False, False, False], [True, True, True, False, False],
        [True, True, False, False, False]]
    got = tf.sequence_mask([[1, 3], [2, 0]])
    assert got.shape == (2, 2, 3) and got.numpy()[1].tolist() == [[True, True, False],
                                                                  [False, False, False]]
    got = tf.sequence_mask([1, 2], dtype=tf.float32)
    assert got.dtype == tf.float32 and got.numpy().tolist() == [[1, 0], [1, 1]]


def test_scatter_nd_as_tf():
    np.testing.assert_array_equal(
        tf.scatter_nd([[4], [3], [1], [7], [4]], [9.0, 10.0, 11.0, 12.0, 1.0], [8]).numpy(),
        [0, 11, 0, 10, 10, 0, 0, 12])
    got = tf.scatter_nd([[0], [2]], [[1, 2], [3, 4]], [3, 2])
    assert got.dtype == tf.int32 and got.numpy().tolist() == [[1, 2], [0, 0], [3, 4]]


@pytest.mark.parametrize("call, message", [
    (lambda: tf.scatter_nd([[9]], [1.0], [8]), "scatter_nd: index 9"),
    (lambda: tf.repeat([1, 2, 3], [1, 2]), "repeat: repeats"),
    (lambda: tf.repeat([1, 2], 2, axis=3), "repeat: axis 3"),
    (lambda: tf.roll([1, 2], [1, 1], [0]), "roll: shift and axis"),
    (lambda: tf.roll([1, 2], 1, 2), "roll: axis 2"),
])
def test_refusals(call, message):
    with pytest.raises(InvalidArgumentError, match=message):
        call()
