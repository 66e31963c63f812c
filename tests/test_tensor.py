"""Tensor: printing, operators, dtype rules, Python protocols and constructors, as TF's."""

import math
import pickle

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import check_grads


# -- printing --------------------------------------------------------------------------------------
def test_repr_like_tf():
    assert repr(tf.constant(16.0)) == "<tapegrad.Tensor: shape=(), dtype=float32, numpy=16.0>"
    assert repr(tf.constant([1, 2])) == ("<tapegrad.Tensor: shape=(2,), dtype=int32, "
                                         "numpy=array([1, 2], dtype=int32)>")
    # TF: <tf.Tensor: shape=(2, 2), dtype=float32, numpy=\narray([[1., 2.],\n ...
    assert repr(tf.constant([[1.0, 2.0], [3.0, 4.0]])) == (
        "<tapegrad.Tensor: shape=(2, 2), dtype=float32, numpy=\n"
        "array([[1., 2.],\n       [3., 4.]], dtype=float32)>")
    assert repr(tf.constant([True, False])) == ("<tapegrad.Tensor: shape=(2,), dtype=bool, "
                                                "numpy=array([ True, False])>")


def test_str_like_tf():
    # TF prints tf.Tensor(16.0, shape=(), dtype=float32) and NumPy's str of the value
    assert str(tf.constant(16.0)) == "tapegrad.Tensor(16.0, shape=(), dtype=float32)"
    assert str(tf.constant([1.0, 2.0])) == "tapegrad.Tensor([1. 2.], shape=(2,), dtype=float32)"
    assert str(tf.constant([[1.0, 2.0], [3.0, 4.0]])) == (
        "tapegrad.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)")
    assert f"{tf.constant(2.5):.2f}" == "2.50"


def test_shape_dtype_ndim_numpy():
    t = tf.constant(np.zeros((4, 2), np.float32))
    assert t.shape == (4, 2) and tuple(t.shape) == (4, 2) and t.shape == [4, 2]
    assert t.shape.as_list() == [4, 2] and t.shape.rank == 2 and t.ndim == 2
    assert repr(t.shape) == "TensorShape([4, 2])" and str(t.shape) == "(4, 2)"
    assert t.dtype == tf.float32 and t.dtype.name == "float32"
    assert isinstance(t.numpy(), np.ndarray) and t.numpy().dtype == np.float32
    assert np.asarray(t).shape == (4, 2)
    assert np.asarray(t, dtype=np.float64).dtype == np.float64


def test_tensor_is_immutable_and_constant_copies_numpy_input():
    a = np.array([1.0, 2.0], np.float32)
    t = tf.constant(a)
    a[0] = 100.0
    assert t.numpy().tolist() == [1.0, 2.0]
    with pytest.raises(ValueError):
        t.numpy()[0] = 5.0  # read-only view


# -- operators -------------------------------------------------------------------------------------
X = np.array([[1.0, 2.0], [3.0, -4.0]], np.float32)
Y = np.array([[0.5, -1.5], [2.0, 3.0]], np.float32)


@pytest.mark.parametrize("op, ref", [
    (lambda x, y: x + y, np.add), (lambda x, y: x - y, np.subtract),
    (lambda x, y: x * y, np.multiply), (lambda x, y: x / y, np.divide),
    (lambda x, y: x // y, np.floor_divide), (lambda x, y: x % y, np.mod),
    (lambda x, y: x @ y, np.matmul), (lambda x, y: x ** y, lambda a, b: np.abs(a) ** b),
])
def test_binary_operators_with_every_operand_kind(op, ref):
    want = ref(X, Y)
    X_ = np.abs(X) if ref not in (np.add, np.subtract, np.multiply, np.divide, np.floor_divide,
                                  np.mod, np.matmul) else X  # pow: a positive base
    for x, y in [(tf.constant(X_), tf.constant(Y)),   # tensor, tensor
                 (tf.constant(X_), Y.tolist()),         # tensor, list (reflected: list op tensor)
                 (X_.tolist(), tf.constant(Y)),
                 (tf.constant(X_), Y),                  # tensor, NumPy (and NumPy, tensor)
                 (X_, tf.constant(Y)),
                 (tf.Variable(X_), tf.constant(Y)),     # variables read as tensors
                 (X_, tf.Variable(Y))]:
        got = op(x, y)
        assert isinstance(got, tf.Tensor) and got.dtype == tf.float32
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6)


