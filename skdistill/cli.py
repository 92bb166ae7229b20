"""The ``skdistill`` command line."""

import argparse
import sys

EXAMPLES = """examples:
  skdistill demo                 distil a random forest on scikit-learn's digits
  skdistill demo --temperature 3
"""


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skdistill",
        description="Distil a heavy scikit-learn model into a small, fast student.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="distil a random forest on a bundled data set and print a table",
    )
    demo.add_argument("--temperature", type=float, default=2.0,
                      help="softmax temperature of the teacher targets (default 2)")
    demo.add_argument("--random-state", type=int, default=0)
    return parser


def main(argv=None):
    """Run the command line; return the exit code (0 ok, 1 failure, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "demo":
        from ._demo import run_demo

        if not args.temperature > 0:
            parser.error(f"--temperature must be > 0, got {args.temperature}")
        run_demo(random_state=args.random_state, temperature=args.temperature)
        return 0
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
