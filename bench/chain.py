"""The core engine's speed budget: ``y = y * 1.0001 + 0.0001`` 200 times on a tape, then
``gradient``; prints microseconds per recorded op (budget: 3 us on a 2-core machine).

    python bench/chain.py
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.run import main  # noqa: E402

if __name__ == "__main__":
    main(["--only", "chain", "--peer-python", ""] + sys.argv[1:])
