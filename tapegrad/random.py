"""``tapegrad.random``: TF's ``tf.random`` names (re-exports of ``tapegrad.ops.random``)."""

from .ops.random import *  # noqa: F401,F403
