"""GradientTape: every semantic of TF's tape, checked against closed-form derivatives."""

import warnings

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.engine.registry import REGISTRY, primitive


# -- the context, watching -------------------------------------------------------------------------
def test_reentering_an_active_tape_raises():
    tape = tf.GradientTape()
    with tape:
        with pytest.raises(ValueError, match="re-enter"):
            tape.__enter__()


def test_trainable_variables_are_watched_when_read():
    v, c = tf.Variable(3.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = v * v + c * c
    gv, gc = tape.gradient(y, [v, c])
    assert float(gv) == 6.0 and gc is None


def test_watch_accessed_variables_false():
    a, b = tf.Variable(2.0), tf.Variable(5.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(a)
        y = a * b
    ga, gb = tape.gradient(y, [a, b])
    assert float(ga) == 5.0 and gb is None
    assert tape.watched_variables() == (a,)


def test_watch_a_nested_structure():
    a, b, c = tf.constant(1.0), tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch({"a": a, "rest": [b, (c,)]})
        y = a * b * c
    assert [float(g) for g in tape.gradient(y, [a, b, c])] == [6.0, 3.0, 2.0]


def test_watching_an_integer_tensor_warns_and_gives_no_gradient():
    x = tf.constant(3)
    with tf.GradientTape() as tape:
        with pytest.warns(UserWarning, match="The dtype of the watched tensor must be floating"):
            tape.watch(x)
        y = x * x
    assert tape.gradient(y, x) is None


@pytest.mark.parametrize("bad", [3.0, np.ones(2), [1.0, "a"]])
def test_watching_a_non_tensor_raises_naming_its_type(bad):
    with tf.GradientTape() as tape:
        with pytest.raises(ValueError, match="float|ndarray|str"):
            tape.watch(bad)


def test_watched_variables_in_order_of_first_watch():
    a, b, c = tf.Variable(1.0), tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = c * b
        tape.watch(a)
        y = y + b * a + c
    assert tape.watched_variables() == (c, b, a)


def test_multiple_tapes_each_with_its_own_watch_set():
    x, y = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tx, tf.GradientTape() as ty:
        tx.watch(x)
        ty.watch(y)
        z = x * x * y
    assert float(tx.gradient(z, x)) == 12.0 and float(ty.gradient(z, y)) == 4.0


def test_each_tape_sees_only_its_sources():
    # TF gives None for a tensor the tape did not watch, even if it fed a recorded op
    x, y = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tx, tf.GradientTape() as ty:
        tx.watch(x)
        ty.watch(y)
        z = x * x * y
    assert tx.gradient(z, y) is None and float(tx.gradient(z, x)) == 12.0


def test_only_ops_touching_watched_values_are_recorded():
    x, c = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        unrelated = c * c + 1.0
        y = x * unrelated
    assert len(tape._records) == 1 and float(tape.gradient(y, x)) == 10.0


def test_intermediate_values_are_valid_sources():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    assert float(tape.gradient(z, y)) == 18.0 and tape.gradient(z, tf.constant(9.0)) is None


# -- gradient: structures and arguments ------------------------------------------------------------
def test_nested_sources_keep_their_structure():
    a, b, c = tf.Variable(1.0), tf.Variable([1.0, 2.0]), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = a * 2.0 + tf.reduce_sum(b * b) + c * c
    g = tape.gradient(y, {"a": a, "pair": (b, [c])})
    assert set(g) == {"a", "pair"} and isinstance(g["pair"], tuple)
    assert isinstance(g["pair"][1], list)
    assert float(g["a"]) == 2.0 and g["pair"][0].numpy().tolist() == [2.0, 4.0]
    assert float(g["pair"][1][0]) == 6.0


def test_several_and_non_scalar_targets_give_the_gradient_of_their_sum():
    x = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        y = x * x          # non-scalar: gradient of sum(y)
        z = 3.0 * x
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0, 6.0])
    np.testing.assert_allclose(tape.gradient([y, z], x).numpy(), [5.0, 7.0, 9.0])
    np.testing.assert_allclose(tape.gradient({"a": y, "b": (z,)}, x).numpy(), [5.0, 7.0, 9.0])