def test_python_scalars_both_sides():
    t = tf.constant([1.0, 2.0])
    assert (t + 1).numpy().tolist() == [2.0, 3.0] and (1 + t).numpy().tolist() == [2.0, 3.0]
    assert (3.0 - t).numpy().tolist() == [2.0, 1.0] and (t * 2).dtype == tf.float32
    assert (2 / t).numpy().tolist() == [2.0, 1.0] and (2 ** t).numpy().tolist() == [2.0, 4.0]
    assert (7 // tf.constant(2)).numpy() == 3 and (tf.constant(7) % 3).numpy() == 1
    # floor semantics as TF: -7.5 % 2 = 0.5, 7.5 // 2 = 3
    assert float(tf.constant(-7.5) % 2.0) == 0.5 and float(tf.constant(7.5) // 2.0) == 3.0
    assert (-t).numpy().tolist() == [-1.0, -2.0] and abs(tf.constant(-3.0)).numpy() == 3.0
    assert (+t) is t


def test_comparisons_give_bool_and_are_not_differentiable():
    x = tf.constant([1.0, 2.0, 3.0])
    assert (x > 2).dtype == tf.bool and (x > 2).numpy().tolist() == [False, False, True]
    assert (x >= 2).numpy().tolist() == [False, True, True]
    assert (x < 2).numpy().tolist() == [True, False, False]
    assert (x <= 2).numpy().tolist() == [True, True, False]
    assert (x == 2.0).numpy().tolist() == [False, True, False]
    assert (x != 2.0).numpy().tolist() == [True, False, True]
    assert (x == None) is False and (x != None) is True  # noqa: E711  (TF 2 semantics)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(x > 2.0, tf.float32) * 1.0
    assert tape.gradient(y, x) is None


def test_numpy_array_on_the_left_defers_to_tensor():
    got = np.array([1.0, 2.0], np.float32) * tf.constant([3.0, 4.0])
    assert isinstance(got, tf.Tensor) and got.numpy().tolist() == [3.0, 8.0]


# -- dtype rules -----------------------------------------------------------------------------------
def test_default_dtypes():
    assert tf.constant(1.5).dtype == tf.float32 and tf.constant([1.0, 2]).dtype == tf.float32
    assert tf.constant(1).dtype == tf.int32 and tf.constant([1, 2]).dtype == tf.int32
    assert tf.constant(True).dtype == tf.bool
    assert tf.constant(np.float64(1.0)).dtype == tf.float64     # NumPy keeps its dtype
    assert tf.constant(np.arange(3)).dtype == tf.int64
    assert tf.constant(np.ones(2, np.float16)).dtype == tf.float16
    assert (tf.constant(np.ones(2)) + 1.0).dtype == tf.float64  # Python float adapts
    assert (tf.constant([1, 2]) + 1).dtype == tf.int32


@pytest.mark.parametrize("dt", ["float16", "float32", "float64", "int32", "int64", "bool"])
def test_constructors_take_every_dtype(dt):
    dtype = getattr(tf, dt)
    assert tf.constant(1, dtype).dtype == dtype
    assert tf.zeros((2,), dtype).dtype == dtype and tf.ones((2,), dtype).dtype == dtype
    assert tf.cast(tf.constant([0.0, 2.0]), dtype).dtype == dtype
    assert dtype.as_numpy_dtype == np.dtype(dt if dt != "bool" else np.bool_)


def test_float32_plus_float64_raises_naming_both():
    a, b = tf.constant([1.0]), tf.constant([1.0], tf.float64)
    for f in (lambda: a + b, lambda: b * a, lambda: a + np.ones(1), lambda: tf.matmul(
            tf.ones((1, 1)), tf.ones((1, 1), tf.float64))):
        with pytest.raises(TypeError) as e:
            f()
        assert "float32" in str(e.value) and "float64" in str(e.value)


def test_int_plus_float_tensor_raises():
    with pytest.raises(TypeError, match="int32"):
        tf.constant([1, 2]) + tf.constant([1.0, 2.0])


def test_python_float_with_int_tensor_raises():
    with pytest.raises(TypeError, match="int32"):
        tf.constant([1, 2]) + 1.5


# -- Python protocols ------------------------------------------------------------------------------
def test_unhashable_and_ref():
    t = tf.constant([1.0])
    with pytest.raises(TypeError, match="unhashable"):
        hash(t)
    with pytest.raises(TypeError):
        {t: 1}  # noqa: B018
    d = {t.ref(): "a"}
    assert d[t.ref()] == "a" and t.ref().deref() is t
    assert t.ref() != tf.constant([1.0]).ref()
    v = tf.Variable(1.0)
    assert {v.ref(), v.ref()} == {v.ref()}


def test_bool_float_int_index():
    assert bool(tf.constant(1.0) > 0.0) is True and bool(tf.constant([0.0])) is False
    if tf.constant(-1.0) > 0.0:
        pytest.fail("a false scalar comparison was truthy")
    with pytest.raises(ValueError, match="ambiguous"):
        bool(tf.constant([1.0, 2.0]))
    assert float(tf.constant(2.5)) == 2.5 and int(tf.constant(3)) == 3
    assert [10, 11, 12][tf.constant(2)] == 12 and range(5)[tf.constant(1, tf.int64)] == 1
    with pytest.raises(TypeError, match="integer"):
        [0, 1][tf.constant(1.0)]
    assert math.isclose(math.sqrt(tf.constant(4.0)), 2.0)


def test_len_iter_getitem():
    t = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert len(t) == 3
    rows = list(t)
    assert len(rows) == 3 and all(isinstance(r, tf.Tensor) for r in rows)
    assert rows[2].numpy().tolist() == [5.0, 6.0]
    assert float(t[1, 0]) == 3.0 and t[:, 1].numpy().tolist() == [2.0, 4.0, 6.0]
    assert t[::-1, 0].numpy().tolist() == [5.0, 3.0, 1.0] and t[None].shape == (1, 3, 2)
    assert t[..., 0].shape == (3,) and t[-1].numpy().tolist() == [5.0, 6.0]
    with pytest.raises(TypeError):
        len(tf.constant(1.0))
    with pytest.raises(TypeError):
        iter(tf.constant(1.0)).__next__()


def test_getitem_is_differentiable():
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x[:, 1:] ** 2) + x[0, 0] * 3.0
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [[3.0, 4.0, 6.0], [0.0, 10.0, 12.0]])


