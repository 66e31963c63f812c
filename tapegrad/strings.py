"""``tapegrad.strings``: TF's ``tf.strings`` names (re-exports; the ops live in
``ops/strings.py``)."""

from .ops.strings import *  # noqa: F401,F403
