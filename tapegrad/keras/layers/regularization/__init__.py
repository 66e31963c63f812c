"""Regularization layers."""

from .dropout import Dropout
from .gaussian_noise import GaussianNoise
from .spatial_dropout import SpatialDropout1D, SpatialDropout2D

__all__ = ["Dropout", "GaussianNoise", "SpatialDropout1D", "SpatialDropout2D"]
