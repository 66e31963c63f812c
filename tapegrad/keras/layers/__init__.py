"""Keras layers (``tf.keras.layers``)."""

from ..base_layer import Layer
from .core import Activation, Dense, Dropout, Embedding, Flatten, Input, InputLayer, Reshape
from .normalization import BatchNormalization, LayerNormalization
from .conv import AveragePooling2D, Conv1D, Conv2D, GlobalAveragePooling2D, MaxPooling2D

__all__ = ["Layer", "Input", "InputLayer", "Dense", "Activation", "Dropout", "Flatten",
           "Reshape", "Embedding",
           "LayerNormalization", "BatchNormalization", "Conv1D", "Conv2D", "MaxPooling2D",
           "AveragePooling2D", "GlobalAveragePooling2D"]
