"""Keras-style building blocks (``tf.keras``): layers, models, optimizers, losses, metrics."""

from . import activations, initializers, layers, losses, metrics, optimizers, utils
from . import backend, saving
from . import callbacks, constraints, mixed_precision, regularizers
from . import ops  # keras.ops
from . import datasets  # keras.datasets
from .models import Model, Sequential, History
from .layers import Input
from . import models

__all__ = ["activations", "initializers", "layers", "losses", "metrics", "optimizers", "utils",
           "backend", "saving", "callbacks", "constraints", "mixed_precision", "regularizers",
           "models", "Model", "Sequential", "History", "Input", "ops", "datasets"]
