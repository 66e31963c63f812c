"""``keras.utils`` helpers that build ``tapegrad.data`` Datasets: ``timeseries_dataset_from_array``
and ``split_dataset``, as Keras 3 defines them."""

from __future__ import annotations

import random
from typing import Any

import numpy as np

from ..data import Dataset

__all__ = ["timeseries_dataset_from_array", "split_dataset"]


def _check_positive(value: int, what: str, limit: int) -> None:
    if value <= 0 or value >= limit:
        raise ValueError(f"timeseries_dataset_from_array: {what} must be > 0 and < len(data) "
                         f"= {limit}, got {value}.")


def timeseries_dataset_from_array(data: Any, targets: Any, sequence_length: int,
                                  sequence_stride: int = 1, sampling_rate: int = 1,
                                  batch_size: int | None = 128, shuffle: bool = False,
                                  seed: int | None = None, start_index: int | None = None,
                                  end_index: int | None = None) -> Dataset:
    """Sliding windows over ``data``: window ``i`` holds ``sequence_length`` rows taken every
    ``sampling_rate`` rows from ``start_index + i * sequence_stride``, with target
    ``targets[start_index + i * sequence_stride]`` (or no target when ``targets`` is None);
    batched by ``batch_size``.

    >>> import numpy as np, tapegrad as tf
    >>> ds = tf.keras.utils.timeseries_dataset_from_array(
    ...     np.arange(10), np.arange(10) * 10, sequence_length=3, batch_size=4)
    >>> x, y = next(iter(ds))
    >>> x.numpy().tolist(), y.numpy().tolist()
    ([[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]], [0, 10, 20, 30])
    """
    data = np.asarray(data)
    n = len(data)
    if start_index is not None and not 0 <= start_index < n:
        raise ValueError(f"timeseries_dataset_from_array: start_index must be in [0, "
                         f"{n}), got {start_index}.")
    if end_index is not None and not (start_index or 0) < end_index < n:
        raise ValueError(f"timeseries_dataset_from_array: end_index must be > start_index "
                         f"and < len(data) = {n}, got {end_index}.")
    _check_positive(sampling_rate, "sampling_rate", n)
    _check_positive(sequence_stride, "sequence_stride", n)
    start, end = start_index or 0, end_index if end_index is not None else n
    num_seqs = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)
        num_seqs = min(num_seqs, len(targets))
    positions = np.arange(0, max(num_seqs, 0), sequence_stride, dtype=np.int64)
    if shuffle:  # the same permutation of the windows as Keras for the same seed
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(positions)
    windows = data[start:end][positions[:, None] + np.arange(sequence_length) * sampling_rate]
    ds = Dataset.from_tensor_slices(windows if targets is None else
                                    (windows, targets[start:end][positions]))
    if shuffle:
        ds = ds.shuffle(batch_size * 8 if batch_size is not None else 1024, seed=seed)
    return ds if batch_size is None else ds.batch(batch_size)


def _as_list(dataset: Any) -> tuple[list, str]:
    if isinstance(dataset, Dataset):
        return list(dataset.as_numpy_iterator()), "dataset"
    if isinstance(dataset, np.ndarray):
        return list(dataset), "array"
    if isinstance(dataset, (list, tuple)) and dataset and all(
            hasattr(a, "__len__") for a in dataset):
        arrays = [np.asarray(a) for a in dataset]
        if len({len(a) for a in arrays}) != 1:
            raise ValueError(f"split_dataset: the arrays must have the same length, got "
                             f"{[len(a) for a in arrays]}.")
        return list(zip(*arrays)), "tuple"
    raise TypeError(f"split_dataset: dataset must be a tapegrad.data.Dataset, a NumPy array "
                    f"or a list/tuple of arrays, got {type(dataset).__name__}.")


def _sizes(left: Any, right: Any, total: int) -> tuple[int, int]:
    """Keras 3's rule: a float is a fraction of ``total`` (rounded), an int a count; the
    missing side takes the rest."""
    for size, side in ((left, "left_size"), (right, "right_size")):
        if size is None:
            continue
        if isinstance(size, float) and not 0 < size < 1 or \
                isinstance(size, int) and not 0 < size < total:
            raise ValueError(f"split_dataset: {side} must be a float in (0, 1) or an int in "
                             f"(0, {total}), got {size!r}.")
    left = round(left * total) if isinstance(left, float) else left
    right = round(right * total) if isinstance(right, float) else right
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total or not left or not right:
        raise ValueError(f"split_dataset: sizes {left} + {right} do not split {total} "
                         f"samples into two non-empty parts.")
    return int(left), int(right)


def split_dataset(dataset: Any, left_size: Any = None, right_size: Any = None,
                  shuffle: bool = False, seed: int | None = None) -> tuple[Dataset, Dataset]:
    """Two Datasets: the first ``left_size`` samples and the last ``right_size`` (a float is a
    fraction). ``shuffle`` permutes the samples first with Python's ``random`` seeded by
    ``seed``, so the split equals Keras 3's.

    >>> import numpy as np, tapegrad as tf
    >>> left, right = tf.keras.utils.split_dataset(np.arange(10), left_size=0.8)
    >>> [int(v) for v in right]
    [8, 9]
    """
    if left_size is None and right_size is None:
        raise ValueError("split_dataset: give left_size or right_size (or both).")
    samples, kind = _as_list(dataset)
    if shuffle:
        random.seed(random.randint(0, int(1e6)) if seed is None else seed)
        random.shuffle(samples)
    left, right = _sizes(left_size, right_size, len(samples))
    return _restore(samples[:left], kind), _restore(samples[-right:], kind)


def _restore(samples: list, kind: str) -> Dataset:
    if kind == "array":
        return Dataset.from_tensor_slices(np.stack(samples))
    if isinstance(samples[0], (tuple, list)):
        return Dataset.from_tensor_slices(tuple(np.stack(col) for col in zip(*samples)))
    if isinstance(samples[0], dict):
        return Dataset.from_tensor_slices({k: np.stack([s[k] for s in samples])
                                           for k in samples[0]})
    return Dataset.from_tensor_slices(np.stack(samples))
