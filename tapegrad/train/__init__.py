"""``tf.train``: checkpoints in TF's format, their manager, moving averages, and the Example
messages of TFRecord files (re-exports; the code lives in the modules beside this one and in
:mod:`tapegrad.io`)."""

from .checkpoint import (Checkpoint, CheckpointOptions, get_checkpoint_state,  # noqa: F401
                         latest_checkpoint, list_variables, load_checkpoint, load_variable)
from .manager import CheckpointManager  # noqa: F401
from .ema import ExponentialMovingAverage  # noqa: F401
from ..io.example import (BytesList, Example, Feature, Features, FloatList,  # noqa: F401
                          Int64List)
