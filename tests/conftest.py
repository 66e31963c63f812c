"""Shared test settings: hypothesis profiles (``--hypothesis-profile=long`` for 10,000 examples)."""

import os

from hypothesis import HealthCheck, settings

# "ci" (the default) draws the same examples on every machine and run, so a fresh clone's run is
# the run CI saw (no example database); "long" explores new examples each time.
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("TAPEGRAD_HYPOTHESIS_PROFILE", "ci"))
