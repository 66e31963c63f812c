"""Gradient checks of a layer with respect to its weights: each Variable a layer (or a layer
inside it) holds as an attribute is swapped for a float64 Tensor while ``check_grads`` runs."""

import numpy as np

from tapegrad.engine.variable import Variable
from tapegrad.keras.base_layer import Layer
from tapegrad.testing import check_grads


def _slots(layer):
    """(owner, attribute) of every trainable variable, in ``trainable_variables`` order."""
    where = {}
    for owner in [layer] + [m for m in layer.submodules if isinstance(m, Layer)]:
        for name, value in vars(owner).items():
            if isinstance(value, Variable):
                where.setdefault(id(value), (owner, name))
    return [where[id(v)] for v in layer.trainable_variables]


def check_weight_grads(layer, fn, order=2, modes=("rev", "fwd")):
    """``check_grads`` of ``fn()`` (which calls ``layer``) w.r.t. every trainable weight."""
    slots = _slots(layer)
    values = [np.asarray(v.numpy(), np.float64) for v in layer.trainable_variables]

    def f(*ws):
        saved = [vars(o)[n] for o, n in slots]
        for (owner, name), w in zip(slots, ws):
            vars(owner)[name] = w
        try:
            return fn()
        finally:
            for (owner, name), v in zip(slots, saved):
                vars(owner)[name] = v
    check_grads(f, values, order=order, modes=modes)
