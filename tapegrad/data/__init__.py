"""``tf.data``: the ``Dataset`` input pipeline (face: re-exports only).

>>> import tapegrad as tf
>>> int(tf.data.Dataset.range(3).cardinality())
3
"""

from . import experimental
from .dataset import (AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset,
                      DatasetIterator)
from .options import Options, ThreadingOptions
from .readers import TextLineDataset

Iterator = DatasetIterator

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "Dataset", "Iterator",
           "Options", "TextLineDataset", "ThreadingOptions", "experimental"]
