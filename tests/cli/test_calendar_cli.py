"""``tthc calendar YEAR``: a year's working days with the documents that decided them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import run_tthc as _tthc


def test_the_2025_calendar_lists_the_swapped_days_with_their_notice(tmp_path: Path) -> None:
    result = _tthc("calendar", "2025", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    year = json.loads(result.stdout)
    assert (year["year"], year["status"]) == (2025, "official")
    days = {d["date"]: d for d in year["special_days"]}
    worked = days["2025-04-26"]  # Saturday worked for Friday 02/05 (TB 6150/TB-BLĐTBXH)
    assert (worked["working"], worked["kind"], worked["weekday"]) == (True, "worked_day", 6)
    assert year["documents"][worked["document"]]["number"] == "Thông báo 6150/TB-BLĐTBXH"
    assert days["2025-05-02"]["kind"] == "decreed_day_off"
    assert year["months"]["2025-04"] == {"working_days": 21, "days_off": 2, "worked_weekend": 1}
    assert year["working_days"] == sum(m["working_days"] for m in year["months"].values())


def test_the_table_speaks_vietnamese_by_default_and_english_on_request(tmp_path: Path) -> None:
    vi = _tthc("calendar", "2025", cwd=tmp_path)
    assert "Lịch làm việc năm 2025 của cán bộ, công chức (chính thức)" in vi.stdout
    assert "  26/04 T7  làm việc Làm bù cho ngày nghỉ hoán đổi thứ Sáu 02/05/2025" in vi.stdout
    en = _tthc("calendar", "2025", "--lang", "en", cwd=tmp_path)
    assert "Civil-servant working calendar 2025 (official)" in en.stdout
    assert "  26/04 Sat worked   Worked Saturday, swapped for Friday 02/05/2025" in en.stdout
    assert "Thông báo 6150/TB-BLĐTBXH — Bộ Lao động - Thương binh và Xã hội, 03/12/2024" in (
        en.stdout
    )


def test_a_province_s_office_hours_are_shown(tmp_path: Path) -> None:
    result = _tthc("calendar", "2026", "--office-hours", "7:30-11:30, 13:30-17:00", cwd=tmp_path)
    assert "Giờ làm việc: 07:30-11:30, 13:30-17:00" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["2031"], 1, "YEAR: 2031 is outside the calendar's data 2020..2027"),
        (["2025", "--office-hours", "9-8"], 1, "--office-hours: "),
        (["twenty"], 2, "invalid int value: 'twenty'"),
        ([], 2, "the following arguments are required: YEAR"),
    ],
)
def test_a_year_without_data_or_a_bad_option_is_refused_in_one_line(
    tmp_path: Path, args: list[str], code: int, says: str
) -> None:
    result = _tthc("calendar", *args, cwd=tmp_path)
    assert result.returncode == code
    assert says in result.stderr.strip().splitlines()[-1]
    assert result.stdout == ""
