"""Meta-test: every registered differentiable primitive appears in some family's GRAD_CASES."""

import importlib
import pkgutil

import tests.ops as family_tests
from tapegrad.engine.registry import REGISTRY


def _all_cases():
    cases = []
    for mod in pkgutil.iter_modules(family_tests.__path__):
        m = importlib.import_module(f"tests.ops.{mod.name}")
        cases.extend(getattr(m, "GRAD_CASES", []))
    return cases


def test_every_differentiable_primitive_is_gradient_checked():
    covered = set()
    for case in _all_cases():
        covered |= case.primitives()
    needed = {name for name, p in REGISTRY.items() if p.differentiable and p.vjp is not None}
    missing = sorted(needed - covered)
    assert not missing, f"primitives with no gradient-check case: {missing}"
