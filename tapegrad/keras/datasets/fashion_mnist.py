"""``keras.datasets.fashion_mnist``: Zalando's 28×28 clothing images from the four gzipped IDX
files in ``fashion-mnist/``."""

from __future__ import annotations

import gzip
import os

import numpy as np

from ._cache import ORIGIN, local_file

FILES = ["train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"]


def _read(name: str, offset: int) -> np.ndarray:
    path = local_file("fashion_mnist", os.path.join("fashion-mnist", name),
                      ORIGIN + "fashion-mnist/" + name)
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load_data() -> tuple:
    """``(x_train, y_train), (x_test, y_test)`` as uint8 arrays.

    >>> from tapegrad.keras.datasets import fashion_mnist
    >>> callable(fashion_mnist.load_data)
    True
    """
    y_train, x_train = _read(FILES[0], 8), _read(FILES[1], 16)
    y_test, x_test = _read(FILES[2], 8), _read(FILES[3], 16)
    return ((x_train.reshape(len(y_train), 28, 28), y_train),
            (x_test.reshape(len(y_test), 28, 28), y_test))
