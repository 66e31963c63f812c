"""``keras.datasets.cifar10``: 60,000 32×32 colour images in 10 classes, from the CIFAR-10
batches in the cache (read with the restricted unpickler)."""

from __future__ import annotations

import numpy as np

from .cifar import channels_last, load_batch

__all__ = ["load_data"]

FOLDER, ARCHIVE = "cifar-10-batches-py", "cifar-10-python.tar.gz"


def load_data() -> tuple:
    """``(x_train, y_train), (x_test, y_test)``: uint8 images [n, 32, 32, 3] and labels
    [n, 1].

    >>> from tapegrad.keras.datasets import cifar10
    >>> callable(cifar10.load_data)
    True
    """
    x_train = np.empty((50000, 3, 32, 32), dtype="uint8")
    y_train = np.empty((50000,), dtype="uint8")
    for i in range(1, 6):
        x, y = load_batch(FOLDER, ARCHIVE, f"data_batch_{i}", "labels", "cifar10")
        if len(x) != 10000:
            raise ValueError(f"keras.datasets.cifar10: data_batch_{i} holds {len(x)} images, "
                             f"not 10000; the file is damaged.")
        x_train[(i - 1) * 10000:i * 10000], y_train[(i - 1) * 10000:i * 10000] = x, y
    x_test, y_test = load_batch(FOLDER, ARCHIVE, "test_batch", "labels", "cifar10")
    x_train, x_test = channels_last(x_train, x_test.astype("uint8"))
    return ((x_train, y_train.reshape(-1, 1)),
            (x_test, np.asarray(y_test, dtype="uint8").reshape(-1, 1)))
