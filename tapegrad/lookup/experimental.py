"""``tapegrad.lookup.experimental``: TF's ``tf.lookup.experimental`` names (re-exports)."""

from .tables import DenseHashTable, MutableHashTable

__all__ = ["DenseHashTable", "MutableHashTable"]
