"""Pooling layers."""

from .average_pooling2d import AveragePooling2D
from .global_average_pooling2d import GlobalAveragePooling2D
from .max_pooling2d import MaxPooling2D

__all__ = ["AveragePooling2D", "GlobalAveragePooling2D", "MaxPooling2D"]
