"""Callbacks (``tf.keras.callbacks``): hooks that ``fit``, ``evaluate`` and ``predict`` call."""

from .backup import BackupAndRestore
from .callback import Callback, CallbackList, History, ProgbarLogger
from .monitor import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from .simple import CSVLogger, LambdaCallback, LearningRateScheduler, TerminateOnNaN
from .tensorboard import TensorBoard

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger", "EarlyStopping",
           "ModelCheckpoint", "ReduceLROnPlateau", "CSVLogger", "LambdaCallback",
           "LearningRateScheduler", "TerminateOnNaN", "TensorBoard",
           "BackupAndRestore"]
