"""Optimizers (``tf.keras.optimizers``) and their learning-rate schedules."""

from . import schedules
from .base import Optimizer
from .sgd import SGD
from .adam import Adam
from .adamw import AdamW
from .rmsprop import RMSprop
from .adagrad import Adagrad
from .adadelta import Adadelta
from .adamax import Adamax
from .lion import Lion
from .nadam import Nadam
from .ftrl import Ftrl
from .lamb import Lamb
from .adafactor import Adafactor
from .loss_scale_optimizer import LossScaleOptimizer

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Lion",
           "Nadam", "Ftrl", "Lamb", "Adafactor", "LossScaleOptimizer", "schedules", "get"]

_BY_NAME = {"sgd": SGD, "adam": Adam, "adamw": AdamW, "rmsprop": RMSprop, "adagrad": Adagrad,
            "adadelta": Adadelta, "adamax": Adamax, "lion": Lion, "nadam": Nadam,
            "ftrl": Ftrl, "lamb": Lamb, "adafactor": Adafactor}


def get(identifier):
    """An optimizer from a name (``"adam"``) or an instance.

    >>> import tapegrad as tf
    >>> type(tf.keras.optimizers.get("adam")).__name__
    'Adam'
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    raise ValueError(f"Could not interpret optimizer {identifier!r}; known names: "
                     f"{sorted(_BY_NAME)}.")
