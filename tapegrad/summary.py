"""``tf.summary`` (face): writers and summaries for TensorBoard."""

from types import SimpleNamespace

from .summaries.ops import (SummaryWriter, create_file_writer, flush, get_step, histogram,
                            image, record_if, scalar, set_step, text)

experimental = SimpleNamespace(set_step=set_step, get_step=get_step)

__all__ = ["SummaryWriter", "create_file_writer", "flush", "histogram", "image", "record_if",
           "scalar", "text", "experimental"]
