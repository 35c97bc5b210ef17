"""``python -m <package>.parity <job> --legacy PATH --new PATH [...]``: see docs/parity.md.

Exit codes: 0 the outputs are equal within the rules (green), 1 they are not (red),
2 bad input (a file, column, rule or flag, named in the message; no report is written).
"""

from __future__ import annotations

import argparse
import sys

from .check import DEFAULT_REPORTS_DIR, Request, run
from .rules import BadInput


def parser() -> argparse.ArgumentParser:
    prog = f"python -m {__package__}"
    p = argparse.ArgumentParser(
        prog=prog,
        description="Compare a job's legacy output with its new output and write a parity report.",
        epilog="Rules come from the job's entry in jobs.yaml; the flags override them for this run.",
    )
    p.add_argument("job", help="the job's id in jobs.yaml (also the report folder's name)")
    p.add_argument(
        "--legacy", metavar="PATH", help="the legacy output (default: outputs.legacy.path)"
    )
    p.add_argument("--new", metavar="PATH", help="the new output (default: outputs.new.path)")
    p.add_argument(
        "--date", metavar="YYYY-MM-DD", help="the business date of the run (default: today)"
    )
    p.add_argument("--key", metavar="COL[,COL]", help="the key columns (default: parity.key)")
    p.add_argument(
        "--tolerance",
        metavar="COL=0.01",
        action="append",
        default=[],
        help="numeric tolerance of a column, absolute (COL=0.01) or relative (COL=0.1%%); repeatable",
    )
    p.add_argument(
        "--ignore",
        metavar="COL",
        action="append",
        default=[],
        help="a column not to compare; repeatable",
    )
    p.add_argument(
        "--inventory",
        metavar="FILE",
        help="the job inventory (default: jobs.yaml here, if present)",
    )
    p.add_argument(
        "--reports-dir",
        metavar="DIR",
        default=DEFAULT_REPORTS_DIR,
        help=f"where reports go (default: {DEFAULT_REPORTS_DIR})",
    )
    p.add_argument(
        "--redact",
        action="store_true",
        help="write examples with digests instead of keys and values (data that must not be in git)",
    )
    for side in ("legacy", "new"):
        p.add_argument(
            f"--{side}-format", choices=("csv", "jsonl", "json"), help=f"format of the {side} file"
        )
        p.add_argument(
            f"--{side}-encoding", metavar="ENC", help=f"encoding of the {side} file (default utf-8)"
        )
        p.add_argument(
            f"--{side}-delimiter", metavar="C", help=f"CSV delimiter of the {side} file (default ,)"
        )
        p.add_argument(
            f"--{side}-quotechar",
            metavar="C",
            help=f'CSV quote character of the {side} file (default ")',
        )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)

    def options(side: str) -> dict[str, str]:
        return {
            name: getattr(args, f"{side}_{name}")
            for name in ("format", "encoding", "delimiter", "quotechar")
        }

    request = Request(
        job=args.job,
        legacy=args.legacy,
        new=args.new,
        day=args.date,
        key=args.key,
        tolerances=args.tolerance,
        ignore=args.ignore,
        inventory=args.inventory,
        reports_dir=args.reports_dir,
        redact=args.redact,
        legacy_options=options("legacy"),
        new_options=options("new"),
    )
    try:
        outcome = run(request)
    except BadInput as exc:
        print(f"parity: {exc}", file=sys.stderr)
        return 2
    counts = outcome.report["counts"]
    total = outcome.report["differences"]["total"]
    print(
        f"{request.job} {outcome.report['date']}: {outcome.verdict} "
        f"({counts['legacy_rows']:,} legacy rows, {counts['new_rows']:,} new rows, {total:,} differences) "
        f"-> {outcome.path}"
    )
    return 0 if outcome.verdict == "green" else 1


if __name__ == "__main__":
    raise SystemExit(main())