def test_pickle_roundtrip():
    t = tf.constant([1.0, 2.0])
    assert pickle.loads(pickle.dumps(t)).numpy().tolist() == [1.0, 2.0]


# -- constructors ----------------------------------------------------------------------------------
def test_constructors():
    assert tf.zeros((2, 3)).numpy().tolist() == [[0.0] * 3] * 2 and tf.zeros((2, 3)).dtype == \
        tf.float32
    assert tf.ones(2).numpy().tolist() == [1.0, 1.0]
    assert tf.zeros_like(tf.constant([1, 2])).dtype == tf.int32
    assert tf.ones_like(tf.constant([1.0, 2.0])).numpy().tolist() == [1.0, 1.0]
    assert tf.fill((2,), 7.0).numpy().tolist() == [7.0, 7.0] and tf.fill((2,), 7).dtype == tf.int32
    np.testing.assert_array_equal(tf.eye(2, 3).numpy(), np.eye(2, 3, dtype=np.float32))
    np.testing.assert_allclose(tf.linspace(0.0, 1.0, 5).numpy(), np.linspace(0, 1, 5))
    assert tf.range(5).numpy().tolist() == [0, 1, 2, 3, 4] and tf.range(5).dtype == tf.int32
    assert tf.range(1.0, 2.0, 0.5).numpy().tolist() == [1.0, 1.5]
    assert tf.range(1.0, 2.0, 0.5).dtype == tf.float32
    assert tf.constant(0, shape=(2, 2)).numpy().tolist() == [[0, 0], [0, 0]]
    assert tf.convert_to_tensor([1.0, 2.0]).dtype == tf.float32
    t = tf.constant(1.0)
    assert tf.convert_to_tensor(t) is t
    assert isinstance(tf.convert_to_tensor(tf.Variable(1.0)), tf.Tensor)


