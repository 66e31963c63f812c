"""``tapegrad.nn``: TF's ``tf.nn`` names (re-exports; the ops live in ``tapegrad.ops``)."""

from .ops.nn import *  # noqa: F401,F403
from .ops.conv import *  # noqa: F401,F403
from .ops.norms import l2_normalize  # noqa: F401  (TF has it in tf.nn too)
from .ops.scan import top_k  # noqa: F401
from .ops.math_more import in_top_k, zero_fraction  # noqa: F401,E402  (also in tf.math)
from .ops.nn_more import *  # noqa: F401,F403,E402
from .ops.conv_variants import *  # noqa: F401,F403,E402
from .ops.ctc import *  # noqa: F401,F403,E402
