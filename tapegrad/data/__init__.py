"""``tf.data``: the ``Dataset`` input pipeline (re-exports, and the table of the stages behind
``Dataset``'s methods, filled in one explicit line per entry).

>>> import tapegrad as tf
>>> int(tf.data.Dataset.range(3).cardinality())
3
"""

from . import batching, caching, experimental, sources, transforms
from .dataset import AUTOTUNE, INFINITE_CARDINALITY, STAGES, UNKNOWN_CARDINALITY, Dataset
from .fixed_length import FixedLengthRecordDataset
from .iterator import DatasetIterator
from .options import Options, ThreadingOptions
from .readers import TextLineDataset
from .tfrecord import TFRecordDataset

# The stages behind Dataset's methods (they subclass Dataset, so dataset.py cannot import them).
STAGES.Iterator = DatasetIterator
STAGES.Wrap, STAGES.RecordFile, STAGES.Elements = sources._Wrap, sources._RecordFile, \
    sources._Elements
STAGES.Slices, STAGES.Tensors, STAGES.Range = sources._Slices, sources._Tensors, sources._Range
STAGES.Zip, STAGES.Generator, STAGES.Concat = sources._Zip, sources._Generator, sources._Concat
STAGES.Counter, STAGES.RandomInts = sources._Counter, sources._RandomInts
STAGES.Sample, STAGES.Choose = sources._Sample, sources._Choose
STAGES.Map, STAGES.Filter, STAGES.FlatMap = transforms._Map, transforms._Filter, \
    transforms._FlatMap
STAGES.Shuffle, STAGES.Repeat = transforms._Shuffle, transforms._Repeat
STAGES.Take, STAGES.Skip, STAGES.Shard = transforms._Take, transforms._Skip, transforms._Shard
STAGES.Interleave, STAGES.Window = transforms._Interleave, transforms._Window
STAGES.Scan, STAGES.IgnoreErrors = transforms._Scan, transforms._IgnoreErrors
STAGES.GroupByWindow, STAGES.TakeWhile = transforms._GroupByWindow, transforms._TakeWhile
STAGES.Unique, STAGES.Resample = transforms._Unique, transforms._Resample
STAGES.Batch, STAGES.RaggedBatch = batching._Batch, batching._RaggedBatch
STAGES.SparseBatch, STAGES.Unbatch = batching._SparseBatch, batching._Unbatch
STAGES.Prefetch, STAGES.Cache = caching._Prefetch, caching._Cache
STAGES.FileCache, STAGES.Snapshot = caching._FileCache, caching._Snapshot

Iterator = DatasetIterator

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "Dataset",
           "FixedLengthRecordDataset", "Iterator", "Options", "TextLineDataset",
           "TFRecordDataset", "ThreadingOptions", "experimental"]
