"""stop_gradient, custom_gradient (functions, methods, variables=) and recompute_grad."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import check_grads


def test_stop_gradient_blocks_one_path_only():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x * x + tf.stop_gradient(x * x * x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0])
    assert tf.stop_gradient(tf.constant(3.0)).numpy() == 3.0


# -- custom_gradient on functions ------------------------------------------------------------------
@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))
    return tf.math.log(1 + e), grad


@pytest.mark.filterwarnings("ignore:overflow encountered")  # exp(100) in float32 is inf, as TF
def test_custom_gradient_replaces_the_gradient_and_is_stable():
    # TF's docs: the naive gradient of log(1 + exp(x)) at x = 100 is nan; the custom one is 1.0
    x = tf.constant(100.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    assert float(tape.gradient(y, x)) == 1.0
    x = tf.constant([0.0, 1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), 1 / (1 + np.exp(-x.numpy())),
                               rtol=1e-6)


def test_custom_gradient_value_outside_a_tape():
    np.testing.assert_allclose(float(log1pexp(tf.constant(0.0))), np.log(2.0), rtol=1e-6)


def test_custom_gradient_grad_fn_is_differentiated_by_an_outer_tape():
    # grad_fn written with tapegrad ops: second derivative of log1pexp is sigmoid'(x)
    x = tf.Variable(0.5, dtype=tf.float64)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = log1pexp(x)
        g = t1.gradient(y, x)
    s = 1 / (1 + np.exp(-0.5))
    np.testing.assert_allclose(float(t2.gradient(g, x)), s * (1 - s), rtol=1e-12)


def test_custom_gradient_with_two_inputs_and_none():
    @tf.custom_gradient
    def scaled(x, scale):
        def grad(dy):
            return dy * scale * 10.0, None   # deliberately not the true gradient
        return x * scale, grad

    x, s = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([x, s])
        y = scaled(x, s)
    gx, gs = tape.gradient(y, [x, s])
    assert float(gx) == 30.0 and gs is None


def test_custom_gradient_with_several_outputs():
    @tf.custom_gradient
    def pair(x):
        def grad(d1, d2):
            return d1 * 2.0 + d2 * 3.0
        return [x * 2.0, x * 3.0], grad

    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        a, b = pair(x)
        y = a + 10.0 * b
    assert float(tape.gradient(y, x)) == 32.0


def test_wrong_number_of_gradients_raises():
    @tf.custom_gradient
    def bad(x, y):
        return x * y, lambda dy: dy     # one gradient for two inputs

    x, y = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = bad(x, y)
    with pytest.raises(ValueError, match="1 gradients.*2 tensor inputs"):
        tape.gradient(z, [x, y])


# -- methods and variables ------------------------------------------------------------------------
class Scale:
    def __init__(self):
        self.w = tf.Variable(3.0)

    @tf.custom_gradient
    def __call__(self, x):
        y = x * self.w

        def grad(dy, variables=None):
            # true gradients, with the variable's gradient doubled to show it is ours
            return dy * self.w, [2.0 * dy * x]
        return y, grad


def test_custom_gradient_on_a_method_with_variables():
    layer = Scale()
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
    gx, gw = tape.gradient(y, [x, layer.w])
    assert float(y) == 6.0 and float(gx) == 3.0 and float(gw) == 4.0


def test_custom_gradient_receives_the_variables_it_read():
    w = tf.Variable([1.0, 2.0])
    seen = []

    @tf.custom_gradient
    def f(x):
        def grad(dy, variables):
            seen.extend(variables)
            return dy * w, [dy * x]
        return x * w, grad

    x = tf.constant([3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(f(x))
    gx, gw = tape.gradient(y, [x, w])
    assert seen == [w]
    assert gx.numpy().tolist() == [1.0, 2.0] and gw.numpy().tolist() == [3.0, 4.0]


def test_grad_fn_without_variables_keyword_raises():
    w = tf.Variable(2.0)

    @tf.custom_gradient
    def f(x):
        return x * w, lambda dy: dy * w

    with tf.GradientTape():
        with pytest.raises(TypeError, match="variables"):
            f(tf.constant(1.0))


def test_wrong_number_of_variable_gradients_raises():
    w = tf.Variable(2.0)

    @tf.custom_gradient
    def f(x):
        return x * w, lambda dy, variables=None: (dy * w, [])

    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    with pytest.raises(ValueError, match="0 variable gradients for 1 variables"):
        tape.gradient(y, [x, w])


# -- recompute_grad --------------------------------------------------------------------------------
def _block(x):
    for _ in range(10):
        x = tf.tanh(x * 1.1 + 0.1)
    return x


def _held_bytes(tape) -> int:
    """Bytes of the distinct arrays that the tape's records keep alive."""
    seen, total = set(), 0
    for rec in tape._records:
        outs = rec.out if type(rec.out) is tuple else (rec.out,)
        for t in tuple(rec.inputs) + outs:
            v = getattr(t, "_value", None)
            if isinstance(v, np.ndarray) and id(v) not in seen:
                seen.add(id(v))
                total += v.nbytes
    return total


def test_recompute_grad_gives_the_same_gradient():
    x0 = np.linspace(-1.0, 1.0, 7)
    checkpointed = tf.recompute_grad(_block)
    grads = []
    for f in (_block, checkpointed):
        x = tf.constant(x0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(f(x) ** 2)
        grads.append(tape.gradient(y, x).numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-12)
    check_grads(lambda x: checkpointed(x) ** 2, [x0], order=1, modes=("rev",))


def test_recompute_grad_keeps_fewer_records_and_bytes_on_the_tape():
    x = tf.constant(np.ones(10_000))
    held = {}
    for name, f in (("plain", _block), ("recompute", tf.recompute_grad(_block))):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = tf.reduce_sum(f(x))
        held[name] = (len(tape._records), _held_bytes(tape))
        assert tape.gradient(y, x).shape == (10_000,)
    # plain: 3 records per layer (mul, add, tanh), each keeping a 80 kB array; checkpointed:
    # one record for the whole block (input and output only) plus the reduce_sum
    assert held["plain"][0] == 31 and held["recompute"][0] == 2
    assert held["recompute"][1] <= 2 * 80_000 + 8 < held["plain"][1] / 10


def test_recompute_grad_with_a_variable():
    w = tf.Variable(0.5, dtype=tf.float64)
    block = tf.recompute_grad(lambda x: tf.tanh(x * w))
    x = tf.constant(np.array([1.0, 2.0]))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(block(x))
    gx, gw = tape.gradient(y, [x, w])
    d = 1 - np.tanh(0.5 * x.numpy()) ** 2
    np.testing.assert_allclose(gx.numpy(), 0.5 * d, rtol=1e-12)
    np.testing.assert_allclose(float(gw), np.sum(d * x.numpy()), rtol=1e-12)


def test_grad_fn_returning_a_wrong_shape_is_an_error_not_a_wrong_gradient():
    @tf.custom_gradient
    def f(x):
        return tf.reduce_sum(x), lambda dy: tf.reduce_sum(dy)  # scalar for a (3,) input

    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x)
    with pytest.raises(ValueError, match=r"shape \[\] for an input of shape \[3\]"):
        t.gradient(y, x)
