"""``keras.datasets.boston_housing``: the Boston house-price regression set."""

from __future__ import annotations

import numpy as np

from ._cache import ORIGIN, local_file


def split(x: np.ndarray, y: np.ndarray, test_split: float, seed: int) -> tuple:
    """Shuffle with ``seed`` (Keras's RandomState order) and split off the last ``test_split``."""
    if not 0 <= test_split < 1:
        raise ValueError(f"keras.datasets: test_split must be in [0, 1), got {test_split}.")
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    x, y = x[order], y[order]
    n = int(len(x) * (1 - test_split))
    return (x[:n], y[:n]), (x[n:], y[n:])


def load_data(path: str = "boston_housing.npz", test_split: float = 0.2,
              seed: int = 113) -> tuple:
    """``(x_train, y_train), (x_test, y_test)``, shuffled with ``seed``.

    >>> from tapegrad.keras.datasets import boston_housing
    >>> callable(boston_housing.load_data)
    True
    """
    with np.load(local_file("boston_housing", path, ORIGIN + "boston_housing.npz"),
                 allow_pickle=False) as f:
        return split(f["x"], f["y"], test_split, seed)
