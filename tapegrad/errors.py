"""``tf.errors``: TensorFlow's exception classes (defined in :mod:`tapegrad.engine.errors`)."""

from .engine.errors import *  # noqa: F403
from .engine.errors import __all__  # noqa: F401
