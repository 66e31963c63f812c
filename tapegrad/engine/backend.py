"""The one place tapegrad touches its array library (NumPy today; CuPy can plug in here).

Every op family imports ``xp`` from here instead of importing NumPy directly, so a GPU backend
only has to provide a NumPy-compatible module and the few helpers below.
"""

from __future__ import annotations

import numpy

from tapegrad.engine.allocator import keep_freed_memory

xp = numpy
ndarray = numpy.ndarray
generic = numpy.generic
ArrayTypes = (numpy.ndarray, numpy.generic)

# Large temporaries freed in one step are reused by the next instead of page-faulted in afresh
# (glibc; see allocator.py for the measurements and how to turn it off).
KEEPS_FREED_MEMORY = keep_freed_memory()


def to_numpy(a):
    """Return ``a`` as a host NumPy value (identity for the NumPy backend)."""
    return a


def is_array(a) -> bool:
    """True for the backend's array and scalar types."""
    return isinstance(a, ArrayTypes)
