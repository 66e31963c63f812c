"""TF's distribution strategies on processes: one replica per process, the processes of an MPI
world (``mpiexec -n N python train.py``) kept in sync by all-reduce, as Horovod does.

A strategy's ``scope()`` makes the variables created inside it *mirrored*: every rank checks
that the others create a variable of the same shape and dtype, then takes rank 0's value, so
all replicas start identical. Inside ``run`` (and Keras's ``fit``) a Keras optimizer sums its
gradients across replicas in one fused buffer per dtype before updating: with losses scaled by
the global batch size (``tf.nn.compute_average_loss``) every replica makes the same update.
"""

from __future__ import annotations

import enum
import hashlib
import threading
import warnings
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import numpy as np

from ..engine import nest
from ..engine.convert import convert_to_tensor
from ..engine.indexed_slices import IndexedSlices
from ..engine.state import DISTRIBUTION
from ..engine.tensor import Tensor, _Base
from ..engine.variable import Variable
from .comm import Communicator, LocalCommunicator, mpi_installed, world
from .input import DistributedDataset, InputContext, local_part

__all__ = ["ReduceOp", "Strategy", "MirroredStrategy", "MultiWorkerMirroredStrategy",
           "OneDeviceStrategy", "ReplicaContext", "get_strategy", "has_strategy",
           "in_cross_replica_context", "get_replica_context", "experimental_set_strategy"]


class ReduceOp(enum.Enum):
    """How ``reduce`` and ``all_reduce`` combine the replicas' values."""

    SUM = "SUM"
    MEAN = "MEAN"


def _op(reduce_op: Any) -> ReduceOp:
    if isinstance(reduce_op, ReduceOp):
        return reduce_op
    try:
        return ReduceOp(str(reduce_op).upper())
    except ValueError:
        raise ValueError(f"reduce_op must be tf.distribute.ReduceOp.SUM or MEAN, got "
                         f"{reduce_op!r}.") from None


def _array(value: Any) -> np.ndarray:
    if isinstance(value, IndexedSlices):
        value = convert_to_tensor(value)
    return np.asarray(value._value if isinstance(value, _Base) else value)


