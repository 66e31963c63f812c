"""The core workloads (chain, mlp, jacobian, hessian, fit) for tapegrad eager, tapegrad under
``tapegrad.function`` and hand-written NumPy (the floor for a NumPy-backed library).

Data come from one seeded generator so every column, in every process, sees the same numbers.
Builders import tapegrad themselves: this module must import with NumPy alone (peers' Pythons).
"""

from __future__ import annotations

import gzip
import os

import numpy as np

from bench.registry import Step, column, workload

CHAIN_STEPS = 200          # y = y * 1.0001 + 0.0001, 200 times: 400 recorded ops
CHAIN_OPS = 2 * CHAIN_STEPS
MLP_SIZES = (784, 256, 256, 10)
MLP_BATCHES = (16, 128, 1024)
LR = 0.01                  # a real run's rate
# Thousands of steps on one batch at 0.01 would overfit it until exp() underflows to subnormal
# floats, which slows every library's softmax ~10x: the weights are put back (untimed) this often.
RESET_EVERY = 100

workload("chain", "200 x `y = y * 1.0001 + 0.0001` on a scalar, then `gradient`; per op",
         unit="us/op", baseline=("PyTorch", "NumPy"))
workload("mlp", "one SGD step (lr 0.01) of a 784-256-256-10 ReLU MLP, sparse softmax CE, float32",
         batches=MLP_BATCHES, seconds=1.5)
workload("jacobian", "jacobian of tanh(A x), A 100x100", baseline=("PyTorch", "NumPy"))
workload("hessian", "Hessian of a small MLP's softmax-CE loss w.r.t. its 32x16 kernel")
workload("fit", "one epoch of the digits model (64-64 relu-10, Adam, batch 32, 1,440 examples, "
         "accuracy metric)", baseline=("PyTorch",), seconds=3.0)


def mlp_data(batch: int = 128, seed: int = 0):
    """Inputs, integer labels and glorot-uniform weights/zero biases of the 784-256-256-10 MLP."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, MLP_SIZES[0])).astype(np.float32)
    labels = rng.integers(0, MLP_SIZES[-1], batch).astype(np.int32)
    params = []
    for n_in, n_out in zip(MLP_SIZES[:-1], MLP_SIZES[1:], strict=False):
        lim = np.sqrt(6.0 / (n_in + n_out))
        params.append(rng.uniform(-lim, lim, (n_in, n_out)).astype(np.float32))
        params.append(np.zeros(n_out, np.float32))
    return x, labels, params


def digits_data(n: int = 1440):
    """The first ``n`` bundled digits as float32 features in [0, 1] and int32 labels, read with
    NumPy alone (peers' processes need not import tapegrad)."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "tapegrad", "datasets", "digits.csv.gz")
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)[:n]
    return (table[:, :64] / 16.0).astype(np.float32), table[:, 64].astype(np.int32)


def _tapegrad():
    import tapegrad  # noqa: PLC0415 - builders import their library (see bench.registry)
    return tapegrad


# -- tapegrad --------------------------------------------------------------------------------------
def _tg_function(traced: bool):
    return _tapegrad().function if traced else (lambda f: f)


def tg_chain(traced: bool) -> Step:
    tf = _tapegrad()

    def chain(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x
            for _ in range(CHAIN_STEPS):
                y = y * 1.0001 + 0.0001
        return tape.gradient(y, x)
    f = _tg_function(traced)(chain)
    x = tf.constant(1.0)
    return Step(lambda: f(x), ops=CHAIN_OPS)


def _softmax_ce(tf, labels, logits):
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                          logits=logits))


def tg_mlp_loss(tf, x, labels, ws):
    h = x
    for i in range(0, len(ws), 2):
        h = tf.matmul(h, ws[i]) + ws[i + 1]
        if i + 2 < len(ws):
            h = tf.nn.relu(h)
    return _softmax_ce(tf, labels, h)


def tg_mlp(batch: int, traced: bool) -> Step:
    tf = _tapegrad()
    x_np, labels_np, params = mlp_data(batch)
    x, labels = tf.constant(x_np), tf.constant(labels_np)
    ws = [tf.Variable(p) for p in params]

    def step(x, labels):
        with tf.GradientTape() as tape:
            loss = tg_mlp_loss(tf, x, labels, ws)
        grads = tape.gradient(loss, ws)
        for w, g in zip(ws, grads, strict=True):
            w.assign_sub(LR * g)
        return loss
    f = _tg_function(traced)(step)

    def reset():
        for w, p in zip(ws, params, strict=True):
            w.assign(p)
    return Step(lambda: f(x, labels), reset, RESET_EVERY)


