"""``keras.datasets.mnist``: the 28×28 handwritten digits from ``mnist.npz``."""

from __future__ import annotations

import numpy as np

from ._cache import ORIGIN, local_file


def load_data(path: str = "mnist.npz") -> tuple:
    """``(x_train, y_train), (x_test, y_test)`` as uint8 arrays, from the cached ``mnist.npz``.

    >>> from tapegrad.keras.datasets import mnist
    >>> callable(mnist.load_data)
    True
    """
    with np.load(local_file("mnist", path, ORIGIN + "mnist.npz"), allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
