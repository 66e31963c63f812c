"""``tf.data``: the ``Dataset`` input pipeline (face: re-exports only).

>>> import tapegrad as tf
>>> int(tf.data.Dataset.range(3).cardinality())
3
"""

from types import SimpleNamespace

from .dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, Options
from .tfrecord import TFRecordDataset  # noqa: F401  (TFRecord files)

experimental = SimpleNamespace(AUTOTUNE=AUTOTUNE, INFINITE_CARDINALITY=INFINITE_CARDINALITY,
                               UNKNOWN_CARDINALITY=UNKNOWN_CARDINALITY)

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "Dataset", "Options",
           "experimental"]
