"""``tf.data.Iterator``: what ``iter(dataset)`` gives, with its position for
``tf.train.Checkpoint``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.errors import OutOfRangeError
from .dataset import Dataset
from .elements import _END, _next_with_options, _spec_of, _to_user
from .optional import Optional
from .sources import _Seeded


class DatasetIterator:
    """``tf.data.Iterator``, what ``iter(dataset)`` gives: ``next(it)``, ``it.get_next()``
    (``OutOfRangeError`` at the end, as TF's), ``element_spec``. Dropping it stops the
    pipeline's threads.

    >>> import tapegrad as tf
    >>> it = iter(tf.data.Dataset.range(2))
    >>> int(it.get_next()), int(next(it))
    (0, 1)
    """

    def __init__(self, dataset: Dataset):
        self._seeds = _random_state(dataset)  # before the first pass draws its stream
        self._dataset, self._it = dataset, dataset._iter()
        self._options, self._position = dataset.options(), 0

    def __iter__(self) -> DatasetIterator:
        return self

    def _next(self) -> Any:
        element = _next_with_options(self._it, self._options)
        if element is not _END:
            self._position += 1
        return element

    def __next__(self) -> Any:
        element = self._next()
        if element is _END:
            raise StopIteration
        return _to_user(element)

    # -- tf.train.Checkpoint: the position, restored by replaying the pipeline ----------------
    def _checkpoint_tensors(self) -> dict:
        """TF's ``ITERATOR_STATE`` attribute: ``[position, then per random stage: the pass
        number and the seed's entropy in four 32-bit words]`` (int64)."""
        return {"ITERATOR_STATE": np.asarray([self._position] + self._seeds, np.int64)}

    def _restore_checkpoint_tensor(self, name: str, value: Any) -> None:
        state = np.asarray(value).ravel().tolist()
        if name != "ITERATOR_STATE" or len(state) != 1 + len(self._seeds):
            raise ValueError(f"Checkpoint: the saved iterator state ({len(state)} numbers) does "
                             f"not fit this iterator's pipeline ({1 + len(self._seeds)}); "
                             f"restore into an iterator of the same pipeline.")
        self.close()
        _set_random_state(self._dataset, state[1:])
        self._seeds, self._it, self._position = state[1:], self._dataset._iter(), 0
        for _ in range(int(state[0])):  # replay: exact for a deterministic or seeded pipeline
            if self._next() is _END:
                break

    def get_next(self) -> Any:
        try:
            return next(self)
        except StopIteration:
            raise OutOfRangeError("End of sequence") from None

    def get_next_as_optional(self) -> Optional:
        """The next element in a ``tf.experimental.Optional``, empty at the end."""
        element = self._next()
        if element is _END:
            return Optional.empty(self.element_spec)
        return Optional(_to_user(element), _spec_of(element), True)

    def close(self) -> None:
        """Stop the pipeline now (its threads are joined), as closing a generator does."""
        close = getattr(self._it, "close", None)
        if close is not None:
            close()

    @property
    def element_spec(self) -> Any:
        return self._dataset.element_spec


def _random_stages(dataset: Dataset) -> list:
    return [d for d in dataset._lineage() if isinstance(d, _Seeded)]


def _random_state(dataset: Dataset) -> list[int]:
    """Each random stage's pass number and seed entropy (4 words of 32 bits), in lineage order."""
    out = []
    for d in _random_stages(dataset):
        if not 0 <= d.base < 1 << 128:
            raise ValueError(f"tf.data: a seed of {d.base.bit_length()} bits cannot be kept in "
                             f"an iterator's checkpoint state (at most 128 bits).")
        out += [d.epoch] + [(d.base >> (32 * k)) & 0xFFFFFFFF for k in range(4)]
    return out


def _set_random_state(dataset: Dataset, state: list[int]) -> None:
    for i, d in enumerate(_random_stages(dataset)):
        epoch, *words = state[5 * i:5 * i + 5]
        d.epoch, d.base = int(epoch), sum(int(w) << (32 * k) for k, w in enumerate(words))
