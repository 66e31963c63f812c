"""cond / case / switch_case / while_loop: values, errors, gradients through the path taken,
and replay inside tapegrad.function."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase, check_grads

R1 = [((3,),), ((2, 3),)]


def _while_square(x):
    _, y = tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * v * 0.5 + v), [0, x])
    return y


GRAD_CASES = [
    GradCase("cond", lambda x: tf.cond(tf.reduce_sum(x) > -100.0, lambda: x * x * x,
                                       lambda: x), R1),
    GradCase("case", lambda x: tf.case([(tf.constant(False), lambda: x),
                                        (tf.constant(True), lambda: tf.sin(x) * x)],
                                       default=lambda: -x), R1),
    GradCase("switch_case", lambda x: tf.switch_case(1, [lambda: x, lambda: x * tf.exp(x)]), R1),
    GradCase("while_loop", _while_square, R1),
    GradCase("map_fn", lambda x: tf.map_fn(lambda v: tf.sin(v) * v, x), R1),
    GradCase("scan", lambda x: tf.scan(lambda a, v: a * v + v, x), R1),
    GradCase("foldl", lambda x: tf.foldl(lambda a, v: a * v + v, x), R1),
    GradCase("foldr", lambda x: tf.foldr(lambda a, v: a * v - v, x), R1),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def test_cond_picks_branch_and_grads_follow_it():
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.cond(x > 2.0, lambda: x * x, lambda: -x)
    assert float(y) == 9.0
    assert float(tape.gradient(y, x)) == pytest.approx(6.0)
    with tf.GradientTape() as tape:
        y = tf.cond(x < 2.0, lambda: x * x, lambda: -x)
    assert float(tape.gradient(y, x)) == pytest.approx(-1.0)


def test_cond_rejects_non_scalar_pred():
    with pytest.raises(InvalidArgumentError, match="cond: pred must be a scalar"):
        tf.cond(tf.constant([True, False]), lambda: 1, lambda: 2)
    with pytest.raises(ValueError):
        tf.cond(tf.constant([True, False]), lambda: 1, lambda: 2)


def test_case_and_switch_case():
    x = tf.constant(1.0)
    pairs = [(x > 2.0, lambda: x), (x > 0.0, lambda: 2 * x)]
    assert float(tf.case(pairs, default=lambda: 0 * x)) == 2.0
    assert float(tf.case([(x > 5.0, lambda: x)], default=lambda: 7 * x)) == 7.0
    with pytest.raises(InvalidArgumentError, match="exclusive"):
        tf.case([(x > 0.0, lambda: x), (x > -1.0, lambda: x)], exclusive=True)
    fns = [lambda: tf.constant(10.0), lambda: tf.constant(20.0)]
    assert float(tf.switch_case(tf.constant(0), fns)) == 10.0
    assert float(tf.switch_case(5, fns)) == 20.0  # out of range: the last branch, as TF
    assert float(tf.switch_case(5, fns, default=lambda: tf.constant(-1.0))) == -1.0


def test_while_loop_nested_structure_and_maximum_iterations():
    i, s = tf.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s * 2.0),
                         (tf.constant(0), tf.constant(1.0)))
    assert int(i) == 4 and float(s) == 16.0
    out = tf.while_loop(lambda d: d["n"] < 100, lambda d: {"n": d["n"] + 1},
                        [{"n": tf.constant(0)}], maximum_iterations=3)
    assert int(out[0]["n"]) == 3


def test_while_loop_gradient_order_2():
    def f(x):
        _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, tf.sin(y) * x),
                             (0, x))
        return y

    check_grads(f, [np.array([0.3, -0.7])], order=2)


def test_cond_gradient_order_2():
    check_grads(lambda x: tf.cond(tf.constant(True), lambda: x ** 3, lambda: x),
                [np.array([0.5, 1.5])], order=2)


def test_function_replays_control_flow():
    @tf.function
    def f(x):
        return tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), (0, x))[1]

    x = tf.constant(2.0)
    assert float(f(x)) == pytest.approx(16.0)
    assert float(f(tf.constant(3.0))) == pytest.approx(81.0)


def test_map_fn_scan_folds_values():
    x = tf.constant([1.0, 2.0, 3.0])
    np.testing.assert_allclose(tf.map_fn(lambda v: v * v, x).numpy(), [1, 4, 9])
    np.testing.assert_allclose(tf.scan(lambda a, v: a + v, x).numpy(), [1, 3, 6])
    np.testing.assert_allclose(tf.scan(lambda a, v: a + v, x, reverse=True).numpy(), [6, 5, 3])
    np.testing.assert_allclose(tf.scan(lambda a, v: a + v, x, initializer=10.0).numpy(),
                               [11, 13, 16])
    assert float(tf.foldl(lambda a, v: a - v, x)) == -4.0   # (1 - 2) - 3
    assert float(tf.foldr(lambda a, v: a - v, x)) == 0.0    # (3 - 2) - 1
    a, b = tf.map_fn(lambda p: (p[0] + p[1], p[0] * p[1]), (x, x))
    np.testing.assert_allclose(b.numpy(), [1, 4, 9])


def test_map_fn_scan_fold_gradients_order_2():
    check_grads(lambda x: tf.map_fn(lambda v: tf.sin(v) * v, x),
                [np.array([[0.3, 1.2], [0.5, -0.4]])])
    check_grads(lambda x: tf.scan(lambda a, v: a * v + v, x), [np.array([0.3, 1.2, -0.5])])
    check_grads(lambda x: tf.foldl(lambda a, v: a * v, x, initializer=x[0]),
                [np.array([0.3, 1.2, -0.5])])


def test_function_with_tensor_predicate_falls_back_to_eager_and_stays_correct():
    @tf.function
    def f(x):
        return tf.cond(x > 0.0, lambda: x * 2.0, lambda: -x)

    with pytest.warns(UserWarning, match="cannot be traced"):
        assert float(f(tf.constant(1.0))) == 2.0
    assert float(f(tf.constant(-3.0))) == 3.0
