"""``tapegrad.math``: TF's ``tf.math`` names (re-exports; the ops live in ``tapegrad.ops``)."""

from .ops.math import *  # noqa: F401,F403
from .ops.special import *  # noqa: F401,F403
from .ops.reduce import *  # noqa: F401,F403
from .ops.scan import *  # noqa: F401,F403
from .ops.norms import *  # noqa: F401,F403
from .ops.special_functions import *  # noqa: F401,F403
from .ops.math_more import *  # noqa: F401,F403
from .ops.nn import log_softmax, softmax, softsign  # noqa: F401  (TF has them in tf.math too)
from .ops.complex import *  # noqa: F401,F403
from .ops.counting import (bincount, segment_max, segment_min,  # noqa: F401
                           unsorted_segment_sqrt_n)
from .ops.math_extra import *  # noqa: F401,F403
