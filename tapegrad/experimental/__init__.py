"""``tapegrad.experimental``: TF's ``tf.experimental`` names (re-exports)."""

from . import numpy  # noqa: F401
