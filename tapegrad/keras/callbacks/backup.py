"""``BackupAndRestore``: resume an interrupted ``fit`` from the last finished epoch."""

from __future__ import annotations

import json
import os
import shutil

from ...engine.atomic import open_atomic
from .callback import Callback

__all__ = ["BackupAndRestore"]


class BackupAndRestore(Callback):
    """After each epoch save the weights and the epoch number under ``backup_dir``; when
    ``fit`` starts and a backup is there, load it and continue from the next epoch. The
    backup is deleted when training finishes (``delete_checkpoint=True``).

    >>> import tempfile, tapegrad as tf
    >>> tf.keras.callbacks.BackupAndRestore(tempfile.mkdtemp()).delete_checkpoint
    True
    """

    def __init__(self, backup_dir: str, save_freq: str = "epoch",
                 double_checkpoint: bool = False, delete_checkpoint: bool = True):
        super().__init__()
        if save_freq != "epoch":
            raise NotImplementedError("BackupAndRestore: only save_freq='epoch' is supported.")
        if not backup_dir:
            raise ValueError("BackupAndRestore: backup_dir must be given.")
        self.backup_dir, self.delete_checkpoint = str(backup_dir), delete_checkpoint
        self._weights = os.path.join(self.backup_dir, "latest.weights.npz")
        self._meta = os.path.join(self.backup_dir, "training_metadata.json")

    def on_train_begin(self, logs: dict | None = None) -> None:
        if not (os.path.exists(self._weights) and os.path.exists(self._meta)):
            return
        with open(self._meta, encoding="utf-8") as f:
            epoch = int(json.load(f)["epoch"])
        self.model.load_weights(self._weights)
        self.model._initial_epoch = epoch + 1  # fit reads it after on_train_begin

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        os.makedirs(self.backup_dir, exist_ok=True)
        self.model.save_weights(self._weights, overwrite=True)
        with open_atomic(self._meta, "w") as f:
            json.dump({"epoch": epoch}, f)

    def on_train_end(self, logs: dict | None = None) -> None:
        # an exception out of fit skips on_train_end, so an interrupted run keeps its backup
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            shutil.rmtree(self.backup_dir)
