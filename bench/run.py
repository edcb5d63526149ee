"""Benchmarks. ``make bench`` runs the load benchmark; the others run on demand.

    python -m bench.run [OPTIONS]                       # load benchmark (bench.load)
    python -m bench.run --only scorecard [OPTIONS]      # or: assignments, compliance, load

OPTIONS go to the chosen benchmark (``--help`` lists them).
"""

import argparse
import importlib

BENCHMARKS = {"load": "bench.load.runner", "assignments": "bench.assignments",
              "scorecard": "bench.scorecard", "compliance": "bench.compliance"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], add_help=False)
    parser.add_argument("--only", choices=sorted(BENCHMARKS), default="load")
    args, rest = parser.parse_known_args(argv)
    importlib.import_module(BENCHMARKS[args.only]).main(rest)


if __name__ == "__main__":
    main()
