"""Core layers."""

from .dense import Dense
from .embedding import Embedding
from .input_layer import InputLayer, Input

__all__ = ["Dense", "Embedding", "InputLayer", "Input"]
