"""``StackedRNNCells``: several cells run one after the other within each step."""

from __future__ import annotations

from typing import Any

from ...base_layer import Layer
from ..nested import nested_config, nested_from_config

__all__ = ["StackedRNNCells"]

def _nested(size: Any) -> bool:
    return isinstance(size, (list, tuple))


class StackedRNNCells(Layer):
    """Each cell's output is the next cell's input; the states are one entry per cell (a list
    for a cell with several states), and the output is the last cell's.

    >>> import tapegrad as tf
    >>> cells = tf.keras.layers.StackedRNNCells([tf.keras.layers.LSTMCell(3),
    ...                                          tf.keras.layers.GRUCell(2)])
    >>> cells.state_size, cells.output_size
    ([[3, 3], 2], 2)
    """

    def __init__(self, cells: list, **kwargs: Any):
        if kwargs.get("dtype") is None and cells:  # compute as the cells do
            kwargs["dtype"] = getattr(cells[0], "dtype_policy", None)
        super().__init__(**kwargs)
        for cell in cells:
            if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
                raise ValueError(f"StackedRNNCells: every cell needs call() and state_size, "
                                 f"got {cell!r}.")
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [c.state_size for c in self.cells]

    @property
    def output_size(self) -> Any:
        last = self.cells[-1]
        size = getattr(last, "output_size", None)
        return size if size is not None else (
            last.state_size[0] if _nested(last.state_size) else last.state_size)

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell._build_on_call(shape)
                cell.built = True
            out = getattr(cell, "output_size", None) or cell.state_size
            shape = shape[:-1] + ((out[0] if _nested(out) else out),)
        self.built = True

    def get_initial_state(self, batch_size: int) -> list:
        """Each cell's zero states."""
        return [c.get_initial_state(batch_size) if hasattr(c, "get_initial_state") else None
                for c in self.cells]

    def reset_dropout_mask(self) -> None:
        for cell in self.cells:
            if hasattr(cell, "reset_dropout_mask"):
                cell.reset_dropout_mask()

    def call(self, inputs: Any, states: Any, training: Any = None) -> tuple[Any, list]:
        new_states = []
        for cell, state in zip(self.cells, states):
            inputs, state = cell(inputs, state, training=training)
            new_states.append(state)
        return inputs, new_states

    def get_config(self) -> dict:
        return dict(super().get_config(),
                    cells=[nested_config(c) for c in self.cells])

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> StackedRNNCells:
        config = dict(config)
        config["cells"] = [nested_from_config(c, custom_objects) for c in config["cells"]]
        return cls(**config)
