"""``TensorBoard``: each epoch's logs as scalars under ``<log_dir>/train`` and
``<log_dir>/validation`` (``epoch_loss``, ``epoch_accuracy`` …, the ``val_`` prefix dropped),
optionally weight histograms, as Keras 3's callback writes them."""

from __future__ import annotations

import os
from typing import Any

from ...summaries import ops as _summary
from .callback import Callback

__all__ = ["TensorBoard"]


class TensorBoard(Callback):
    """Write logs for TensorBoard (``tensorboard --logdir logs``).

    >>> import tempfile, tapegrad as tf
    >>> tf.keras.callbacks.TensorBoard(tempfile.mkdtemp(), histogram_freq=1).histogram_freq
    1
    """

    def __init__(self, log_dir: str = "logs", histogram_freq: int = 0,
                 write_graph: bool = True, write_images: bool = False, update_freq: Any = "epoch",
                 **kwargs: Any):
        super().__init__()
        self.log_dir, self.histogram_freq = str(log_dir), int(histogram_freq)
        self.update_freq = update_freq
        self._writers: dict[str, _summary.SummaryWriter] = {}

    def _writer(self, kind: str) -> _summary.SummaryWriter:
        if kind not in self._writers:
            self._writers[kind] = _summary.create_file_writer(
                os.path.join(self.log_dir, kind), filename_suffix=".v2")
        return self._writers[kind]

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        for kind, values in (("train", train), ("validation", val)):
            if not values:
                continue
            with self._writer(kind).as_default(step=epoch):
                for k, v in values.items():
                    _summary.scalar(f"epoch_{k}", v)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            with self._writer("train").as_default(step=epoch):
                for v in self.model.variables:
                    _summary.histogram(v.name.split(":")[0], v)

    def on_train_end(self, logs: dict | None = None) -> None:
        for w in self._writers.values():
            w.close()
        self._writers = {}
