"""NumPy interoperation as TF's EagerTensor has it: NumPy functions read the value and return
arrays (no tape); ndarray operators defer to the tensor's; np.asarray is a read-only view."""

import numpy as np
import pytest

import tapegrad as tf

T = tf.constant([1.0, 2.0])


@pytest.mark.parametrize("f, want", [
    (lambda: np.add(T, 1), [2.0, 3.0]),
    (lambda: np.exp(T), np.exp(np.float32([1.0, 2.0]))),
    (lambda: np.concatenate([T, T]), [1.0, 2.0, 1.0, 2.0]),
    (lambda: np.maximum(T, 1.5), [1.5, 2.0]),
    (lambda: np.mean(T), 1.5),
    (lambda: np.sum(tf.Variable([1.0, 2.0])), 3.0),
])
def test_numpy_functions_return_arrays(f, want):
    got = f()
    assert isinstance(got, (np.ndarray, np.generic)) and not tf.is_tensor(got)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert np.asarray(got).dtype == np.float32


def test_ndarray_operators_give_tensors_and_keep_tf_dtype_rules():
    assert tf.is_tensor(np.ones(2, np.float32) * T) and tf.is_tensor(np.float32(2) + T)
    with pytest.raises(TypeError, match="multiply"):
        np.ones(2) * T  # float64 array, float32 tensor: TF refuses too


def test_asarray_is_a_zero_copy_read_only_view():
    a = np.asarray(T)
    assert np.shares_memory(a, T._value) and not a.flags.writeable
    with pytest.raises(ValueError):
        a[0] = 5.0
    b = np.array(T)
    b[0] = 5.0
    assert T.numpy().tolist() == [1.0, 2.0]


def test_numpy_functions_leave_the_tape():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.constant(np.exp(x)) * x
    assert tape.gradient(y, x).numpy() == pytest.approx(np.exp(2.0), rel=1e-6)
