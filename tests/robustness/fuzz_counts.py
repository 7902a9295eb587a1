"""Count what hostile calls do: ``python -m tests.robustness.fuzz_counts --seed N --cases N``.

Runs the hostile calls of :mod:`tests.robustness.hostile` (the same pools the Hypothesis fuzz
draws from) with a seeded random generator, on a fresh SQLite store, and prints:

* cases tried;
* clear errors — a ``TthcError`` naming the field or rule, short, without the applicant's
  data, nothing written;
* bare exceptions — anything that is not a ``TthcError``;
* writes on refusal — a refused command that left events in the store;
* and the other problems found (unclear messages, leaks of personal data, values that do
  not read back as given), then a few examples of each with ``--show N``.

Made to count the code before and after issue 7: run it with ``PYTHONPATH=<tree>/src``
first to count another checkout (it uses only names both have; commands missing from
that code are skipped and listed).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import tthc_engine
from tests.robustness.hostile import (
    BATCHED,
    PROBLEMS,
    SPECS,
    Allocator,
    draw_case,
    make_app,
    run_case,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.robustness.fuzz_counts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--show", type=int, default=0, help="examples to print per problem")
    parser.add_argument("--batch", action="store_true", help="run each use case inside app.batch()")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(Path(tmp) / "fuzz.sqlite"),
        }
        app, reader = make_app(env), make_app(env)
        usable = BATCHED if args.batch else SPECS
        specs = [s for s in usable if hasattr(app, s.command)]
        skipped = [s.command for s in SPECS if s not in specs]
        kinds: Counter[str] = Counter()
        by_command: dict[str, Counter[str]] = defaultdict(Counter)
        examples: dict[str, list[str]] = defaultdict(list)
        allocate = Allocator()
        for _ in range(args.cases):
            spec = rng.choice(specs)
            names = [param.name for param in spec.params]
            hostile = rng.sample(names, k=min(len(names), rng.choice((0, 1, 1, 1, 2))))
            case = draw_case(spec, allocate.next(), rng.choice, hostile)
            try:
                outcome = run_case(app, reader, case, in_batch=args.batch)
            except Exception as error:  # a setup that the other code refuses
                kinds["setup failed"] += 1
                examples["setup failed"].append(f"{case.spec.setup}: {error!r:.200}")
                continue
            kinds[outcome.kind] += 1
            by_command[spec.command][outcome.kind] += 1
            if len(examples[outcome.kind]) < args.show and not outcome.ok:
                examples[outcome.kind].append(f"{case.describe()}\n      → {outcome.detail}")
        app.close()
        reader.close()
    tried = sum(kinds.values())
    print(f"tthc_engine from {Path(tthc_engine.__file__).parent}")
    where = "inside app.batch()" if args.batch else "one command at a time"
    print(f"seed {args.seed}: {tried} cases tried, {where}")
    print(f"  accepted (read back equal): {kinds['accepted']}")
    print(f"  clear errors:               {kinds['refused']}")
    print(f"  bare exceptions:            {kinds['bare']}")
    print(f"  writes on refusal:          {kinds['write on refusal']}")
    for problem in PROBLEMS[2:]:
        print(f"  {problem + ':':<28}{kinds[problem]}")
    if kinds["setup failed"]:
        print(f"  setup failed:               {kinds['setup failed']}")
    if skipped:
        print(f"  commands missing here: {', '.join(skipped)}")
    for command, counts in sorted(by_command.items()):
        bad = {k: n for k, n in counts.items() if k not in ("accepted", "refused")}
        if bad:
            print(f"    {command}: {bad}")
    for kind, lines in examples.items():
        for line in lines:
            print(f"  [{kind}] {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
