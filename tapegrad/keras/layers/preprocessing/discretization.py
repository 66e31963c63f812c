"""``Discretization``: buckets of a continuous feature, from given or adapted boundaries."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....engine.convert import convert_to_tensor
from ...base_layer import Layer
from .category_encoding import encode

__all__ = ["Discretization"]


def _summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    """Keras's quantile summary: every ``n * epsilon``-th sorted value with its weight."""
    values = np.sort(np.reshape(values, [-1]))
    step = max(values.size * epsilon, 1)
    bounds = values[int(step - 1)::int(step)]
    return np.stack([bounds, np.ones_like(bounds) * step])


def _compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum = summary[1].cumsum()
    new_bins = np.interp(percents, cum / cum[-1], summary[0])
    cum = np.interp(percents, cum / cum[-1], cum)
    return np.stack((new_bins, cum - np.concatenate((np.array([0]), cum[:-1])))).astype(
        "float32")


class Discretization(Layer):
    """``bin_boundaries`` ``[b0, b1, …]`` map ``x < b0`` to 0, ``b0 <= x < b1`` to 1, …; or
    ``num_bins`` and ``adapt(data)`` find boundaries at the quantiles (Keras's approximate
    summary with ``epsilon``). ``output_mode``: ``"int"`` (int64 ids), ``"one_hot"``,
    ``"multi_hot"``, ``"count"``.

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> layer(tf.constant([[-1.5, 1.0, 3.4, 0.5]])).numpy()
    array([[0, 2, 3, 1]])
    """

    def __init__(self, bin_boundaries: Any = None, num_bins: int | None = None,
                 epsilon: float = 0.01, output_mode: str = "int", sparse: bool = False,
                 **kwargs: Any):
        super().__init__(**kwargs)
        if (bin_boundaries is None) == (num_bins is None):
            raise ValueError("Discretization: give exactly one of bin_boundaries and num_bins "
                             "(then call adapt()).")
        if output_mode not in ("int", "one_hot", "multi_hot", "count"):
            raise ValueError(f"Discretization: output_mode must be 'int', 'one_hot', "
                             f"'multi_hot' or 'count', got {output_mode!r}.")
        if sparse:
            raise NotImplementedError("Discretization: sparse=True is not supported.")
        self.bin_boundaries = None if bin_boundaries is None else list(bin_boundaries)
        self.num_bins, self.epsilon, self.output_mode = num_bins, float(epsilon), output_mode
        self._int_output_dtype = "int64" if output_mode == "int" else None

    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Boundaries at the ``num_bins`` quantiles of ``data`` (an array or an iterable of
        batches)."""
        if self.num_bins is None:
            raise ValueError("Discretization.adapt: this layer was given bin_boundaries; "
                             "create it with num_bins to adapt it.")
        batches = [data] if isinstance(data, np.ndarray) or hasattr(data, "_value") or \
            not hasattr(data, "__iter__") else data
        summary = np.array([[], []], dtype="float32")
        for i, batch in enumerate(batches):
            if steps is not None and i >= steps:
                break
            values = np.asarray(getattr(batch, "_value", batch), "float32")
            merged = np.concatenate((_summarize(values, self.epsilon), summary), axis=1)
            summary = _compress(np.take(merged, np.argsort(merged[0]), axis=1), self.epsilon)
        self.bin_boundaries = _compress(summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def compute_output_shape(self, input_shape: Any) -> tuple:
        s = tuple(input_shape)
        if self.output_mode == "int":
            return s
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else None
        return (s if self.output_mode == "one_hot" else s[:-1]) + (depth,)

    def call(self, inputs: Any) -> Any:
        if self.bin_boundaries is None:
            raise ValueError(f"Discretization '{self.name}': call adapt(data) first, or give "
                             f"bin_boundaries.")
        ids = convert_to_tensor(np.digitize(np.asarray(inputs._value), self.bin_boundaries)
                                .astype(np.int64))
        if self.output_mode == "int":
            return ids
        return encode(ids, len(self.bin_boundaries) + 1, self.output_mode, self.compute_dtype,
                      f"Discretization '{self.name}'")

    def get_config(self) -> dict:
        # Keras 3's Discretization takes no trainable argument, so its config has none
        config = {k: v for k, v in super().get_config().items() if k != "trainable"}
        return dict(config, bin_boundaries=self.bin_boundaries, num_bins=self.num_bins,
                    epsilon=self.epsilon, output_mode=self.output_mode, sparse=False)

    @classmethod
    def from_config(cls, config: dict) -> Discretization:
        config = dict(config)
        if config.get("bin_boundaries") is not None:
            config["num_bins"] = None
        return cls(**config)
