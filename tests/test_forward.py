"""ForwardAccumulator: JVPs, structures, unconnected values, nesting with tapes (HVPs both ways)."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import check_grads


def test_jvp_of_an_elementwise_program():
    x = tf.constant([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 1.0])) as acc:
        y = x * x
    np.testing.assert_allclose(acc.jvp(y).numpy(), [2.0, 4.0])


def test_jvp_equals_jacobian_times_tangent():
    rng = np.random.default_rng(0)
    x0, w0 = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    t = rng.standard_normal((3, 4))
    x, w = tf.constant(x0), tf.constant(w0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(t)) as acc:
        y = tf.tanh(tf.matmul(x, w)) + tf.reduce_sum(x ** 2, axis=1, keepdims=True)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y2 = tf.tanh(tf.matmul(x, w)) + tf.reduce_sum(x ** 2, axis=1, keepdims=True)
    j = tape.jacobian(y2, x).numpy()             # [3, 2, 3, 4]
    np.testing.assert_allclose(acc.jvp(y).numpy(), np.einsum("abij,ij->ab", j, t), rtol=1e-12)


def test_variable_primals():
    # TF's API docs: v = [1, 2], tangent [1, 0], y = reduce_sum(v ** 3) -> jvp = 3.0
    v = tf.Variable([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0])) as acc:
        y = tf.reduce_sum(v ** 3.0)
    assert float(acc.jvp(y)) == 3.0


def test_several_primals_and_structures():
    a, b = tf.constant(2.0), tf.constant(3.0)
    with tf.autodiff.ForwardAccumulator([a, b], [tf.constant(1.0), tf.constant(10.0)]) as acc:
        y = a * b
        z = a + b
    out = acc.jvp({"y": y, "both": [y, (z,)]})
    assert float(out["y"]) == 3.0 + 20.0 and float(out["both"][1][0]) == 11.0


def test_unconnected_jvp_is_none_or_zero():
    x = tf.constant([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 1.0])) as acc:
        c = tf.constant([5.0, 6.0]) * 2.0
    assert acc.jvp(c) is None
    assert acc.jvp(c, unconnected_gradients=tf.UnconnectedGradients.ZERO).numpy().tolist() == \
        [0.0, 0.0]


def test_tangent_shape_mismatch_and_bad_primal_raise():
    with pytest.raises(ValueError, match=r"\[3\].*\[2\]"):
        tf.autodiff.ForwardAccumulator(tf.constant([1.0, 2.0]), tf.constant([1.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="primals"):
        tf.autodiff.ForwardAccumulator([tf.constant(1.0)], [])
    with pytest.raises(TypeError, match="Tensors or Variables"):
        tf.autodiff.ForwardAccumulator(3.0, 1.0)


def test_forward_mode_matches_finite_differences():
    f = lambda x, y: tf.reduce_mean(tf.exp(tf.sin(x) * y) / (1.0 + y * y))  # noqa: E731
    rng = np.random.default_rng(1)
    check_grads(f, [rng.standard_normal((2, 3)), rng.standard_normal((3,))], order=2,
                modes=("fwd",))


# -- nesting: Hessian-vector products -------------------------------------------------------------
def _loss(x):
    return tf.reduce_sum(tf.sin(x) * x ** 2)


def _hessian(x):
    return np.diag(np.cos(x) * 4 * x - np.sin(x) * x ** 2 + 2 * np.sin(x))


X0 = np.array([0.3, -1.2, 2.0])
V0 = np.array([1.0, 0.5, -2.0])


def test_hvp_forward_over_reverse():
    x = tf.constant(X0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(V0)) as acc:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = _loss(x)
        g = tape.gradient(y, x)
    np.testing.assert_allclose(acc.jvp(g).numpy(), _hessian(X0) @ V0, rtol=1e-12)


def test_hvp_reverse_over_forward():
    x = tf.constant(X0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tf.autodiff.ForwardAccumulator(x, tf.constant(V0)) as acc:
            y = _loss(x)
        jvp = acc.jvp(y)
    np.testing.assert_allclose(tape.gradient(jvp, x).numpy(), _hessian(X0) @ V0, rtol=1e-12)


def test_hvp_reverse_over_reverse():
    x = tf.constant(X0)
    v = tf.constant(V0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = _loss(x)
        g = inner.gradient(y, x)
        gv = tf.reduce_sum(g * v)
    np.testing.assert_allclose(outer.gradient(gv, x).numpy(), _hessian(X0) @ V0, rtol=1e-12)


def test_nested_accumulators_give_second_derivatives():
    x = tf.constant(np.array([1.5]))
    with tf.autodiff.ForwardAccumulator(x, tf.constant(np.array([1.0]))) as outer:
        with tf.autodiff.ForwardAccumulator(x, tf.constant(np.array([1.0]))) as inner:
            y = x ** 3
        d1 = inner.jvp(y)
    np.testing.assert_allclose(d1.numpy(), 3 * 1.5 ** 2)
    np.testing.assert_allclose(outer.jvp(d1).numpy(), 6 * 1.5)


def test_forward_mode_through_custom_gradient_uses_its_vjp():
    @tf.custom_gradient
    def double_grad(x):
        return x * 1.0, lambda dy: dy * 2.0   # a deliberate "wrong" gradient: forward sees it

    x = tf.constant([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 1.0])) as acc:
        y = double_grad(x)
    np.testing.assert_allclose(acc.jvp(y).numpy(), [2.0, 2.0])


def test_reentering_an_active_accumulator_raises():
    acc = tf.autodiff.ForwardAccumulator(tf.constant(1.0), tf.constant(1.0))
    with acc:
        with pytest.raises(ValueError, match="already active"):
            acc.__enter__()
