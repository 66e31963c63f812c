"""``tapegrad.random``: TF's ``tf.random`` names (re-exports of ``tapegrad.ops.random`` and
the stateless and Generator families)."""

from .ops.random import *  # noqa: F401,F403
from .ops.random_stateless import *  # noqa: F401,F403
from .ops.random_generator import *  # noqa: F401,F403
