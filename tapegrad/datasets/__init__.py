"""Bundled data sets with ``keras.datasets``-style loaders (``digits``: see README.md here)."""

from . import digits

__all__ = ["digits"]
