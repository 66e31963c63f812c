"""What a checkpoint sees in each object: its children, by the local names TF 2.21 with
Keras 3 gives them, so that keys match TF's (``net/_functional/_operations/1/_kernel``,
``opt/_variables/2``) and either library restores the other's files.

tf.Module and tapegrad objects keep their attributes in assignment order; Keras 3 layers
show their weights and sublayers (Dense's kernel as ``_kernel``, an RNN's weights under
``cell``, a Conv's kernel as ``_kernel``); a compiled model its ``optimizer``; a Sequential
model its layers as ``_functional/_operations/<i>`` (0 is the input),
a functional model as ``_operations/<i>``; an optimizer its ``_variables`` (iterations,
learning rate, then the slots), ``_trainable_variables``, ``_iterations``, ``_learning_rate``.
"""

from __future__ import annotations

from typing import Any

from ..engine.variable import Variable
from ..keras.base_layer import Layer
from ..keras.models import Sequential
from ..keras.optimizers.base import Optimizer
from ..module import Module

__all__ = ["children", "is_trackable", "Node"]

# Keras 3 keeps these weights behind a property, under a private attribute name.
_RENAMED = {"Dense": {"kernel": "_kernel"}, "EinsumDense": {"kernel": "_kernel"},
            "Embedding": {"embeddings": "_embeddings"}, "Conv1D": {"kernel": "_kernel"},
            "Conv2D": {"kernel": "_kernel"}, "Conv3D": {"kernel": "_kernel"}}
_RNN_CELL = {"LSTM", "GRU", "SimpleRNN"}  # Keras 3 keeps their weights on ``cell``
_KERAS_BOOKKEEPING = {"compiled_metrics", "weighted_metrics", "loss", "loss_weights"}


class Node:
    """A node with fixed children, standing for a Keras 3 object tapegrad does not have."""

    def __init__(self, kids: list):
        self._kids = kids

    def _checkpoint_children(self) -> list:
        return self._kids


def is_trackable(v: Any) -> bool:
    """Whether ``v`` holds checkpointable state (a Variable, Module, optimizer, or a list or
    dict holding one)."""
    if isinstance(v, (Variable, Module, Optimizer)) or hasattr(v, "_checkpoint_children") or \
            hasattr(v, "_checkpoint_tensors"):  # a tf.data iterator keeps its position
        return True
    if isinstance(v, (list, tuple)):
        return any(is_trackable(x) for x in v)
    if isinstance(v, dict):
        return any(is_trackable(x) for x in v.values())
    return False


def _attributes(obj: Any, public_only: bool) -> list:
    out = []
    for name, v in vars(obj).items():
        if public_only and (name.startswith("_") or name in _KERAS_BOOKKEEPING):
            continue
        if is_trackable(v):
            out.append((name, v))
    return out


def _layer_children(layer: Layer) -> list:
    opt = vars(layer).get("optimizer")  # a compiled model keeps its optimizer, as Keras 3
    compiled = [("optimizer", opt)] if isinstance(opt, Optimizer) else []
    if isinstance(layer, Sequential):
        ops = [(str(i + 1), sub) for i, sub in enumerate(layer.layers)]
        return compiled + [("_functional", Node([("_operations", Node(ops))]))]
    if "_functional_layers" in vars(layer):
        return compiled + [("_operations", Node([(str(i), sub) for i, sub in
                                                 enumerate(layer._functional_layers)]))]
    kind = type(layer).__name__
    renamed = _RENAMED.get(kind, {})
    kids = [(renamed.get(n, n), v) for n, v in _attributes(layer, True)]
    if kind in _RNN_CELL and "cell" not in vars(layer):
        weights = [(n, v) for n, v in kids if isinstance(v, Variable)]
        kids = [("cell", Node(weights))] + [(n, v) for n, v in kids if not isinstance(v, Variable)]
    return kids


def _optimizer_children(opt: Optimizer) -> list:
    kids = [("_variables", list(opt.variables)),
            ("_trainable_variables", list(getattr(opt, "_known", {}).values())),
            ("_iterations", opt.iterations)]
    lr = getattr(opt, "_learning_rate", None)
    if isinstance(lr, Variable):
        kids.append(("_learning_rate", lr))
    return kids


def children(obj: Any) -> list[tuple[str, Any]]:
    """``(local name, child)`` pairs of ``obj`` in TF's order; only trackable children."""
    own = getattr(obj, "_checkpoint_children", None)
    if own is not None:
        return own()
    if isinstance(obj, Variable):
        return []
    if isinstance(obj, Optimizer):
        return _optimizer_children(obj)
    if isinstance(obj, (list, tuple)):
        return [(str(i), v) for i, v in enumerate(obj) if is_trackable(v)]
    if isinstance(obj, dict):
        return [(str(k), v) for k, v in obj.items() if is_trackable(v)]
    if isinstance(obj, Layer):
        return _layer_children(obj)
    if isinstance(obj, Module):
        return _attributes(obj, False)
    return []
