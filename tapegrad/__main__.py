"""Command line: ``python -m tapegrad demo [--epochs N] [--seed S] [--out DIR]``."""

from __future__ import annotations

import argparse
import sys

from . import porting_check


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tapegrad", description="tapegrad: TensorFlow's GradientTape on NumPy alone.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser(
        "demo", help="train a small network on the UCI handwritten digits",
        description="Train a two-layer perceptron with a hand-written GradientTape loop on the "
                    "1,797 UCI 8x8 handwritten digits (bundled, CC BY 4.0), print its test "
                    "accuracy and the time taken, and write tapegrad-demo.png (loss and "
                    "accuracy curves and some test digits with their predicted labels; needs "
                    "matplotlib: pip install \"tapegrad[plot]\").")
    demo.add_argument("--epochs", type=int, default=20, metavar="N",
                      help="passes over the training images (default: 20)")
    demo.add_argument("--seed", type=int, default=0, metavar="S",
                      help="seed for the train/test split, the initial weights and the batch "
                           "order (default: 0)")
    demo.add_argument("--out", default=".", metavar="DIR",
                      help="folder to write tapegrad-demo.png into (default: the current one)")
    demo.add_argument("--no-plot", action="store_true", help="do not write the picture")
    check = sub.add_parser("check", help="list the tf. names a TensorFlow program uses that "
                                         "tapegrad lacks (reads the source, runs nothing)")
    check.add_argument("file", help="the Python file to check")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m tapegrad`` and of the ``tapegrad`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "check":
        return porting_check.main(args.file)
    if args.command != "demo":
        parser.print_help()
        return 0 if args.command is None else 2
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    from .demo import run  # the demo loads Keras and the digits: only when asked for
    run(epochs=args.epochs, seed=args.seed, out_dir=args.out, plot=not args.no_plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
