"""Keras-style building blocks (``tf.keras``): layers, models, optimizers, losses, metrics."""

from . import layers

__all__ = ["layers"]
