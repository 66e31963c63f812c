"""The configs of layers inside layers (the cell of ``RNN``, the layer of ``Bidirectional`` and
``TimeDistributed``): Keras 3's ``{"module", "class_name", "config", "registered_name"}``
dictionary, and the layer it describes."""

from __future__ import annotations

from typing import Any

from ..base_layer import Layer

__all__ = ["nested_config", "nested_from_config"]


def _builtin(cls: type) -> bool:
    return cls.__module__.startswith("tapegrad.keras.layers.")


def nested_config(layer: Any) -> dict:
    """Keras's serialized form of ``layer``, its config from ``layer.get_config()``."""
    cls = type(layer)
    return {"module": "keras.layers" if _builtin(cls) else cls.__module__,
            "class_name": cls.__name__, "config": layer.get_config(), "registered_name": None}


def _builtin_class(name: str) -> type | None:
    """The built-in layer class ``name``, found among ``Layer``'s subclasses (so this module
    imports no layer package)."""
    todo = list(Layer.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls.__name__ == name and _builtin(cls):
            return cls
        todo.extend(cls.__subclasses__())
    return None


def nested_from_config(config: Any, custom_objects: dict | None = None) -> Any:
    """The layer a ``nested_config`` dictionary describes (a layer stays itself): a class in
    ``custom_objects``, else the built-in one of that name.

    >>> import tapegrad as tf
    >>> cfg = nested_config(tf.keras.layers.Dense(3, name="d"))
    >>> layer = nested_from_config(cfg)
    >>> type(layer).__name__, layer.units, layer.name
    ('Dense', 3, 'd')
    """
    if not isinstance(config, dict) or "class_name" not in config:
        return config
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _builtin_class(name)
    if cls is None:
        raise ValueError(f"Unknown layer class {name!r} in a nested config; pass it in "
                         f"custom_objects={{'{name}': TheClass}}.")
    return cls.from_config(config["config"])