class Strategy:
    """Data-parallel training: one replica in each process of ``comm``.

    >>> import tapegrad as tf
    >>> strategy = tf.distribute.MirroredStrategy()
    >>> with strategy.scope():
    ...     v = tf.Variable(1.0)
    >>> strategy.num_replicas_in_sync, float(strategy.reduce("SUM", tf.constant(2.0), axis=None))
    (1, 2.0)
    """

    def __init__(self, comm: Communicator | None = None):
        self._comm = comm if comm is not None else LocalCommunicator()
        self._replica = ReplicaContext(self)
        self._fusion: dict = {}  # dtype -> the gradient all-reduce's fusion buffer
        self._fuse_lock = threading.Lock()

    # -- the replicas -------------------------------------------------------------------------
    @property
    def num_replicas_in_sync(self) -> int:
        """How many replicas take part in each step (the processes of the world)."""
        return self._comm.size

    @property
    def _is_chief(self) -> bool:
        return self._comm.rank == 0

    @property
    def extended(self) -> Any:
        """TF's ``strategy.extended``: here the strategy itself (worker_devices, …)."""
        return self

    @property
    def worker_devices(self) -> tuple[str, ...]:
        return ("/job:localhost/replica:0/task:0/device:CPU:0",)

    @contextmanager
    def scope(self) -> Iterator["Strategy"]:
        """Variables created inside are mirrored (checked alike on every rank, then rank 0's
        value everywhere); Keras models built inside train on every replica."""
        DISTRIBUTION.stack.append(self)
        try:
            yield self
        finally:
            DISTRIBUTION.stack.pop()

    def _variable_created(self, var: Variable) -> None:
        if self._comm.size == 1:
            return
        sig = f"{tuple(var.shape)}|{var.dtype.name}|{var.trainable}".encode()
        bad = self._ranks_unlike_rank_0(hashlib.sha256(sig))
        if bad:
            raise ValueError(f"tf.distribute: ranks {bad} created a variable unlike rank 0's "
                             f"(this rank: {var.name} shape={tuple(var.shape)} "
                             f"dtype={var.dtype.name}). Every replica must build the same "
                             f"model in strategy.scope(): same layers, shapes and order.")
        self._comm.bcast(var._value, root=0)

    # -- steps ----------------------------------------------------------------------------------
    def run(self, fn: Callable, args: tuple = (), kwargs: dict | None = None,
            options: Any = None) -> Any:
        """Run ``fn(*args, **kwargs)`` as this process's replica, in the strategy's scope and in
        a replica context; returns this replica's result (reduce it with ``reduce``)."""
        with self.scope():
            self._replica._depth += 1
            try:
                return fn(*args, **(kwargs or {}))
            finally:
                self._replica._depth -= 1

    def reduce(self, reduce_op: Any, value: Any, axis: int | None = None) -> Tensor:
        """Combine every replica's ``value`` (a nest of tensors): over ``axis`` within each
        replica too when given (a MEAN over ``axis`` counts every replica's elements)."""
        op = _op(reduce_op)
        return nest.map_structure(lambda v: self._reduce_one(op, v, axis), value)

    def _reduce_one(self, op: ReduceOp, value: Any, axis: int | None) -> Tensor:
        a = _array(value)
        count = 1.0
        if axis is not None:
            count = float(a.shape[axis])
            a = a.sum(axis=axis)
        if op is ReduceOp.SUM:
            return Tensor(self._comm.allreduce_sum(a).astype(a.dtype, copy=False))
        both = self._comm.allreduce_sum(np.append(a.astype(np.float64).ravel(), count))
        total, n = both[:-1].reshape(a.shape), both[-1]
        div = n if axis is not None else self._comm.size
        return Tensor(np.asarray(total / div).astype(a.dtype if a.dtype.kind == "f"
                                                     else np.float64, copy=False))

    def gather(self, value: Any, axis: int = 0) -> Tensor:
        """Every replica's ``value`` concatenated along ``axis`` (one shape on every rank)."""
        a = _array(value)
        parts = self._comm.allgather(a)
        return Tensor(np.concatenate(list(parts), axis=axis))

    def experimental_local_results(self, value: Any) -> tuple:
        """This process's replica's values (one per local replica: one here)."""
        return (value,)

    # -- input ----------------------------------------------------------------------------------
    def experimental_distribute_dataset(self, dataset: Any, options: Any = None
                                        ) -> DistributedDataset:
        """Each element of ``dataset`` is a global batch; this replica iterates its part
        (global batch = per-replica batch × replicas, as TF defines it)."""
        comm = self._comm
        return DistributedDataset(dataset, lambda e: local_part(e, comm.rank, comm.size),
                                  check=self._same_on_every_rank)

    def _ranks_unlike_rank_0(self, h: Any) -> list[int]:
        """The ranks whose digest ``h`` differs from rank 0's (one small Allgather)."""
        digests = self._comm.allgather(np.frombuffer(h.digest(), np.uint8))
        return [r for r in range(len(digests)) if not (digests[r] == digests[0]).all()]

    def _same_on_every_rank(self, element: Any) -> None:
        """Every rank must read the same global batches (else rows are lost or repeated):
        compare a digest of the first one. An unseeded shuffle is the usual cause."""
        if self._comm.size == 1:
            return
        h = hashlib.sha256()
        for leaf in nest.flatten(element):
            a = _array(leaf)
            h.update(f"{a.shape}{a.dtype}".encode())
            h.update(np.ascontiguousarray(a).tobytes())
        if self._ranks_unlike_rank_0(h):
            raise ValueError("tf.distribute: the ranks read different first batches, so each "
                             "rank's part would not add up to one global batch. Give shuffle() "
                             "a seed (or call tf.random.set_seed) so every rank reads the same "
                             "order, or shard per rank with distribute_datasets_from_function.")

    def distribute_datasets_from_function(self, dataset_fn: Callable, options: Any = None
                                          ) -> DistributedDataset:
        """``dataset_fn(InputContext)`` builds this replica's dataset (shard and batch it by
        ``input_pipeline_id`` and ``get_per_replica_batch_size``)."""
        ctx = InputContext(self._comm.size, self._comm.rank, self._comm.size)
        return DistributedDataset(dataset_fn(ctx), None)

    def experimental_distribute_values_from_function(self, value_fn: Callable) -> Any:
        """``value_fn(ValueContext)`` gives this replica's value."""
        ctx = InputContext(self._comm.size, self._comm.rank, self._comm.size)
        ctx.replica_id_in_sync_group = self._comm.rank
        return value_fn(ctx)

    # -- what Keras and the optimizers call -----------------------------------------------------
    def _all_reduce_sum(self, values: list) -> list:
        """Sum each array in ``values`` over the replicas: one fused message per dtype.

        The message is packed into a buffer the strategy keeps (a fresh megabyte each step
        would cost page faults on every step), and the sums come back as read-only views of
        it: they are valid until the next call, which is all the optimizer's update needs."""
        if self._comm.size == 1:
            return [np.asarray(v) for v in values]
        arrays = [np.asarray(v) for v in values]
        out: list = [None] * len(arrays)
        with self._fuse_lock:
            for dtype in dict.fromkeys(a.dtype for a in arrays):
                idx = [i for i, a in enumerate(arrays) if a.dtype == dtype]
                flat = self._fusion_buffer(dtype, sum(arrays[i].size for i in idx))
                np.concatenate([arrays[i].ravel() for i in idx], out=flat)
                summed = self._comm.allreduce_sum_inplace(flat)
                start = 0
                for i in idx:
                    n = arrays[i].size
                    out[i] = summed[start:start + n].reshape(arrays[i].shape)
                    out[i].flags.writeable = False
                    start += n
        return out

    def _fusion_buffer(self, dtype: np.dtype, n: int) -> np.ndarray:
        """The first ``n`` elements of this strategy's fusion buffer for ``dtype`` (grown when
        too small, never shrunk: a model's gradients are the same size every step)."""
        buf = self._fusion.get(dtype)
        if buf is None or buf.size < n:
            buf = self._fusion[dtype] = np.empty(n, dtype)
        return buf[:n]

    def _gather_rows(self, array: np.ndarray) -> np.ndarray:
        """Every replica's rows of ``array`` in rank order (row counts may differ by rank, as
        ``_local_batch`` splits an uneven batch): the inverse of ``_local_batch``."""
        a = np.asarray(array)
        if self._comm.size == 1 or a.ndim == 0:
            return a
        counts = self._comm.allgather(np.array([a.shape[0]], np.int64))[:, 0]
        padded = np.zeros((int(counts.max()),) + a.shape[1:], a.dtype)
        padded[:a.shape[0]] = a
        parts = self._comm.allgather(padded)
        return np.concatenate([parts[r][:counts[r]] for r in range(len(parts))], axis=0)

    def _broadcast(self, array: np.ndarray) -> np.ndarray:
        return self._comm.bcast(np.array(array, order="C"), root=0)

    def _local_batch(self, batch: Any) -> Any:
        return local_part(batch, self._comm.rank, self._comm.size)

    def __repr__(self) -> str:
        return f"<tapegrad.distribute.{type(self).__name__} replicas={self.num_replicas_in_sync}>"


