"""Normalization layers."""

from .batch_normalization import BatchNormalization
from .layer_normalization import LayerNormalization
from .unit_normalization import UnitNormalization

__all__ = ["BatchNormalization", "LayerNormalization", "UnitNormalization"]
