"""Where ``keras.datasets`` looks for archives: ``$KERAS_HOME/datasets`` (default
``~/.keras/datasets``), as Keras's cache. tapegrad never downloads: a missing file is an error
that names the file and where to put it."""

from __future__ import annotations

import os

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def cache_dir() -> str:
    """The directory Keras caches data sets in.

    >>> from tapegrad.keras.datasets._cache import cache_dir
    >>> cache_dir().endswith("datasets")
    True
    """
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return os.path.join(home, "datasets")


def local_file(name: str, path: str, origin: str) -> str:
    """The cached ``path`` (relative to the cache, or absolute), or FileNotFoundError saying
    where to download it from and where to put it."""
    full = path if os.path.isabs(path) else os.path.join(cache_dir(), path)
    if not os.path.exists(full):
        raise FileNotFoundError(
            f"keras.datasets.{name}: {full} is missing. tapegrad never downloads: fetch "
            f"{origin} and save it as {full} (or set KERAS_HOME to the folder holding "
            f"datasets/).")
    return full
