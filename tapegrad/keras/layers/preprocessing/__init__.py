"""Preprocessing layers."""

from .category_encoding import CategoryEncoding
from .center_crop import CenterCrop
from .discretization import Discretization
from .hashing import Hashing
from .integer_lookup import IntegerLookup
from .normalization import Normalization
from .random_affine import RandomRotation, RandomTranslation, RandomZoom
from .random_contrast import RandomContrast
from .random_crop import RandomCrop
from .random_flip import RandomFlip
from .rescaling import Rescaling
from .resizing import Resizing
from .string_lookup import StringLookup
from .text_vectorization import TextVectorization

__all__ = ["CategoryEncoding", "CenterCrop", "Discretization", "Normalization",
           "RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation", "RandomTranslation",
           "RandomZoom", "Rescaling", "Resizing",
           "Hashing", "IntegerLookup", "StringLookup", "TextVectorization"]
