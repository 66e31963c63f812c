"""Peer libraries' versions of the workloads, used only when they are importable.

Each ``peer_<workload>()`` returns ``{column: zero-argument callable}`` for every peer it could
import; a missing library simply gives no column.
"""

from __future__ import annotations

import numpy as np

from .workloads import CHAIN_STEPS, LR, hessian_data, mlp_data


ONLY: str | None = None  # import just this library (each peer runs in its own process)


def _try(name):
    if ONLY is not None and name != ONLY:
        return None
    try:
        return __import__(name)
    except Exception:  # noqa: BLE001 - any failure to import means "no column"
        return None


def _tf():
    tf = _try("tensorflow")
    if tf is not None:
        tf.config.threading.set_intra_op_parallelism_threads(2)
    return tf


def _torch():
    torch = _try("torch")
    if torch is not None:
        torch.set_num_threads(2)
    return torch


def peer_chain() -> dict:
    out = {}
    torch = _torch()
    if torch is not None:
        def torch_chain():
            x = torch.tensor(1.0, requires_grad=True)
            y = x
            for _ in range(CHAIN_STEPS):
                y = y * 1.0001 + 0.0001
            return torch.autograd.grad(y, x)
        out["PyTorch"] = torch_chain
    tf = _tf()
    if tf is not None:
        x = tf.constant(1.0)

        def tf_chain(x=x):
            with tf.GradientTape() as t:
                t.watch(x)
                y = x
                for _ in range(CHAIN_STEPS):
                    y = y * 1.0001 + 0.0001
            return t.gradient(y, x)
        out["TF eager"] = tf_chain
        tf_fn = tf.function(tf_chain)
        out["tf.function"] = lambda x=x: tf_fn(x)
    ag = _try("autograd")
    if ag is not None:
        def f(x):
            y = x
            for _ in range(CHAIN_STEPS):
                y = y * 1.0001 + 0.0001
            return y
        gf = ag.grad(f)
        out["autograd"] = lambda: gf(1.0)
    return out


def peer_mlp() -> dict:
    out = {}
    x_np, lab_np, params = mlp_data()
    torch = _torch()
    if torch is not None:
        tx, tlab = torch.from_numpy(x_np), torch.from_numpy(lab_np.astype(np.int64))
        ps = [torch.tensor(p, requires_grad=True) for p in params]

        def torch_step():
            h = tx
            for i in range(0, 6, 2):
                h = h @ ps[i] + ps[i + 1]
                if i < 4:
                    h = torch.relu(h)
            loss = torch.nn.functional.cross_entropy(h, tlab)
            grads = torch.autograd.grad(loss, ps)
            with torch.no_grad():
                for p, g in zip(ps, grads, strict=False):
                    p.sub_(LR * g)
            return loss
        out["PyTorch"] = torch_step
    tf = _tf()
    if tf is not None:
        x, lab = tf.constant(x_np), tf.constant(lab_np)
        ws = [tf.Variable(p) for p in params]

        def tf_step(x=x, lab=lab):
            with tf.GradientTape() as t:
                h = x
                for i in range(0, 6, 2):
                    h = tf.matmul(h, ws[i]) + ws[i + 1]
                    if i < 4:
                        h = tf.nn.relu(h)
                loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(lab, h))
            for w, g in zip(ws, t.gradient(loss, ws), strict=False):
                w.assign_sub(LR * g)
            return loss
        out["TF eager"] = tf_step
        tf_fn = tf.function(tf_step)
        out["tf.function"] = lambda x=x, lab=lab: tf_fn(x, lab)
    ag = _try("autograd")
    if ag is not None:
        anp = __import__("autograd.numpy").numpy
        aps = [p.copy() for p in params]
        rows = np.arange(len(lab_np))

        def loss_fn(ps):
            h = x_np
            for i in range(0, 6, 2):
                h = anp.dot(h, ps[i]) + ps[i + 1]
                if i < 4:
                    h = anp.maximum(h, 0)
            z = h - anp.max(h, axis=1, keepdims=True)
            return anp.mean(anp.log(anp.sum(anp.exp(z), axis=1)) - z[rows, lab_np])
        gf = ag.grad(loss_fn)

        def ag_step():
            for p, g in zip(aps, gf(aps), strict=False):
                p -= np.float32(LR) * g
        out["autograd"] = ag_step
    return out


def peer_jacobian() -> dict:
    out = {}
    rng = np.random.default_rng(1)
    a_np = rng.standard_normal((100, 100)).astype(np.float32) / 10
    x_np = rng.standard_normal(100).astype(np.float32)
    torch = _torch()
    if torch is not None:
        a, x = torch.from_numpy(a_np), torch.from_numpy(x_np)
        out["PyTorch"] = lambda a=a, x=x: torch.autograd.functional.jacobian(
            lambda x: torch.tanh(a @ x), x, vectorize=True)
    tf = _tf()
    if tf is not None:
        a, x = tf.constant(a_np), tf.constant(x_np)

        def tf_jac(a=a, x=x):
            with tf.GradientTape() as t:
                t.watch(x)
                y = tf.tanh(tf.linalg.matvec(a, x))
            return t.jacobian(y, x)
        out["TF eager"] = tf_jac
        tf_fn = tf.function(tf_jac)
        out["tf.function"] = lambda a=a, x=x: tf_fn(a, x)
    ag = _try("autograd")
    if ag is not None:
        anp = __import__("autograd.numpy").numpy
        jf = ag.jacobian(lambda x: anp.tanh(anp.dot(a_np, x)))
        out["autograd"] = lambda: jf(x_np)
    return out


def peer_hessian() -> dict:
    out = {}
    x_np, lab_np, w1_np, w2_np = hessian_data()
    torch = _torch()
    if torch is not None:
        x, lab, w2 = (torch.from_numpy(x_np), torch.from_numpy(lab_np.astype(np.int64)),
                      torch.from_numpy(w2_np))
        w1 = torch.from_numpy(w1_np)

        def loss(w1):
            return torch.nn.functional.cross_entropy(torch.relu(x @ w1) @ w2, lab)
        out["PyTorch"] = lambda: torch.autograd.functional.hessian(loss, w1, vectorize=True)
    return out


if __name__ == "__main__":  # python -m bench.peers WORKLOAD LIBRARY: JSON {column: median s}
    import json
    import sys

    from .run import timeit
    ONLY = sys.argv[2]
    fns = globals()[f"peer_{sys.argv[1]}"]()
    print(json.dumps(timeit(fns, min_time=float(sys.argv[3]) if len(sys.argv) > 3 else 1.0)
                     if fns else {}))
