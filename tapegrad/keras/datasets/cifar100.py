"""``keras.datasets.cifar100``: 60,000 32×32 colour images in 100 fine (20 coarse) classes,
from the CIFAR-100 files in the cache (read with the restricted unpickler)."""

from __future__ import annotations

import numpy as np

from .cifar import channels_last, load_batch

__all__ = ["load_data"]

FOLDER, ARCHIVE = "cifar-100-python", "cifar-100-python.tar.gz"


def load_data(label_mode: str = "fine") -> tuple:
    """``(x_train, y_train), (x_test, y_test)``: uint8 images [n, 32, 32, 3] and the
    ``"fine"`` or ``"coarse"`` labels [n, 1].

    >>> from tapegrad.keras.datasets import cifar100
    >>> cifar100.load_data("medium")
    Traceback (most recent call last):
    ...
    ValueError: `label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode=medium.
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: '
                         f"label_mode={label_mode}.")
    key = f"{label_mode}_labels"
    x_train, y_train = load_batch(FOLDER, ARCHIVE, "train", key, "cifar100")
    x_test, y_test = load_batch(FOLDER, ARCHIVE, "test", key, "cifar100")
    x_train, x_test = channels_last(x_train, x_test)
    return ((x_train, np.reshape(y_train, (len(y_train), 1))),
            (x_test, np.reshape(y_test, (len(y_test), 1))))
