"""Peer libraries' versions of the workloads: PyTorch, TensorFlow (eager and ``tf.function``) and
HIPS autograd. Each column imports its library when built, so it runs only in a process whose
Python has that library; a missing library simply gives no column.
"""

from __future__ import annotations

import os

import numpy as np

from bench.registry import Step, column
from bench.workloads import (CHAIN_OPS, CHAIN_STEPS, LR, RESET_EVERY, digits_data,
                             hessian_data, mlp_data)


THREADS = int(os.environ.get("BENCH_THREADS") or os.cpu_count() or 1)


def _tf():
    import tensorflow as tf  # noqa: PLC0415 - peers import their library when built
    tf.config.threading.set_intra_op_parallelism_threads(THREADS)
    return tf


def _torch():
    import torch  # noqa: PLC0415
    torch.set_num_threads(THREADS)
    return torch


# -- chain -----------------------------------------------------------------------------------------
@column("chain", "PyTorch", "torch")
def torch_chain(batch=None) -> Step:
    torch = _torch()

    def chain():
        x = torch.tensor(1.0, requires_grad=True)
        y = x
        for _ in range(CHAIN_STEPS):
            y = y * 1.0001 + 0.0001
        return torch.autograd.grad(y, x)
    return Step(chain, ops=CHAIN_OPS)


def _tf_chain(traced: bool) -> Step:
    tf = _tf()
    x = tf.constant(1.0)

    def chain(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = x
            for _ in range(CHAIN_STEPS):
                y = y * 1.0001 + 0.0001
        return t.gradient(y, x)
    f = tf.function(chain) if traced else chain
    return Step(lambda: f(x), ops=CHAIN_OPS)


column("chain", "TF eager", "tensorflow")(lambda batch: _tf_chain(False))
column("chain", "tf.function", "tensorflow")(lambda batch: _tf_chain(True))


@column("chain", "autograd", "autograd")
def autograd_chain(batch=None) -> Step:
    import autograd  # noqa: PLC0415

    def f(x):
        y = x
        for _ in range(CHAIN_STEPS):
            y = y * 1.0001 + 0.0001
        return y
    gf = autograd.grad(f)
    return Step(lambda: gf(1.0), ops=CHAIN_OPS)


# -- mlp -------------------------------------------------------------------------------------------
@column("mlp", "PyTorch", "torch")
def torch_mlp(batch: int) -> Step:
    torch = _torch()
    x_np, lab_np, params = mlp_data(batch)
    tx, tlab = torch.from_numpy(x_np), torch.from_numpy(lab_np.astype(np.int64))
    ps = [torch.tensor(p, requires_grad=True) for p in params]

    def step():
        h = tx
        for i in range(0, 6, 2):
            h = h @ ps[i] + ps[i + 1]
            if i < 4:
                h = torch.relu(h)
        loss = torch.nn.functional.cross_entropy(h, tlab)
        grads = torch.autograd.grad(loss, ps)
        with torch.no_grad():
            for p, g in zip(ps, grads, strict=True):
                p.sub_(LR * g)
        return loss

    def reset():
        with torch.no_grad():
            for p, p0 in zip(ps, params, strict=True):
                p.copy_(torch.from_numpy(p0))
    return Step(step, reset, RESET_EVERY)


def _tf_mlp(batch: int, traced: bool) -> Step:
    tf = _tf()
    x_np, lab_np, params = mlp_data(batch)
    x, lab = tf.constant(x_np), tf.constant(lab_np)
    ws = [tf.Variable(p) for p in params]

    def step(x, lab):
        with tf.GradientTape() as t:
            h = x
            for i in range(0, 6, 2):
                h = tf.matmul(h, ws[i]) + ws[i + 1]
                if i < 4:
                    h = tf.nn.relu(h)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(lab, h))
        for w, g in zip(ws, t.gradient(loss, ws), strict=True):
            w.assign_sub(LR * g)
        return loss
    f = tf.function(step) if traced else step

    def reset():
        for w, p in zip(ws, params, strict=True):
            w.assign(p)
    return Step(lambda: f(x, lab), reset, RESET_EVERY)


column("mlp", "TF eager", "tensorflow")(lambda batch: _tf_mlp(batch, False))
column("mlp", "tf.function", "tensorflow")(lambda batch: _tf_mlp(batch, True))


