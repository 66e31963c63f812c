"""``keras.datasets.california_housing``: the California house-price regression set."""

from __future__ import annotations

import numpy as np

from ._cache import ORIGIN, local_file
from .boston_housing import split


def load_data(version: str = "large", path: str = "california_housing.npz",
              test_split: float = 0.2, seed: int = 113) -> tuple:
    """``(x_train, y_train), (x_test, y_test)``; ``version='small'`` keeps the first 600 rows.

    >>> from tapegrad.keras.datasets import california_housing
    >>> callable(california_housing.load_data)
    True
    """
    with np.load(local_file("california_housing", path, ORIGIN + "california_housing.npz"),
                 allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    elif version != "large":
        raise ValueError(f"california_housing: version must be 'small' or 'large', got "
                         f"{version!r}.")
    return split(x, y, test_split, seed)
