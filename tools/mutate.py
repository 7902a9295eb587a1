"""Mutation testing with mutmut: one package at a time, with only the tests meant to pin it.

    python tools/mutate.py [PACKAGE ...] [--sample N] [--seed S] [--retest-survivors]

For each package (default: all of ``PACKAGES``) a work directory ``build/mutation/PACKAGE``
holds links to ``src/``, ``tests/`` and ``docs/`` and a ``pyproject.toml`` written here: the
repository's pytest settings plus a ``[tool.mutmut]`` table that mutates only that package and
selects only its tests. mutmut copies them into ``mutants/``, runs the selected tests once to
learn which test calls which function, then runs, for each mutant, only the tests that call
the mutated function, one mutant at a time (``max-children 1``) under a CPU-time limit.
Results are kept between runs: a second run checks only mutants of functions that changed.

The PostgreSQL tests run for application, projections and interchange, which hold PostgreSQL
code, when TTHC_PG_* name a server (elsewhere the same behaviours run on the in-memory and
SQLite stores). Hypothesis runs the ``mutation`` profile of ``tests/conftest.py``
(derandomised, no example database) so that a verdict is reproducible.

Equivalent mutants (no test can tell them from the original) are listed, with the reason, in
``docs/mutation.md``; the kill rate counts the others:
``(killed + timeout) / (all checked - equivalent)``; a mutant no selected test reaches counts
as surviving, unless ``docs/mutation.md`` lists it as killed by a test the run leaves out.

``--sample N`` checks N mutants per package drawn at random (seed ``--seed``) from all of them,
for packages whose full run does not fit the time at hand; the report then counts only those
(a sample of N is the first N of a larger one with the same seed, so a run can be extended).
A mutant that already has a verdict keeps it: mutmut checks again only the mutants of
functions that changed. ``--retest-survivors`` checks again the mutants that survived (after
tests were added), within the sample when there is one.

mutmut forks each mutant from the process that ran the tests once to learn who calls what:
what was built at import time (a test module's ``CAL = VietnamCalendar()``) was built by the
original code, and a mutant of that code survives unless a test builds it afresh. Memoised
answers (parsed time limits, the parsed schedule) are forgotten before each test by a small
plugin written beside the settings, so that the mutant computes them again.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "build" / "mutation"

# The package mutated -> the test directories whose job is to pin it.
PACKAGES: dict[str, tuple[str, ...]] = {
    "worktime": ("tests/worktime",),
    "domain": ("tests/domain", "tests/application"),
    "application": ("tests/application", "tests/robustness"),
    "projections": ("tests/projections",),
    "interchange": ("tests/interchange",),
}
# Tests that start another Python process (the CLI, killed imports and catch-ups, racing
# workers) are left out: mutmut's mutated code cannot run outside the process it started.
OTHER_PROCESSES = [
    "--ignore=tests/robustness/test_cli_robustness.py",
    "--ignore=tests/interchange/test_reliability.py",
    "--ignore=tests/projections/test_store_kill.py",
    "--deselect=tests/application/test_postgres_env.py"
    "::test_choosing_the_persistence_module_imports_no_database_driver",
]
KEYWORDS = "not in_processes"
# The domain does no I/O: its mutants run the application's contract on the in-memory store
# only (SQLite runs the same behaviour again; it is the application's mutants that need it).
MORE_KEYWORDS: dict[str, str] = {"domain": "not sqlite"}

# mutmut's exit-code table (mutmut/stats.py) folded into what the kill rate needs.
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
SURVIVED = {"survived", "no tests", "suspicious"}

# Tests that need a network or a long run are left to `make test`; the PostgreSQL tests run
# for the packages that hold PostgreSQL code, when TTHC_PG_* name a server (`. /tmp/pgenv`).
PYTEST_ARGS = ["-p", "no:cacheprovider"]
MARKERS = "not slow and not install"
POSTGRES_PACKAGES = {"application", "projections", "interchange"}

# A pytest plugin each run loads (mutmut forks every mutant from a process that already ran
# the tests): memoised answers (parsed time limits, the parsed schedule) are forgotten before
# each test, so that the mutant computes them again and mutmut sees each test that needs them.
FORGET_CACHES = '''"""Written by tools/mutate.py: forget tthc_engine's memoised answers."""

import sys


