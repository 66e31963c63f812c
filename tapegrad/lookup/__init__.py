"""``tapegrad.lookup``: TF's ``tf.lookup`` names (re-exports; the tables live in
``lookup/tables.py``)."""

from . import experimental
from .tables import (KeyValueTensorInitializer, StaticHashTable, StaticVocabularyTable,
                     TextFileIndex, TextFileInitializer)

__all__ = ["experimental", "KeyValueTensorInitializer", "StaticHashTable",
           "StaticVocabularyTable", "TextFileIndex", "TextFileInitializer"]
