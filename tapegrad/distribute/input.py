"""Input for replicas: the part of a global batch that belongs to one replica, datasets that
yield those parts, and TF's ``InputContext``."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from ..engine import nest
from ..engine.tensor import Tensor, _Base

__all__ = ["DistributedDataset", "InputContext", "local_part"]


def _rows(n: int, rank: int, size: int) -> slice:
    """Rank ``rank``'s rows of ``n``: contiguous, the first ``n % size`` ranks one more (an
    uneven last batch is split as evenly as it can be, as TF does)."""
    base, extra = divmod(n, size)
    start = rank * base + min(rank, extra)
    return slice(start, start + base + (1 if rank < extra else 0))


def local_part(element: Any, rank: int, size: int) -> Any:
    """This replica's rows of every array in the nest ``element`` (a global batch)."""
    if size == 1:
        return element

    def part(a: Any) -> Any:
        if isinstance(a, _Base):
            return Tensor(a._value[_rows(a._value.shape[0], rank, size)])
        if isinstance(a, np.ndarray) and a.ndim:
            return a[_rows(a.shape[0], rank, size)]
        return a

    return nest.map_structure(part, element)


class InputContext:
    """What ``distribute_datasets_from_function``'s function learns about its input pipeline.

    >>> import tapegrad as tf
    >>> ctx = tf.distribute.InputContext(num_input_pipelines=2, input_pipeline_id=1,
    ...                                  num_replicas_in_sync=2)
    >>> ctx.get_per_replica_batch_size(64)
    32
    """

    def __init__(self, num_input_pipelines: int = 1, input_pipeline_id: int = 0,
                 num_replicas_in_sync: int = 1):
        self.num_input_pipelines = int(num_input_pipelines)
        self.input_pipeline_id = int(input_pipeline_id)
        self.num_replicas_in_sync = int(num_replicas_in_sync)

    def get_per_replica_batch_size(self, global_batch_size: int) -> int:
        """``global_batch_size`` divided among the replicas; it must divide evenly."""
        if global_batch_size % self.num_replicas_in_sync:
            raise ValueError(f"The `global_batch_size` {global_batch_size} is not divisible by "
                             f"`num_replicas_in_sync` {self.num_replicas_in_sync}")
        return global_batch_size // self.num_replicas_in_sync

    def __repr__(self) -> str:
        return (f"InputContext(num_input_pipelines={self.num_input_pipelines}, "
                f"input_pipeline_id={self.input_pipeline_id}, "
                f"num_replicas_in_sync={self.num_replicas_in_sync})")


class DistributedDataset:
    """A dataset as one replica iterates it: each element of the source is either a global
    batch (``part`` cuts this replica's rows out of it) or already this replica's batch."""

    def __init__(self, dataset: Any, part: Callable | None, check: Callable | None = None):
        self._dataset, self._part, self._check = dataset, part, check

    def __iter__(self) -> Iterator[Any]:
        first = True
        for element in self._dataset:
            if first and self._check is not None:
                self._check(element)
            first = False
            yield element if self._part is None else self._part(element)

    @property
    def element_spec(self) -> Any:
        return getattr(self._dataset, "element_spec", None)

    def reduce(self, initial_state: Any, reduce_func: Callable) -> Any:
        """Fold this replica's elements with ``reduce_func(state, element)``."""
        state = initial_state
        for element in self:
            state = reduce_func(state, element)
        return state

    def __repr__(self) -> str:
        return f"<tapegrad.distribute.DistributedDataset of {self._dataset!r}>"
