"""Reshaping layers."""

from .flatten import Flatten
from .permute import Permute
from .repeat_vector import RepeatVector
from .reshape import Reshape
from .up_sampling2d import UpSampling2D
from .zero_padding2d import ZeroPadding2D

__all__ = ["Flatten", "Permute", "RepeatVector", "Reshape", "UpSampling2D", "ZeroPadding2D"]
