"""``tapegrad.linalg``: TF's ``tf.linalg`` names (re-exports; the ops live in ``tapegrad.ops``)."""

from .ops.linalg import *  # noqa: F401,F403
from .ops.array import matrix_transpose  # noqa: F401
from .ops.norms import global_norm, norm  # noqa: F401
from .ops.linalg_more import *  # noqa: F401,F403
from .ops.norms import l2_normalize  # noqa: F401  (TF has it in tf.linalg too)
