"""The programs of TF's two autodiff guides give TensorFlow's results under ``import tapegrad``.

``examples/autodiff_guide.py`` and ``examples/advanced_autodiff_guide.py`` hold the guides'
programs as functions of the ``tf`` module; ``tests/data/tf_guides_reference.npz`` holds what
TensorFlow 2.21 returned for the very same code (made by tests/data/make_tf_guides_reference.py).
"""

import importlib.util
import os
import re
import warnings

import numpy as np
import pytest

import tapegrad as tf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REF = np.load(os.path.join(ROOT, "tests", "data", "tf_guides_reference.npz"))


def _load(name):
    path = os.path.join(ROOT, "examples", name + ".py")
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


INTRO = _load("autodiff_guide")
ADVANCED = _load("advanced_autodiff_guide")


def _quiet(*args):
    pass


def _flatten(prefix, value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}", v, out)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _flatten(f"{prefix}.{i}", v, out)
    elif value is None:
        out[prefix + ".none"] = None
    elif isinstance(value, str):
        out[prefix + ".str"] = value
    else:
        out[prefix] = np.asarray(value.numpy() if hasattr(value, "numpy") else value)


def _needs(*names):
    for name in names:
        obj = tf
        for part in name.split("."):
            obj = getattr(obj, part, None)
        if obj is None:
            pytest.skip(f"tapegrad has no tf.{name} yet")


def _compare(prefix, result, rtol=2e-5, atol=2e-6):
    got = {}
    _flatten(prefix, result, got)
    want = {k: REF[k] for k in REF.files if k == prefix or k.startswith(prefix + ".")}
    assert want, f"no TensorFlow reference for {prefix}"
    assert sorted(got) == sorted(want), f"result keys differ from TF's: {sorted(got)}"
    for key, ref in want.items():
        if key.endswith(".none"):
            assert got[key] is None, key
        elif key.endswith(".str"):
            assert got[key] == str(ref), key
        else:
            assert got[key].shape == ref.shape, f"{key}: shape {got[key].shape} vs TF {ref.shape}"
            np.testing.assert_allclose(got[key], ref, rtol=rtol, atol=atol, err_msg=key)


# -- "Introduction to gradients and automatic differentiation" -------------------------------------
def test_intro_guide_matches_tensorflow():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # the guide watches an int tensor on purpose
        out = INTRO.run(tf, say=_quiet)
    _compare("autodiff_guide", out)
    # and the guide's own comments
    assert float(out["dy_dx"]) == 6.0 and out["persistent_z"].tolist() == [4.0, 108.0]
    assert [None if g is None else float(g) for g in out["control_flow"]] == [1.0, None, None]
    assert out["replaced"][1] is None and out["numpy_detour"] is None


def test_intro_guide_prints_like_the_guide(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        INTRO.run(tf)
    text = capsys.readouterr().out
    # the layer's name counts up per process (dense, dense_1, ...), as in Keras
    assert re.search(r"dense(_\d+)?/kernel:0, shape: \(3, 2\)\ndense(_\d+)?/bias:0, shape: \(2,\)",
                     text)
    assert "['x0:0']" in text and "dy/dx0: None\ndy/dx1: " in text
    dy_dx1 = float(re.search(r"dy/dx1: (\S+)", text).group(1))
    assert dy_dx1 == pytest.approx(0.9999546, rel=1e-6)  # the guide's number, to its last digits
    assert "Variable : tapegrad.Tensor(1.0, shape=(), dtype=float32)\nTensor : None" in text


def test_intro_guide_watching_an_int_warns():
    with pytest.warns(UserWarning, match="floating"):
        INTRO.run(tf, say=_quiet)


# -- "Advanced automatic differentiation" ----------------------------------------------------------
@pytest.mark.parametrize("program", ["controlling_recording", "custom_gradients",
                                     "multiple_tapes", "forward_accumulator"])
def test_advanced_guide_small_programs(program):
    if program == "custom_gradients":
        _needs("clip_by_norm")
    out = getattr(ADVANCED, program)(tf, say=_quiet)
    for key, value in out.items():
        _compare(f"advanced_autodiff_guide.{key}", value)


def test_clip_by_norm_in_a_custom_gradient_clips_4_to_2():
    _needs("clip_by_norm")
    assert float(ADVANCED.custom_gradients(tf, say=_quiet)["clip_gradients"]) == 2.0


def test_forward_accumulator_on_reduce_sum_of_cubes():
    out = ADVANCED.forward_accumulator(tf, say=_quiet)
    assert out["backward"].tolist() == [3.0, 12.0] and out["hvp"].tolist() == [6.0, 0.0]


@pytest.mark.parametrize("program, seed, needs", [
    ("input_gradient_regularization", 1, ["norm", "nn.relu"]),
    ("jacobians", 2, ["nn.sigmoid", "nn.relu"]),
    ("hessian_newton_step", 3, ["linalg.solve", "reduce_prod", "eye"]),
    ("batch_jacobian", 4, ["einsum", "nn.elu"]),
    ("batch_jacobian_with_batch_norm", 5, ["nn.elu", "keras.layers.BatchNormalization"]),
])
def test_advanced_guide_programs_with_layers(program, seed, needs):
    _needs(*needs)
    key = {"input_gradient_regularization": "input_grad_reg", "jacobians": "jacobians",
           "hessian_newton_step": "hessian", "batch_jacobian": "batch_jacobian",
           "batch_jacobian_with_batch_norm": "batch_norm"}[program]
    out = getattr(ADVANCED, program)(tf, np.random.default_rng(seed), say=_quiet)
    # The Newton step solves with H + 1e-3 I, condition number ~2400: float32 round-off
    # (~6e-8) grows to ~1.5e-4 in the update (1e-4 measured against TF), so it is compared
    # more loosely than the rest; the Hessian itself matches TF to 1.2e-7.
    for name, value in out.items():
        loose = name in ("update", "kernel") and program == "hessian_newton_step"
        _compare(f"advanced_autodiff_guide.{key}.{name}", value, rtol=2e-3 if loose else 2e-5,
                 atol=5e-4 if loose else 2e-6)


def test_hessian_is_symmetric_and_newton_step_solves():
    _needs("linalg.solve")
    out = ADVANCED.hessian_newton_step(tf, np.random.default_rng(3), say=_quiet)
    h = out["h_mat"]
    assert h.shape == (40, 40)
    np.testing.assert_allclose(h, h.T, atol=1e-5)
    np.testing.assert_allclose((h + 1e-3 * np.eye(40)) @ out["update"], out["g"].reshape(40, 1),
                               rtol=1e-3, atol=1e-5)


def test_batch_jacobian_equals_the_einsum_diagonal_of_the_jacobian():
    _needs("einsum")
    out = ADVANCED.batch_jacobian(tf, np.random.default_rng(4), say=_quiet)
    np.testing.assert_allclose(out["jb"], out["j_select"], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(out["jb"], out["j_sum"], rtol=1e-6, atol=1e-7)


def test_whole_advanced_guide_runs_and_prints(capsys):
    ADVANCED.run(tf)
    text = capsys.readouterr().out
    assert "dz/dx: tapegrad.Tensor(4.0, shape=(), dtype=float32)\ndz/dy: None" in text
    assert "dy_dx: 3.0\nd2y_dx2: 6.0" in text and "h.shape: (5, 8, 5, 8)" in text
    assert "tapegrad.Tensor([6. 0.], shape=(2,), dtype=float32)" in text
