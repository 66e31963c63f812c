"""Optimizers: the first three steps against Keras 3's update formulas written out by hand,
schedules against their closed forms, None/sparse gradients, clipping, and TF's trajectory."""

import math
import warnings

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import optimizers as O

W0 = np.array([[0.5, -1.0], [2.0, 0.25]], np.float32)
GRADS = [np.array([[0.1, -0.2], [0.3, 0.0]], np.float32),
         np.array([[-0.4, 0.5], [0.05, 1.0]], np.float32),
         np.array([[0.2, 0.2], [-0.3, -0.1]], np.float32)]


def _run(opt, grads=GRADS):
    w = tf.Variable(W0, name="w")
    out = []
    for g in grads:
        opt.apply_gradients([(tf.constant(g), w)])
        out.append(w.numpy().copy())
    return out


def _check(got, want):
    for step, (a, b) in enumerate(zip(got, want)):
        np.testing.assert_allclose(a, b, rtol=2e-6, atol=1e-7, err_msg=f"step {step + 1}")


def test_sgd_plain():
    w, want = W0.astype(np.float64), []
    for g in GRADS:
        w = w - 0.1 * g
        want.append(w)
    _check(_run(O.SGD(learning_rate=0.1)), want)


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum(nesterov):
    lr, mom = 0.1, 0.9
    w, m, want = W0.astype(np.float64), np.zeros_like(W0, np.float64), []
    for g in GRADS:
        m = mom * m - lr * g
        w = w + (mom * m - lr * g if nesterov else m)
        want.append(w)
    opt = O.SGD(learning_rate=lr, momentum=mom, nesterov=nesterov)
    _check(_run(opt), want)
    assert [v.name.split("/")[-1] for v in opt.variables[2:]] == ["w_momentum:0"]


def _adam_ref(lr=0.01, b1=0.9, b2=0.999, eps=1e-7, wd=None, amsgrad=False):
    w, m, v, vhat, want = W0.astype(np.float64), 0.0, 0.0, 0.0, []
    for t, g in enumerate(GRADS, 1):
        if wd:
            w = w - w * wd * lr
        alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        if amsgrad:
            vhat = np.maximum(vhat, v)
        w = w - m * alpha / (np.sqrt(vhat if amsgrad else v) + eps)
        want.append(w)
    return want


def test_adam():
    opt = O.Adam(learning_rate=0.01)
    _check(_run(opt), _adam_ref())
    assert int(opt.iterations.numpy()) == 3 and opt.iterations.dtype == tf.int64


def test_adam_amsgrad():
    _check(_run(O.Adam(learning_rate=0.01, amsgrad=True)), _adam_ref(amsgrad=True))


def test_adamw():
    _check(_run(O.AdamW(learning_rate=0.01, weight_decay=0.1)), _adam_ref(wd=0.1))


@pytest.mark.parametrize("momentum,centered", [(0.0, False), (0.5, False), (0.0, True)])
def test_rmsprop(momentum, centered):
    lr, rho, eps = 0.01, 0.9, 1e-7
    w, vel, mom, avg, want = W0.astype(np.float64), 0.0, 0.0, 0.0, []
    for g in GRADS:
        vel = rho * vel + (1 - rho) * g * g
        if centered:
            avg = rho * avg + (1 - rho) * g
            denom = vel - avg * avg + eps
        else:
            denom = vel + eps
        inc = lr * g / np.sqrt(denom)
        if momentum:
            mom = momentum * mom + inc
            w = w - mom
        else:
            w = w - inc
        want.append(w)
    _check(_run(O.RMSprop(learning_rate=lr, momentum=momentum, centered=centered)), want)


def test_adagrad():
    lr, eps = 0.1, 1e-7
    w, acc, want = W0.astype(np.float64), np.full(W0.shape, 0.1), []
    for g in GRADS:
        acc = acc + g * g
        w = w - lr * g / np.sqrt(acc + eps)
        want.append(w)
    _check(_run(O.Adagrad(learning_rate=lr)), want)


