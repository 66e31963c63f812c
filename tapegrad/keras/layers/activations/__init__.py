"""Activations layers."""

from .activation import Activation

__all__ = ["Activation"]
