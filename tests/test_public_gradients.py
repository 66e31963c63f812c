"""Meta-test: every public function of the faces (composites too, not only primitives) is reached
by some gradient-check case, and every differentiable primitive has a VJP.

A case covers a public function when running the case's ``f`` calls it (seen with
``sys.setprofile``). Functions with no gradient in TF are exempt by name; ``KNOWN`` lists those
still without a case (each needs a ``GradCase`` row).
"""

import importlib
import inspect
import pkgutil
import sys

import tapegrad as tf
import tests.ops as family_tests
from tapegrad.engine.registry import REGISTRY, Primitive

FACES = {"tf": tf, "tf.math": tf.math, "tf.nn": tf.nn, "tf.linalg": tf.linalg,
         "tf.image": tf.image}
NO_GRADIENT = {  # integer, boolean, shape or random results: TF defines no gradient
    "argmax", "argmin", "argsort", "as_dtype", "constant", "convert_to_tensor", "count_nonzero",
    "custom_gradient", "equal", "eye", "floor", "ceil", "floordiv", "function", "greater",
    "greater_equal", "is_finite", "is_inf", "is_nan", "less", "less_equal", "linspace",
    "logical_and", "logical_not", "logical_or", "logical_xor", "meshgrid", "not_equal", "one_hot",
    "ones", "ones_like", "range", "rank", "recompute_grad", "round", "shape", "sign", "size",
    "zeros", "zeros_like", "dropout", "stop_gradient", "name_scope", "reduce_all", "reduce_any",
    "broadcast_static_shape", "executing_eagerly", "get_static_value", "is_tensor", "no_op",
    "shape_n",
    "rint", "zero_fraction", "in_top_k", "invert_permutation", "is_non_decreasing",
    "is_strictly_increasing", "nextafter", "matrix_rank",
    "print", "device", "get_logger", "Assert", "assert_equal", "assert_greater",  # environment
    "assert_less", "assert_rank",
    "decode_bmp", "decode_gif", "decode_image", "decode_jpeg", "decode_png", "encode_jpeg",  # files
    "encode_png", "is_jpeg",
    # tf.image: boxes, indices and random draws
    "non_max_suppression", "non_max_suppression_with_scores", "non_max_suppression_padded",
    "non_max_suppression_overlaps", "combined_non_max_suppression",
    "sample_distorted_bounding_box", "stateless_sample_distorted_bounding_box",
}
NO_GRADIENT |= {  # counting and searching: integer results (ops/counting.py)
    "bincount", "unique", "unique_with_counts", "searchsorted", "histogram_fixed_width",
    "numpy_function",  # leaves the tape, as TF's
}
NO_GRADIENT |= {"confusion_matrix"}  # integer class counts (ops/math_extra.py)
NO_GRADIENT |= {"ctc_greedy_decoder", "collapse_repeated"}  # integer paths (ops/ctc.py)
NO_GRADIENT |= {"sequence_mask"}  # a mask (ops/array_more.py)


def _public():
    out = {}
    for space, face in FACES.items():
        for name in dir(face):
            obj = getattr(face, name)
            if name.startswith("_") or name in NO_GRADIENT or inspect.isclass(obj):
                continue
            if inspect.isfunction(obj) or isinstance(obj, Primitive):
                out[f"{space}.{name}"] = obj
    return out


def _covered_codes():
    codes, prims = set(), set()

    def profile(frame, event, arg):
        if event == "call":
            codes.add(frame.f_code)

    for mod in pkgutil.iter_modules(family_tests.__path__):
        m = importlib.import_module(f"tests.ops.{mod.name}")
        for case in getattr(m, "GRAD_CASES", []):
            xs = [tf.constant(a) for a in case.args_for(case.shapes[0])]
            sys.setprofile(profile)
            try:
                with tf.GradientTape() as tape:
                    tape.watch(xs)
                    case.f(*xs)
            finally:
                sys.setprofile(None)
            prims |= {rec.prim.name for rec in tape._records}
    return codes, prims


def _known() -> set[str]:
    """The names listed in the known file (one a line; blank lines and ``#`` comments skipped)."""
    with open(__file__.replace(".py", "_known.txt")) as f:
        return {line.split("#")[0].strip() for line in f} - {""}


KNOWN = _known()


def test_every_public_differentiable_function_has_a_gradient_case():
    codes, prims = _covered_codes()
    missing = set()
    for qual, obj in _public().items():
        hit = (obj.name in prims or obj.impl.__code__ in codes) if isinstance(obj, Primitive) \
            else obj.__code__ in codes
        if not hit:
            missing.add(qual)
    assert missing == KNOWN, (f"no gradient case: {sorted(missing - KNOWN)}; "
                              f"now covered, remove from the known list: {sorted(KNOWN - missing)}")


def test_every_differentiable_primitive_has_a_vjp():
    without = sorted(n for n, p in REGISTRY.items() if p.differentiable and p.vjp is None)
    assert not without, f"differentiable primitives with no VJP: {without}"