def test_schedules_closed_forms():
    s = O.schedules.ExponentialDecay(0.1, decay_steps=4, decay_rate=0.5)
    for t in (0, 1, 4, 7):
        assert float(s(t)) == pytest.approx(0.1 * 0.5 ** (t / 4), rel=1e-6)
    s = O.schedules.ExponentialDecay(0.1, decay_steps=4, decay_rate=0.5, staircase=True)
    assert [round(float(s(t)), 6) for t in (3, 4, 9)] == [0.1, 0.05, 0.025]
    c = O.schedules.CosineDecay(0.2, decay_steps=10, alpha=0.1)
    for t in (0, 3, 10, 15):
        frac = min(t, 10) / 10
        want = 0.2 * ((1 - 0.1) * 0.5 * (1 + math.cos(math.pi * frac)) + 0.1)
        assert float(c(t)) == pytest.approx(want, rel=1e-6)
    warm = O.schedules.CosineDecay(0.0, decay_steps=10, warmup_target=1.0, warmup_steps=5)
    assert float(warm(2)) == pytest.approx(0.4) and float(warm(5)) == pytest.approx(1.0)


def test_schedule_drives_the_learning_rate():
    # the first update uses schedule(0), the second schedule(1): Keras evaluates at iterations
    sched = O.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    opt = O.SGD(learning_rate=sched)
    w = tf.Variable(0.0)
    opt.apply_gradients([(tf.constant(1.0), w)])
    opt.apply_gradients([(tf.constant(1.0), w)])
    assert float(w.numpy()) == pytest.approx(-0.15)
    assert [v.name for v in opt.variables] == [f"{opt.name}/iteration:0"]


def test_clipnorm_and_global_clipnorm():
    g1, g2 = np.array([3.0, 4.0], np.float32), np.array([0.0, 12.0], np.float32)
    a, b = tf.Variable([0.0, 0.0]), tf.Variable([0.0, 0.0])
    O.SGD(learning_rate=1.0, clipnorm=1.0).apply_gradients(
        [(tf.constant(g1), a), (tf.constant(g2), b)])
    np.testing.assert_allclose(a.numpy(), [-0.6, -0.8], rtol=1e-6)  # each clipped to norm 1
    np.testing.assert_allclose(b.numpy(), [0.0, -1.0], rtol=1e-6)
    a, b = tf.Variable([0.0, 0.0]), tf.Variable([0.0, 0.0])
    O.SGD(learning_rate=1.0, global_clipnorm=1.3).apply_gradients(
        [(tf.constant(g1), a), (tf.constant(g2), b)])
    scale = 1.3 / 13.0  # global norm sqrt(9 + 16 + 144) = 13
    np.testing.assert_allclose(a.numpy(), -g1 * scale, rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), -g2 * scale, rtol=1e-6)
    with pytest.raises(ValueError, match="at most one"):
        O.SGD(clipnorm=1.0, global_clipnorm=1.0)


def test_none_gradients_warn_and_all_none_raises():
    a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
    opt = O.SGD(learning_rate=0.5)
    with pytest.warns(UserWarning, match=r"\['b:0'\].*tape.explain"):
        opt.apply_gradients([(tf.constant(1.0), a), (None, b)])
    assert (float(a.numpy()), float(b.numpy())) == (0.5, 2.0)
    with pytest.raises(ValueError, match=r"No gradients provided for any variable: "
                                         r"\['a:0', 'b:0'\].*tape.explain"):
        opt.apply_gradients([(None, a), (None, b)])


def _sparse_grad():
    # rows 0 and 2 of a (4, 2) table; row 2 appears twice (its slices add up)
    values = tf.constant([[1.0, 2.0], [0.5, -1.0], [0.25, 0.25]])
    return tf.IndexedSlices(values, tf.constant([0, 2, 2]), (4, 2)), np.array(
        [[1.0, 2.0], [0.0, 0.0], [0.75, -0.75], [0.0, 0.0]], np.float32)


@pytest.mark.parametrize("make", [lambda: O.SGD(0.1), lambda: O.Adagrad(0.1),
                                  lambda: O.Adam(0.1), lambda: O.SGD(0.1, momentum=0.9),
                                  lambda: O.RMSprop(0.1)])
