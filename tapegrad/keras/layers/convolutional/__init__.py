"""Convolutional layers."""

from .conv1d import Conv1D
from .conv2d import Conv2D

__all__ = ["Conv1D", "Conv2D"]
