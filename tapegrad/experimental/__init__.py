"""``tapegrad.experimental``: TF's ``tf.experimental`` names (re-exports)."""

from . import numpy  # noqa: F401
from ..data.optional import Optional  # noqa: F401  (tf.experimental.Optional)
