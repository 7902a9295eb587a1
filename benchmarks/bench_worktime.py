"""Benchmark of the legal clock against its peers, measured side by side in one run.

Run:  .venv/bin/python benchmarks/bench_worktime.py [--quick]

Every peer is first checked to give the same answers as ``VietnamCalendar`` on the
sample (so we compare equal work), then timed with ``time.perf_counter_ns``: a warm-up
pass, then the best of N repeats of a loop over the sample; the figure is ns per call.

Peers of scalar ``add_working_days(day, n)`` (n-th working day after ``day``, n ≥ 1):
  * numpy.busday_offset — the only correct numpy form: weekmask "1111111" with every
    non-working day (weekends, holidays, decreed days off) as a holiday, so that worked
    Saturdays count; ``roll="backward"`` gives "the n-th working day after". Timed with a
    prebuilt ``numpy.busdaycalendar`` (numpy's fastest) and with the holiday array
    passed on each call (the literal form);
  * holidays' ``HolidayBase.get_nth_working_day`` on ``holidays.VN`` completed with the
    year decisions (decreed days off added, worked Saturdays in ``weekend_workdays``);
  * workalendar's ``Calendar.add_working_days`` — workalendar 17 has no Vietnam
    calendar, so a Mon–Fri ``Calendar`` gets our days off as ``extra_holidays`` and the
    worked Saturdays as ``extra_working_days``;
  * a naive day-by-day loop over a set of days off.
Also: ``due()`` per call for each kind of limit, and the vectorised form over 1,000,000
(date, n) pairs against ``numpy.busday_offset`` on arrays.

Targets (DESIGN.md §3, issue): scalar ≥ 10× numpy's scalar call and ≥ 80× holidays;
due() ≤ 2 µs; vectorised ≥ 10× busday_offset.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from importlib.metadata import version

import holidays
import numpy as np

from tthc_engine.worktime import VN_TZ, TimeLimit, VietnamCalendar

SEED = 20250310


def best_ns_per_op(loop: Callable[[], object], ops: int, repeat: int) -> float:
    """Warm up once, then the best of ``repeat`` timings of ``loop``, per operation."""
    loop()
    best = min(_timed(loop) for _ in range(repeat))
    return best / ops


def _timed(loop: Callable[[], object]) -> int:
    t0 = time.perf_counter_ns()
    loop()
    return time.perf_counter_ns() - t0


def scalar_loop(
    fn: Callable[[date, int], object], pairs: Sequence[tuple[date, int]]
) -> Callable[[], None]:
    def loop() -> None:
        for d, n in pairs:
            fn(d, n)

    return loop


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 100k vector pairs")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 7
    vector_size = 100_000 if args.quick else 1_000_000

    cal = VietnamCalendar()
    rng = random.Random(SEED)
    first, last = cal.first_day, date(2027, 6, 30)
    span = (last - first).days
    pairs = [(first + timedelta(days=rng.randrange(span)), rng.randint(1, 60)) for _ in range(2000)]

    # ---- peers, each set up to know exactly our working days -------------------------
    all_days = [first + timedelta(days=k) for k in range((cal.last_day - first).days + 1)]
    off = [d for d in all_days if not cal.is_working_day(d)]
    off_set = set(off)
    worked_weekend = [d for d in all_days if d.weekday() >= 5 and cal.is_working_day(d)]
    hol64 = np.array(off, dtype="datetime64[D]")
    busdaycal = np.busdaycalendar(weekmask="1111111", holidays=hol64)

    def numpy_busdaycal(d: date, n: int) -> object:
        return np.busday_offset(np.datetime64(d, "D"), n, roll="backward", busdaycal=busdaycal)

    def numpy_holidays_arg(d: date, n: int) -> object:
        return np.busday_offset(
            np.datetime64(d, "D"), n, roll="backward", weekmask="1111111", holidays=hol64
        )

    vn = holidays.country_holidays("VN", years=range(first.year, cal.last_day.year + 1))
    for d in all_days:
        if d.weekday() < 5 and not cal.is_working_day(d) and d not in vn:
            vn[d] = "decreed day off"
        if d.weekday() < 5 and cal.is_working_day(d) and d in vn:
            vn.pop(d)
    vn.weekend_workdays = set(vn.weekend_workdays) | set(worked_weekend)

    import workalendar.core as wcore  # the bench dependency group

    class MonFri(wcore.Calendar):  # type: ignore[misc]
        WEEKEND_DAYS = (wcore.SAT, wcore.SUN)
        include_new_years_day = False

    wk = MonFri()
    wk_holidays, wk_worked = off_set - {d for d in off if d.weekday() >= 5}, set(worked_weekend)

    def workalendar_add(d: date, n: int) -> object:
        return wk.add_working_days(d, n, extra_working_days=wk_worked, extra_holidays=wk_holidays)

    one = timedelta(days=1)

    def naive_loop(d: date, n: int) -> date:
        while n:
            d += one
            if d not in off_set:
                n -= 1
        return d

    peers: list[tuple[str, Callable[[date, int], object]]] = [
        ("numpy.busday_offset scalar, prebuilt busdaycalendar", numpy_busdaycal),
        ("numpy.busday_offset scalar, holidays= on each call", numpy_holidays_arg),
        ("holidays.VN get_nth_working_day", vn.get_nth_working_day),
        ("workalendar Calendar.add_working_days", workalendar_add),
        ("naive day-by-day loop", naive_loop),
    ]

    # ---- same answers first -----------------------------------------------------------
    check = pairs[:300]
    expected = [cal.add_working_days(d, n) for d, n in check]
    for name, fn in peers:
        got = [fn(d, n) for d, n in check]
        got = [g.astype(date) if isinstance(g, np.datetime64) else g for g in got]
        got = [g.date() if isinstance(g, datetime) else g for g in got]
        if got != expected:
            bad = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
            print(f"!! {name} disagrees: {check[bad]} -> {got[bad]} vs {expected[bad]}")
            return 1

    print(
        f"tthc-engine worktime benchmark — Python {platform.python_version()}, "
        f"numpy {np.__version__}, holidays {version('holidays')}, "
        f"{os.cpu_count()} CPUs, best of {repeat}"
    )
    print("All peers agree with VietnamCalendar.add_working_days on 300 sample pairs.\n")

    # ---- scalar add_working_days ------------------------------------------------------
    ours = best_ns_per_op(scalar_loop(cal.add_working_days, pairs), len(pairs), repeat)
    print(f"scalar add_working_days(day, n), n in 1..60, {len(pairs)} pairs")
    print(f"  {'VietnamCalendar.add_working_days':55s} {ours:10.0f} ns/op      1.0×")
    results: dict[str, float] = {}
    for name, fn in peers:
        sample = pairs if "naive" in name or "numpy" in name else pairs[:500]
        ns = best_ns_per_op(scalar_loop(fn, sample), len(sample), repeat)
        results[name] = ns
        print(f"  {name:55s} {ns:10.0f} ns/op {ns / ours:8.1f}× slower")

    # ---- due() ------------------------------------------------------------------------
    print("\ndue(received_at, limit) per call (received_at aware UTC+7, TimeLimit prebuilt)")
    received = [
        datetime(d.year, d.month, d.day, rng.randrange(6, 18), rng.randrange(60), tzinfo=VN_TZ)
        for d, _ in pairs
    ]
    kinds = {
        "5 ngày làm việc": TimeLimit.parse("5 ngày làm việc"),
        "0,5 ngày làm việc": TimeLimit.parse("0,5 ngày làm việc"),
        "8 giờ làm việc": TimeLimit.parse("8 giờ làm việc"),
        "10 ngày": TimeLimit.parse("10 ngày"),
        "trong ngày (cut-off 15:00)": TimeLimit.parse(
            "Trong ngày làm việc; trường hợp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo"
        ),
    }
    due_ns: dict[str, float] = {}
    for label, limit in kinds.items():

        def loop(limit: TimeLimit = limit) -> None:
            for at in received:
                cal.due(at, limit)

        due_ns[label] = best_ns_per_op(loop, len(received), repeat)
        print(f"  {label:55s} {due_ns[label]:10.0f} ns/op")
    text_limit = "5 ngày làm việc"

    def loop_text() -> None:
        for at in received:
            cal.due(at, text_limit)

    ns_text = best_ns_per_op(loop_text, len(received), repeat)
    print(f"  {'5 ngày làm việc, wording as str (parse cached)':55s} {ns_text:10.0f} ns/op")
    iso = [at.isoformat() for at in received]
    parsed = [datetime.fromisoformat(s) for s in iso]  # tzinfo: a fresh +07:00 object

    def loop_parsed() -> None:
        for at in parsed:
            cal.due(at, kinds["5 ngày làm việc"])

    ns_parsed = best_ns_per_op(loop_parsed, len(parsed), repeat)
    print(f"  {'5 ngày làm việc, received_at from fromisoformat()':55s} {ns_parsed:10.0f} ns/op")

    # ---- vectorised -------------------------------------------------------------------
    nrng = np.random.default_rng(SEED)
    days64 = (np.datetime64(first) + nrng.integers(0, span, vector_size)).astype("datetime64[D]")
    steps = nrng.integers(1, 61, vector_size)
    ours_v = cal.add_working_days_array(days64, steps)
    numpy_v = np.busday_offset(days64, steps, roll="backward", busdaycal=busdaycal)
    assert (ours_v == numpy_v).all(), "vectorised forms disagree"
    vrepeat = max(3, repeat // 2)
    v_ours = best_ns_per_op(lambda: cal.add_working_days_array(days64, steps), vector_size, vrepeat)
    v_numpy = best_ns_per_op(
        lambda: np.busday_offset(days64, steps, roll="backward", busdaycal=busdaycal),
        vector_size,
        vrepeat,
    )
    print(f"\nvectorised add_working_days over {vector_size:,} (date, n) pairs (answers equal)")
    print(f"  {'VietnamCalendar.add_working_days_array':55s} {v_ours:10.2f} ns/elt     1.0×")
    print(
        f"  {'numpy.busday_offset(arrays, busdaycal=...)':55s} {v_numpy:10.2f} ns/elt "
        f"{v_numpy / v_ours:8.1f}× slower"
    )

    # ---- targets ----------------------------------------------------------------------
    np_ratio = results["numpy.busday_offset scalar, prebuilt busdaycalendar"] / ours
    hol_ratio = results["holidays.VN get_nth_working_day"] / ours
    worst_due = max(due_ns.values())
    checks = [
        (
            "scalar ≥ 10× numpy.busday_offset (prebuilt busdaycalendar)",
            np_ratio >= 10,
            f"{np_ratio:.1f}×",
        ),
        ("scalar ≥ 80× holidays get_nth_working_day", hol_ratio >= 80, f"{hol_ratio:.1f}×"),
        ("due() ≤ 2 µs for every kind of limit", worst_due <= 2000, f"worst {worst_due:.0f} ns"),
        (
            "vectorised ≥ 10× numpy.busday_offset",
            v_numpy / v_ours >= 10,
            f"{v_numpy / v_ours:.1f}×",
        ),
    ]
    print("\ntargets")
    for label, ok, value in checks:
        print(f"  [{'ok' if ok else 'MISS'}] {label}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
