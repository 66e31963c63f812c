"""Preprocessing layers."""

from .category_encoding import CategoryEncoding
from .center_crop import CenterCrop
from .discretization import Discretization
from .normalization import Normalization
from .random_affine import RandomRotation, RandomTranslation, RandomZoom
from .random_contrast import RandomContrast
from .random_crop import RandomCrop
from .random_flip import RandomFlip
from .rescaling import Rescaling
from .resizing import Resizing

__all__ = ["CategoryEncoding", "CenterCrop", "Discretization", "Normalization",
           "RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation", "RandomTranslation",
           "RandomZoom", "Rescaling", "Resizing"]