def test_gradient_has_the_shape_and_dtype_of_its_source():
    w = tf.Variable(np.ones((3, 2)))  # float64
    b = tf.Variable(np.zeros(2))
    x = tf.constant(np.ones((4, 3)))
    with tf.GradientTape() as tape:
        y = tf.reduce_mean(tf.matmul(x, w) + b)
    gw, gb = tape.gradient(y, [w, b])
    assert gw.shape == (3, 2) and gb.shape == (2,) and gw.dtype == tf.float64
    np.testing.assert_allclose(gb.numpy(), [0.5, 0.5])     # d mean / d b_j = 4 / 8
    np.testing.assert_allclose(gw.numpy(), np.full((3, 2), 0.5))


def test_output_gradients_weight_the_targets():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    g = tape.gradient(y, x, output_gradients=tf.constant([1.0, 0.0, -1.0]))
    np.testing.assert_allclose(g.numpy(), [2.0, 0.0, -6.0])


def test_output_gradients_for_several_targets():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y1, y2 = x * x, x * x * x
    g = tape.gradient([y1, y2], x, output_gradients=[tf.constant(2.0), tf.constant(-1.0)])
    assert float(g) == 2 * 4.0 - 12.0


def test_output_gradients_shape_mismatch_raises():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    with pytest.raises(ValueError, match=r"\[3\].*\[2\]"):
        tape.gradient(y, x, output_gradients=tf.constant([1.0, 1.0, 1.0]))


def test_unconnected_gradients():
    x, u = tf.Variable([1.0, 2.0]), tf.Variable([[5.0]])
    for mode, want in [(tf.UnconnectedGradients.NONE, None), ("none", None),
                       (tf.UnconnectedGradients.ZERO, [[0.0]]), ("zero", [[0.0]])]:
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(x * x)
        gx, gu = tape.gradient(y, [x, u], unconnected_gradients=mode)
        assert gx.numpy().tolist() == [2.0, 4.0]
        if want is None:
            assert gu is None
        else:
            assert gu.numpy().tolist() == want and gu.dtype == tf.float32


def test_bad_unconnected_gradients_value_raises():
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = x * x
    with pytest.raises(ValueError, match="unconnected_gradients"):
        tape.gradient(y, x, unconnected_gradients="zeros")


def test_non_tensor_source_or_target_raises():
    x = tf.Variable(1.0)
    with tf.GradientTape(persistent=True) as tape:
        y = x * x
    with pytest.raises(ValueError, match="float"):
        tape.gradient(y, 3.0)
    with pytest.raises(TypeError, match="target"):
        tape.gradient("loss", x)


def test_second_gradient_call_on_non_persistent_tape_raises():
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="persistent"):
        tape.gradient(y, x)


def test_persistent_tape_gives_many_gradients():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    assert float(tape.gradient(z, x)) == 108.0     # 4 x^3
    assert float(tape.gradient(y, x)) == 6.0
    assert float(tape.gradient(z, y)) == 18.0
    del tape


def test_gradient_inside_the_context_of_a_non_persistent_tape():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        g = tape.gradient(y, x)   # works; the tape stops recording here, as in TF
        z = g * x
    assert float(g) == 6.0 and float(z) == 18.0
    with pytest.raises(RuntimeError):
        tape.gradient(z, x)


def test_gradient_inside_a_persistent_tape_warns_once_and_is_recorded():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x * x
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            g = tape.gradient(y, x)           # 3 x^2, recorded
            tape.gradient(y, x)
        z = g * 1.0
    assert len([w for w in caught if "persistent" in str(w.message)]) == 1
    assert float(g) == 27.0
    assert float(tape.gradient(z, x)) == 18.0   # 6 x: the gradient computation was recorded


# -- higher orders ---------------------------------------------------------------------------------
def test_nested_tapes_to_third_order():
    x = tf.Variable(2.0)
    with tf.GradientTape() as t3:
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = x ** 4 + tf.exp(x)
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t3.gradient(d2, x)
    e = np.exp(np.float32(2.0))
    np.testing.assert_allclose([float(d1), float(d2), float(d3)],
                               [4 * 8 + e, 12 * 4 + e, 24 * 2 + e], rtol=1e-6)


