"""``tthc deadline`` run for real, in a subprocess (DESIGN.md §8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO


def tthc(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "LANG": "C", "LC_ALL": "C"}
    env.pop("PYTHONIOENCODING", None)
    return subprocess.run(
        [sys.executable, "-m", "tthc_engine.cli", *args],
        capture_output=True,
        encoding="utf-8",
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def test_deadline_prints_the_due_time_and_the_vietnamese_explanation() -> None:
    run = tthc("deadline", "2025-01-23T10:00:00+07:00", "5 ngày làm việc")
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    lines = run.stdout.splitlines()
    assert lines[0] == "Hẹn trả kết quả: 2025-02-06T10:00:00+07:00"
    assert "Tiếp nhận: 10:00 thứ Năm 23/01/2025; thời hạn: 5 ngày làm việc." in lines
    assert any("Thông báo 6150/TB-BLĐTBXH" in line for line in lines)
    assert lines[-1] == "Hẹn trả kết quả: 10:00 thứ Năm 06/02/2025."


def test_deadline_in_english_with_a_cutoff() -> None:
    run = tthc(
        "deadline", "2025-03-12T15:10:00+07:00", "trong ngày", "--cutoff", "15:00", "--lang", "en"
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "Due: 2025-03-13T17:00:00+07:00",
        "Received: 15:10 Wed 12/03/2025; limit: same working day.",
        "Received after the 15:00 cut-off: counted from 07:00 Thu 13/03/2025.",
        "Same day: due at the office close (Decree 23/2015 Art. 7 for a cut-off).",
        "Due: 17:00 Thu 13/03/2025.",
    ]


def test_deadline_json_is_the_deadline_as_a_dict_with_vietnamese_text_unescaped() -> None:
    run = tthc("deadline", "2025-03-10T09:00:00+07:00", "05 ngày làm việc", "--json")
    assert run.returncode == 0, run.stderr
    assert "ngày làm việc" in run.stdout  # ensure_ascii=False
    data = json.loads(run.stdout)
    assert data["due_at"] == "2025-03-17T09:00:00+07:00"
    assert data["unit"] == "working_days"
    assert data["amount"] == "5"
    assert data["limit"] == "5 ngày làm việc"
    assert data["provisional"] is False
    assert data["calendar_version"].startswith("vn-2020-2027-")
    assert data["explanation"][0].startswith("Tiếp nhận: 09:00 thứ Hai 10/03/2025")


def test_deadline_json_in_english_and_a_receipt_in_another_zone() -> None:
    run = tthc("deadline", "2025-03-10T02:00:00Z", "8 giờ làm việc", "--json", "--lang", "en")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["received_at"] == "2025-03-10T09:00:00+07:00"
    assert data["due_at"] == "2025-03-11T09:00:00+07:00"
    assert data["limit"] == "8 working hours"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ("2025-03-10T09:00:00", "5 ngày làm việc"),
            "RECEIVED_AT: naive datetime 2025-03-10T09:00:00 has no time zone",
            id="naive-time",
        ),
        pytest.param(
            ("hôm qua", "5 ngày làm việc"),
            "RECEIVED_AT: 'hôm qua' is not an ISO 8601 date-time",
            id="not-a-time",
        ),
        pytest.param(
            ("2025-03-10T09:00:00+07:00", "5 tuần"),
            "time limit '5 tuần': unknown unit 'tuần'",
            id="unknown-wording",
        ),
        pytest.param(
            ("2019-12-30T09:00:00+07:00", "5 ngày làm việc"),
            "received_at 2019-12-30: outside the calendar's data range 2020-01-01..2027-12-31",
            id="year-2019",
        ),
        pytest.param(
            ("2028-01-03T09:00:00+07:00", "5 ngày làm việc"),
            "received_at 2028-01-03: outside the calendar's data range",
            id="year-2028",
        ),
        pytest.param(
            ("2027-12-28T09:00:00+07:00", "10 ngày làm việc"),
            "runs past the calendar's data range",
            id="count-runs-past-2027",
        ),
        pytest.param(
            ("2025-03-10T09:00:00+07:00", "trong ngày", "--cutoff", "25:00"),
            "--cutoff: '25:00' is not a time of day HH:MM",
            id="bad-cutoff",
        ),
    ],
)
def test_bad_input_is_a_one_line_error_with_exit_code_1(
    args: tuple[str, ...], message: str
) -> None:
    run = tthc("deadline", *args)
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith("tthc deadline: error: ")
    assert message in run.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("deadline", "2025-03-10T09:00:00+07:00"), id="missing-limit"),
        pytest.param(
            ("deadline", "2025-03-10T09:00:00+07:00", "5 ngày làm việc", "--lang", "fr"),
            id="unknown-language",
        ),
        pytest.param(("deadlines",), id="unknown-command"),
        pytest.param((), id="no-command"),
    ],
)
def test_a_usage_error_exits_with_code_2(args: tuple[str, ...]) -> None:
    run = tthc(*args)
    assert run.returncode == 2
    assert run.stdout == ""
    assert "usage: tthc" in run.stderr


def test_help_lists_the_deadline_command_and_exits_0() -> None:
    run = tthc("--help")
    assert run.returncode == 0
    assert "deadline" in run.stdout
    sub = tthc("deadline", "--help")
    assert sub.returncode == 0
    assert "RECEIVED_AT" in sub.stdout
    assert "--cutoff HH:MM" in sub.stdout
