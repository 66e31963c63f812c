"""``tf.train.CheckpointManager``: numbered saves in one directory, the oldest deleted beyond
``max_to_keep`` (one kept every ``keep_checkpoint_every_n_hours``), recorded in the
``checkpoint`` state file with their timestamps as TF records them."""

from __future__ import annotations

import collections
import glob
import os
import time
from typing import Any, Callable

from .checkpoint import read_state, write_state

__all__ = ["CheckpointManager"]


class CheckpointManager:
    """Keep the last ``max_to_keep`` checkpoints of ``checkpoint`` in ``directory``.

    >>> import tempfile, tapegrad as tf
    >>> ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    >>> manager = tf.train.CheckpointManager(ckpt, tempfile.mkdtemp(), max_to_keep=2)
    >>> paths = [manager.save() for _ in range(3)]
    >>> [p.rsplit("/", 1)[-1] for p in manager.checkpoints]
    ['ckpt-2', 'ckpt-3']
    >>> manager.latest_checkpoint == paths[-1]
    True
    """

    def __init__(self, checkpoint: Any, directory: str, max_to_keep: int | None,
                 keep_checkpoint_every_n_hours: float | None = None,
                 checkpoint_name: str = "ckpt", step_counter: Any = None,
                 checkpoint_interval: int | None = None, init_fn: Callable | None = None):
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"CheckpointManager: max_to_keep must be a positive integer or "
                             f"None, got {max_to_keep}")
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("CheckpointManager: `step_counter` should be passed if "
                             "`checkpoint_interval` is not None.")
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._keep_hours = keep_checkpoint_every_n_hours
        self._checkpoint_name = checkpoint_name
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter, self._interval = step_counter, checkpoint_interval
        self._init_fn = init_fn
        self._last_step: int | None = None
        self._maybe_delete: collections.OrderedDict = collections.OrderedDict()
        self._latest: str | None = None
        self._last_preserved = time.time()
        state = read_state(self._directory)
        if state and "model_checkpoint_path" in state:
            self._latest = state["model_checkpoint_path"]
            stamps = state["all_model_checkpoint_timestamps"]
            for i, path in enumerate(state["all_model_checkpoint_paths"]):
                self._maybe_delete[path] = stamps[i] if i < len(stamps) else self._last_preserved
            self._last_preserved = state.get("last_preserved_timestamp", self._last_preserved)

    @property
    def directory(self) -> str:
        return self._directory

    @property
    def checkpoint(self) -> Any:
        return self._checkpoint

    @property
    def checkpoint_interval(self) -> int | None:
        return self._interval

    @property
    def latest_checkpoint(self) -> str | None:
        """The newest checkpoint's prefix, or None."""
        return self._latest

    @property
    def checkpoints(self) -> list[str]:
        """The managed checkpoints, oldest first (those kept forever are not listed)."""
        return list(self._maybe_delete)

    def _record_state(self) -> None:
        write_state(self._directory, self._latest, list(self._maybe_delete),
                    list(self._maybe_delete.values()), self._last_preserved)

    def _sweep(self) -> None:
        if self._max_to_keep is None:
            return
        while len(self._maybe_delete) > self._max_to_keep:
            path, stamp = self._maybe_delete.popitem(last=False)
            if self._keep_hours and stamp - self._keep_hours * 3600 >= self._last_preserved:
                self._last_preserved = stamp
                continue
            for f in glob.glob(glob.escape(path) + ".index") + \
                    glob.glob(glob.escape(path) + ".data-?????-of-?????"):
                os.remove(f)

    def save(self, checkpoint_number: int | None = None, check_interval: bool = True,
             options: Any = None) -> str | None:
        """Save a numbered checkpoint (``checkpoint_number`` or the save counter), delete the
        oldest beyond ``max_to_keep``; None when ``checkpoint_interval`` says not yet."""
        if self._interval is not None and check_interval:
            step = int(self._step_counter.numpy() if hasattr(self._step_counter, "numpy")
                       else self._step_counter)
            if self._last_step is not None and step < self._last_step + self._interval:
                return None
            self._last_step = step
        counter = self._checkpoint.save_counter
        counter.assign_add(1)
        number = int(counter.numpy()) if checkpoint_number is None else int(
            checkpoint_number.numpy() if hasattr(checkpoint_number, "numpy")
            else checkpoint_number)
        path = self._checkpoint.write(f"{self._prefix}-{number}", options=options)
        self._maybe_delete.pop(path, None)
        self._maybe_delete[path] = time.time()
        self._latest = path
        self._record_state()
        self._sweep()
        self._record_state()
        return path

    def restore_or_initialize(self) -> str | None:
        """Restore the newest checkpoint and return its path, else call ``init_fn`` (if any)
        and return None."""
        if self._latest is not None:
            self._checkpoint.restore(self._latest)
            return self._latest
        if self._init_fn is not None:
            self._init_fn()
        return None
