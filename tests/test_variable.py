"""Variable: names, dtypes, assign*, reads, and how state interacts with the tape (as TF)."""

import numpy as np
import pytest

import tapegrad as tf


def test_names_and_trainable():
    assert tf.Variable(1.0).name == "Variable:0"
    assert tf.Variable(1.0, name="x0").name == "x0:0"
    with tf.name_scope("block"):
        assert tf.Variable(1.0, name="k").name == "block/k:0"
    assert tf.Variable(1.0).trainable and not tf.Variable(1.0, trainable=False).trainable


def test_repr_like_tf():
    assert repr(tf.Variable([1.0, 2.0])) == ("<tapegrad.Variable 'Variable:0' shape=(2,) "
                                             "dtype=float32, numpy=array([1., 2.], "
                                             "dtype=float32)>")
    assert str(tf.Variable(5.0)) == "<tapegrad.Variable 'Variable:0' shape=() dtype=float32, " \
                                    "numpy=5.0>"


def test_dtypes_and_initial_values():
    assert tf.Variable(1.0).dtype == tf.float32 and tf.Variable(3).dtype == tf.int32
    assert tf.Variable(1.0, dtype=tf.float64).dtype == tf.float64
    assert tf.Variable(np.float64(1.0)).dtype == tf.float64
    assert tf.Variable(tf.ones((2, 3))).shape == (2, 3)
    assert tf.Variable(lambda: tf.ones(2)).numpy().tolist() == [1.0, 1.0]  # callable initializer
    with pytest.raises(ValueError):
        tf.Variable(None)


def test_variable_owns_its_value():
    a = np.array([1.0, 2.0], np.float32)
    v = tf.Variable(a)
    a[0] = 9.0
    assert v.numpy().tolist() == [1.0, 2.0]
    v.numpy()[0] = 7.0  # numpy() is a copy for a Variable
    assert v.numpy().tolist() == [1.0, 2.0]


def test_assign_family_returns_the_variable_and_updates():
    v = tf.Variable([1.0, 2.0])
    assert v.assign([3.0, 4.0]) is v and v.numpy().tolist() == [3.0, 4.0]
    assert v.assign_add([1.0, 1.0]) is v and v.numpy().tolist() == [4.0, 5.0]
    assert v.assign_sub(tf.constant([0.5, 0.5])) is v and v.numpy().tolist() == [3.5, 4.5]
    v.assign_add(1.0)  # a scalar broadcasts
    assert v.numpy().tolist() == [4.5, 5.5]


def test_assign_errors_name_shapes_and_dtypes():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match=r"\(3,\).*\(2,\)"):
        v.assign([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="float64.*float32"):
        v.assign(tf.constant([1.0, 2.0], tf.float64))


def test_read_value_is_a_snapshot():
    v = tf.Variable([1.0, 2.0])
    r, val = v.read_value(), v.value()
    v.assign([5.0, 6.0])
    assert isinstance(r, tf.Tensor) and r.numpy().tolist() == [1.0, 2.0]
    assert val.numpy().tolist() == [1.0, 2.0]
    assert v.read_value().numpy().tolist() == [5.0, 6.0]


def test_snapshot_survives_assign_inside_a_tape():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = v * v
        v.assign([10.0, 20.0])
    assert y.numpy().tolist() == [1.0, 4.0]
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [2.0, 4.0])  # at the value it read


def test_arithmetic_on_a_variable_gives_a_tensor():
    x = tf.Variable(2.0)
    assert isinstance(x + 1, tf.Tensor) and isinstance(-x, tf.Tensor)
    x = x + 1  # now a Tensor, as in TF: no longer watched automatically
    assert isinstance(x, tf.Tensor) and float(x) == 3.0
    with tf.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None


def test_assign_is_not_recorded():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        x.assign(3.0)
        y = x * x
    assert float(tape.gradient(y, x)) == 6.0
    w = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        w.assign(x * 5.0)  # state stops gradients: w's value has no history
        y = w * 1.0
    assert tape.gradient(y, x) is None


def test_reads_before_and_after_assign_add_both_count():
    # TF gives 33.0: y = x*x at x=3 (dy/dx = 6), then x = 4, z = y*x; dz/dx = 4*6 + 9.
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x * x
        x.assign_add(1.0)
        z = y * x
    assert float(tape.gradient(z, x)) == 33.0


def test_non_trainable_variable_is_not_watched_unless_asked():
    v = tf.Variable(3.0, trainable=False)
    with tf.GradientTape() as tape:
        y = v * v
    assert tape.gradient(y, v) is None
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = v * v
    assert float(tape.gradient(y, v)) == 6.0


def test_integer_variable_gets_no_gradient():
    v = tf.Variable(3)
    with tf.GradientTape() as tape:
        y = v * v
    assert tape.gradient(y, v) is None and tape.watched_variables() == ()
