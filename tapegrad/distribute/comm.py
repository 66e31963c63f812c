"""The engine under ``tapegrad.distribute``: the processes of an MPI world (through ``mpi4py``,
the ``mpi`` extra) or a single process.

A communicator moves NumPy buffers only (``Allreduce``, ``Bcast``, ``Allgather`` on typed
buffers): nothing is pickled, so nothing is unpickled. ``world()`` picks the engine once per
process: MPI when the process was launched by ``mpiexec`` with more than one rank, else the
single-process communicator, which costs nothing and needs no extra.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
import traceback
from typing import Any

import numpy as np

__all__ = ["Communicator", "LocalCommunicator", "MPICommunicator", "world", "launched_size",
           "mpi_installed"]

# what the common MPI launchers put in each rank's environment: the world size
_SIZE_VARS = ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "MV2_COMM_WORLD_SIZE", "PMIX_SIZE")
_LOCK = threading.Lock()
_WORLD: list = []


def launched_size() -> int:
    """The world size an MPI launcher announced in the environment (1 when none did)."""
    for var in _SIZE_VARS:
        value = os.environ.get(var, "")
        if value.isdigit():
            return int(value)
    return 1


class Communicator:
    """What a strategy needs of its processes. Subclasses implement the collectives."""

    rank = 0
    size = 1

    def allreduce_sum(self, buf: np.ndarray) -> np.ndarray:
        """The elementwise sum of ``buf`` over all ranks (a new array on every rank)."""
        raise NotImplementedError

    def allreduce_sum_inplace(self, buf: np.ndarray) -> np.ndarray:
        """Sum the contiguous ``buf`` over all ranks, in place (no copy); returns ``buf``."""
        raise NotImplementedError

    def bcast(self, buf: np.ndarray, root: int = 0) -> np.ndarray:
        """``buf`` of rank ``root`` on every rank (written into ``buf`` in place)."""
        raise NotImplementedError

    def allgather(self, buf: np.ndarray) -> np.ndarray:
        """Every rank's ``buf`` (one shape on all ranks), stacked on a new first axis."""
        raise NotImplementedError

    def barrier(self) -> None:
        """Wait until every rank gets here."""

    def abort(self, code: int = 1) -> None:
        """Stop every rank now (a failed rank must not leave the others waiting forever)."""
        os._exit(code)


class LocalCommunicator(Communicator):
    """One process: every collective is the identity."""

    def allreduce_sum(self, buf: np.ndarray) -> np.ndarray:
        return np.array(buf)

    def allreduce_sum_inplace(self, buf: np.ndarray) -> np.ndarray:
        return buf

    def bcast(self, buf: np.ndarray, root: int = 0) -> np.ndarray:
        return buf

    def allgather(self, buf: np.ndarray) -> np.ndarray:
        return np.asarray(buf)[None]


class MPICommunicator(Communicator):
    """The ranks of an MPI communicator (``MPI.COMM_WORLD`` by default)."""

    def __init__(self, comm: Any, mpi: Any):
        self._comm, self._mpi = comm, mpi
        self.rank, self.size = comm.Get_rank(), comm.Get_size()

    def allreduce_sum(self, buf: np.ndarray) -> np.ndarray:
        # a copy (np.ascontiguousarray would turn a 0-d array into a 1-d one)
        return self.allreduce_sum_inplace(np.array(buf, order="C"))

    def allreduce_sum_inplace(self, buf: np.ndarray) -> np.ndarray:
        self._comm.Allreduce(self._mpi.IN_PLACE, buf, op=self._mpi.SUM)
        return buf

    def bcast(self, buf: np.ndarray, root: int = 0) -> np.ndarray:
        self._comm.Bcast(buf, root=root)
        return buf

    def allgather(self, buf: np.ndarray) -> np.ndarray:
        buf = np.array(buf, order="C")
        out = np.empty((self.size,) + buf.shape, buf.dtype)
        self._comm.Allgather(buf, out)
        return out

    def barrier(self) -> None:
        self._comm.Barrier()

    def abort(self, code: int = 1) -> None:
        sys.stderr.flush()
        self._comm.Abort(code)


def mpi_installed() -> bool:
    """Whether ``mpi4py`` can be imported (without importing it: that starts MPI)."""
    if "mpi4py" in sys.modules:
        return sys.modules["mpi4py"] is not None
    try:
        return importlib.util.find_spec("mpi4py") is not None
    except (ImportError, ValueError):
        return False


def _import_mpi() -> Any:
    try:
        from mpi4py import MPI  # optional extra `mpi`: imported only when a world is wanted
    except ImportError:
        return None
    return MPI


def world(required: bool = False) -> Communicator:
    """The process's communicator: MPI's world when launched under ``mpiexec`` with more than
    one rank (or when ``required`` and ``mpi4py`` is installed), else a single process.

    Launched with several ranks but without ``mpi4py``, this raises ``ImportError`` naming the
    extra: running N independent copies of a training script would be a silent wrong answer.
    """
    with _LOCK:
        if _WORLD:
            return _WORLD[0]
        size = launched_size()
        mpi = _import_mpi() if (size > 1 or required) else None
        if mpi is None and size > 1:
            raise ImportError(f"tapegrad.distribute: this process is one of {size} MPI ranks, "
                              f"but mpi4py is not installed, so the ranks cannot talk. Install "
                              f"the extra: pip install \"tapegrad[mpi]\".")
        comm = MPICommunicator(mpi.COMM_WORLD, mpi) if mpi is not None else LocalCommunicator()
        if comm.size > 1:
            _abort_on_uncaught(comm)
        _WORLD.append(comm)
        return comm


def _abort_on_uncaught(comm: Communicator) -> None:
    """An exception that ends one rank's program aborts every rank (with that rank's
    traceback), instead of leaving the others blocked in their next collective."""
    previous = sys.excepthook

    def hook(kind: type, value: BaseException, tb: Any) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(f"tapegrad.distribute: rank {comm.rank} of {comm.size} failed; "
                         f"aborting every rank.\n{text}")
        sys.stderr.flush()
        if previous not in (sys.__excepthook__, hook):
            previous(kind, value, tb)
        comm.abort(1)

    sys.excepthook = hook
