"""``tapegrad.nn``: TF's ``tf.nn`` names (re-exports; the ops live in ``tapegrad.ops``)."""

from .ops.nn import *  # noqa: F401,F403
from .ops.conv import *  # noqa: F401,F403
