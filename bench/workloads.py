"""The benchmark workloads: each builds a zero-argument callable that runs one iteration.

Every workload exists for tapegrad eager, tapegrad under ``tapegrad.function`` and a
hand-written NumPy baseline (the floor for a NumPy-backed library). Data come from one seeded
generator so all columns see the same numbers.
"""

from __future__ import annotations

import numpy as np

CHAIN_STEPS = 200          # y = y * 1.0001 + 0.0001, 200 times: 400 recorded ops
CHAIN_OPS = 2 * CHAIN_STEPS
MLP_SIZES = (784, 256, 256, 10)
MLP_BATCH = 128
# Small on purpose: thousands of steps on one batch at 0.01 overfit it until exp() underflows to
# subnormal floats, which slows every library's softmax ~10x and measures nothing useful.
LR = 1e-4


def mlp_data(seed: int = 0):
    """Inputs, integer labels and glorot-uniform weights/zero biases of the 784-256-256-10 MLP."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((MLP_BATCH, MLP_SIZES[0])).astype(np.float32)
    labels = rng.integers(0, MLP_SIZES[-1], MLP_BATCH).astype(np.int32)
    params = []
    for n_in, n_out in zip(MLP_SIZES[:-1], MLP_SIZES[1:], strict=False):
        lim = np.sqrt(6.0 / (n_in + n_out))
        params.append(rng.uniform(-lim, lim, (n_in, n_out)).astype(np.float32))
        params.append(np.zeros(n_out, np.float32))
    return x, labels, params


# -- tapegrad --------------------------------------------------------------------------------------
def tg_chain(tf, function=None):
    def chain(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x
            for _ in range(CHAIN_STEPS):
                y = y * 1.0001 + 0.0001
        return tape.gradient(y, x)
    f = function(chain) if function else chain
    x = tf.constant(1.0)
    return lambda: f(x)


def _softmax_ce(tf, labels, logits):
    sce = getattr(tf.nn, "sparse_softmax_cross_entropy_with_logits", None)
    if sce is not None:
        return tf.reduce_mean(sce(labels=labels, logits=logits))
    # composed from core ops when the nn family is not there
    m = tf.stop_gradient(tf.reduce_max(logits, axis=-1, keepdims=True))
    z = logits - m
    lse = tf.math.log(tf.reduce_sum(tf.exp(z), axis=-1))
    picked = tf.gather(z, labels, axis=1, batch_dims=1)
    return tf.reduce_mean(lse - picked)


def tg_mlp_loss(tf, x, labels, ws):
    h = x
    for i in range(0, len(ws), 2):
        h = tf.matmul(h, ws[i]) + ws[i + 1]
        if i + 2 < len(ws):
            h = tf.nn.relu(h)
    return _softmax_ce(tf, labels, h)


def tg_mlp(tf, function=None):
    x_np, labels_np, params = mlp_data()
    x, labels = tf.constant(x_np), tf.constant(labels_np)
    ws = [tf.Variable(p) for p in params]

    def step(x, labels):
        with tf.GradientTape() as tape:
            loss = tg_mlp_loss(tf, x, labels, ws)
        grads = tape.gradient(loss, ws)
        for w, g in zip(ws, grads, strict=False):
            w.assign_sub(LR * g)
        return loss
    f = function(step) if function else step
    return lambda: f(x, labels), ws


def tg_jacobian(tf, function=None):
    rng = np.random.default_rng(1)
    a = tf.constant(rng.standard_normal((100, 100)).astype(np.float32) / 10)
    x = tf.constant(rng.standard_normal(100).astype(np.float32))
    matvec = getattr(tf.linalg, "matvec", None)

    def jac(a, x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            if matvec is not None:
                y = tf.tanh(matvec(a, x))
            else:  # matmul with a column
                y = tf.tanh(tf.reshape(tf.matmul(a, tf.reshape(x, (100, 1))), (100,)))
        return tape.jacobian(y, x)
    f = function(jac) if function else jac
    return lambda: f(a, x)


def hessian_data(seed: int = 2):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((64, 32)).astype(np.float32)
    labels = rng.integers(0, 10, 64).astype(np.int32)
    w1 = (rng.standard_normal((32, 16)) * 0.3).astype(np.float32)
    w2 = (rng.standard_normal((16, 10)) * 0.3).astype(np.float32)
    return x, labels, w1, w2


def tg_hessian(tf, function=None):
    """Hessian of a small MLP's softmax-CE loss w.r.t. its 32x16 kernel: nested tapes + jacobian."""
    x_np, lab_np, w1_np, w2_np = hessian_data()
    x, labels = tf.constant(x_np), tf.constant(lab_np)
    w1, w2 = tf.constant(w1_np), tf.constant(w2_np)

    def hess(x, labels, w1, w2):
        with tf.GradientTape() as outer:
            outer.watch(w1)
            with tf.GradientTape() as inner:
                inner.watch(w1)
                loss = tg_mlp_loss(tf, x, labels, [w1, tf.zeros(16), w2, tf.zeros(10)])
            g = inner.gradient(loss, w1)
        return outer.jacobian(g, w1)
    f = function(hess) if function else hess
    return lambda: f(x, labels, w1, w2)


