"""``tf.autograph``: accepted boilerplate (tapegrad traces Python; it never converts it)."""

from types import SimpleNamespace

from .runtime import autograph_set_verbosity as set_verbosity, do_not_convert  # noqa: F401

experimental = SimpleNamespace(do_not_convert=do_not_convert)
