"""The UCI 8x8 handwritten digits (CC BY 4.0, see README.md beside this file)."""

from __future__ import annotations

import gzip
from importlib import resources

import numpy as np

__all__ = ["load_data"]


def load_data(test_split: float = 0.2, seed: int = 113) -> tuple:
    """``((x_train, y_train), (x_test, y_test))`` as ``keras.datasets`` loaders return them.

    Images are ``uint8`` in 0..16, shape ``(n, 8, 8)``; labels ``uint8``.

    >>> from tapegrad.datasets import digits
    >>> (x_train, y_train), (x_test, y_test) = digits.load_data()
    >>> x_train.shape, x_test.shape, int(x_train.max())
    ((1438, 8, 8), (359, 8, 8), 16)
    """
    ref = resources.files("tapegrad.datasets").joinpath("digits.csv.gz")
    with ref.open("rb") as raw, gzip.open(raw, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    order = np.random.default_rng(seed).permutation(len(table))
    n_test = int(round(len(table) * test_split))
    x = table[:, :64].astype(np.uint8).reshape(-1, 8, 8)
    y = table[:, 64].astype(np.uint8)
    train, test = order[n_test:], order[:n_test]
    return (x[train], y[train]), (x[test], y[test])
