"""Attention layers."""

from .attention import Attention
from .additive_attention import AdditiveAttention
from .multi_head_attention import MultiHeadAttention

__all__ = ["AdditiveAttention", "Attention", "MultiHeadAttention"]
