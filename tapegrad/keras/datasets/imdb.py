"""``keras.datasets.imdb``: 50,000 movie reviews as word-index sequences, from the cached
``imdb.npz`` (its ragged members are read with the restricted unpickler)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._cache import ORIGIN, local_file
from ._restricted import load_npz
from .sequences import cut, encode, ragged, remove_long_seq, word_index

__all__ = ["load_data", "get_word_index"]


def load_data(path: str = "imdb.npz", num_words: int | None = None, skip_top: int = 0,
              maxlen: int | None = None, seed: int = 113, start_char: int | None = 1,
              oov_char: int | None = 2, index_from: int = 3, **kwargs: Any) -> tuple:
    """``(x_train, y_train), (x_test, y_test)``: each review a list of word indices (shifted
    by ``index_from``, after ``start_char``), shuffled with ``seed`` as Keras shuffles them.

    >>> from tapegrad.keras.datasets import imdb
    >>> callable(imdb.load_data)
    True
    """
    f = load_npz(local_file("imdb", path, ORIGIN + "imdb.npz"))
    rng = np.random.RandomState(seed)
    parts = []
    for x, y in ((f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])):
        order = np.arange(len(x))
        rng.shuffle(order)
        x, y = encode(x[order], start_char, index_from), y[order]
        if maxlen:
            x, y = remove_long_seq(maxlen, x, y)
        parts.append((x, y))
    (x_train, y_train), (x_test, y_test) = parts
    if maxlen and (not x_train or not x_test):
        raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no "
                         f"sequence was kept. Increase maxlen.")
    xs = cut(x_train + x_test, num_words, skip_top, oov_char)
    n = len(x_train)
    return (ragged(xs[:n]), y_train), (ragged(xs[n:]), y_test)


def get_word_index(path: str = "imdb_word_index.json") -> dict:
    """The word -> index dict (before the ``index_from`` shift), from the cache.

    >>> from tapegrad.keras.datasets import imdb
    >>> callable(imdb.get_word_index)
    True
    """
    return word_index("imdb", path)