class MirroredStrategy(Strategy):
    """TF's MirroredStrategy: one replica per process. With one process (the usual case) it is
    one replica; launched under ``mpiexec -n N`` it spans the N local processes."""

    def __init__(self, devices: Any = None, cross_device_ops: Any = None):
        super().__init__(world())


class MultiWorkerMirroredStrategy(Strategy):
    """TF's MultiWorkerMirroredStrategy over the MPI world: one replica per rank, on one
    machine or several (``mpiexec -n N -f hostfile``). Without ``mpi4py`` it runs as one
    worker and says how to get more."""

    def __init__(self, cluster_resolver: Any = None, communication_options: Any = None):
        comm = world(required=True)
        if isinstance(comm, LocalCommunicator) and not mpi_installed():
            warnings.warn("MultiWorkerMirroredStrategy: mpi4py is not installed, so this runs "
                          "as a single worker. For several workers: pip install "
                          "\"tapegrad[mpi]\" and launch with mpiexec -n N python script.py.",
                          stacklevel=2)
        super().__init__(comm)

    @property
    def cluster_resolver(self) -> Any:
        return None


class OneDeviceStrategy(Strategy):
    """TF's OneDeviceStrategy: one replica in this process (``device`` must be a CPU)."""

    def __init__(self, device: str = "/cpu:0"):
        if "gpu" in str(device).lower() or "tpu" in str(device).lower():
            raise ValueError(f"OneDeviceStrategy: device {device!r} is not available; "
                             f"tapegrad runs on the CPU ('/cpu:0').")
        super().__init__(LocalCommunicator())


