"""``tf.distribute``: data-parallel training across processes over MPI (see
``docs/distribute.md``). Launch with ``mpiexec -n N python train.py``; one process alone is one
replica and needs no extra."""

from .comm import launched_size, mpi_installed, world
from .input import DistributedDataset, InputContext
from .strategy import (MirroredStrategy, MultiWorkerMirroredStrategy, OneDeviceStrategy,
                       ReduceOp, ReplicaContext, Strategy, experimental_set_strategy,
                       get_replica_context, get_strategy, has_strategy, in_cross_replica_context)

__all__ = ["MirroredStrategy", "MultiWorkerMirroredStrategy", "OneDeviceStrategy", "ReduceOp",
           "ReplicaContext", "Strategy", "InputContext", "DistributedDataset", "get_strategy",
           "has_strategy", "in_cross_replica_context", "get_replica_context",
           "experimental_set_strategy", "world", "launched_size", "mpi_installed"]