def test_tf_guide_second_derivative_of_x_cubed():
    # TF's guide: x = 1, y = x**3 -> dy_dx = 3.0, d2y_dx2 = 6.0
    x = tf.Variable(1.0)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = x * x * x
        dy_dx = t1.gradient(y, x)
    assert float(dy_dx) == 3.0 and float(t2.gradient(dy_dx, x)) == 6.0


# -- jacobians -------------------------------------------------------------------------------------
def _jac_program(x, w):
    return tf.tanh(tf.matmul(x, w)) * tf.reduce_sum(x)


def test_jacobian_shape_and_values_against_a_loop():
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((2, 3)))
    w = tf.constant(rng.standard_normal((3, 4)))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, w])
        y = _jac_program(x, w)
        entries = [[y[i, j] for j in range(4)] for i in range(2)]
    jx, jw = tape.jacobian(y, [x, w])
    assert jx.shape == (2, 4, 2, 3) and jw.shape == (2, 4, 3, 4)
    for i in range(2):
        for j in range(4):
            gx, gw = tape.gradient(entries[i][j], [x, w])
            np.testing.assert_allclose(jx.numpy()[i, j], gx.numpy(), rtol=1e-12)
            np.testing.assert_allclose(jw.numpy()[i, j], gw.numpy(), rtol=1e-12)
    lx, lw = tape.jacobian(y, [x, w], experimental_use_pfor=False)
    np.testing.assert_allclose(lx.numpy(), jx.numpy(), rtol=1e-12)
    np.testing.assert_allclose(lw.numpy(), jw.numpy(), rtol=1e-12)


def test_jacobian_of_a_scalar_and_unconnected():
    x, u = tf.Variable([1.0, 2.0]), tf.Variable([3.0])
    with tf.GradientTape(persistent=True) as tape:
        y = tf.reduce_sum(x ** 2)
    assert tape.jacobian(y, x).numpy().tolist() == [2.0, 4.0]
    assert tape.jacobian(y, u) is None
    z = tape.jacobian(y, u, unconnected_gradients="zero")
    assert z.shape == (1,) and z.numpy().tolist() == [0.0]


def test_tf_guide_jacobian_of_sigmoid():
    # the TF guide: x random [7, 5], y = sigmoid(x @ w), w [5, 10] -> j.shape [7, 10, 5, 10]
    tf.random.set_seed(1)
    x = tf.random.normal([7, 5])
    layer_w = tf.Variable(tf.random.normal([5, 10]))
    with tf.GradientTape() as tape:
        y = tf.sigmoid(tf.matmul(x, layer_w))
    j = tape.jacobian(y, layer_w)
    assert j.shape == (7, 10, 5, 10)
    s = tf.sigmoid(tf.matmul(x, layer_w)).numpy()
    ds = s * (1 - s)
    # dy[i, k] / dw[a, b] = [k == b] ds[i, k] x[i, a]
    want = np.einsum("ik,kb,ia->ikab", ds, np.eye(10), x.numpy())
    np.testing.assert_allclose(j.numpy(), want, rtol=1e-5, atol=1e-7)


def test_batch_jacobian():
    rng = np.random.default_rng(1)
    x = tf.constant(rng.standard_normal((5, 3)))
    w = tf.constant(rng.standard_normal((3, 4)))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.tanh(tf.matmul(x, w))
    bj = tape.batch_jacobian(y, x)
    assert bj.shape == (5, 4, 3)
    full = tape.jacobian(y, x).numpy()   # [5, 4, 5, 3]
    np.testing.assert_allclose(bj.numpy(), np.einsum("bibj->bij", full), rtol=1e-12)
    want = (1 - np.tanh(x.numpy() @ w.numpy()) ** 2)[:, :, None] * w.numpy().T[None]
    np.testing.assert_allclose(bj.numpy(), want, rtol=1e-12)


