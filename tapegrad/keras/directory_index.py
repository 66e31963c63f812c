"""Keras 3's directory indexing (``keras/src/utils/dataset_utils.py``), shared by
``image_dataset_from_directory`` and ``text_dataset_from_directory``: which files, in which
order, with which labels, and the training/validation split — so that a seed gives the same
files in the same order as Keras.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

__all__ = ["index_directory", "check_validation_split_arg", "training_or_validation_split"]


def _class_folders(directory: str, class_names: Any, who: str) -> list[str]:
    found = [d for d in sorted(os.listdir(directory))
             if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")]
    if class_names is None:
        return found
    if not set(class_names).issubset(found):
        raise ValueError(f"{who}: the class_names passed did not match the names of the "
                         f"subdirectories of the target directory. Expected: {found} (or a "
                         f"subset of it), but received: class_names={list(class_names)}.")
    return list(class_names)  # in the order given, as Keras keeps it


def _files(folder: str, formats: tuple, follow_links: bool) -> list[str]:
    """The files under ``folder`` ending in one of ``formats``: folders in sorted order,
    each one's files sorted (Keras's ``iter_valid_files``)."""
    out = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda w: w[0]):
        out += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(formats)]
    return out


def index_directory(directory: str, labels: Any, formats: tuple, class_names: Any = None,
                    shuffle: bool = True, seed: int | None = None, follow_links: bool = False,
                    verbose: bool = True, who: str = "index_directory") -> tuple:
    """``(file_paths, labels, class_names)`` as Keras 3's ``index_directory`` gives them:
    with ``labels="inferred"`` one class per sub-folder (sorted, hidden ones skipped; or
    ``class_names``, a subset in its own order); a list of labels for the files in sorted
    order; or ``None``. ``shuffle`` permutes paths and labels with ``RandomState(seed)``.

    >>> import os, tempfile
    >>> from tapegrad.keras.directory_index import index_directory
    >>> root = tempfile.mkdtemp()
    >>> for c, f in [("b", "1.txt"), ("a", "2.txt"), ("a", "1.txt")]:
    ...     os.makedirs(os.path.join(root, c), exist_ok=True)
    ...     open(os.path.join(root, c, f), "w").close()
    >>> paths, labels, names = index_directory(root, "inferred", (".txt",), shuffle=False,
    ...                                        verbose=False)
    >>> [os.path.relpath(p, root) for p in paths], labels.tolist(), names
    (['a/1.txt', 'a/2.txt', 'b/1.txt'], [0, 0, 1], ['a', 'b'])
    """
    if labels == "inferred":
        class_names = _class_folders(directory, class_names, who)
        per_class = [_files(os.path.join(directory, c), formats, follow_links)
                     for c in class_names]
        paths = [p for files in per_class for p in files]
        labels = np.concatenate([np.full(len(files), i, np.int32)
                                 for i, files in enumerate(per_class)] or
                                [np.zeros(0, np.int32)])
    else:
        if class_names is not None:
            raise ValueError(f"{who}: class_names can be given only with labels='inferred'.")
        paths = _files(directory, formats, follow_links)
        if labels is not None:
            if len(labels) != len(paths):
                raise ValueError(f"{who}: expected the lengths of `labels` to match the "
                                 f"number of files in the target directory. len(labels) is "
                                 f"{len(labels)} while we found {len(paths)} files in "
                                 f"directory {directory}.")
            class_names = [str(label) for label in sorted(set(labels))]
            labels = np.asarray(labels)
    if verbose:
        print(f"Found {len(paths)} files." if labels is None else
              f"Found {len(paths)} files belonging to {len(class_names)} classes.")
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return paths, labels, class_names


def check_validation_split_arg(validation_split: Any, subset: Any, shuffle: bool, seed: Any,
                               who: str) -> None:
    """Keras 3's checks of ``validation_split``/``subset``/``seed``."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"{who}: `validation_split` must be between 0 and 1, received: "
                         f"{validation_split}.")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError(f"{who}: if `subset` is set, `validation_split` must be set, and "
                         f"inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f"{who}: `subset` must be either \"training\", \"validation\" or "
                         f"\"both\", received: {subset!r}.")
    if validation_split and shuffle and seed is None:
        raise ValueError(f"{who}: if using `validation_split` and shuffling the data, you must "
                         f"provide a `seed` argument, to make sure that there is no overlap "
                         f"between the training and validation subset.")


def training_or_validation_split(samples: list, labels: Any, validation_split: Any,
                                 subset: Any, verbose: bool = True) -> tuple:
    """The last ``validation_split`` of the samples for ``"validation"``, the rest for
    ``"training"`` (Keras 3's ``get_training_or_validation_split``)."""
    if not validation_split:
        return samples, labels
    n = int(validation_split * len(samples))
    if subset == "training":
        if verbose:
            print(f"Using {len(samples) - n} files for training.")
        cut = slice(0, len(samples) - n)
    else:
        if verbose:
            print(f"Using {n} files for validation.")
        cut = slice(len(samples) - n, len(samples))
    return samples[cut], None if labels is None else labels[cut]
