"""``tf.data``: the ``Dataset`` input pipeline (face: re-exports only).

>>> import tapegrad as tf
>>> int(tf.data.Dataset.range(3).cardinality())
3
"""

from . import experimental
from .dataset import (AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset,
                      DatasetIterator)
from .fixed_length import FixedLengthRecordDataset
from .options import Options, ThreadingOptions
from .readers import TextLineDataset

from .tfrecord import TFRecordDataset  # noqa: F401  (TFRecord files)

Iterator = DatasetIterator

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "Dataset",
           "FixedLengthRecordDataset", "Iterator",
           "Options", "TextLineDataset", "ThreadingOptions", "experimental"]
