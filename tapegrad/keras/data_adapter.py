"""What ``fit``, ``evaluate`` and ``predict`` accept as data, turned into batches: NumPy arrays
or tensors (one, or nested in lists/dicts) sliced into batches, or an iterable — a
``tapegrad.data.Dataset``, a Python generator, anything yielding ``x``, ``(x, y)`` or
``(x, y, sample_weight)`` — consumed as it yields (Keras 3's ``trainers/data_adapters``).
"""

from __future__ import annotations

import warnings
from typing import Any, Iterator

import numpy as np

from ..data.dataset import INFINITE_CARDINALITY, Dataset
from ..engine.tensor import _Base

__all__ = ["unpack_x_y_sample_weight", "pack_x_y_sample_weight", "EpochIterator",
           "train_validation_split"]


def unpack_x_y_sample_weight(data: Any) -> tuple[Any, Any, Any]:
    """Split one batch into ``(x, y, sample_weight)``, the missing parts ``None``.

    >>> from tapegrad.keras.data_adapter import unpack_x_y_sample_weight
    >>> unpack_x_y_sample_weight((1, 2))
    (1, 2, None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if 1 <= len(data) <= 3:
        return tuple(data) + (None,) * (3 - len(data))  # type: ignore[return-value]
    raise ValueError(f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
                     f"`(x, y, sample_weight)`, found a tuple of {len(data)} items.")


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> Any:
    """The batch Keras passes to ``train_step``: ``x``, ``(x, y)`` or ``(x, y, sw)``.

    >>> from tapegrad.keras.data_adapter import pack_x_y_sample_weight
    >>> pack_x_y_sample_weight(1, 2)
    (1, 2)
    """
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    return (x, y) if sample_weight is None else (x, y, sample_weight)


def _is_arrays(x: Any) -> bool:
    if isinstance(x, (list, tuple)):
        return len(x) > 0 and all(_is_arrays(v) for v in x)
    if isinstance(x, dict):
        return all(_is_arrays(v) for v in x.values())
    return isinstance(x, (np.ndarray, _Base, int, float)) or hasattr(x, "__array__")


def _values(x: Any) -> Any:
    if isinstance(x, (list, tuple)):
        return type(x)(_values(v) for v in x)
    if isinstance(x, dict):
        return {k: _values(v) for k, v in x.items()}
    return x._value if isinstance(x, _Base) else np.asarray(x)


def _length(x: Any) -> int:
    if isinstance(x, (list, tuple)):
        return _length(x[0])
    if isinstance(x, dict):
        return _length(next(iter(x.values())))
    return int(x.shape[0])


def _check_examples(part: Any, name: str, who: str) -> None:
    """Refuse a part of array data that has no axis of examples: a string, a number, a
    0-d array (each leaf of a list/dict alike)."""
    if isinstance(part, (list, tuple)) and not isinstance(part, (str, bytes)):
        for v in part:
            _check_examples(v, name, who)
    elif isinstance(part, dict):
        for v in part.values():
            _check_examples(v, name, who)
    elif part is not None and (isinstance(part, (str, bytes)) or np.ndim(part) == 0):
        raise ValueError(f"{who}: {name} must be an array or a tensor with one row per example "
                         f"(or a list/dict of them), got {type(part).__name__} {part!r:.40}.")


def _take(x: Any, idx: Any) -> Any:
    if x is None:
        return None
    if isinstance(x, (list, tuple)):
        return type(x)(_take(v, idx) for v in x)
    if isinstance(x, dict):
        return {k: _take(v, idx) for k, v in x.items()}
    return x[idx]


def train_validation_split(arrays: tuple, validation_split: float) -> tuple[tuple, tuple]:
    """The last ``validation_split`` of the examples (before any shuffling) as validation
    data, as Keras takes it.

    >>> import numpy as np
    >>> from tapegrad.keras.data_adapter import train_validation_split
    >>> (x, _), (vx, _) = train_validation_split((np.arange(10), None), 0.2)
    >>> x.tolist(), vx.tolist()
    ([0, 1, 2, 3, 4, 5, 6, 7], [8, 9])
    """
    if not 0.0 < validation_split < 1.0:
        raise ValueError(f"validation_split must be a float in (0, 1), got "
                         f"{validation_split!r}.")
    n = _length(arrays[0])
    cut = int(n * (1.0 - validation_split))
    if cut == 0 or cut == n:
        raise ValueError(f"validation_split={validation_split} leaves no examples on one side "
                         f"of the split of {n} examples.")
    return (tuple(_take(a, slice(0, cut)) for a in arrays),
            tuple(_take(a, slice(cut, n)) for a in arrays))


def class_weight_to_sample_weight(y: Any, class_weight: dict) -> np.ndarray:
    """Per-example weights from ``class_weight[label]`` (one-hot ``y`` is read by argmax)."""
    y = np.asarray(_values(y))
    one_hot = y.ndim > 1 and y.shape[-1] > 1
    labels = y.argmax(-1) if one_hot else np.round(y.reshape(len(y), -1)[:, 0])
    try:
        return np.asarray([class_weight[int(c)] for c in labels], np.float32)
    except KeyError as e:
        raise ValueError(f"class_weight has no entry for class {e.args[0]}; it names "
                         f"{sorted(class_weight)}.") from None


def _num_batches(x: Any, steps_per_epoch: int | None, who: str) -> int | None:
    """How many batches one pass over ``x`` gives, when known (a Dataset's cardinality)."""
    if isinstance(x, Dataset):
        n = x._cardinality()
        if n == INFINITE_CARDINALITY and steps_per_epoch is None:
            raise ValueError(f"{who}: the dataset is infinite (it was repeat()ed); pass "
                             f"steps_per_epoch (steps for evaluate/predict) to say how many "
                             f"batches an epoch has.")
        return n if n >= 0 else None
    try:
        return len(x)
    except TypeError:
        return None


def _ran_out() -> None:
    warnings.warn("Your input ran out of data; interrupting training. Make sure that your "
                  "dataset or generator can generate at least `steps_per_epoch * epochs` "
                  "batches. You may need to use the `.repeat()` function when building your "
                  "dataset.", UserWarning, stacklevel=3)


class EpochIterator:
    """The batches of one ``fit``/``evaluate``/``predict`` call, epoch after epoch.

    >>> import numpy as np
    >>> from tapegrad.keras.data_adapter import EpochIterator
    >>> it = EpochIterator(np.arange(5), np.arange(5), batch_size=2, shuffle=False)
    >>> it.steps, [b[0].tolist() for _, b in it.epoch()]
    (3, [[0, 1], [2, 3], [4]])
    """

    def __init__(self, x: Any, y: Any = None, sample_weight: Any = None,
                 batch_size: int | None = None, steps_per_epoch: int | None = None,
                 shuffle: bool = False, class_weight: dict | None = None, who: str = "Model"):
        self.who = who
        self.steps_per_epoch = None if steps_per_epoch is None else int(steps_per_epoch)
        self.shuffle, self.class_weight = shuffle, class_weight
        self.arrays = _is_arrays(x)
        self._iterator: Iterator | None = None
        if batch_size is not None and (isinstance(batch_size, bool) or
                                       not isinstance(batch_size, (int, np.integer)) or
                                       batch_size <= 0):
            raise ValueError(f"{who}: batch_size must be a positive integer, got "
                             f"{batch_size!r}.")
        if self.arrays:
            self._init_arrays(x, y, sample_weight, int(batch_size or 32))
        else:
            if isinstance(x, (str, bytes)):  # iterable, but not data (Keras 3: ValueError)
                raise ValueError(f"{who}: unrecognized data type: x={x!r:.40} (of type "
                                 f"{type(x).__name__}); pass arrays, tensors, a Dataset or a "
                                 f"generator.")
            if not hasattr(x, "__iter__") and not hasattr(x, "__next__"):
                raise TypeError(f"{who}: unrecognized data type: x={x!r} (of type "
                                f"{type(x).__name__}); pass arrays, tensors, a Dataset or a "
                                f"generator.")
            if y is not None or sample_weight is not None:
                raise ValueError(f"{who}: when x is a dataset or a generator, y and "
                                 "sample_weight must not be given: they come from the data "
                                 "it yields.")
            self.x = x
            self.num_batches = _num_batches(x, self.steps_per_epoch, who)
            self.steps = (self.steps_per_epoch if self.steps_per_epoch is not None
                          else self.num_batches)
            self._seen = 0

    def _init_arrays(self, x: Any, y: Any, sample_weight: Any, batch_size: int) -> None:
        for name, part in (("x", x), ("y", y), ("sample_weight", sample_weight)):
            _check_examples(part, name, self.who)
        self.x, self.y = _values(x), None if y is None else _values(y)
        self.n = _length(self.x)
        if self.n == 0:
            raise ValueError(f"{self.who}: expected input data to be non-empty (x has 0 "
                             f"examples).")
        if self.y is not None and _length(self.y) != self.n:
            raise ValueError(f"{self.who}: x has {self.n} examples but y has "
                             f"{_length(self.y)}.")
        self.sw = None if sample_weight is None else np.asarray(_values(sample_weight))
        if self.sw is not None and len(self.sw) != self.n:
            raise ValueError(f"{self.who}: x has {self.n} examples but sample_weight has "
                             f"{len(self.sw)}.")
        self.batch_size = batch_size
        full = -(-self.n // batch_size)
        self.steps = full if self.steps_per_epoch is None else self.steps_per_epoch

    def epoch(self) -> Iterator[tuple[int, Any]]:
        """``(step, batch)`` pairs of one epoch; a batch is ``x``, ``(x, y)`` or
        ``(x, y, sample_weight)``."""
        batches = self._array_batches() if self.arrays else self._iter_batches()
        for step, data in enumerate(batches):
            yield step, self._weighted(data)

    def _array_batches(self) -> Iterator[Any]:
        order = np.random.permutation(self.n) if self.shuffle else np.arange(self.n)
        for step in range(self.steps):
            start = (step * self.batch_size) % self.n
            idx = order[start:start + self.batch_size]
            yield pack_x_y_sample_weight(_take(self.x, idx), _take(self.y, idx),
                                         _take(self.sw, idx))

    def _iter_batches(self) -> Iterator[Any]:
        """Keras 3's order: with ``steps_per_epoch`` one iterator runs on across epochs and
        starts again once a dataset of known size is used up (an epoch cut short warns)."""
        if self.steps_per_epoch is None:
            yield from iter(self.x)
            return
        if self._iterator is None:
            self._iterator, self._seen = iter(self.x), 0
        for _ in range(self.steps_per_epoch):
            if self.num_batches is not None and self._seen >= self.num_batches:
                _ran_out()
                break
            try:
                batch = next(self._iterator)
            except StopIteration:
                _ran_out()
                # a re-iterable starts again next epoch; a spent generator stays spent
                self._iterator = None if iter(self.x) is not self.x else self._iterator
                return
            self._seen += 1
            yield batch
        if self.num_batches is not None and self._seen >= self.num_batches:
            self._iterator = None

    def _weighted(self, data: Any) -> Any:
        if self.class_weight is None:
            return data
        x, y, sw = unpack_x_y_sample_weight(data)
        if y is None:
            raise ValueError("class_weight needs targets y.")
        cw = class_weight_to_sample_weight(y, self.class_weight)
        return (x, y, cw if sw is None else np.asarray(_values(sw)) * cw)