# -- hand-written NumPy ----------------------------------------------------------------------------
def np_chain():
    a, b = np.float32(1.0001), np.float32(0.0001)

    def chain():
        y = np.float32(1.0)
        for _ in range(CHAIN_STEPS):  # forward
            y = y * a + b
        g = np.float32(1.0)
        for _ in range(CHAIN_STEPS):  # backward: dy/dy_prev = 1.0001 each step
            g = g * a
        return g
    return chain


def np_mlp():
    """The floor: what a careful NumPy programmer writes. In-place where possible, each layer's
    update applied as soon as its gradient exists, intermediates dropped once used."""
    x, labels, params = mlp_data()
    n = x.shape[0]
    rows = np.arange(n)
    lr = np.float32(LR)

    def step(p=params):
        w1, b1, w2, b2, w3, b3 = p
        h1 = x @ w1
        h1 += b1
        a1 = np.maximum(h1, 0)
        h2 = a1 @ w2
        h2 += b2
        a2 = np.maximum(h2, 0)
        z = a2 @ w3
        z += b3
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.log(s[:, 0]) - z[rows, labels])
        dz = e / s
        dz[rows, labels] -= 1
        dz /= n
        da2 = dz @ w3.T
        w3 -= lr * (a2.T @ dz)
        b3 -= lr * dz.sum(0)
        del a2, dz, z, e
        da2 *= h2 > 0
        del h2
        da1 = da2 @ w2.T
        w2 -= lr * (a1.T @ da2)
        b2 -= lr * da2.sum(0)
        del a1, da2
        da1 *= h1 > 0
        del h1
        w1 -= lr * (x.T @ da1)
        b1 -= lr * da1.sum(0)
        return loss
    return step, params


def np_mlp_plain():
    """Straightforward NumPy: forward, then every gradient, then the updates."""
    x, labels, params = mlp_data()
    w1, b1, w2, b2, w3, b3 = params
    n = x.shape[0]
    rows = np.arange(n)

    def step():
        h1 = x @ w1 + b1
        a1 = np.maximum(h1, 0)
        h2 = a1 @ w2 + b2
        a2 = np.maximum(h2, 0)
        z = a2 @ w3 + b3
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.log(s[:, 0]) - z[rows, labels])
        dz = e / s
        dz[rows, labels] -= 1
        dz /= n
        dw3, db3 = a2.T @ dz, dz.sum(0)
        da2 = dz @ w3.T
        dh2 = da2 * (h2 > 0)
        dw2, db2 = a1.T @ dh2, dh2.sum(0)
        da1 = dh2 @ w2.T
        dh1 = da1 * (h1 > 0)
        dw1, db1 = x.T @ dh1, dh1.sum(0)
        for p, g in zip((w1, b1, w2, b2, w3, b3), (dw1, db1, dw2, db2, dw3, db3), strict=False):
            p -= np.float32(LR) * g
        return loss
    return step, params


def np_jacobian():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((100, 100)).astype(np.float32) / 10
    x = rng.standard_normal(100).astype(np.float32)

    def jac():
        y = np.tanh(a @ x)
        return (1 - y * y)[:, None] * a
    return jac


def np_hessian():
    """Hand-derived Hessian of the same loss w.r.t. w1: d/dw1 of (x^T (relu'(h) * (dz w2^T)))."""
    x, labels, w1, w2 = hessian_data()
    n = x.shape[0]
    np.arange(n)

    def hess():
        h = x @ w1
        mask = (h > 0).astype(np.float32)
        z = np.maximum(h, 0) @ w2
        z = z - z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        # H[(i,j),(k,l)] = sum_b x[b,i] x[b,k] m[b,j] m[b,l] (w2 (diag p - p p^T) w2^T)[j,l] / n
        pw = p @ w2.T                                              # [b, 16]
        c = np.einsum("bc,jc,lc->bjl", p, w2, w2) - pw[:, :, None] * pw[:, None, :]
        c *= (mask[:, :, None] * mask[:, None, :]) / n
        return np.einsum("bi,bk,bjl->ijkl", x, x, c, optimize=True)
    return hess
