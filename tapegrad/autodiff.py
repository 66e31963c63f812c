"""``tapegrad.autodiff``: TF's ``tf.autodiff`` names (re-exports)."""

from .forward import ForwardAccumulator  # noqa: F401
from .engine.tape import GradientTape  # noqa: F401

__all__ = ["ForwardAccumulator", "GradientTape"]
