"""What ``cifar10`` and ``cifar100`` share: finding the CIFAR batches in the cache (extracted
as Keras 3 or Keras 2 leaves them, or still in the downloaded archive) and reading each with
the restricted unpickler."""

from __future__ import annotations

import os

import numpy as np

from ._cache import cache_dir
from ._restricted import load_pickle, load_tar_member


def _find(folder: str, archive: str, name: str) -> tuple:
    """(directory, None) of the extracted batches, or (None, archive path)."""
    root = cache_dir()
    for d in (os.path.join(root, folder + "-target", folder), os.path.join(root, folder)):
        if os.path.isdir(d):
            return d, None
    for a in (archive, folder + "-target.tar.gz", folder + ".tar.gz"):
        if os.path.isfile(os.path.join(root, a)):
            return None, os.path.join(root, a)
    raise FileNotFoundError(
        f"keras.datasets.{name}: neither {os.path.join(root, folder)}/ nor "
        f"{os.path.join(root, archive)} exists. tapegrad never downloads: fetch "
        f"https://www.cs.toronto.edu/~kriz/{archive} and save it in {root} (or set KERAS_HOME "
        f"to the folder holding datasets/).")


def load_batch(folder: str, archive: str, member: str, label_key: str, name: str) -> tuple:
    """(images [n, 3, 32, 32] uint8, labels) of one CIFAR batch file."""
    directory, tar = _find(folder, archive, name)
    if directory is not None:
        with open(os.path.join(directory, member), "rb") as f:
            d = load_pickle(f, encoding="bytes")
    else:
        d = load_tar_member(tar, f"{folder}/{member}")
    if not isinstance(d, dict):
        raise ValueError(f"keras.datasets.{name}: {member} does not hold a CIFAR batch.")
    d = {k.decode("utf-8") if isinstance(k, bytes) else k: v for k, v in d.items()}
    data, labels = d.get("data"), d.get(label_key)
    if not isinstance(data, np.ndarray) or data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or \
            labels is None or len(labels) != len(data):
        raise ValueError(f"keras.datasets.{name}: {member} does not hold {label_key} and "
                         f"[n, 3072] images; the file is damaged.")
    return data.reshape(len(data), 3, 32, 32), labels


def channels_last(x_train: np.ndarray, x_test: np.ndarray) -> tuple:
    """The images as [n, 32, 32, 3] (Keras's default ``image_data_format``)."""
    return x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
