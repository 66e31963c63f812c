"""``tf.data.TFRecordDataset``: the records of TFRecord files, file after file.

A record is a ``tf.string`` scalar: iterating gives string tensors, ``as_numpy_iterator`` Python
``bytes``, and ``map`` functions get string tensors (``tf.io.parse_single_example`` takes them).
"""

from __future__ import annotations

import os
from typing import Any, Iterator

import numpy as np

from ..engine import dtypes as _dt
from ..function import TensorSpec
from ..io.tfrecord import tf_record_iterator
from .dataset import Dataset

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
            for record in tf_record_iterator(f, self.compression_type):
                yield np.asarray(record, dtype=object)  # a tf.string scalar, NULs kept

    def _first_spec(self) -> Any:
        return TensorSpec((), _dt.string)

    def __repr__(self) -> str:
        return "<TFRecordDatasetV2 element_spec=TensorSpec(shape=(), dtype=tf.string, name=None)>"
