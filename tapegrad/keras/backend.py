"""``tf.keras.backend``: the few helpers TF code calls."""

from .base_layer import clear_session

__all__ = ["clear_session", "floatx", "epsilon"]


def floatx() -> str:
    """The default float type of layers: ``"float32"``."""
    return "float32"


def epsilon() -> float:
    """The fuzz factor of losses on probabilities (1e-7)."""
    return 1e-7
