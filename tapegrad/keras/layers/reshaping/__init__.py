"""Reshaping layers."""

from .flatten import Flatten
from .reshape import Reshape

__all__ = ["Flatten", "Reshape"]
