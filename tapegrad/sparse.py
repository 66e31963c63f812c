"""``tapegrad.sparse``: TF's ``tf.sparse`` names (re-exports; the ops live in ``ops/sparse.py``)."""

from .ops.sparse import *  # noqa: F401,F403
