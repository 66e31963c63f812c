"""Regularization layers."""

from .dropout import Dropout

__all__ = ["Dropout"]