def tg_jacobian(traced: bool) -> Step:
    tf = _tapegrad()
    rng = np.random.default_rng(1)
    a = tf.constant(rng.standard_normal((100, 100)).astype(np.float32) / 10)
    x = tf.constant(rng.standard_normal(100).astype(np.float32))

    def jac(a, x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.tanh(tf.linalg.matvec(a, x))
        return tape.jacobian(y, x)
    f = _tg_function(traced)(jac)
    return Step(lambda: f(a, x))


def hessian_data(seed: int = 2):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((64, 32)).astype(np.float32)
    labels = rng.integers(0, 10, 64).astype(np.int32)
    w1 = (rng.standard_normal((32, 16)) * 0.3).astype(np.float32)
    w2 = (rng.standard_normal((16, 10)) * 0.3).astype(np.float32)
    return x, labels, w1, w2


def tg_hessian(traced: bool) -> Step:
    """Hessian of a small MLP's softmax-CE loss w.r.t. its 32x16 kernel: nested tapes + jacobian."""
    tf = _tapegrad()
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
    f = _tg_function(traced)(hess)
    return Step(lambda: f(x, labels, w1, w2))


def tg_fit() -> Step:
    tf = _tapegrad()
    x, y = digits_data()
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((64,)),
                                 tf.keras.layers.Dense(64, activation="relu"),
                                 tf.keras.layers.Dense(10)])
    model.compile(tf.keras.optimizers.Adam(1e-3),
                  tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return Step(lambda: model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0))


for _name, _build in (("chain", tg_chain), ("jacobian", tg_jacobian), ("hessian", tg_hessian)):
    column(_name, "tapegrad", "tapegrad")(lambda batch, b=_build: b(False))
    column(_name, "tapegrad.function", "tapegrad")(lambda batch, b=_build: b(True))
column("mlp", "tapegrad", "tapegrad")(lambda batch: tg_mlp(batch, False))
column("mlp", "tapegrad.function", "tapegrad")(lambda batch: tg_mlp(batch, True))
column("fit", "tapegrad", "tapegrad")(lambda batch: tg_fit())


# -- hand-written NumPy ----------------------------------------------------------------------------
@column("chain", "NumPy", "numpy")
def np_chain(batch=None) -> Step:
    a, b = np.float32(1.0001), np.float32(0.0001)

    def chain():
        y = np.float32(1.0)
        for _ in range(CHAIN_STEPS):  # forward
            y = y * a + b
        g = np.float32(1.0)
        for _ in range(CHAIN_STEPS):  # backward: dy/dy_prev = 1.0001 each step
            g = g * a
        return g
    return Step(chain, ops=CHAIN_OPS)


def _np_reset(params):
    start = [p.copy() for p in params]

    def reset():
        for p, p0 in zip(params, start, strict=True):
            p[...] = p0
    return reset


@column("mlp", "NumPy", "numpy")
def np_mlp(batch: int) -> Step:
    """The floor: what a careful NumPy programmer writes. In-place where possible, each layer's
    update applied as soon as its gradient exists, intermediates dropped once used."""
    x, labels, params = mlp_data(batch)
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
    return Step(step, _np_reset(params), RESET_EVERY)


@column("mlp", "NumPy, plain", "numpy")
def np_mlp_plain(batch: int) -> Step:
    """Straightforward NumPy: forward, then every gradient, then the updates."""
    x, labels, params = mlp_data(batch)
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
        for p, g in zip((w1, b1, w2, b2, w3, b3), (dw1, db1, dw2, db2, dw3, db3), strict=True):
            p -= np.float32(LR) * g
        return loss
    return Step(step, _np_reset(params), RESET_EVERY)


@column("jacobian", "NumPy", "numpy")
def np_jacobian(batch=None) -> Step:
    rng = np.random.default_rng(1)
    a = rng.standard_normal((100, 100)).astype(np.float32) / 10
    x = rng.standard_normal(100).astype(np.float32)

    def jac():
        y = np.tanh(a @ x)
        return (1 - y * y)[:, None] * a
    return Step(jac)


@column("hessian", "NumPy", "numpy")
def np_hessian(batch=None) -> Step:
    """Hand-derived Hessian of the same loss w.r.t. w1: d/dw1 of (x^T (relu'(h) * (dz w2^T)))."""
    x, labels, w1, w2 = hessian_data()
    n = x.shape[0]

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
    return Step(hess)
