"""Optimizers (``tf.keras.optimizers``) and their learning-rate schedules."""

from . import schedules
from .base import Optimizer
from .algorithms import SGD, Adagrad, Adam, AdamW, RMSprop
from .adadelta import Adadelta
from .adamax import Adamax
from .lion import Lion
from .nadam import Nadam

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Lion",
           "Nadam", "schedules", "get"]

_BY_NAME = {"sgd": SGD, "adam": Adam, "adamw": AdamW, "rmsprop": RMSprop, "adagrad": Adagrad,
            "adadelta": Adadelta, "adamax": Adamax, "lion": Lion, "nadam": Nadam}


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
