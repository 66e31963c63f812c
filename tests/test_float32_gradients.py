"""Every ``GradCase`` of every op family again on float32 inputs: the gradients stay float32,
the JVP keeps the output's dtype, and both equal the float64 ones (which ``check_grads`` checks
against finite differences) to float32 tolerances, scaled by the case's own float64 tolerances."""

import importlib
import pkgutil

import pytest

import tests.ops as family_tests


def _all_cases():
    cases = []
    for mod in pkgutil.iter_modules(family_tests.__path__):
        module = importlib.import_module(f"tests.ops.{mod.name}")
        cases += [(mod.name, case) for case in getattr(module, "GRAD_CASES", [])]
    return cases


CASES = _all_cases()


def test_every_family_is_included():
    assert len({family for family, _ in CASES}) >= 10 and len(CASES) > 200


@pytest.mark.parametrize("family, case", CASES, ids=lambda c: getattr(c, "name", c))
def test_float32_gradients(family, case):
    case.check_float32()
