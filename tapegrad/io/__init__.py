"""``tf.io``: TFRecord files, Example parsing, files and media codecs (re-exports; the code
lives in the modules beside this one)."""

from .tfrecord import TFRecordOptions, TFRecordWriter, tf_record_iterator  # noqa: F401
from .example import (FixedLenFeature, FixedLenSequenceFeature, SparseTensorValue,  # noqa: F401
                      VarLenFeature, parse_example, parse_single_example)
from .tensor_proto import parse_tensor, serialize_tensor  # noqa: F401
from .files import read_file, write_file  # noqa: F401
from . import files as gfile  # noqa: F401  (tf.io.gfile)
from .media import (decode_bmp, decode_gif, decode_image, decode_jpeg, decode_png,  # noqa: F401
                    encode_jpeg, encode_png, is_jpeg)
from .csv import decode_csv  # noqa: F401
from .raw import decode_base64, decode_compressed, decode_raw, encode_base64  # noqa: F401
from .files import glob as matching_files  # noqa: F401