def pytest_runtest_setup(item):
    for name, module in list(sys.modules.items()):
        if name == "tthc_engine" or name.startswith("tthc_engine."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
'''

_MUTANT_NAME = re.compile(r"`(tthc_engine\.[\w.]+__mutmut_\d+)`")


def _toml(value: object) -> str:
    """A TOML literal for the few types written here (JSON's strings are TOML strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"no TOML literal for {value!r}")


def write_workdir(package: str) -> Path:
    """``build/mutation/PACKAGE``: links to the sources and tests, and mutmut's settings."""
    work = WORK / package
    work.mkdir(parents=True, exist_ok=True)
    for name in ("src", "tests", "docs"):
        link = work / name
        if not link.is_symlink():
            link.symlink_to(REPO / name, target_is_directory=True)
    pytest_options = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "pytest"
    ]["ini_options"]
    pytest_options = {k: v for k, v in pytest_options.items() if k != "testpaths"}
    mutmut = {
        "source_paths": ["src/"],
        "only_mutate": [f"src/tthc_engine/{package}/*"],
        "also_copy": ["docs/", "tthc_forget_caches.py"],
        "pytest_add_cli_args": [
            *PYTEST_ARGS,
            *("-m", MARKERS if package in POSTGRES_PACKAGES else f"{MARKERS} and not postgres"),
            *("-p", "tthc_forget_caches"),
            *OTHER_PROCESSES,
            "-k",
            " and ".join(filter(None, (KEYWORDS, MORE_KEYWORDS.get(package)))),
        ],
        "pytest_add_cli_args_test_selection": list(PACKAGES[package]),
        # CPU seconds a mutant may take: (its tests' time + 1) * 2 * multiplier.
        "timeout_multiplier": 4.0,
        "use_git_change_detection": False,
    }
    (work / "tthc_forget_caches.py").write_text(FORGET_CACHES, encoding="utf-8")
    lines = ["# Written by tools/mutate.py for one mutation run; not the project's settings."]
    lines += ["[tool.pytest.ini_options]"]
    lines += [f"{k} = {_toml(v)}" for k, v in pytest_options.items()]
    lines += ["", "[tool.mutmut]"]
    lines += [f"{k} = {_toml(v)}" for k, v in mutmut.items()]
    (work / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return work


def _environment(package: str) -> dict[str, str]:
    env = dict(os.environ)
    if package not in POSTGRES_PACKAGES:
        env = {k: v for k, v in env.items() if not k.startswith("TTHC_PG_")}
    env["HYPOTHESIS_PROFILE"] = "mutation"
    env.pop("CI", None)
    return env


def _forget_stale_links(work: Path, package: str) -> None:
    """mutmut learns which test calls which function once, when it collects its stats, and
    keeps them: a test written since is never run against a mutant, and a function added since
    has no test (its mutants show as "no tests"). When the package's tests or sources changed,
    the stats are collected again (verdicts are kept; ``--retest-survivors`` then checks the
    survivors against the new tests)."""
    digest = hashlib.sha256()
    for folder in (*PACKAGES[package], f"src/tthc_engine/{package}"):
        for path in sorted((REPO / folder).rglob("*.py")):
            digest.update(str(path.relative_to(REPO)).encode() + path.read_bytes())
    stamp = work / "tests.sha256"
    if stamp.exists() and stamp.read_text(encoding="utf-8") != digest.hexdigest():
        (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    stamp.write_text(digest.hexdigest(), encoding="utf-8")


def _mutmut(work: Path, *args: str) -> int:
    command = [str(Path(sys.executable).with_name("mutmut")), *args]
    return subprocess.call(command, cwd=work, env=_environment(work.name))


def verdicts(work: Path) -> dict[str, str]:
    """Mutant name -> mutmut's status, from the ``.meta`` files mutmut keeps beside its copies."""
    from mutmut.stats import status_by_exit_code

    found: dict[str, str] = {}
    for meta in sorted((work / "mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        found.update({name: status_by_exit_code[code] for name, code in codes.items()})
    return found


def generate(work: Path) -> list[str]:
    """Every mutant of the package, without running a test (mutmut's own generation step)."""
    script = (
        "import mutmut.__main__ as m\n"
        "m.copy_src_dir(); m.copy_also_copy_files(); m.create_mutants(1)\n"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        cwd=work,
        env=_environment(work.name),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return sorted(verdicts(work))


def listed(section: str) -> dict[str, str]:
    """The mutants docs/mutation.md lists under the heading ``## {section}``, each with the
    line that says why."""
    doc = REPO / "docs" / "mutation.md"
    if not doc.exists():
        return {}
    found: dict[str, str] = {}
    inside = False
    for line in doc.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            inside = line[3:].strip() == section
        elif inside:
            for name in _MUTANT_NAME.findall(line):
                found[name] = line.strip()
    return found


def equivalents() -> dict[str, str]:
    """Mutants no test can tell from the original (not counted in the kill rate)."""
    return listed("Equivalent mutants")


def killed_elsewhere() -> dict[str, str]:
    """Mutants killed by tests the mutation run leaves out (another process, an install)."""
    return listed("Killed outside the mutation run")


def report(package: str, found: dict[str, str], *, total: int, sampled: bool, show: int) -> float:
    """Print the kill rate and the surviving mutants of one package; return the rate."""
    equivalent, elsewhere = equivalents(), killed_elsewhere()
    checked = {n: s for n, s in found.items() if s != "not checked"}
    counts = Counter(checked.values())
    surviving = {n for n, s in checked.items() if s in SURVIVED}
    excused = sorted(surviving & equivalent.keys())
    outside = sorted((surviving - equivalent.keys()) & elsewhere.keys())
    survivors = sorted(surviving - equivalent.keys() - elsewhere.keys())
    killed = sum(1 for s in checked.values() if s in KILLED) + len(outside)
    judged = len(checked) - len(excused)
    rate = killed / judged if judged else 1.0
    scope = f"a sample of {len(found)} of {total} mutants" if sampled else f"{total} mutants"
    print(
        f"\n== {package}: {scope}; checked {len(checked)}: "
        + ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
    )
    print(
        f"   kill rate {rate:.1%} ({killed} of {judged} non-equivalent, {len(outside)} of them "
        f"by tests outside the run; {len(excused)} equivalent listed in docs/mutation.md)"
    )
    for name in survivors:
        print(f"   survived: {name} ({checked[name]})")
    for name in survivors[:show]:
        diff = subprocess.run(
            [str(Path(sys.executable).with_name("mutmut")), "show", name],
            cwd=WORK / package,
            env=_environment(package),
            capture_output=True,
            text=True,
        ).stdout
        print("\n".join("      " + line for line in diff.splitlines()[1:]))
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("packages", nargs="*", metavar="PACKAGE", help=", ".join(PACKAGES))
    parser.add_argument("--sample", type=int, help="check N mutants per package drawn at random")
    parser.add_argument("--seed", type=int, default=12, help="seed of the sample (default 12)")
    parser.add_argument("--retest-survivors", action="store_true")
    parser.add_argument("--report-only", action="store_true", help="print the last results")
    parser.add_argument("--show", type=int, default=0, help="print the diff of N survivors")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only the mutants whose name matches (fnmatch; e.g. 'tthc_engine.domain.facts.*'"
        " for a module, '*x_apply_fact__mutmut_*' for a function); repeatable, within --sample",
    )
    args = parser.parse_args(argv)
    packages = args.packages or list(PACKAGES)
    unknown = sorted(set(packages) - set(PACKAGES))
    if unknown:
        parser.error(f"no package {', '.join(unknown)} in scope; choose from {', '.join(PACKAGES)}")
    rates: dict[str, float] = {}
    for package in packages:
        work = write_workdir(package)
        if args.fresh:
            shutil.rmtree(work / "mutants", ignore_errors=True)
        if not args.report_only:
            _forget_stale_links(work, package)
        sample: list[str] = []
        chosen = bool(args.sample or args.only)
        if chosen:
            every = generate(work)
            sample = sorted(random.Random(args.seed).sample(every, args.sample or len(every)))
            if args.only:
                sample = [n for n in sample if any(fnmatch.fnmatch(n, p) for p in args.only)]
        known = verdicts(work)
        names = [n for n in sample if known.get(n, "not checked") == "not checked"]
        if args.retest_survivors:
            names += sorted(
                n for n, s in known.items() if s in SURVIVED and (not chosen or n in sample)
            )
        # mutmut forgets the verdicts of mutants whose tests changed when it starts a run, so a
        # sample is run again until every one of its mutants has a verdict.
        for _ in range(3):
            if args.report_only or not (names or not (chosen or args.retest_survivors)):
                break
            print(f"\n== mutating {package} (tests: {' '.join(PACKAGES[package])})", flush=True)
            code = _mutmut(work, "run", "--max-children", "1", *names)
            if code != 0:
                print(f"mutmut failed on {package} (exit {code})")
                return code
            known = verdicts(work)
            names = [n for n in sample if known.get(n, "not checked") == "not checked"]
            if not names:
                break
        found = verdicts(work)
        total = len(found)
        if chosen:
            found = {n: s for n, s in found.items() if n in set(sample)}
        rates[package] = report(package, found, total=total, sampled=chosen, show=args.show)
    print("\n" + "  ".join(f"{p} {r:.1%}" for p, r in rates.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
