"""What ``imdb`` and ``reuters`` share: Keras's treatment of word-index sequences (shift by
``index_from``, a start mark, long sequences dropped, rare words to ``oov_char``)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from ._cache import ORIGIN, local_file


def remove_long_seq(maxlen: int, seq: list, label: np.ndarray) -> tuple:
    """The sequences shorter than ``maxlen`` and their labels."""
    keep = [i for i, x in enumerate(seq) if len(x) < maxlen]
    return [seq[i] for i in keep], np.asarray(label)[keep]


def encode(xs: Any, start_char: int | None, index_from: int) -> list:
    """Keras's word-index shift, start mark and vocabulary cut on every sequence."""
    if start_char is not None:
        xs = [[start_char] + [w + index_from for w in x] for x in xs]
    elif index_from:
        xs = [[w + index_from for w in x] for x in xs]
    else:
        xs = [list(x) for x in xs]
    return xs


def cut(xs: list, num_words: int | None, skip_top: int, oov_char: int | None) -> list:
    """Words outside ``[skip_top, num_words)`` become ``oov_char`` (or are dropped)."""
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def ragged(xs: list) -> np.ndarray:
    """A NumPy object array of lists, as Keras returns."""
    out = np.empty(len(xs), dtype=object)
    out[:] = xs
    return out


def word_index(name: str, path: str) -> dict:
    """The word -> index dict of ``name``'s JSON file in the cache."""
    with open(local_file(name, path, ORIGIN + f"{name}_word_index.json"),
              encoding="utf-8") as f:
        return json.load(f)
