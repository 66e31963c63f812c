"""``tf.data.TFRecordDataset``: the records of TFRecord files, file after file.

Until tapegrad has string tensors, a record is Python ``bytes``: iterating the dataset or
``as_numpy_iterator`` gives bytes (as TF's ``as_numpy_iterator`` does), and ``map`` calls its
function with the bytes — ``tf.io.parse_single_example`` takes them as they are.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterator

from ..io.tfrecord import tf_record_iterator
from .dataset import Dataset, _normalize

__all__ = ["TFRecordDataset"]


class TFRecordDataset(Dataset):
    """Records of one or more TFRecord files (``tf.data.TFRecordDataset``).

    >>> import os, tempfile, tapegrad as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "d.tfrecord")
    >>> with tf.io.TFRecordWriter(path) as w:
    ...     for i in range(3):
    ...         w.write(tf.train.Example(features=tf.train.Features(feature={
    ...             "x": tf.train.Feature(float_list=tf.train.FloatList(value=[i, 2 * i]))})
    ...         ).SerializeToString())
    >>> spec = {"x": tf.io.FixedLenFeature([2], tf.float32)}
    >>> ds = tf.data.TFRecordDataset(path).map(lambda r: tf.io.parse_single_example(r, spec))
    >>> [d["x"].tolist() for d in ds.as_numpy_iterator()]
    [[0.0, 0.0], [1.0, 2.0], [2.0, 4.0]]
    """

    _tf_name = "TFRecord"

    def __init__(self, filenames: Any, compression_type: str | None = None,
                 buffer_size: int | None = None, num_parallel_reads: int | None = None,
                 name: str | None = None):
        if isinstance(filenames, (str, bytes, os.PathLike)):
            filenames = [filenames]
        self.files = [os.fsdecode(f) if isinstance(f, bytes) else os.fspath(f)
                      for f in filenames]
        self.compression_type = compression_type

    def _iter(self) -> Iterator[Any]:
        for f in self.files:
            yield from tf_record_iterator(f, self.compression_type)

    def __iter__(self) -> Iterator[Any]:
        return self._iter()

    def as_numpy_iterator(self) -> Iterator[Any]:
        return self._iter()

    def map(self, map_func: Callable, num_parallel_calls: Any = None,
            deterministic: Any = None, name: str | None = None) -> Dataset:
        """``map_func`` on each record's bytes; its results become an ordinary dataset."""
        return _RecordMap(self, map_func)

    def __repr__(self) -> str:
        return "<TFRecordDatasetV2 element_spec=TensorSpec(shape=(), dtype=tf.string)>"


class _RecordMap(Dataset):
    _tf_name = "Map"

    def __init__(self, source: TFRecordDataset, fn: Callable):
        self.source, self.fn = source, fn

    def _iter(self) -> Iterator[Any]:
        for record in self.source._iter():
            yield _normalize(self.fn(record))

    def _cardinality(self) -> int:
        return self.source._cardinality()