def test_indexed_slices_equal_the_dense_update(make):
    table = np.arange(8, dtype=np.float32).reshape(4, 2)
    sparse, dense = _sparse_grad()
    ws, wd = tf.Variable(table), tf.Variable(table)
    opt_s, opt_d = make(), make()
    for _ in range(3):
        opt_s.apply_gradients([(sparse, ws)])
        opt_d.apply_gradients([(tf.constant(dense), wd)])
    np.testing.assert_allclose(ws.numpy(), wd.numpy(), rtol=1e-6, atol=1e-7)


def test_embedding_gradient_updates_only_looked_up_rows():
    emb = tf.keras.layers.Embedding(5, 2)
    ids = tf.constant([1, 3])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(emb(ids))
    (g,) = tape.gradient(loss, emb.trainable_variables)  # IndexedSlices once gather has one
    before = emb.embeddings.numpy()
    O.SGD(1.0).apply_gradients([(g, emb.embeddings)])
    np.testing.assert_allclose(before - emb.embeddings.numpy(),
                               [[0, 0], [1, 1], [0, 0], [1, 1], [0, 0]])


def test_minimize_and_state_variables():
    w = tf.Variable([1.0, -2.0], name="w")
    opt = O.Adam(learning_rate=0.1)
    opt.minimize(lambda: tf.reduce_sum(w * w), [w])
    assert all(isinstance(v, tf.Variable) for v in opt.variables)
    names = [v.name.split("/", 1)[1] for v in opt.variables]
    assert names == ["iteration:0", "learning_rate:0", "w_m:0", "w_v:0"]
    np.testing.assert_allclose(opt.slot(w, "m").numpy(), [0.2, -0.4], rtol=1e-6)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * w)
    opt.minimize(loss, [w], tape=tape)
    assert int(opt.iterations.numpy()) == 2


def test_linear_regression_with_sgd_recovers_true_weights():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 3)).astype(np.float32)
    true_w, true_b = np.array([[2.0], [-1.0], [0.5]], np.float32), 0.7
    y = x @ true_w + true_b
    w, b = tf.Variable(tf.zeros((3, 1))), tf.Variable(0.0)
    opt = O.SGD(learning_rate=0.1)
    for _ in range(200):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((tf.matmul(x, w) + b - y) ** 2)
        opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
    np.testing.assert_allclose(w.numpy(), true_w, atol=1e-4)
    assert float(b.numpy()) == pytest.approx(true_b, abs=1e-4)