def test_batch_jacobian_of_an_unconnected_target():
    x = tf.constant(np.ones((4, 3)))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.constant(np.ones((4, 2, 5)))  # does not depend on x
    assert tape.batch_jacobian(y, x) is None
    zero = tape.batch_jacobian(y, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert zero.shape == (4, 2, 5, 3) and zero.dtype == tf.float64
    np.testing.assert_array_equal(zero.numpy(), 0.0)


def test_batch_jacobian_checks_first_dimensions():
    x = tf.constant(np.ones((3, 2)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x, axis=0)   # shape [2]: no batch dimension left
    with pytest.raises(ValueError, match=r"\[2\].*\[3, 2\]"):
        tape.batch_jacobian(y, x)


# -- stop_recording, reset, stop_gradient ----------------------------------------------------------
def test_stop_recording():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        with tape.stop_recording():
            z = x * x * x            # not recorded
        total = y + z
    assert float(tape.gradient(total, x)) == 6.0


def test_stop_recording_outside_the_context_raises():
    tape = tf.GradientTape()
    with pytest.raises(ValueError, match="not recording"):
        with tape.stop_recording():
            pass


def test_reset_forgets_what_was_recorded():
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x * x * x
        tape.reset()
        y = x * x
    assert float(tape.gradient(y, x)) == 6.0


def test_reset_then_gradient_of_earlier_value_is_none():
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x * x * x
        tape.reset()
    assert tape.gradient(y, x) is None


def test_stop_gradient():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * tf.stop_gradient(x * x)
    assert float(tape.gradient(y, x)) == 4.0


# -- errors ----------------------------------------------------------------------------------------
@pytest.fixture
def gradless_op():
    @primitive(name="test_tape_gradless_op")
    def op(x):
        return np.sin(x)
    yield op
    del REGISTRY[op.name]  # keep the registry meta-test to real ops


def test_float_op_without_a_gradient_raises_lookup_error(gradless_op):
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = gradless_op(x) * 2.0
    with pytest.raises(LookupError, match="test_tape_gradless_op"):
        tape.gradient(y, x)


def test_op_without_gradient_off_the_path_is_fine(gradless_op):
    x, c = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 3.0 + gradless_op(c)
    assert float(tape.gradient(y, x)) == 3.0


def test_integer_ops_cut_the_gradient():
    x = tf.constant([1.5, 2.5])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(tf.cast(x, tf.int32), tf.float32) * x
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [1.0, 2.0])  # only the direct x


def test_a_source_that_is_a_target_gets_its_seed():
    # TF's outputs for these programs: [1.0, None]; 1.0 and 1.0; 4.0; 1.0
    v0, v1, x = tf.Variable(2.0), tf.Variable(2.0), tf.constant(1.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        result = v0            # the guide's control-flow example: result is the variable
    dv0, dv1 = tape.gradient(result, [v0, v1])
    assert float(dv0) == 1.0 and dv1 is None
    with tf.GradientTape(persistent=True) as tape:
        pass
    assert float(tape.gradient(v0, v0)) == 1.0 and float(tape.gradient(x, x)) == 1.0
    with tf.GradientTape(persistent=True) as tape:
        y = v0 * 3.0
    assert float(tape.gradient([y, v0], v0)) == 4.0
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        y = v0 * 3.0
    assert float(tape.gradient([y, v0], v0)) == 1.0


@pytest.fixture
def counted_sin():
    calls = []

    @primitive(name="test_tape_counted_sin")
    def op(x):
        return np.sin(x)

    @op.defvjp
    def _vjp(g, ans, x):
        calls.append(tuple(g.shape))
        return (g * tf.math.cos(x),)
    yield op, calls
    del REGISTRY[op.name]


def test_jacobian_is_one_vectorized_reverse_pass(counted_sin):
    op, calls = counted_sin
    x = tf.constant(np.linspace(0.0, 1.0, 50))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = op(x) * 2.0
    j = tape.jacobian(y, x)
    assert calls == [(50, 50)]            # one VJP call carrying all 50 cotangent rows
    np.testing.assert_allclose(j.numpy(), np.diag(2 * np.cos(x.numpy())), rtol=1e-12)
    calls.clear()
    tape.jacobian(y, x, experimental_use_pfor=False)
    assert len(calls) == 50 and calls[0] == (50,)