class _DefaultStrategy(Strategy):
    """The strategy in effect outside any ``scope()``: one replica, no mirroring."""

    def _variable_created(self, var: Variable) -> None:
        return None


class ReplicaContext:
    """What ``fn`` sees of its replica inside ``strategy.run``."""

    def __init__(self, strategy: Strategy):
        self.strategy = strategy
        self._depth = 0

    @property
    def num_replicas_in_sync(self) -> int:
        return self.strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self) -> int:
        return self.strategy._comm.rank

    def all_reduce(self, reduce_op: Any, value: Any, options: Any = None) -> Any:
        """Combine ``value`` (a nest of tensors) over the replicas; every replica gets it."""
        return self.strategy.reduce(reduce_op, value, axis=None)


_DEFAULT = _DefaultStrategy()
DISTRIBUTION.__class__.default = _DEFAULT


def get_strategy() -> Strategy:
    """The strategy whose scope is open on this thread, else the default strategy.

    >>> import tapegrad as tf
    >>> tf.distribute.get_strategy().num_replicas_in_sync
    1
    """
    return DISTRIBUTION.strategy or _DEFAULT


def has_strategy() -> bool:
    """Whether a (non-default) strategy's scope is open on this thread.

    >>> import tapegrad as tf
    >>> tf.distribute.has_strategy()
    False
    """
    return DISTRIBUTION.strategy is not None


def in_cross_replica_context() -> bool:
    """True inside a strategy's ``scope()`` but outside ``run`` (TF's cross-replica context).

    >>> import tapegrad as tf
    >>> tf.distribute.in_cross_replica_context()
    False
    """
    s = DISTRIBUTION.strategy
    return s is not None and s._replica._depth == 0


def get_replica_context() -> ReplicaContext | None:
    """The replica context inside ``run`` (or outside any scope: the default strategy's);
    None in a cross-replica context, as TF.

    >>> import tapegrad as tf
    >>> tf.distribute.get_replica_context().num_replicas_in_sync
    1
    """
    s = DISTRIBUTION.strategy
    if s is None:
        return _DEFAULT._replica
    return s._replica if s._replica._depth else None


def experimental_set_strategy(strategy: Strategy | None) -> None:
    """Make ``strategy`` the current one on this thread (None: back to the default).

    >>> import tapegrad as tf
    >>> tf.distribute.experimental_set_strategy(None)
    """
    DISTRIBUTION.stack.clear()
    if strategy is not None:
        DISTRIBUTION.stack.append(strategy)
