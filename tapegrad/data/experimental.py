"""``tf.data.experimental``: the transformation functions (each returns a function for
``Dataset.apply``) and the sources TF keeps there, over the ``Dataset`` methods that do the work.

>>> import tapegrad as tf
>>> ds = tf.data.Dataset.range(5).apply(tf.data.experimental.take_while(lambda x: x < 3))
>>> [int(v) for v in ds]
[0, 1, 2]
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..engine.convert import constant
from ..engine.errors import FailedPreconditionError
from .dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset
from .elements import _normalize
from .sources import _Elements
from .options import (AutoShardPolicy, AutotuneOptions, DistributeOptions, OptimizationOptions,
                      ThreadingOptions)
from .readers import CsvDataset, make_csv_dataset

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "AutoShardPolicy",
           "AutotuneOptions", "DistributeOptions", "OptimizationOptions", "ThreadingOptions",
           "CsvDataset", "make_csv_dataset", "Counter", "assert_cardinality", "cardinality",
           "bucket_by_sequence_length", "choose_from_datasets", "dense_to_ragged_batch",
           "dense_to_sparse_batch", "enumerate_dataset", "from_list",
           "get_next_as_optional", "get_single_element", "group_by_window", "ignore_errors",
           "load", "map_and_batch", "parallel_interleave", "rejection_resample",
           "sample_from_datasets", "save", "scan", "shuffle_and_repeat", "snapshot", "take_while",
           "unbatch", "unique"]

Transformation = Callable[[Dataset], Dataset]

Counter = Dataset.counter
choose_from_datasets = Dataset.choose_from_datasets
sample_from_datasets = Dataset.sample_from_datasets
load = Dataset.load


def save(dataset: Dataset, path: str, compression: str | None = None,
         shard_func: Callable | None = None, checkpoint_args: Any = None) -> None:
    """``tf.data.experimental.save``: ``dataset.save(path, ...)``.

    >>> import tempfile, tapegrad as tf
    >>> d = tempfile.mkdtemp()
    >>> tf.data.experimental.save(tf.data.Dataset.range(2), d)
    >>> [int(v) for v in tf.data.experimental.load(d)]
    [0, 1]
    """
    dataset.save(path, compression, shard_func, checkpoint_args)


def cardinality(dataset: Dataset) -> Any:
    """``dataset.cardinality()``: an int64 tensor, -1 infinite, -2 unknown.

    >>> import tapegrad as tf
    >>> int(tf.data.experimental.cardinality(tf.data.Dataset.range(3).repeat()))
    -1
    """
    return dataset.cardinality()


def get_single_element(dataset: Dataset) -> Any:
    """``dataset.get_single_element()``.

    >>> import tapegrad as tf
    >>> int(tf.data.experimental.get_single_element(tf.data.Dataset.range(1)))
    0
    """
    return dataset.get_single_element()


def dense_to_ragged_batch(batch_size: int, drop_remainder: bool = False,
                          row_splits_dtype: Any = None) -> Transformation:
    """``dataset.ragged_batch(batch_size, drop_remainder, row_splits_dtype)``.

    >>> import tapegrad as tf
    >>> ds = tf.data.Dataset.range(3).map(lambda x: tf.range(x))
    >>> next(iter(ds.apply(tf.data.experimental.dense_to_ragged_batch(3)))).to_list()
    [[], [0], [0, 1]]
    """
    return lambda dataset: dataset.ragged_batch(batch_size, drop_remainder,
                                                row_splits_dtype or "int64")


def dense_to_sparse_batch(batch_size: int, row_shape: Any) -> Transformation:
    """``dataset.sparse_batch(batch_size, row_shape)``.

    >>> import tapegrad as tf
    >>> ds = tf.data.Dataset.range(3).map(lambda x: tf.range(x))
    >>> sp = next(iter(ds.apply(tf.data.experimental.dense_to_sparse_batch(3, [2]))))
    >>> sp.dense_shape.numpy().tolist()
    [3, 2]
    """
    return lambda dataset: dataset.sparse_batch(batch_size, row_shape)


def get_next_as_optional(iterator: Any) -> Any:
    """``iterator.get_next_as_optional()``: the next element as a ``tf.experimental.Optional``.

    >>> import tapegrad as tf
    >>> it = iter(tf.data.Dataset.range(1))
    >>> _ = next(it)
    >>> bool(tf.data.experimental.get_next_as_optional(it).has_value())
    False
    """
    return iterator.get_next_as_optional()


def from_list(elements: list, name: str | None = None) -> Dataset:
    """A dataset of the given elements, each a (nested) structure of values.

    >>> import tapegrad as tf
    >>> [(int(a), int(b)) for a, b in tf.data.experimental.from_list([(1, 2), (3, 4)])]
    [(1, 2), (3, 4)]
    """
    if not elements:
        raise ValueError("from_list: the list of elements must not be empty.")
    return _Elements([_normalize(e) for e in elements])


class _AssertCardinality(Dataset):
    _same_spec = True

    def __init__(self, source: Dataset, expected: int):
        self.source, self.expected = source, expected

    def _iter(self) -> Any:
        n = 0
        for element in self.source._iter():
            n += 1
            if self.expected >= 0 and n > self.expected:
                raise FailedPreconditionError(f"Input dataset was expected to contain "
                                              f"{self.expected} elements but contained at least "
                                              f"{n} elements.")
            yield element
        if self.expected != n:
            raise FailedPreconditionError(f"Input dataset was expected to contain "
                                          f"{self.expected} elements but contained only {n} "
                                          f"elements.")

    def _cardinality(self) -> int:
        return self.expected


def assert_cardinality(expected_cardinality: Any) -> Transformation:
    """Declare a dataset's size (then known to ``len``, ``cardinality`` and ``fit``'s progress
    bar), checked while it is read: ``FailedPreconditionError`` when it differs.

    >>> import tapegrad as tf
    >>> ds = tf.data.Dataset.from_generator(lambda: iter([1, 2]), output_types=tf.int32)
    >>> len(ds.apply(tf.data.experimental.assert_cardinality(2)))
    2
    """
    n = int(np.asarray(constant(expected_cardinality).numpy()))
    return lambda dataset: _AssertCardinality(dataset, n)


def enumerate_dataset(start: int = 0) -> Transformation:
    """``dataset.enumerate(start)``.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> [tuple(map(int, p)) for p in tf.data.Dataset.range(2).apply(ex.enumerate_dataset(5))]
    [(5, 0), (6, 1)]
    """
    return lambda dataset: dataset.enumerate(start)


def ignore_errors(log_warning: bool = False) -> Transformation:
    """``dataset.ignore_errors()``: elements whose computation fails are dropped.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> ds = tf.data.Dataset.from_tensor_slices([1.0, -1.0, 4.0]).map(
    ...     lambda x: tf.debugging.check_numerics(tf.sqrt(x), 'sqrt'))
    >>> [float(v) for v in ds.apply(ex.ignore_errors())]
    [1.0, 2.0]
    """
    return lambda dataset: dataset.ignore_errors(log_warning)


def take_while(predicate: Callable) -> Transformation:
    """``dataset.take_while(predicate)``.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> [int(v) for v in tf.data.Dataset.range(5).apply(ex.take_while(lambda x: x < 2))]
    [0, 1]
    """
    return lambda dataset: dataset.take_while(predicate)


def unbatch() -> Transformation:
    """``dataset.unbatch()``.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> [int(v) for v in tf.data.Dataset.range(3).batch(2).apply(ex.unbatch())]
    [0, 1, 2]
    """
    return lambda dataset: dataset.unbatch()


def unique() -> Transformation:
    """``dataset.unique()``.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> [int(v) for v in tf.data.Dataset.from_tensor_slices([1, 1, 2]).apply(ex.unique())]
    [1, 2]
    """
    return lambda dataset: dataset.unique()


def scan(initial_state: Any, scan_func: Callable) -> Transformation:
    """``dataset.scan(initial_state, scan_func)``: running state.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> zero = tf.constant(0, tf.int64)
    >>> [int(v) for v in tf.data.Dataset.range(4).apply(ex.scan(zero, lambda s, x: (s + x, s + x)))]
    [0, 1, 3, 6]
    """
    return lambda dataset: dataset.scan(initial_state, scan_func)


def group_by_window(key_func: Callable, reduce_func: Callable, window_size: int | None = None,
                    window_size_func: Callable | None = None) -> Transformation:
    """``dataset.group_by_window(...)``: windows of elements of one key.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> ds = tf.data.Dataset.range(6).apply(ex.group_by_window(
    ...     lambda x: x % 2, lambda k, w: w.batch(3), 3))
    >>> [b.tolist() for b in ds.as_numpy_iterator()]
    [[0, 2, 4], [1, 3, 5]]
    """
    return lambda dataset: dataset.group_by_window(key_func, reduce_func, window_size,
                                                   window_size_func)


def bucket_by_sequence_length(element_length_func: Callable, bucket_boundaries: list,
                              bucket_batch_sizes: list, padded_shapes: Any = None,
                              padding_values: Any = None, pad_to_bucket_boundary: bool = False,
                              no_padding: bool = False,
                              drop_remainder: bool = False) -> Transformation:
    """``dataset.bucket_by_sequence_length(...)``: batches by length bucket.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> ds = tf.data.Dataset.from_tensor_slices([1, 5, 2, 6]).apply(
    ...     ex.bucket_by_sequence_length(lambda x: x, [4], [2, 2]))
    >>> [b.tolist() for b in ds.as_numpy_iterator()]
    [[1, 2], [5, 6]]
    """
    return lambda dataset: dataset.bucket_by_sequence_length(
        element_length_func, bucket_boundaries, bucket_batch_sizes, padded_shapes,
        padding_values, pad_to_bucket_boundary, drop_remainder)


def rejection_resample(class_func: Callable, target_dist: Any, initial_dist: Any = None,
                       seed: int | None = None) -> Transformation:
    """``dataset.rejection_resample(...)``: ``(class, element)`` pairs.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> ds = tf.data.Dataset.from_tensor_slices([0, 1, 1]).apply(
    ...     ex.rejection_resample(lambda y: y, [1.0, 0.0], seed=0))
    >>> [int(c) for c, _ in ds]
    [0]
    """
    return lambda dataset: dataset.rejection_resample(class_func, target_dist, initial_dist, seed)


def snapshot(path: str, compression: str = "AUTO", reader_func: Callable | None = None,
             shard_func: Callable | None = None) -> Transformation:
    """``dataset.snapshot(path)``: a cache in the folder ``path``.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> import tempfile
    >>> [int(v) for v in tf.data.Dataset.range(2).apply(ex.snapshot(tempfile.mkdtemp()))]
    [0, 1]
    """
    return lambda dataset: dataset.snapshot(path, compression, reader_func, shard_func)


def shuffle_and_repeat(buffer_size: int, count: int | None = None,
                       seed: int | None = None) -> Transformation:
    """``dataset.shuffle(buffer_size, seed).repeat(count)``.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> sorted(int(v) for v in tf.data.Dataset.range(2).apply(ex.shuffle_and_repeat(2, 2, seed=0)))
    [0, 0, 1, 1]
    """
    return lambda dataset: dataset.shuffle(buffer_size, seed).repeat(count)


def map_and_batch(map_func: Callable, batch_size: int, num_parallel_batches: int | None = None,
                  drop_remainder: bool = False,
                  num_parallel_calls: int | None = None) -> Transformation:
    """``dataset.map(map_func).batch(batch_size)``.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> ds = tf.data.Dataset.range(3).apply(ex.map_and_batch(lambda x: x * 2, 2))
    >>> [b.tolist() for b in ds.as_numpy_iterator()]
    [[0, 2], [4]]
    """
    return lambda dataset: dataset.map(map_func, num_parallel_calls).batch(batch_size,
                                                                          drop_remainder)


def parallel_interleave(map_func: Callable, cycle_length: int, block_length: int = 1,
                        sloppy: bool = False, buffer_output_elements: int | None = None,
                        prefetch_input_elements: int | None = None) -> Transformation:
    """``dataset.interleave(map_func, cycle_length, block_length)`` on threads.

    >>> import tapegrad as tf
    >>> ex = tf.data.experimental
    >>> ds = tf.data.Dataset.range(2).apply(ex.parallel_interleave(
    ...     lambda x: tf.data.Dataset.from_tensors(x).repeat(2), 2))
    >>> [int(v) for v in ds]
    [0, 1, 0, 1]
    """
    return lambda dataset: dataset.interleave(map_func, cycle_length, block_length,
                                              num_parallel_calls=cycle_length)
