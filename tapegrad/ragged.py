"""``tapegrad.ragged``: TF's ``tf.ragged`` names (re-exports; see ``ops/ragged.py``)."""

from .ops.ragged import constant, map_flat_values  # noqa: F401
from .ops.ragged import RaggedTensor  # noqa: F401
