"""tf.nn activations, softmax, cross-entropies, normalization, dropout: gradients and values."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad import nn
from tapegrad.errors import InvalidArgumentError
from tapegrad.ops import nn as nn_ops
from tapegrad.testing import GradCase, check_grads, value_and_gradients

RANK1 = [((3,),), ((2, 3),)]


def _fixed_dropout(x):
    tf.random.set_seed(3)  # the same mask on every call, so finite differences see one function
    return nn.dropout(x, rate=0.5, seed=3)


def _dist(rng, shape):
    p = rng.uniform(0.1, 1.0, shape)
    return p / p.sum(-1, keepdims=True)


GRAD_CASES = [
    GradCase("relu", nn.relu),
    GradCase("relu_grad", nn_ops.relu_grad, [((3,), (3,)), ((2, 3), (2, 3))]),
    GradCase("relu6", nn.relu6, domain=(-2.0, 8.0)),
    GradCase("leaky_relu", lambda x: nn.leaky_relu(x, alpha=0.1)),
    GradCase("elu", nn.elu),
    GradCase("selu", nn.selu),
    GradCase("gelu", nn.gelu),
    GradCase("gelu_approximate", lambda x: nn.gelu(x, approximate=True)),
    GradCase("silu", nn.silu),
    GradCase("silu_beta", lambda x: nn.silu(x, beta=1.5)),
    GradCase("silu_tensor_beta", lambda x, b: nn.silu(x, beta=b), [((2, 3), ())]),
    GradCase("softplus", nn.softplus, domain=(-4.0, 4.0)),
    GradCase("softsign", nn.softsign),
    GradCase("softmax", nn.softmax, RANK1 + [((2, 2, 3),)]),
    GradCase("softmax_axis0", lambda x: nn.softmax(x, axis=0), RANK1),
    GradCase("log_softmax", nn.log_softmax, RANK1 + [((2, 2, 3),)]),
    GradCase("log_softmax_axis0", lambda x: nn.log_softmax(x, axis=0), RANK1),
    GradCase("softmax_cross_entropy",
             lambda z, x: nn.softmax_cross_entropy_with_logits(labels=z, logits=x),
             [((3,), (3,)), ((2, 3), (2, 3))],
             make_args=lambda rng, s: [_dist(rng, s[0]), rng.uniform(-2, 2, s[1])]),
    GradCase("softmax_cross_entropy_axis0",
             lambda z, x: nn.softmax_cross_entropy_with_logits(labels=z, logits=x, axis=0),
             [((3, 2), (3, 2))],
             make_args=lambda rng, s: [_dist(rng, s[0][::-1]).T, rng.uniform(-2, 2, s[1])]),
    GradCase("sparse_softmax_cross_entropy",
             lambda x: nn.sparse_softmax_cross_entropy_with_logits(
                 labels=np.array([2, 0], np.int32), logits=x), [((2, 3),)]),
    GradCase("sparse_softmax_cross_entropy_rank3",
             lambda x: nn.sparse_softmax_cross_entropy_with_logits(
                 labels=np.array([[2, 0], [1, 1]], np.int64), logits=x), [((2, 2, 3),)]),
    # the one-op backprops (softmax - one_hot; softmax * sum(labels) - labels), for any labels
    GradCase("sparse_softmax_cross_entropy_grad",
             lambda x: nn_ops._sparse_xent_grad(np.array([1, 0], np.int32), x), [((2, 3),)]),
    GradCase("sparse_softmax_cross_entropy_bwd",
             lambda g, x: nn_ops._sparse_xent_bwd(g, np.array([1, 0], np.int32), x),
             [((2,), (2, 3))]),
    GradCase("sparse_softmax_cross_entropy_bwd_rank3",
             lambda g, x: nn_ops._sparse_xent_bwd(g, np.array([[1, 0], [2, 2]], np.int32), x),
             [((2, 2), (2, 2, 3))]),
    GradCase("softmax_cross_entropy_grad",
             lambda z, x: nn_ops._softmax_xent_grad(z, x, axis=-1),
             [((3,), (3,)), ((2, 3), (2, 3))]),
    GradCase("softmax_cross_entropy_grad_axis0",
             lambda z, x: nn_ops._softmax_xent_grad(z, x, axis=-2), [((3, 2), (3, 2))]),
    GradCase("sigmoid_cross_entropy",
             lambda z, x: nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
             [((), ()), ((2, 3), (2, 3))],
             make_args=lambda rng, s: [rng.uniform(0, 1, s[0]), rng.uniform(-3, 3, s[1])]),
    GradCase("weighted_cross_entropy",
             lambda z, x: nn.weighted_cross_entropy_with_logits(z, x, pos_weight=2.5),
             [((3,), (3,)), ((2, 3), (2, 3))],
             make_args=lambda rng, s: [rng.uniform(0, 1, s[0]), rng.uniform(-3, 3, s[1])]),
    GradCase("log_poisson_loss",
             lambda z, c: nn.log_poisson_loss(z, c, compute_full_loss=True), [((4,), (4,))],
             make_args=lambda rng, s: [np.array([0.2, 0.9, 1.5, 4.0]), rng.uniform(-1, 1, s[1])]),
    GradCase("compute_average_loss",
             lambda x, w: nn.compute_average_loss(x, sample_weight=w, global_batch_size=5),
             [((4, 3), (4, 1))]),
    GradCase("l2_loss", nn.l2_loss),
    GradCase("scale_regularization_loss", nn.scale_regularization_loss),
    GradCase("bias_add", nn.bias_add, [((2, 3), (3,)), ((2, 2, 3), (3,))]),
    GradCase("bias_add_nchw", lambda x, b: nn.bias_add(x, b, data_format="NCHW"),
             [((2, 3, 2, 2), (3,))]),
    GradCase("moments_mean", lambda x: nn.moments(x, axes=[0])[0], [((3,),), ((2, 3),)]),
    GradCase("moments_variance", lambda x: nn.moments(x, axes=[0, 1], keepdims=True)[1],
             [((2, 3),)]),
    GradCase("batch_normalization",
             lambda x, m, v, o, s: nn.batch_normalization(x, m, v, o, s, 1e-3),
             [((2, 3), (3,), (3,), (3,), (3,))],
             make_args=lambda rng, s: [rng.uniform(-2, 2, s[0]), rng.uniform(-1, 1, s[1]),
                                       rng.uniform(0.5, 2, s[2]), rng.uniform(-1, 1, s[3]),
                                       rng.uniform(0.5, 2, s[4])]),
    GradCase("dropout", lambda x: _fixed_dropout(x), [((2, 3),)]),
    GradCase("embedding_lookup", lambda p: nn.embedding_lookup(p, np.array([[2, 0], [2, 2]])),
             [((3, 2),), ((4,),)]),
    GradCase("embedding_lookup_max_norm",
             lambda p: nn.embedding_lookup(p, np.array([1, 0, 1]), max_norm=1.0), [((2, 3),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


# -- forward values -------------------------------------------------------------------------------
X = np.array([-3.0, -1.0, -1e-3, 0.0, 0.5, 2.0, 7.0], np.float32)


def _value_and_grad(f, x):
    y, (dx,) = value_and_gradients(f, tf.constant(x))
    return y, dx


# TF 2 outputs (value, gradient of the sum) for X = [-3, -1, -1e-3, 0, 0.5, 2, 7] in float32.
TF_ACTIVATIONS = {
    "relu6": ([0, 0, 0, 0, 0.5, 2, 6], [0, 0, 0, 0, 1, 1, 0]),
    "leaky_relu": ([-0.6, -0.2, -2e-4, 0, 0.5, 2, 7], [0.2, 0.2, 0.2, 0.2, 1, 1, 1]),
    "elu": ([-9.5021296e-01, -6.3212055e-01, -9.9951029e-04, 0, 0.5, 2, 7],
            [0.049787045, 0.36787945, 0.9990005, 1, 1, 1, 1]),
    "selu": ([-1.6705687, -1.1113307, -1.7572384e-03, 0, 5.2535051e-01, 2.101402, 7.354907],
             [0.08753061, 0.64676857, 1.756342, 1.050701, 1.050701, 1.050701, 1.050701]),
    "softplus": ([0.048587352, 0.3132617, 0.6926473, 0.6931472, 0.974077, 2.126928, 7.0009117],
                 [0.047425874, 0.26894143, 0.49975, 0.5, 0.62245935, 0.8807971, 0.99908894]),
    "softsign": ([-0.75, -0.5, -0.000999001, 0, 0.33333334, 0.6666667, 0.875],
                 [0.0625, 0.25, 0.99800295, 1, 0.44444445, 0.11111111, 0.015625]),
    "silu": ([-1.4227763e-01, -2.6894143e-01, -4.9975002e-04, 0, 3.1122968e-01, 1.7615942,
              6.9936228], [-0.0881041, 0.072329484, 0.49949998, 0.5, 0.7399612, 1.0907842,
                           1.0054606]),
    "gelu": ([-4.0496956e-03, -1.5865526e-01, -4.9960107e-04, 0, 3.4573123e-01, 1.9544997, 7],
             [-0.011945652, -0.08331549, 0.49920213, 0.5, 0.8674951, 1.0852318, 1]),
}


@pytest.mark.parametrize("name", sorted(TF_ACTIVATIONS))
def test_activation_values_match_tf(name):
    y, dy = _value_and_grad(getattr(nn, name), X)
    ty, tdy = TF_ACTIVATIONS[name]
    assert y.dtype == np.float32
    # float32 kernels (exp, erf) may differ from TF's in the last bits: a few ulps, relative
    np.testing.assert_allclose(y, ty, rtol=2e-5, atol=1e-7)
    np.testing.assert_allclose(dy, tdy, rtol=2e-5, atol=1e-7)


def test_gelu_approximate_matches_tf():
    y, dy = _value_and_grad(lambda x: nn.gelu(x, approximate=True), X)
    # TF 2 outputs for tf.nn.gelu(X, approximate=True)
    np.testing.assert_allclose(y, [-3.6374331e-03, -1.5880799e-01, -4.9960107e-04, 0,
                                   3.45714e-01, 1.9545977, 7], rtol=2e-5, atol=1e-7)
    np.testing.assert_allclose(dy, [-0.011584243, -0.08296409, 0.49920213, 0.5, 0.86736995,
                                    1.086099, 1], rtol=2e-5, atol=1e-7)


def test_relu_gradient_at_zero_is_zero():
    _, dy = _value_and_grad(nn.relu, np.array([-1.0, 0.0, 1.0], np.float32))
    np.testing.assert_array_equal(dy, [0, 0, 1])


def test_softmax_closed_form_and_extremes():
    x = np.array([[1.0, 2.0, 3.0], [1e4, 0.0, -1e4]], np.float64)
    e = np.exp(x[0] - 3)
    np.testing.assert_allclose(nn.softmax(x).numpy()[0], e / e.sum())
    np.testing.assert_array_equal(nn.softmax(x).numpy()[1], [1, 0, 0])
    np.testing.assert_allclose(nn.log_softmax(x).numpy()[1], [0, -1e4, -2e4])
    np.testing.assert_allclose(nn.softmax(x, axis=0).numpy()[:, 2], [1, 0])
    assert np.allclose(nn.softmax(x).numpy().sum(-1), 1)


def test_softmax_cross_entropy_closed_form_and_tf_numbers():
    labels = tf.constant([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
    logits = tf.constant([[1e4, 0.0, -1e4], [1.0, 2.0, 3.0]])
    with tf.GradientTape() as tape:
        tape.watch([labels, logits])
        loss = nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    dlogits, dlabels = tape.gradient(loss, [logits, labels])
    # closed form: row 0 is 0.3 * 1e4 + 0.5 * 2e4; row 1 is log(sum exp) - 1
    expect = [13000.0, np.log(np.exp([1.0, 2, 3]).sum()) - 1]
    np.testing.assert_allclose(loss.numpy(), expect, rtol=1e-6)
    # TF 2 gradients for this program
    np.testing.assert_allclose(dlogits.numpy(), [[0.8, -0.3, -0.5],
                                                 [-0.90996945, 0.24472848, 0.66524094]],
                               rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(dlabels.numpy(), [[0, 1e4, 2e4],
                                                 [2.4076059, 1.4076059, 0.40760595]], rtol=1e-6)
    assert np.all(np.isfinite(dlogits.numpy())) and np.all(np.isfinite(dlabels.numpy()))


def test_sparse_softmax_cross_entropy():
    logits = np.array([[1.0, 2.0, 3.0], [1e4, 0.0, -1e4]], np.float32)
    x = tf.constant(logits)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 2], logits=x)
    e = np.exp(logits[0] - 3)
    np.testing.assert_allclose(loss.numpy(), [np.log(np.exp([1.0, 2, 3]).sum()) - 1, 2e4],
                               rtol=1e-6)
    sm = e / e.sum()
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(),
                               [sm - [1, 0, 0], [1, 0, -1]], rtol=1e-6, atol=1e-7)


def test_sparse_softmax_cross_entropy_errors():
    with pytest.raises(InvalidArgumentError, match=r"label value of 3 .*\[0, 3\)"):
        nn.sparse_softmax_cross_entropy_with_logits(labels=[3], logits=[[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match=r"labels \[2\] and logits \[1, 3\]"):
        nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=[[1.0, 2.0, 3.0]])
    with pytest.raises(TypeError, match="integer"):
        nn.sparse_softmax_cross_entropy_with_logits(labels=[0.0], logits=[[1.0, 2.0]])


def test_sigmoid_cross_entropy_extremes_and_slope_at_zero():
    z = tf.constant([0.0, 1.0, 0.3, 0.3])
    x = tf.constant([1e4, -1e4, 0.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    # TF 2 outputs for the first three; the last is the textbook formula
    expect = [1e4, 1e4, 0.6931472, -0.3 * np.log(1 / (1 + np.exp(-2.0)))
              - 0.7 * np.log(1 - 1 / (1 + np.exp(-2.0)))]
    np.testing.assert_allclose(loss.numpy(), expect, rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(),
                               [1, -1, 0.5 - 0.3, 1 / (1 + np.exp(-2.0)) - 0.3], rtol=1e-6)


def test_cross_entropy_errors_name_shapes():
    with pytest.raises(ValueError, match=r"labels \[2\] and logits \[3\]"):
        nn.softmax_cross_entropy_with_logits(labels=[0.5, 0.5], logits=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="float64 but logits are float32"):
        nn.sigmoid_cross_entropy_with_logits(labels=tf.constant([1.0], tf.float64),
                                             logits=tf.constant([1.0]))
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        nn.softmax([[1.0, 2.0]], axis=2)


def test_l2_loss_bias_add_values_and_errors():
    assert float(nn.l2_loss([1.0, 2.0, 3.0])) == 7.0
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2)
    b = np.array([1.0, 2.0, 3.0], np.float32)
    np.testing.assert_array_equal(nn.bias_add(x, b, data_format="NCHW").numpy(),
                                  x + b[:, None, None])
    np.testing.assert_array_equal(nn.bias_add(x.reshape(2, 2, 2, 3), b).numpy(),
                                  x.reshape(2, 2, 2, 3) + b)
    with pytest.raises(ValueError, match=r"3 channels of value \[2, 3\].*bias shape \[4\]"):
        nn.bias_add(np.zeros((2, 3), np.float32), np.zeros(4, np.float32))


def test_moments_and_batch_normalization_values():
    x = np.random.default_rng(0).standard_normal((4, 3, 2))
    mean, var = nn.moments(x, axes=[0, 1])
    np.testing.assert_allclose(mean.numpy(), x.mean((0, 1)))
    np.testing.assert_allclose(var.numpy(), x.var((0, 1)))
    mk, vk = nn.moments(x, axes=[0, 1], keepdims=True)
    assert mk.shape == (1, 1, 2) and vk.shape == (1, 1, 2)
    m16, v16 = nn.moments(tf.constant(x, tf.float16), axes=[0])
    assert m16.dtype == tf.float16 and v16.dtype == tf.float16
    np.testing.assert_allclose(v16.numpy(), x.var(0), rtol=5e-3, atol=1e-3)
    off, sc = np.array([0.5, -1.0]), np.array([2.0, 3.0])
    y = nn.batch_normalization(x, mean, var, off, sc, 1e-3).numpy()
    np.testing.assert_allclose(y, (x - x.mean((0, 1))) / np.sqrt(x.var((0, 1)) + 1e-3) * sc + off)
    y0 = nn.batch_normalization(x, mean, var, None, None, 0.0).numpy()
    np.testing.assert_allclose(y0.mean((0, 1)), 0, atol=1e-12)
    np.testing.assert_allclose(y0.var((0, 1)), 1, atol=1e-12)


def test_moments_gradient_is_the_true_derivative():
    # variance's gradient 2 (x - mean) / n, at second order too (checked above); here the value
    x = tf.constant([1.0, 2.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        _, v = nn.moments(x, axes=[0])
    np.testing.assert_allclose(tape.gradient(v, x).numpy(), 2 * (np.array([1, 2, 4]) - 7 / 3) / 3,
                               rtol=1e-6)


def test_dropout_scaling_seed_and_noise_shape():
    x = tf.ones([200, 50])
    tf.random.set_seed(3)
    y = nn.dropout(x, rate=0.25, seed=7).numpy()
    y2 = nn.dropout(x, rate=0.25, seed=7).numpy()
    assert set(np.unique(y).tolist()) == {0.0, np.float32(1 / 0.75)}
    assert abs((y == 0).mean() - 0.25) < 0.02
    assert np.any(y != y2)  # successive calls with one op seed differ, as TF's
    tf.random.set_seed(3)  # ... and the whole sequence repeats after set_seed
    np.testing.assert_array_equal(y, nn.dropout(x, rate=0.25, seed=7).numpy())
    np.testing.assert_array_equal(y2, nn.dropout(x, rate=0.25, seed=7).numpy())
    tf.random.set_seed(5)
    a = nn.dropout(x, 0.5).numpy()
    tf.random.set_seed(5)
    np.testing.assert_array_equal(a, nn.dropout(x, 0.5).numpy())
    col = nn.dropout(x, 0.5, noise_shape=[1, 50], seed=1).numpy()
    assert np.all(col == col[:1])  # one draw per column, shared by every row
    np.testing.assert_array_equal(nn.dropout(x, 0.5, noise_shape=[None, 1], seed=1).numpy()
                                  .std(axis=1), 0)  # None: x's size; 1: one draw per row
    assert nn.dropout(x, 0.0) is x  # TF's fast path
    with pytest.raises(ValueError, match=r"range \[0, 1\), got 1.0"):
        nn.dropout(x, 1.0)
    with pytest.raises(ValueError, match=r"noise_shape \[3\]"):
        nn.dropout(x, 0.5, noise_shape=[3])


def test_dropout_gradient_is_the_mask():
    x = tf.Variable(tf.ones([1000]))
    with tf.GradientTape() as tape:
        y = nn.dropout(x, rate=0.2, seed=11)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), y.numpy())


def test_second_order_softmax_cross_entropy_hessian():
    # Hessian of CE w.r.t. logits is diag(p) - p p^T (labels summing to 1)
    x = tf.constant([0.3, -1.0, 2.0], tf.float64)
    z = tf.constant([0.2, 0.5, 0.3], tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            loss = nn.softmax_cross_entropy_with_logits(labels=z, logits=x)
        g = inner.gradient(loss, x)
    h = outer.jacobian(g, x).numpy()
    p = np.exp(x.numpy()) / np.exp(x.numpy()).sum()
    np.testing.assert_allclose(h, np.diag(p) - np.outer(p, p), rtol=1e-10, atol=1e-12)


def test_activation_dtype_errors():
    with pytest.raises(TypeError, match="relu6: expects a floating-point tensor, got int32"):
        nn.relu6(tf.constant([1, 2]))


def test_check_grads_extreme_logits_softmax():
    # the gradient stays finite and correct where naive exp would overflow
    check_grads(nn.log_softmax, [np.array([800.0, 0.0, -800.0])], order=2, modes=("rev", "fwd"))


def test_embedding_lookup_values_gradient_and_errors():
    table = np.arange(12, dtype=np.float32).reshape(4, 3)
    params = tf.Variable(table)
    ids = tf.constant([[3, 1], [3, 3]])
    with tf.GradientTape() as tape:
        rows = nn.embedding_lookup(params, ids)
        loss = tf.reduce_sum(rows * rows)
    np.testing.assert_array_equal(rows.numpy(), table[[[3, 1], [3, 3]]])
    g = tape.gradient(loss, params)
    # through tf.gather: an IndexedSlices holding only the four looked-up rows
    assert isinstance(g, tf.IndexedSlices) and g.dense_shape == (4, 3)
    assert g.values.shape == (4, 3) and g.indices.numpy().tolist() == [3, 1, 3, 3]
    expect = np.zeros_like(table)
    expect[1] = 2 * table[1]
    expect[3] = 3 * 2 * table[3]
    np.testing.assert_array_equal(np.asarray(g), expect)
    np.testing.assert_array_equal(nn.embedding_lookup([params], [0]).numpy(), table[:1])
    normed = nn.embedding_lookup(table, [0, 3], max_norm=5.0).numpy()
    np.testing.assert_allclose(np.linalg.norm(normed, axis=1), [np.linalg.norm(table[0]), 5.0],
                               rtol=1e-6)
    with pytest.raises(InvalidArgumentError, match=r"id 4 is not in \[0, 4\) \(params shape "
                                                   r"\[4, 3\]\)"):
        nn.embedding_lookup(params, [0, 4])
    with pytest.raises(TypeError, match="ids must be integers"):
        nn.embedding_lookup(params, [0.0])


def test_weighted_cross_entropy_tf_numbers():
    x = tf.constant([0.0, 0.0, 1e4, -2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = nn.weighted_cross_entropy_with_logits([1.0, 0.0, 0.3, 0.6], x, pos_weight=2.0)
    # TF 2 outputs for this program (including its slope at exactly 0)
    np.testing.assert_allclose(y.numpy(), [1.3862944, 0.69314718, 7000.0, 2.603085], rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [0, 1, 0.7, -1.0092754], rtol=1e-6)


def test_traced_function_replays_labels_and_dropout_draws():
    import warnings

    @tf.function
    def loss(labels, logits):
        return nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)

    @tf.function
    def drop(x):
        return nn.dropout(x, rate=0.5)

    x = tf.constant([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]])
    ones = tf.ones([64])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback to eager: nothing was frozen at trace time
        for lab in ([0, 1], [2, 2], [1, 0], [0, 2], [2, 1]):
            eager = nn.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=x)
            np.testing.assert_allclose(loss(tf.constant(lab), x).numpy(), eager.numpy())
        masks = [drop(ones).numpy() for _ in range(5)]
    assert len({m.tobytes() for m in masks}) == 5  # a fresh mask on every replay


def test_loss_helpers_tf_numbers():
    pl = np.array([[-2.3605783, 1.007997, -0.35023835], [-1.2163234, 0.60328096, 0.5628494],
                   [-1.0430737, 2.4724357, -1.2096266], [-1.7330027, -1.1541715, 1.4207999]],
                  np.float32)
    # TF 2 outputs for these calls
    np.testing.assert_allclose(float(nn.compute_average_loss(pl)), -0.7499129, rtol=1e-6)
    np.testing.assert_allclose(float(nn.compute_average_loss(
        pl, sample_weight=[[1.0], [2.0], [0.0], [1.0]], global_batch_size=8)), -0.4086975,
        rtol=1e-6)
    z, c = [0.0, 1.0, 2.0, 5.0], [0.1, -0.5, 1.0, 1.5]
    np.testing.assert_allclose(nn.log_poisson_loss(z, c).numpy(),
                               [1.105171, 1.1065307, 0.71828175, -3.018311], rtol=1e-6)
    np.testing.assert_allclose(nn.log_poisson_loss(z, c, compute_full_loss=True).numpy(),
                               [1.105171, 1.1065307, 1.3700882, 1.7525363], rtol=1e-6)
    assert float(nn.scale_regularization_loss([0.5, 0.25])) == 0.75
    with pytest.raises(ValueError, match="rank >= 1"):
        nn.compute_average_loss(1.0)
    with pytest.raises(ValueError, match=r"sample_weight \[3\] does not broadcast to "
                                         r"per_example_loss \[4, 3, 2\]"):
        nn.compute_average_loss(np.zeros((4, 3, 2), np.float32), sample_weight=[1.0, 2.0, 3.0])


def test_sparse_cross_entropy_is_one_op_and_function_replays_new_labels():
    # one primitive (TF's single kernel): labels are an input, so a traced step sees new labels
    logits = tf.Variable(np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], np.float32))

    @tf.function
    def step(labels):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
        return loss, tape.gradient(loss, logits)

    x = logits.numpy().astype(np.float64)
    p = np.exp(x - x.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    for lab in ([0, 2], [1, 1], [2, 0]):
        loss, g = step(tf.constant(lab))
        np.testing.assert_allclose(loss.numpy(), -np.log(p[[0, 1], lab]).sum(), rtol=1e-6)
        np.testing.assert_allclose(g.numpy(), p - np.eye(3)[lab], rtol=1e-5, atol=1e-6)
    with pytest.raises(InvalidArgumentError, match=r"label value of 3 .*\[0, 3\)"):
        step(tf.constant([0, 3]))
    with pytest.raises(InvalidArgumentError, match=r"label value of -1 "):
        nn.sparse_softmax_cross_entropy_with_logits(labels=[-1], logits=[[1.0, 2.0]])


def test_sparse_cross_entropy_hessian_and_jvp():
    # d2 loss / d logits2 = diag(p) - p p^T per row; the JVP is sum(t * (p - one_hot))
    x = tf.constant([[0.3, -1.0, 2.0]], tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            loss = nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=x)
        g = inner.gradient(loss, x)
    h = outer.jacobian(g, x).numpy().reshape(3, 3)
    p = np.exp(x.numpy()[0]) / np.exp(x.numpy()[0]).sum()
    np.testing.assert_allclose(h, np.diag(p) - np.outer(p, p), rtol=1e-10, atol=1e-12)
    t = np.array([[1.0, 2.0, -0.5]])
    with tf.autodiff.ForwardAccumulator(x, tf.constant(t)) as acc:
        loss = nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=x)
    np.testing.assert_allclose(acc.jvp(loss).numpy(), [(t[0] * (p - [0, 1, 0])).sum()],
                               rtol=1e-12)


def test_sparse_cross_entropy_hessian_through_jacobians():
    # jacobian of a jacobian: the one-op backprop sees batched cotangents at both levels
    rng = np.random.default_rng(5)
    x = tf.constant(rng.standard_normal((2, 3)))
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            loss = nn.sparse_softmax_cross_entropy_with_logits([1, 2], x)
        jac = inner.jacobian(loss, x)  # (2, 2, 3)
    h = outer.jacobian(jac, x).numpy()  # (2, 2, 3, 2, 3)
    p = np.exp(x.numpy())
    p /= p.sum(-1, keepdims=True)
    expect = np.zeros((2, 2, 3, 2, 3))
    for b in range(2):
        expect[b, b, :, b, :] = np.diag(p[b]) - np.outer(p[b], p[b])
    np.testing.assert_allclose(h, expect, atol=1e-12)
