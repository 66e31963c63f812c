"""``keras.datasets.reuters``: 11,228 newswires in 46 topics as word-index sequences, from the
cached ``reuters.npz`` (its ragged members are read with the restricted unpickler)."""

from __future__ import annotations

import numpy as np

from ._cache import ORIGIN, local_file
from ._restricted import load_npz
from .sequences import cut, encode, ragged, remove_long_seq, word_index

__all__ = ["load_data", "get_word_index", "get_label_names"]

LABELS = ("cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing",
          "money-supply", "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass",
          "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum",
          "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi",
          "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
          "dlr", "gas", "silver", "wpi", "hog", "lead")


def load_data(path: str = "reuters.npz", num_words: int | None = None, skip_top: int = 0,
              maxlen: int | None = None, test_split: float = 0.2, seed: int = 113,
              start_char: int | None = 1, oov_char: int | None = 2,
              index_from: int = 3) -> tuple:
    """``(x_train, y_train), (x_test, y_test)``: shuffled with ``seed``, then the last
    ``test_split`` of the wires is the test set, as Keras splits it.

    >>> from tapegrad.keras.datasets import reuters
    >>> reuters.get_label_names()[:3]
    ('cocoa', 'grain', 'veg-oil')
    """
    f = load_npz(local_file("reuters", path, ORIGIN + "reuters.npz"))
    xs, labels = f["x"], f["y"]
    order = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(order)
    xs, labels = encode(xs[order], start_char, index_from), labels[order]
    if maxlen:
        xs, labels = remove_long_seq(maxlen, xs, labels)
    xs = cut(xs, num_words, skip_top, oov_char)
    n = int(len(xs) * (1 - test_split))
    return ((ragged(xs[:n]), np.array(labels[:n])), (ragged(xs[n:]), np.array(labels[n:])))


def get_word_index(path: str = "reuters_word_index.json") -> dict:
    """The word -> index dict (before the ``index_from`` shift), from the cache."""
    return word_index("reuters", path)


def get_label_names() -> tuple:
    """The 46 topic names, by label."""
    return LABELS
