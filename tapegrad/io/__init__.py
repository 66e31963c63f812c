"""``tf.io``: TFRecord files, Example parsing, files and media codecs (re-exports; the code
lives in the modules beside this one)."""

from .tfrecord import TFRecordOptions, TFRecordWriter, tf_record_iterator  # noqa: F401
from .example import (FixedLenFeature, FixedLenSequenceFeature, SparseTensorValue,  # noqa: F401
                      VarLenFeature, parse_example, parse_single_example)
from .tensor_proto import parse_tensor, serialize_tensor  # noqa: F401
