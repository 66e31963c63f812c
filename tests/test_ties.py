"""Ties and kinks: the derivative TF defines where an op is not differentiable, in both modes.

At a tie TF's gradients are: ``maximum``/``minimum`` send the whole gradient to ``x`` (its mask is
``x >= y`` / ``x <= y``); ``reduce_max``/``reduce_min`` split it evenly among the tied entries;
``abs`` and ``relu`` have derivative 0 at 0. Forward mode (TF computes it from the VJP) must
give the same numbers, so each case checks ``jvp == J v`` with ``J`` from the reverse pass.
"""

import numpy as np
import pytest

import tapegrad as tf

TIE_CASES = [
    # name, f, inputs, reverse-mode gradient of sum(f) w.r.t. each input (TF 2.21's values)
    ("maximum", tf.maximum, [np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 4.0])],
     [np.array([1.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0])]),
    ("minimum", tf.minimum, [np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 4.0])],
     [np.array([1.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.0])]),
    ("reduce_max", lambda x: tf.reduce_max(x), [np.array([2.0, 5.0, 5.0, 1.0])],
     [np.array([0.0, 0.5, 0.5, 0.0])]),
    ("reduce_min", lambda x: tf.reduce_min(x, axis=1),
     [np.array([[1.0, 1.0, 1.0], [0.0, 3.0, 0.0]])],
     [np.array([[1 / 3, 1 / 3, 1 / 3], [0.5, 0.0, 0.5]])]),
    ("abs", tf.abs, [np.array([-1.0, 0.0, 2.0])], [np.array([-1.0, 0.0, 1.0])]),
    ("relu", tf.nn.relu, [np.array([-1.0, 0.0, 2.0])], [np.array([0.0, 0.0, 1.0])]),
]


def _reverse(f, xs):
    ts = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(ts)
        y = f(*ts)
    return [g.numpy() for g in tape.gradient(y, ts)], tape


def _jacobians(f, xs):
    ts = [tf.constant(x) for x in xs]
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(ts)
        y = f(*ts)
    return [tape.jacobian(y, t).numpy().reshape(y.shape.num_elements() or 1, -1) for t in ts]


@pytest.mark.parametrize("name,f,xs,want", TIE_CASES, ids=[c[0] for c in TIE_CASES])
def test_reverse_mode_at_a_tie_as_tf(name, f, xs, want):
    got, _ = _reverse(f, xs)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=0)


EACH_INPUT = [(c[0], c[1], c[2], i) for c in TIE_CASES for i in range(len(c[2]))]


@pytest.mark.parametrize("name,f,xs,which", EACH_INPUT, ids=[f"{c[0]}-{c[3]}" for c in EACH_INPUT])
def test_forward_mode_at_a_tie_agrees_with_reverse(name, f, xs, which):
    ts = [tf.constant(x) for x in xs]
    tangents = [tf.constant(np.ones_like(x) if i == which else np.zeros_like(x))
                for i, x in enumerate(xs)]
    with tf.autodiff.ForwardAccumulator(ts, tangents) as acc:
        y = f(*ts)
    jvp = acc.jvp(y).numpy().reshape(-1)
    want_jvp = _jacobians(f, xs)[which] @ np.ones(xs[which].size)
    np.testing.assert_allclose(jvp, want_jvp, rtol=1e-12, atol=0)


def test_forward_mode_values_at_a_tie():
    # maximum at a tie follows x's tangent; reduce_max's tangent is the mean of the tied ones
    x, y = tf.constant([1.0]), tf.constant([1.0])
    with tf.autodiff.ForwardAccumulator([x, y], [tf.constant([2.0]), tf.constant([7.0])]) as acc:
        out = tf.maximum(x, y)
    assert acc.jvp(out).numpy().tolist() == [2.0]
    v = tf.constant([5.0, 5.0, 1.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 1.0, 0.0])) as acc:
        out = tf.reduce_max(v)
    assert float(acc.jvp(out)) == 1.0


@pytest.mark.parametrize("src,dst", [("float32", "float64"), ("float64", "float32")])
def test_cast_gradient_keeps_the_source_dtype(src, dst):
    x = tf.constant([1.5, -2.0], dtype=src)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.cast(x, dst) * tf.constant([3.0, 4.0], dtype=dst))
    g = tape.gradient(y, x)
    assert g.dtype.name == src
    np.testing.assert_allclose(g.numpy(), [3.0, 4.0])


def test_mixed_float32_float64_graph_keeps_each_sources_dtype():
    a, b = tf.constant([2.0], dtype="float32"), tf.constant([3.0], dtype="float64")
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = tf.cast(a, "float64") * b + tf.cast(tf.cast(b, "float32") * a, "float64")
    ga, gb = tape.gradient(y, [a, b])
    assert (ga.dtype.name, gb.dtype.name) == ("float32", "float64")
    np.testing.assert_allclose([ga.numpy()[0], gb.numpy()[0]], [6.0, 4.0])


FLOAT32_CASES = [
    ("exp", lambda x: tf.exp(x) * x, [np.array([0.5, -1.0, 2.0])]),
    ("maximum", tf.maximum, [np.array([1.0, 2.0, 3.0]), np.array([1.5, 1.0, 4.0])]),
    ("cumsum", lambda x: tf.math.cumsum(x * x, axis=1), [np.arange(6.0).reshape(2, 3) / 4]),
    ("matmul", tf.matmul, [np.eye(2) + 0.5, np.arange(6.0).reshape(2, 3) / 5]),
    ("softmax", tf.nn.softmax, [np.array([[0.1, 1.0, -2.0]])]),
    ("reduce_logsumexp", lambda x: tf.reduce_logsumexp(x, axis=0), [np.array([[0.1, 1.0]])]),
]


@pytest.mark.parametrize("name,f,xs", FLOAT32_CASES, ids=[c[0] for c in FLOAT32_CASES])
def test_float32_gradients_keep_float32_and_match_float64(name, f, xs):
    tf.testing.check_grads_float32(f, xs)
