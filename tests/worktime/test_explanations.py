"""The explanation of a deadline, word for word, in both languages.

The explanation is what an official reads out and a citizen is shown (the rule, the days
counted and skipped with the deciding documents, the appointment): a change of one word is
a change of the contract. The expected texts are in ``tests/snapshots/explanations.json``;
after a deliberate change, regenerate them with
``python -m tests.worktime.test_explanations`` and review the diff.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from tests.conftest import REPO
from tthc_engine.worktime import VN_TZ, VietnamCalendar

SNAPSHOT = REPO / "tests" / "snapshots" / "explanations.json"

# (name, received, limit): each exercises one part of the rule.
CASES: list[tuple[str, tuple[int, ...], str]] = [
    ("working days over 30/4 and 1/5 and a swapped day", (2025, 4, 24, 9), "3 ngày làm việc"),
    ("working days over Tết", (2025, 1, 24, 9), "5 ngày làm việc"),
    (
        "same day, received after the 15:00 cut-off",
        (2025, 4, 14, 15, 30),
        "trong ngày; trường hợp nhận sau 15:00 thì trả trong ngày làm việc tiếp theo",
    ),
    (
        "same day, received before the cut-off",
        (2025, 4, 14, 9),
        "trong ngày; trường hợp nhận sau 15:00 thì trả trong ngày làm việc tiếp theo",
    ),
    ("received on a Saturday", (2025, 4, 12, 10), "3 ngày làm việc"),
    ("received after office hours", (2025, 4, 14, 18), "2 ngày làm việc"),
    ("working hours over lunch and the night", (2025, 4, 14, 16), "8 giờ làm việc"),
    ("half a working day", (2025, 4, 14, 14), "0,5 ngày làm việc"),
    ("calendar days ending on a worked Saturday", (2025, 4, 16, 9), "10 ngày"),
    ("calendar days ending on a Sunday", (2025, 4, 10, 9), "10 ngày"),
    ("a day and a half", (2025, 4, 14, 15), "1,5 ngày làm việc"),
    ("a year not yet decided", (2027, 6, 1, 9), "5 ngày làm việc"),
]


def _explained() -> dict[str, Any]:
    cal = VietnamCalendar()
    out: dict[str, Any] = {}
    for name, received, limit in CASES:
        deadline = cal.due(datetime(*received, tzinfo=VN_TZ), limit)  # type: ignore[misc]
        out[name] = {
            "vi": deadline.explain().splitlines(),
            "en": deadline.explain("en").splitlines(),
            # the calendar's version changes with every new decision in its data
            "json": {k: v for k, v in deadline.as_dict("en").items() if k != "calendar_version"},
        }
    return out


@pytest.mark.parametrize("name", [case[0] for case in CASES])
def test_a_deadline_is_explained_word_for_word(name: str) -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert name in expected, "new case: regenerate with python -m tests.worktime.test_explanations"
    assert json.loads(json.dumps(_explained()[name], ensure_ascii=False)) == expected[name]


if __name__ == "__main__":
    SNAPSHOT.write_text(
        json.dumps(_explained(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {SNAPSHOT}")
