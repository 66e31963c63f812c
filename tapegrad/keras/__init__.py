"""Keras-style building blocks (``tf.keras``): layers, models, optimizers, losses, metrics."""

from . import activations, initializers, layers, optimizers

__all__ = ["activations", "initializers", "layers", "optimizers"]
