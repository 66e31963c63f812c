"""``keras.datasets.imdb``: not readable here — Keras stores it as Python pickles, which
tapegrad does not unpickle."""

from __future__ import annotations

from typing import Any


def load_data(*args: Any, **kwargs: Any) -> tuple:
    """Raises NotImplementedError: the archive is a pickle (arbitrary code on load).

    >>> from tapegrad.keras.datasets import imdb
    >>> imdb.load_data()
    Traceback (most recent call last):
    ...
    NotImplementedError: keras.datasets.imdb: ...
    """
    raise NotImplementedError(
        "keras.datasets.imdb: Keras keeps this data set as Python pickles, which "
        "tapegrad does not unpickle. Convert it once with Keras (np.savez of the arrays, "
        "integer sequences padded) and load that .npz with numpy.load(allow_pickle=False).")
