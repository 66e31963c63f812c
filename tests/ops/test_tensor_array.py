"""tf.TensorArray: TF's eager semantics (write/read/stack/unstack/gather/scatter/concat/split,
dynamic_size, clear_after_read, element_shape), gradients through it, and while_loop bodies."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError, OutOfRangeError
from tapegrad.testing import GradCase

R1 = [((3,),), ((2, 3),)]


def _write_stack(x):
    ta = tf.TensorArray(x.dtype, size=0, dynamic_size=True)
    for i in range(3):
        ta = ta.write(i, tf.sin(x) * (i + 1.0))
    return ta.stack() * ta.read(1)


def _unstack_gather(x):
    ta = tf.TensorArray(x.dtype, size=x.shape[0], clear_after_read=False).unstack(x * x)
    return ta.gather([2, 0]) * ta.read(2) + ta.concat()[0]


def _scatter_concat(x):
    ta = tf.TensorArray(x.dtype, size=2).scatter([1, 0], tf.stack([x, tf.exp(x)]))
    return ta.concat() * float(ta.size())


def _in_while_loop(x):
    n = x.shape[0]

    def body(i, ta, acc):
        acc = acc * 0.5 + x[i]
        return i + 1, ta.write(i, acc * acc), acc

    _, ta, _ = tf.while_loop(lambda i, ta, acc: i < n, body,
                             (0, tf.TensorArray(x.dtype, size=n), tf.zeros_like(x[0])))
    return ta.stack()


GRAD_CASES = [
    GradCase("TensorArray.write/stack/read", _write_stack, R1),
    GradCase("TensorArray.unstack/gather/concat", _unstack_gather, [((4, 2),)]),
    GradCase("TensorArray.scatter/concat", _scatter_concat, R1),
    GradCase("TensorArray in while_loop", _in_while_loop, [((3,),), ((4, 2),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def test_tf_docstring_examples():
    # the three examples of TF's TensorArray docstring, with TF's printed results
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True, clear_after_read=False)
    ta = ta.write(0, 10)
    ta = ta.write(1, 20)
    ta = ta.write(2, 30)
    assert float(ta.read(0)) == 10.0 and float(ta.read(1)) == 20.0
    assert ta.stack().numpy().tolist() == [10.0, 20.0, 30.0]

    @tf.function
    def fibonacci(n):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        ta = ta.unstack([0.0, 1.0])
        for i in range(2, n):
            ta = ta.write(i, ta.read(i - 1) + ta.read(i - 2))
        return ta.stack()

    assert fibonacci(7).numpy().tolist() == [0.0, 1.0, 1.0, 2.0, 3.0, 5.0, 8.0]


def test_actor_critic_pattern_while_looped():
    # the actor-critic tutorial collects per-step values with a dynamic TensorArray
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        values = tf.TensorArray(dtype=tf.float32, size=0, dynamic_size=True)
        for t in tf.range(3):
            values = values.write(t, tf.reduce_sum(v * tf.cast(t + 1, tf.float32)))
        loss = tf.reduce_sum(values.stack())
    assert values.size().numpy() == 3 and values.size().dtype == tf.int32
    np.testing.assert_allclose(tape.gradient(loss, v).numpy(), [6.0, 6.0])


def test_clear_after_read_and_unwritten_elements():
    ta = tf.TensorArray(tf.float32, size=3, element_shape=[2])
    ta.write(0, [1.0, 2.0])
    assert ta.read(0).numpy().tolist() == [1.0, 2.0]
    with pytest.raises(InvalidArgumentError, match="clear_after_read"):
        ta.read(0)
    assert ta.read(2).numpy().tolist() == [0.0, 0.0]          # never written: zeros, as TF
    keep = tf.TensorArray(tf.float32, size=1, clear_after_read=False).write(0, 3.0)
    assert float(keep.read(0)) == float(keep.read(0)) == 3.0


def test_errors_as_tf():
    ta = tf.TensorArray(tf.float32, size=2)
    with pytest.raises(OutOfRangeError, match="dynamic_size"):
        ta.write(2, 1.0)
    with pytest.raises(OutOfRangeError):
        ta.read(5)
    with pytest.raises(InvalidArgumentError, match="int32"):
        ta.write(0, tf.constant(1, tf.int32))
    with pytest.raises(ValueError, match="incompatible shape"):
        tf.TensorArray(tf.float32, size=2, element_shape=[2]).write(0, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="size must be given"):
        tf.TensorArray(tf.float32)
    with pytest.raises(ValueError, match="static size"):
        tf.TensorArray(tf.float32, size=1).unstack([1.0, 2.0])
    with pytest.raises(InvalidArgumentError, match="scalar"):
        tf.TensorArray(tf.float32, size=1).write(0, 1.0).concat()


def test_element_shape_inferred_and_empty_stack():
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=[None, 3])
    assert tf.TensorArray(tf.float32, size=0, element_shape=[2]).stack().shape == (0, 2)
    ta.write(0, tf.zeros([2, 3]))
    assert ta.element_shape == [2, 3]
    assert ta.dtype == tf.float32 and ta.dynamic_size


def test_split_and_concat():
    ta = tf.TensorArray(tf.float32, size=2, clear_after_read=False).split([1.0, 2.0, 3.0], [1, 2])
    assert ta.read(1).numpy().tolist() == [2.0, 3.0]
    assert ta.concat().numpy().tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(InvalidArgumentError, match="sum"):
        tf.TensorArray(tf.float32, size=2).split([1.0, 2.0], [1, 2])