def test_random_set_seed_reproduces():
    tf.random.set_seed(7)
    a, b = tf.random.normal((3, 2)), tf.random.uniform((4,), minval=-1.0, maxval=1.0)
    tf.random.set_seed(7)
    a2, b2 = tf.random.normal((3, 2)), tf.random.uniform((4,), minval=-1.0, maxval=1.0)
    assert a.dtype == tf.float32 and a.shape == (3, 2)
    np.testing.assert_array_equal(a.numpy(), a2.numpy())
    np.testing.assert_array_equal(b.numpy(), b2.numpy())
    assert np.all(b.numpy() >= -1.0) and np.all(b.numpy() < 1.0)
    assert not np.array_equal(a.numpy(), tf.random.normal((3, 2)).numpy())
    assert tf.random.normal((2,), dtype=tf.float64).dtype == tf.float64


def test_random_normal_statistics():
    tf.random.set_seed(0)
    z = tf.random.normal((20000,), mean=1.0, stddev=2.0).numpy()
    assert abs(z.mean() - 1.0) < 0.05 and abs(z.std() - 2.0) < 0.05


@pytest.mark.parametrize("f", [
    lambda x: 2.0 + x, lambda x: 2.0 - x, lambda x: 2.0 * x, lambda x: 2.0 / x,
    lambda x: 2.0 ** x, lambda x: 3 ** x, lambda x: x ** 2.0, lambda x: x ** 3,
    lambda x: [[1.0, 2.0]] - x, lambda x: np.array([3.0, 4.0]) * x, lambda x: -x,
    lambda x: abs(x), lambda x: x @ np.eye(2), lambda x: np.eye(2) @ x,
], ids=["radd", "rsub", "rmul", "rtruediv", "rpow", "rpow_int", "pow", "pow_int", "rsub_list",
        "rmul_numpy", "neg", "abs", "matmul", "rmatmul"])
def test_operator_gradients_with_python_and_numpy_operands(f):
    check_grads(f, [np.array([[0.7, -1.3], [1.1, 0.4]])], order=2)


def test_reflected_pow_keeps_float32():
    # TF's output: [0.3465736, 2.7725887] (2 ** x * log 2 at x = [-1, 2])
    x = tf.constant([-1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = 2.0 ** x
    g = tape.gradient(y, x)
    assert g.dtype == tf.float32
    np.testing.assert_allclose(g.numpy(), [0.3465736, 2.7725887], rtol=1e-6)


def test_floordiv_and_mod_gradients_as_tf():
    # TF's outputs: x // y has no gradient; x % y: (1, -floor(x / y)); 7 % x: -floor(7 / x)
    x, y = tf.constant([5.5, -3.2]), tf.constant([2.0, 1.5])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        a, b, c = x // y, x % y, 7.0 % x
    assert tape.gradient(a, [x, y]) == [None, None]
    gx, gy = tape.gradient(b, [x, y])
    assert gx.numpy().tolist() == [1.0, 1.0] and gy.numpy().tolist() == [-2.0, 3.0]
    assert tape.gradient(c, x).numpy().tolist() == [-1.0, 3.0]
