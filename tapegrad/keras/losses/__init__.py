"""Losses (``tf.keras.losses``): per-example functions and classes that reduce over the
batch. The core families are in ``core.py``; ``CTC`` in ``ctc.py``; ``Circle`` in
``circle.py``; ``CategoricalGeneralizedCrossEntropy`` in ``generalized.py``."""

from .core import *  # noqa: F401,F403
from .core import __all__ as _core_all
from .core import EPSILON, Loss, _pred, _reduce, _same_rank, _true_like  # noqa: F401
from .core import register
from .circle import Circle, circle
from .ctc import CTC, ctc
from .generalized import (CategoricalGeneralizedCrossEntropy,
                          categorical_generalized_cross_entropy)

__all__ = list(_core_all) + ["CTC", "ctc", "Circle", "circle",
                             "CategoricalGeneralizedCrossEntropy",
                             "categorical_generalized_cross_entropy"]

# the string names compile() and get() accept for the losses beside core.py
register({"ctc": CTC, "circle": Circle,
          "categorical_generalized_cross_entropy": CategoricalGeneralizedCrossEntropy},
         [CTC, Circle, CategoricalGeneralizedCrossEntropy])
