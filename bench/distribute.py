"""tf.distribute on this machine: training steps per second at N ranks, and the fused gradient
all-reduce against mpi4py's raw ``Allreduce`` of the same buffer.

    python -m bench.distribute                   # one rank
    mpiexec -n 2 python -m bench.distribute      # two ranks (needs the mpi extra)

Workloads: the mlp (784-256-256-10, batch 128 per replica, SGD at the benchmarks' learning
rate) as TF's custom-loop tutorial writes it (``strategy.run``, ``compute_average_loss``,
``strategy.reduce``), and the digits model trained with ``fit`` (global batch 64 per replica).
Rank 0 prints one JSON line; every figure is a median of timed windows after a warm-up.
"""

from __future__ import annotations

import json
import time

import numpy as np

import tapegrad as tf
from tapegrad.datasets import digits

from .workloads import LR, mlp_data, tg_mlp_loss

WINDOWS, WARMUP = 7, 3


def _median_rate(step, per_window: int) -> float:
    """Steps per second: the median over WINDOWS windows of ``per_window`` steps each."""
    for _ in range(WARMUP):
        step()
    rates = []
    for _ in range(WINDOWS):
        t0 = time.perf_counter()
        for _ in range(per_window):
            step()
        rates.append(per_window / (time.perf_counter() - t0))
    return float(np.median(rates))


def mlp_steps(strategy) -> tuple[float, list]:
    x_np, labels_np, params = mlp_data(seed=strategy._comm.rank)  # each replica its own batch
    x, labels = tf.constant(x_np), tf.constant(labels_np)
    with strategy.scope():
        ws = [tf.Variable(p) for p in params]
        opt = tf.keras.optimizers.SGD(LR)
    global_batch = len(x_np) * strategy.num_replicas_in_sync

    def replica_step():
        with tf.GradientTape() as tape:
            logits_loss = tg_mlp_loss(tf, x, labels, ws) * len(x_np)  # summed over the batch
            loss = logits_loss / global_batch
        grads = tape.gradient(loss, ws)
        opt.apply_gradients(zip(grads, ws))
        return loss

    def step():
        return strategy.reduce("SUM", strategy.run(replica_step), axis=None)

    rate = _median_rate(step, 10)
    grads = [np.ones(p.shape, np.float32) for p in params]
    return rate, grads


def fit_steps(strategy) -> float:
    (x, y), _ = digits.load_data(test_split=0.0)
    x = (x / 16.0).astype(np.float32).reshape(-1, 64)
    batch = 64 * strategy.num_replicas_in_sync
    with strategy.scope():
        model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu",
                                                           input_shape=(64,)),
                                     tf.keras.layers.Dense(10)])
        model.compile(tf.keras.optimizers.Adam(1e-3),
                      tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
    steps_per_epoch = -(-len(x) // batch)
    np.random.seed(0)
    return _median_rate(lambda: model.fit(x, y, batch_size=batch, epochs=1, verbose=0),
                        1) * steps_per_epoch


def allreduce_bandwidth(strategy, grads: list) -> dict:
    """Fused all-reduce (the optimizer's path: pack, sum, views) against mpi4py's raw
    ``Allreduce`` of the same bytes, both out of place and in place (MPICH's two paths differ
    in speed; the better is the one to match); also one message per gradient, and the fused
    buffer's sum alone through tapegrad's communicator (the path without the packing copy)."""
    comm = strategy._comm
    flat = np.concatenate([g.ravel() for g in grads])
    out, inplace_buf = np.empty_like(flat), flat.copy()
    raw = getattr(comm, "_comm", None)
    if raw is None:  # one rank: nothing travels
        return {"buffer_MB": round(flat.nbytes / 1e6, 2)}
    from mpi4py import MPI  # the mpi extra: the raw calls we compare against

    def fused():
        strategy._all_reduce_sum(grads)

    def plain():
        raw.Allreduce(flat, out, op=MPI.SUM)

    def plain_inplace():
        raw.Allreduce(MPI.IN_PLACE, inplace_buf, op=MPI.SUM)

    def unfused():  # one message per gradient: what fusion saves
        for g in grads:
            comm.allreduce_sum(g)

    def wrapped():  # the fused buffer's all-reduce through tapegrad's communicator, no packing
        comm.allreduce_sum_inplace(inplace_buf)

    calls = {"fused": fused, "unfused": unfused, "communicator_inplace": wrapped,
             "raw": plain, "raw_inplace": plain_inplace}
    rates: dict = {k: [] for k in calls}
    for _ in range(5):  # alternate, so all see the same machine
        for k, f in calls.items():
            rates[k].append(_median_rate(f, 20))
    mb = flat.nbytes / 1e6
    result = {"buffer_MB": round(mb, 2)}
    result.update({f"{k}_MB_per_s": round(mb * float(np.median(r)), 1) for k, r in rates.items()})
    best_raw = max(result["raw_MB_per_s"], result["raw_inplace_MB_per_s"])
    result["fused_over_best_raw"] = round(result["fused_MB_per_s"] / best_raw, 3)
    return result


def main() -> None:
    strategy = (tf.distribute.MultiWorkerMirroredStrategy() if tf.distribute.launched_size() > 1
                else tf.distribute.MirroredStrategy())
    mlp_rate, grads = mlp_steps(strategy)
    result = {"ranks": strategy.num_replicas_in_sync,
              "mlp_steps_per_s": round(mlp_rate, 1),
              "digits_fit_steps_per_s": round(fit_steps(strategy), 1)}
    result.update(allreduce_bandwidth(strategy, grads))
    if strategy._comm.rank == 0:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
