"""What Keras training does differently under a ``tapegrad.distribute`` strategy with several
replicas (the strategy in scope when the model was made, as TF's ``model.distribute_strategy``).

The keras layer sits below the distribute layer, so it reaches the strategy through
``engine.state.DISTRIBUTION`` and calls only the strategy's private protocol:
``num_replicas_in_sync``, ``scope()``, ``_all_reduce_sum(arrays)``, ``_broadcast(array)``,
``_local_batch(batch)``, ``_gather_rows(array)``, ``_is_chief``.
"""

from __future__ import annotations

import functools
from contextlib import nullcontext
from typing import Any, Callable

import numpy as np

from ..engine.state import DISTRIBUTION

__all__ = ["current", "replicated", "scope_of", "local_batch", "scale_loss", "sync_shuffle",
           "aggregate_results", "sum_gradients", "is_chief", "in_model_scope",
           "gather_outputs"]


def current() -> Any:
    """The strategy in scope on this thread, or None."""
    return DISTRIBUTION.strategy


def replicated(model: Any) -> Any:
    """The model's strategy when it has more than one replica, else None."""
    s = getattr(model, "_distribute_strategy", None)
    return s if s is not None and s.num_replicas_in_sync > 1 else None


def scope_of(model: Any) -> Any:
    """The model's strategy's scope (training creates optimizer and metric variables)."""
    s = getattr(model, "_distribute_strategy", None)
    return s.scope() if s is not None else nullcontext()


def in_model_scope(method: Callable) -> Callable:
    """Run a training method (``fit``, ``evaluate``) in the model's strategy's scope."""

    @functools.wraps(method)
    def scoped(self: Any, *args: Any, **kwargs: Any) -> Any:
        with scope_of(self):
            return method(self, *args, **kwargs)

    return scoped


def local_batch(model: Any, batch: Any, first: bool = False) -> Any:
    """This replica's rows of a global batch. On an epoch's ``first`` batch the ranks also
    check that they read the same global batch (an unseeded shuffle would differ)."""
    s = replicated(model)
    if s is None:
        return batch
    if first:
        s._same_on_every_rank(batch)
    return s._local_batch(batch)


def scale_loss(model: Any, loss: Any) -> Any:
    """The loss each replica differentiates: divided by the replicas, so that the summed
    gradients are those of the global batch's mean loss (as TF's Keras)."""
    s = replicated(model)
    return loss if s is None else loss * np.float32(1.0 / s.num_replicas_in_sync)


def sync_shuffle(model: Any) -> None:
    """Give every rank rank 0's NumPy global generator state, so ``fit``'s shuffled order is
    the same global batch on every replica."""
    s = replicated(model)
    if s is None:
        return
    kind, keys, pos, has_gauss, cached = np.random.get_state()
    keys = s._broadcast(np.array(keys, np.uint32))
    extra = s._broadcast(np.array([pos, has_gauss], np.int64))
    cached = float(s._broadcast(np.array([cached], np.float64))[0])
    np.random.set_state((kind, keys, int(extra[0]), int(extra[1]), cached))


def aggregate_results(model: Any, metrics: list) -> dict | None:
    """Every metric's result over all replicas (their state variables summed), or None when
    the model has one replica. The local states are left as they were."""
    s = replicated(model)
    if s is None:
        return None
    variables = [v for m in metrics for v in m.variables]
    local = [np.array(v._value) for v in variables]
    summed = s._all_reduce_sum(local)
    try:
        for v, total in zip(variables, summed):
            v._value[...] = total
        return {m.name: m.result() for m in metrics}
    finally:
        for v, mine in zip(variables, local):
            v._value[...] = mine


def sum_gradients(arrays: list) -> list | None:
    """The gradients summed over the replicas of the strategy in scope, or None when there
    is no such strategy (or it has one replica)."""
    s = DISTRIBUTION.strategy
    if s is None or s.num_replicas_in_sync == 1:
        return None
    return s._all_reduce_sum(arrays)


def is_chief(model: Any) -> bool:
    """Whether this process prints progress and writes files for the model (rank 0)."""
    s = replicated(model)
    return s is None or s._is_chief


def gather_outputs(model: Any, outputs: Any) -> Any:
    """``predict``'s outputs for a whole global batch: every replica's rows (each predicted
    its own part of the batch), in rank order; ``outputs`` as they are with one replica."""
    s = replicated(model)
    if s is None:
        return outputs
    if isinstance(outputs, (list, tuple)):
        return type(outputs)(gather_outputs(model, o) for o in outputs)
    if isinstance(outputs, dict):
        return {k: gather_outputs(model, o) for k, o in outputs.items()}
    return s._gather_rows(outputs)