def test_keras_custom_training_loop_reproduces_tensorflow():
    """Sequential of Dense, Adam, SparseCategoricalCrossentropy, apply_gradients: the program
    below, run with ``import tensorflow as tf`` (TF 2.21 / Keras 3.15), printed the numbers
    hard-coded here; under ``import tapegrad as tf`` it must give the same trajectory."""
    x = (np.arange(24, dtype=np.float32).reshape(6, 4) % 7 - 3.0) / 3.0
    y = np.array([0, 1, 2, 1, 0, 2])
    k1 = (np.arange(20, dtype=np.float32).reshape(4, 5) % 5 - 2.0) / 4.0
    k2 = (np.arange(15, dtype=np.float32).reshape(5, 3) % 4 - 1.5) / 3.0
    model = tf.keras.Sequential([tf.keras.layers.Dense(5, activation="relu"),
                                 tf.keras.layers.Dense(3)])
    model(x[:1])
    model.set_weights([k1, np.full(5, 0.1, np.float32), k2, np.zeros(3, np.float32)])
    opt = tf.keras.optimizers.Adam(learning_rate=0.05)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    losses = []
    for _ in range(5):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(float(loss))
    # TensorFlow's outputs for this program:
    tf_losses = [1.1151711, 1.032084, 0.9579475, 0.8775247, 0.79164433]
    tf_bias1 = [0.35078394, 0.19304895, 0.22107105, -0.046639904, -0.095639125]
    tf_kernel2 = [[-0.27956814, -0.4152052, 0.41441575], [0.7506427, -0.75086266, 0.07603733],
                  [0.0568702, 0.72395366, -0.7389011], [-0.16694152, 0.4171168, 0.26859692],
                  [-0.43347043, 0.08340564, -0.06879091]]
    tf_bias2 = [0.118830666, 0.17035136, -0.13684756]
    tf_kernel1_row3 = [-0.27367619, -0.036913194, -0.24979872, 0.0003365539, 0.25066149]
    np.testing.assert_allclose(losses, tf_losses, rtol=1e-5)
    w = model.get_weights()
    np.testing.assert_allclose(w[0][3], tf_kernel1_row3, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(w[1], tf_bias1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(w[2], tf_kernel2, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(w[3], tf_bias2, rtol=1e-5, atol=1e-6)
    assert int(opt.iterations.numpy()) == 5


def test_errors():
    w = tf.Variable([1.0, 2.0], name="w")
    with pytest.raises(ValueError, match=r"gradient of shape \(3,\) for variable 'w:0'"):
        O.SGD().apply_gradients([(tf.constant([1.0, 2.0, 3.0]), w)])
    with pytest.raises(ValueError, match="Could not interpret optimizer"):
        O.get("nope")
    with pytest.raises(TypeError, match="unexpected keyword"):
        O.Adam(bogus=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        O.get("adam").apply_gradients([(tf.constant([1.0, 1.0]), w)])


# TensorFlow 2.21 / Keras 3.15 outputs of the program in test_optimizers_match_tensorflow
# (w then b after three updates), printed with 8 significant digits.
TF_THREE_STEPS = {
    "sgd_nesterov": [0.53601, -1.10472, 1.94028, -0.00199999, 1.1080301, -1.3141601],
    "adamw": [0.49521297, -0.9968703, 1.9763803, 0.23672931, 0.9937143, -0.9968702],
    "adam_amsgrad": [0.49669707, -0.9998517, 1.9823465, 0.2374711, 0.9966969, -0.99985164],
    "rmsprop_centered_momentum": [0.47474113, -0.99892324, 1.9562498, 0.20343809, 0.97473836,
                                  -0.99892265],
    "adagrad": [0.5109078, -1.0571115, 1.9762225, 0.16414534, 0.98263365, -1.0368972],
    "adam_clipnorm": [0.3780701, -0.9256072, 1.8303716, 0.13744052, 0.8904915, -0.93019134],
    "sgd_global_clipnorm": [0.49508217, -1.0051538, 1.9971058, 0.2398813, 0.9852465,
                            -1.0154612],
    "sgd_exponential_decay": [0.52000004, -1.04, 1.98, 0.155, 1.0600001, -1.12],
    "adam_cosine_warmup": [0.5320434, -1.0876992, 1.7466216, 0.00816684, 1.0320419, -1.0876988],
}
MAKERS = {
    "sgd_nesterov": lambda: O.SGD(0.1, momentum=0.9, nesterov=True),
    "adamw": lambda: O.AdamW(0.01, weight_decay=0.1),
    "adam_amsgrad": lambda: O.Adam(0.01, amsgrad=True),
    "rmsprop_centered_momentum": lambda: O.RMSprop(0.01, momentum=0.5, centered=True),
    "adagrad": lambda: O.Adagrad(0.1),
    "adam_clipnorm": lambda: O.Adam(0.1, clipnorm=0.3),
    "sgd_global_clipnorm": lambda: O.SGD(0.1, global_clipnorm=0.3),
    "sgd_exponential_decay": lambda: O.SGD(
        O.schedules.ExponentialDecay(0.1, 2, 0.5, staircase=True)),
    "adam_cosine_warmup": lambda: O.Adam(
        O.schedules.CosineDecay(0.1, 5, alpha=0.1, warmup_target=0.2, warmup_steps=1)),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_optimizers_match_tensorflow(name):
    opt = MAKERS[name]()
    w, b = tf.Variable(W0), tf.Variable([1.0, -1.0])
    for g in GRADS:
        opt.apply_gradients([(tf.constant(g), w), (tf.constant(g[0] * 3), b)])
    got = np.concatenate([w.numpy().ravel(), b.numpy()])
    np.testing.assert_allclose(got, TF_THREE_STEPS[name], rtol=2e-6, atol=1e-7)