@column("mlp", "autograd", "autograd")
def autograd_mlp(batch: int) -> Step:
    import autograd  # noqa: PLC0415
    import autograd.numpy as anp  # noqa: PLC0415
    x_np, lab_np, params = mlp_data(batch)
    rows = np.arange(len(lab_np))

    def loss_fn(ps):
        h = x_np
        for i in range(0, 6, 2):
            h = anp.dot(h, ps[i]) + ps[i + 1]
            if i < 4:
                h = anp.maximum(h, 0)
        z = h - anp.max(h, axis=1, keepdims=True)
        return anp.mean(anp.log(anp.sum(anp.exp(z), axis=1)) - z[rows, lab_np])
    gf = autograd.grad(loss_fn)
    aps = [p.copy() for p in params]

    def step():
        for p, g in zip(aps, gf(aps), strict=True):
            p -= np.float32(LR) * g

    def reset():
        for p, p0 in zip(aps, params, strict=True):
            p[...] = p0
    return Step(step, reset, RESET_EVERY)


# -- jacobian --------------------------------------------------------------------------------------
def _jacobian_data():
    rng = np.random.default_rng(1)
    return (rng.standard_normal((100, 100)).astype(np.float32) / 10,
            rng.standard_normal(100).astype(np.float32))


@column("jacobian", "PyTorch", "torch")
def torch_jacobian(batch=None) -> Step:
    torch = _torch()
    a_np, x_np = _jacobian_data()
    a, x = torch.from_numpy(a_np), torch.from_numpy(x_np)
    return Step(lambda: torch.autograd.functional.jacobian(lambda x: torch.tanh(a @ x), x,
                                                           vectorize=True))


def _tf_jacobian(traced: bool) -> Step:
    tf = _tf()
    a_np, x_np = _jacobian_data()
    a, x = tf.constant(a_np), tf.constant(x_np)

    def jac(a, x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = tf.tanh(tf.linalg.matvec(a, x))
        return t.jacobian(y, x)
    f = tf.function(jac) if traced else jac
    return Step(lambda: f(a, x))


column("jacobian", "TF eager", "tensorflow")(lambda batch: _tf_jacobian(False))
column("jacobian", "tf.function", "tensorflow")(lambda batch: _tf_jacobian(True))


@column("jacobian", "autograd", "autograd")
def autograd_jacobian(batch=None) -> Step:
    import autograd  # noqa: PLC0415
    import autograd.numpy as anp  # noqa: PLC0415
    a_np, x_np = _jacobian_data()
    jf = autograd.jacobian(lambda x: anp.tanh(anp.dot(a_np, x)))
    return Step(lambda: jf(x_np))


# -- hessian ---------------------------------------------------------------------------------------
@column("hessian", "PyTorch", "torch")
def torch_hessian(batch=None) -> Step:
    torch = _torch()
    x_np, lab_np, w1_np, w2_np = hessian_data()
    x, lab = torch.from_numpy(x_np), torch.from_numpy(lab_np.astype(np.int64))
    w1, w2 = torch.from_numpy(w1_np), torch.from_numpy(w2_np)

    def loss(w1):
        return torch.nn.functional.cross_entropy(torch.relu(x @ w1) @ w2, lab)
    return Step(lambda: torch.autograd.functional.hessian(loss, w1, vectorize=True))


# -- fit: one epoch of the digits model ------------------------------------------------------------
@column("fit", "PyTorch", "torch")
def torch_fit(batch=None) -> Step:
    """A hand-written loop over the same batches: forward, loss, backward, Adam, accuracy."""
    torch = _torch()
    torch.manual_seed(0)
    x_np, y_np = digits_data()
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np.astype(np.int64))
    model = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def epoch():
        correct = 0
        for i in range(0, len(x), 32):
            xb, yb = x[i:i + 32], y[i:i + 32]
            opt.zero_grad()
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            opt.step()
            correct += int((logits.argmax(1) == yb).sum())
        return correct / len(x)
    return Step(epoch)


@column("fit", "TF fit", "tensorflow")
def tf_fit(batch=None) -> Step:
    tf = _tf()
    tf.keras.utils.set_random_seed(0)
    x, y = digits_data()
    model = tf.keras.Sequential([tf.keras.Input((64,)),
                                 tf.keras.layers.Dense(64, activation="relu"),
                                 tf.keras.layers.Dense(10)])
    model.compile(tf.keras.optimizers.Adam(1e-3),
                  tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return Step(lambda: model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0))
