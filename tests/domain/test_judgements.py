"""The judgements of issue 6 §2, one test per rule, on hand-worked examples.

Every value is worked out by hand on the real 2025 calendar: office hours 07:00–11:30 and
13:30–17:00 (8 working hours a day), Giỗ Tổ Hùng Vương Mon 07/04/2025 off, Sat 26/04/2025
worked (làm bù), 30/04–02/05/2025 off. Unless a test says otherwise the dossier is received
Mon 14/04/2025 09:00 with "4 ngày làm việc": due Fri 18/04/2025 09:00 (15, 16, 17, 18/04),
under the process of :data:`PROCESS` (shares 4 h + 2 WD + 1 WD + 4 h = the 4 WD limit).

A *segment* is the stretch one agency held the dossier: from a step's start to the next
step's start (or the end), see :mod:`tthc_engine.domain.judgements`.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.domain.test_rules import CAL, CENTRE, DEPT, PPC, Command, given, refused, then, vn
from tthc_engine import Catalog, TimeLimit
from tthc_engine.application import DeadlineWatcher, OneStopShop
from tthc_engine.catalog import PauseReason
from tthc_engine.domain import BusinessRuleError, Dossier, PlannedStep, Regime, Rule
from tthc_engine.domain import judgements as j
from tthc_engine.domain.slips import control_slip, receipt_slip
from tthc_engine.worktime import Timeliness

EARLY, ON_TIME, LATE = Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE

PROCESS = [
    PlannedStep("receive", "Tiếp nhận, chuyển hồ sơ", CENTRE, TimeLimit.parse("4 giờ làm việc")),
    PlannedStep("appraise", "Thẩm định", DEPT, TimeLimit.parse("2 ngày làm việc")),
    PlannedStep("sign", "Ký duyệt", PPC, TimeLimit.parse("1 ngày làm việc")),
    PlannedStep("return", "Trả kết quả", CENTRE, TimeLimit.parse("4 giờ làm việc")),
]
DUE = vn(2025, 4, 18, 9)
LONG_AFTER = vn(2025, 6, 30, 9)
"""An ``as_of`` well after every dossier below ended."""


def forward(agency: str, at: datetime) -> Command:
    """``agency`` hands over: its step (if any) finishes and the next one starts."""
    return lambda d: d.forward(agency=agency, at=at, calendar=CAL)


def resolve(agency: str, at: datetime) -> Command:
    return lambda d: d.resolve(agency=agency, at=at, calendar=CAL)


def supplement(agency: str, at: datetime) -> Command:
    return lambda d: d.request_supplement(agency=agency, at=at, reason="thiếu giấy tờ")


def supplemented(at: datetime) -> Command:
    return lambda d: d.receive_supplement(agency=CENTRE, at=at, calendar=CAL)


def apology(agency: str, at: datetime, new_due: datetime, lead_days: int = 1) -> Command:
    return lambda d: d.issue_apology(
        agency=agency,
        at=at,
        new_due=new_due,
        reason="chờ ý kiến cơ quan phối hợp",
        calendar=CAL,
        lead_days=lead_days,
    )


def dossier(*commands: Command, **receipt: object) -> Dossier:
    """Received Mon 14/04/2025 09:00, 4 WD (due Fri 18/04 09:00), under :data:`PROCESS`."""
    receipt.setdefault("process", PROCESS)
    return given(*commands, **receipt)


def verdicts(d: Dossier) -> list[str | None]:
    return [h["timeliness"] for h in control_slip(d)["handoffs"]]


# -- the control slip: working minutes used against working minutes allowed -----------------
def test_a_one_hour_step_that_took_seven_and_a_half_hours_is_late_on_the_control_slip() -> None:
    # The 1-hour step starts Tue 15/04 07:30 (its share ends 08:30) and is finished the same
    # day at 17:00: 07:30–11:30 is 4 h, 13:30–17:00 is 3.5 h, so 450 minutes used of 60.
    # Both instants fall on 15/04, so a comparison by date would call it on time.
    one_hour = [PlannedStep("check", "Kiểm tra", DEPT, TimeLimit.parse("1 giờ làm việc"))]
    d = given(
        lambda d: d.start_step(step="check", at=vn(2025, 4, 15, 7, 30), calendar=CAL),
        process=one_hour,
    )
    assert d.current_step is not None
    assert d.current_step.due_at == vn(2025, 4, 15, 8, 30)
    d.finish_step(agency=DEPT, at=vn(2025, 4, 15, 17), calendar=CAL)
    (finished,) = then(d, "StepFinished")
    assert finished.timeliness is LATE
    assert verdicts(d) == ["late"]


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        # started 11:00: 30 minutes before lunch + 30 after, so the share ends at 14:00
        pytest.param(vn(2025, 4, 15, 13, 59), EARLY, id="59-minutes-is-early"),
        pytest.param(vn(2025, 4, 15, 14, 0), ON_TIME, id="exactly-60-minutes-is-on-time"),
        pytest.param(vn(2025, 4, 15, 14, 0, 59), ON_TIME, id="60-minutes-59-seconds-is-60"),
        pytest.param(vn(2025, 4, 15, 14, 1), LATE, id="61-minutes-is-late"),
    ],
)
def test_a_step_is_judged_in_whole_working_minutes_across_the_lunch_break(
    finished: datetime, expected: Timeliness
) -> None:
    one_hour = [PlannedStep("check", "Kiểm tra", DEPT, TimeLimit.parse("1 giờ làm việc"))]
    d = given(
        lambda d: d.start_step(step="check", at=vn(2025, 4, 15, 11), calendar=CAL),
        process=one_hour,
    )
    assert d.current_step is not None
    assert d.current_step.due_at == vn(2025, 4, 15, 14)
    d.finish_step(agency=DEPT, at=finished, calendar=CAL)
    (event,) = then(d, "StepFinished")
    assert event.timeliness is expected


def test_a_clock_stopping_pause_is_not_counted_against_the_step() -> None:
    # appraise (DEPT, 2 WD = 16 h) starts Mon 14/04 10:00 and ends Thu 17/04 10:00: 24 h of
    # office time, of which the supplement wait Tue 15/04 10:00 → Thu 17/04 08:00 is
    # 5 h (15/04) + 8 h (16/04) + 1 h (17/04) = 14 h; 24 − 14 = 10 h used of 16 h: early.
    # Counting the wait, it would have used 24 h: late.
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        supplement(DEPT, vn(2025, 4, 15, 10)),
        supplemented(vn(2025, 4, 17, 8)),
        forward(DEPT, vn(2025, 4, 17, 10)),
    )
    assert verdicts(d)[:2] == ["early", "early"]
    appraise = next(s for s in j.segments(d, CAL, LONG_AFTER) if s.step == "appraise")
    assert (appraise.used, appraise.allowed) == (10 * 3600, 16 * 3600)


# -- the cause of lateness ----------------------------------------------------------------
def test_lateness_is_caused_by_the_first_step_that_overran() -> None:
    # receive  CENTRE 14/04 09:00 → 11:00    2 h of 4 h         early
    # appraise DEPT   14/04 11:00 → 17/04 11:00  24 h of 16 h   late (first overrun)
    # sign     PPC    17/04 11:00 → 21/04 11:00  16 h of 8 h    late
    # return   CENTRE 21/04 11:00 → resolved 14:00  1 h of 4 h  early
    # Resolved Mon 21/04, due Fri 18/04: late by 1 working day (19–20/04 is a weekend).
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 11)),
        forward(DEPT, vn(2025, 4, 17, 11)),
        forward(PPC, vn(2025, 4, 21, 11)),
        resolve(CENTRE, vn(2025, 4, 21, 14)),
    )
    assert verdicts(d) == ["early", "late", "late", "early"]
    assert d.timeliness(CAL) is LATE
    assert d.late_by(CAL) == 1
    assert d.late_cause(LONG_AFTER, CAL) == DEPT
    assert d.holder_at(DUE) == PPC  # the holder at the due is not the cause


def test_an_early_dossier_with_one_late_step_has_no_cause_of_lateness() -> None:
    # receive CENTRE 14/04 09:00 → 16:00: 2.5 h + 2.5 h = 5 h of 4 h, late on the slip;
    # the rest is quick and the dossier is resolved Tue 15/04, before the due 18/04.
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 16)),
        forward(DEPT, vn(2025, 4, 15, 9)),
        resolve(PPC, vn(2025, 4, 15, 10)),
    )
    assert verdicts(d) == ["late", "early", "early"]
    assert d.timeliness(CAL) is EARLY
    assert not d.is_late(LONG_AFTER, CAL)
    assert d.late_cause(LONG_AFTER, CAL) is None
    assert d.late_by(CAL) == 0


def test_a_dossier_late_only_through_a_second_supplement_request_is_the_requesters() -> None:
    # DEPT asks Mon 14/04 10:30, the supplement is back 14:00 (1 h + 0.5 h = 1.5 h waited);
    # PPC asks again Tue 15/04 11:00, back 14:00 (0.5 h + 0.5 h = 1 h waited). No step
    # overran: appraise 8 h − 1.5 h = 6.5 h of 16 h, sign 7 h − 1 h = 6 h of 8 h. Resolved
    # Wed 16/04, before the due (18/04 09:00 moved by 2.5 h to 11:30), yet QĐ 766 counts a
    # dossier with more than one supplement request late: the second request caused it.
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        supplement(DEPT, vn(2025, 4, 14, 10, 30)),
        supplemented(vn(2025, 4, 14, 14)),
        forward(DEPT, vn(2025, 4, 15, 10)),
        supplement(PPC, vn(2025, 4, 15, 11)),
        supplemented(vn(2025, 4, 15, 14)),
        resolve(PPC, vn(2025, 4, 16, 9)),
    )
    assert d.legal_due == vn(2025, 4, 18, 11, 30)
    assert verdicts(d) == ["early", "early", "early"]
    assert d.timeliness(CAL) is LATE
    assert d.late_cause(LONG_AFTER, CAL) == PPC
    assert d.late_by(CAL) == 0  # not a day past the due: late by the rule, not by time
    assert j.in_time_766(d, CAL, LONG_AFTER) is False


def test_the_time_between_a_hand_over_and_the_next_start_is_the_senders() -> None:
    # DEPT finishes appraise Tue 15/04 10:00 (8 h of 16 h: early on the slip) but PPC only
    # starts sign Thu 17/04 10:00. DEPT's segment runs to that start: 14/04 10:00 → 17/04
    # 10:00 = 24 h of 16 h, the first overrun. PPC holds the dossier at the due and overruns
    # too (17/04 10:00 → 21/04 09:00 = 8 h + 5 h + 2 h = 15 h of 8 h), but second.
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        lambda d: d.finish_step(agency=DEPT, at=vn(2025, 4, 15, 10), calendar=CAL),
        lambda d: d.start_step(step="sign", at=vn(2025, 4, 17, 10), calendar=CAL),
        resolve(PPC, vn(2025, 4, 21, 9)),
    )
    assert verdicts(d) == ["early", "early", "late"]
    assert d.holder_at(DUE) == PPC
    assert d.late_cause(LONG_AFTER, CAL) == DEPT
    (_, appraise, _) = [s for s in j.segments(d, CAL, LONG_AFTER) if s.kind is j.SegmentKind.STEP]
    assert (appraise.agency, appraise.used, appraise.allowed) == (DEPT, 24 * 3600, 16 * 3600)


def test_the_counter_is_blamed_only_for_its_own_time() -> None:
    # DEPT overruns appraise (14/04 10:00 → 17/04 10:00 = 24 h of 16 h); PPC signs in 3 h;
    # the counter's return step starts Thu 17/04 15:00 and holds the dossier at its due
    # (18/04 09:00). The counter also overruns (2 h + 8 h + 3 h = 13 h of 4 h) but the
    # department overran first: the lateness is the department's.
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        forward(DEPT, vn(2025, 4, 17, 10)),
        forward(PPC, vn(2025, 4, 17, 15)),
        resolve(CENTRE, vn(2025, 4, 21, 10)),
    )
    assert d.holder_at(DUE) == CENTRE
    assert verdicts(d) == ["early", "late", "early", "late"]
    assert d.late_cause(LONG_AFTER, CAL) == DEPT


def test_the_counter_is_blamed_when_its_own_step_overran_first() -> None:
    # appraise 14/04 10:00 → 16/04 10:00 = exactly 16 h (on time), sign 16/04 10:00 →
    # 17/04 10:00 = exactly 8 h (on time); the counter's 4-hour return step (share to
    # 17/04 16:00) runs to Mon 21/04 09:00: 5 h + 8 h + 2 h = 15 h.
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        forward(DEPT, vn(2025, 4, 16, 10)),
        forward(PPC, vn(2025, 4, 17, 10)),
        resolve(CENTRE, vn(2025, 4, 21, 9)),
    )
    assert verdicts(d) == ["early", "on_time", "on_time", "late"]
    assert d.late_cause(LONG_AFTER, CAL) == CENTRE


def test_without_steps_lateness_goes_to_the_agency_holding_the_dossier_at_its_due() -> None:
    d = given()
    assert d.late_cause(vn(2025, 4, 18, 16), CAL) is None  # the due date itself: on time
    assert d.late_cause(vn(2025, 4, 21, 8), CAL) == CENTRE
    d.resolve(agency=CENTRE, at=vn(2025, 4, 22, 9), calendar=CAL)
    assert d.late_cause(LONG_AFTER, CAL) == CENTRE
    assert d.late_by(CAL) == 2  # 21 and 22/04


def test_the_reception_is_allowed_the_transfer_time_of_the_receipt_day() -> None:
    # No counter step is recorded: the department's first step starts after the receipt.
    # Received Mon 14/04 09:00, the counter may hand over until the close that day (ND
    # 61/2018 Điều 18): 09:00–11:30 + 13:30–17:00 = 6 h allowed. Handed over Tue 15/04
    # 09:00 it used 6 h + 2 h = 8 h: the reception overran, and DEPT did not.
    late_transfer = dossier(
        lambda d: d.start_step(step="appraise", at=vn(2025, 4, 15, 9), calendar=CAL),
        resolve(DEPT, vn(2025, 4, 21, 9)),
    )
    (reception, _) = j.segments(late_transfer, CAL, LONG_AFTER)
    assert reception.kind is j.SegmentKind.RECEPTION
    assert (reception.used, reception.allowed) == (8 * 3600, 6 * 3600)
    assert late_transfer.late_cause(LONG_AFTER, CAL) == CENTRE
    # Received Mon 14/04 16:00, after 15:00: the transfer may wait for the next working day
    # (1 h that day + 8 h on 15/04 allowed); handed over 15/04 09:00 it used 3 h.
    evening = given(
        lambda d: d.start_step(step="appraise", at=vn(2025, 4, 15, 9), calendar=CAL),
        process=PROCESS,
        at=vn(2025, 4, 14, 16),
    )
    (reception, _) = j.segments(evening, CAL, LONG_AFTER)
    assert (reception.used, reception.allowed) == (3 * 3600, 9 * 3600)
    assert not reception.overran


# -- overdue while waiting ----------------------------------------------------------------
def test_a_supplement_requested_after_the_due_keeps_an_open_dossier_overdue() -> None:
    # Requested Mon 21/04 09:00, after the due Fri 18/04: the dossier is measured at the
    # request (QĐ 766 chỉ số 2.1), a later date than the due date.
    d = given(supplement(CENTRE, vn(2025, 4, 21, 9)))
    assert d.measured_end(vn(2025, 4, 23, 9)) == vn(2025, 4, 21, 9)
    assert d.is_late(vn(2025, 4, 23, 9), CAL)
    assert d.late_by(CAL, vn(2025, 4, 23, 9)) == 1  # 21/04, not the days waited since
    assert j.in_time_766(d, CAL, vn(2025, 4, 30, 17)) is False
    assert d.mark_overdue(at=vn(2025, 4, 23, 9), calendar=CAL)
    then(d, "BecameOverdue")


def test_a_supplement_requested_before_the_due_stops_the_clock_in_time() -> None:
    d = given(supplement(CENTRE, vn(2025, 4, 17, 9)))
    assert d.measured_end(vn(2025, 4, 23, 9)) == vn(2025, 4, 17, 9)
    assert not d.is_late(vn(2025, 4, 23, 9), CAL)
    assert j.in_time_766(d, CAL, vn(2025, 4, 30, 17)) is True
    refused(
        d, lambda d: d.mark_overdue(at=vn(2025, 4, 23, 9), calendar=CAL), Rule.OVERDUE_AFTER_DUE
    )


def _shop(**options: object) -> OneStopShop:
    """An in-memory application without a catalog (limits are given at receipt)."""
    return OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, **options)  # type: ignore[arg-type]


def test_the_overdue_list_and_the_watcher_keep_a_dossier_whose_supplement_came_after_the_due() -> (
    None
):
    app = _shop()
    late = app.receive("1.004227", agency=CENTRE, limit="4 ngày làm việc", at=vn(2025, 4, 14, 9))
    waiting = app.receive("1.004227", agency=CENTRE, limit="4 ngày làm việc", at=vn(2025, 4, 14, 9))
    app.request_supplement(late.code, agency=CENTRE, reason="thiếu", at=vn(2025, 4, 21, 9))
    app.request_supplement(waiting.code, agency=CENTRE, reason="thiếu", at=vn(2025, 4, 17, 9))
    assert [i.code for i in app.overdue(vn(2025, 4, 23, 9))] == [late.code]
    assert DeadlineWatcher(app).tick(vn(2025, 4, 23, 9)).overdue == (late.code,)
    assert app.dossier(late.code).overdue_at == vn(2025, 4, 23, 9)
    assert app.dossier(waiting.code).overdue_at is None


# -- pauses running at the end --------------------------------------------------------------
def test_resolving_during_an_excluded_public_posting_is_measured_at_the_postings_start() -> None:
    # The posting starts Wed 16/04 09:00 and the dossier is resolved during it, Tue 22/04
    # 09:00. QĐ 766 subtracts the waiting time: 22/04 09:00 − 4 working days (16→17, 17→18,
    # 18→21, 21→22) = 16/04 09:00, two days before the due: early.
    posted = given(
        lambda d: d.pause(agency=CENTRE, at=vn(2025, 4, 16, 9), reason="public_posting"),
        resolve(CENTRE, vn(2025, 4, 22, 9)),
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
    )
    assert posted.measured_end() == vn(2025, 4, 16, 9)
    assert posted.timeliness(CAL) is EARLY
    assert not posted.is_late(LONG_AFTER, CAL)
    assert posted.late_by(CAL) == 0
    assert posted.late_cause(LONG_AFTER, CAL) is None
    assert j.in_time_766(posted, CAL, LONG_AFTER) is True
    # Where the procedure does not exclude the posting, its time counts: late by 21, 22/04.
    counted = given(
        lambda d: d.pause(agency=CENTRE, at=vn(2025, 4, 16, 9), reason="public_posting"),
        resolve(CENTRE, vn(2025, 4, 22, 9)),
    )
    assert counted.measured_end() == vn(2025, 4, 22, 9)
    assert counted.timeliness(CAL) is LATE
    assert counted.late_by(CAL) == 2


def test_late_by_counts_working_days_past_the_due_date_on_the_real_calendar() -> None:
    # Received Thu 24/04 09:00 with 2 WD: 25/04 and Sat 26/04 (worked) → due Sat 26/04.
    # Resolved Mon 05/05: the working days in (26/04, 05/05] are 28, 29/04 and 05/05
    # (30/04–02/05 off, 03–04/05 a weekend).
    d = given(
        resolve(CENTRE, vn(2025, 5, 5, 9)),
        at=vn(2025, 4, 24, 9),
        code="000.00.10.H41-250424-0001",
        limit=TimeLimit.parse("2 ngày làm việc"),
    )
    assert d.original_due == vn(2025, 4, 26, 9)
    assert d.late_by(CAL) == 3


# -- the apology (Mẫu 04) ---------------------------------------------------------------------
def test_the_agency_handling_the_dossier_apologises_on_a_date_before_the_due_date() -> None:
    d = dossier(forward(CENTRE, vn(2025, 4, 14, 9)), forward(CENTRE, vn(2025, 4, 14, 10)))
    assert j.apology_agencies(d, vn(2025, 4, 17, 16), CAL) == {DEPT}
    apology(DEPT, vn(2025, 4, 17, 16), vn(2025, 4, 22, 9))(d)
    (event,) = then(d, "ApologyIssued")
    assert event.new_due == vn(2025, 4, 22, 9)


def test_an_apology_on_the_due_date_is_refused_even_before_the_due_hour() -> None:
    d = dossier(forward(CENTRE, vn(2025, 4, 14, 9)), forward(CENTRE, vn(2025, 4, 14, 10)))
    refused(d, apology(DEPT, vn(2025, 4, 18, 8), vn(2025, 4, 22, 9)), Rule.APOLOGY_BEFORE_DUE)
    apology(DEPT, vn(2025, 4, 18, 8), vn(2025, 4, 22, 9), lead_days=0)(d)  # a tenant's choice
    then(d, "ApologyIssued")


def test_the_counter_may_not_apologise_for_a_departments_delay_but_the_department_may() -> None:
    # appraise (DEPT) 14/04 10:00 → 16/04 15:00 = 16 h + 3 h = 19 h of 16 h: overran. PPC
    # signs by 17/04 09:00 (4 h of 8 h) and the counter holds the return step at 10:00.
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        forward(DEPT, vn(2025, 4, 16, 15)),
        forward(PPC, vn(2025, 4, 17, 9)),
    )
    assert d.handler == CENTRE
    assert j.apology_agencies(d, vn(2025, 4, 17, 10), CAL) == {DEPT}
    at, new_due = vn(2025, 4, 17, 10), vn(2025, 4, 22, 9)
    refused(d, apology(CENTRE, at, new_due), Rule.APOLOGY_BY_RESPONSIBLE_AGENCY)
    refused(d, apology(PPC, at, new_due), Rule.APOLOGY_BY_RESPONSIBLE_AGENCY)
    apology(DEPT, at, new_due)(d)  # after handing over: its step overran
    (event,) = then(d, "ApologyIssued")
    assert event.agency == DEPT


def test_the_counter_may_apologise_for_its_own_delay() -> None:
    d = given()  # no step recorded: the counter holds the dossier and nobody else overran
    assert j.apology_agencies(d, vn(2025, 4, 17, 10), CAL) == {CENTRE}
    apology(CENTRE, vn(2025, 4, 17, 10), vn(2025, 4, 22, 9))(d)
    then(d, "ApologyIssued")


def test_a_tenant_requiring_two_working_days_of_lead_refuses_the_day_before() -> None:
    # Received Mon 28/04 09:00 with 3 WD: 29/04, then 05/05 and 06/05 (30/04–02/05 off,
    # 03–04/05 a weekend) → due Tue 06/05 09:00. Two working days before the due date is
    # Tue 29/04: working days in (29/04, 06/05] = 05/05, 06/05.
    strict = _shop(apology_lead_days=2)
    code = strict.receive(
        "1.004227", agency=CENTRE, limit="3 ngày làm việc", at=vn(2025, 4, 28, 9)
    ).code
    assert strict.dossier(code).legal_due == vn(2025, 5, 6, 9)
    with pytest.raises(BusinessRuleError) as caught:
        strict.issue_apology(
            code, agency=CENTRE, new_due=vn(2025, 5, 8, 9), reason="x", at=vn(2025, 5, 5, 10)
        )
    assert caught.value.rule is Rule.APOLOGY_BEFORE_DUE
    strict.issue_apology(
        code, agency=CENTRE, new_due=vn(2025, 5, 8, 9), reason="x", at=vn(2025, 4, 29, 10)
    )
    assert strict.dossier(code).current_due == vn(2025, 5, 8, 9)
    # the default (1 working day: an earlier date) accepts Mon 05/05
    default = _shop()
    other = default.receive(
        "1.004227", agency=CENTRE, limit="3 ngày làm việc", at=vn(2025, 4, 28, 9)
    ).code
    default.issue_apology(
        other, agency=CENTRE, new_due=vn(2025, 5, 8, 9), reason="x", at=vn(2025, 5, 5, 10)
    )
    assert len(default.dossier(other).apologies) == 1


def test_the_new_appointment_is_the_current_due_and_the_original_due_decides_timeliness() -> None:
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        apology(DEPT, vn(2025, 4, 17, 16), vn(2025, 4, 22, 9)),
        resolve(DEPT, vn(2025, 4, 21, 10)),
    )
    assert d.current_due == vn(2025, 4, 22, 9)
    assert receipt_slip(d)["current_due"] == "2025-04-22T09:00:00+07:00"
    assert d.original_due == d.legal_due == DUE
    # resolved Mon 21/04: before the new appointment, after the legal due
    assert d.timeliness(CAL) is LATE
    assert d.late_by(CAL) == 1
    assert d.late_cause(LONG_AFTER, CAL) == DEPT


# -- status 9 ends processing -----------------------------------------------------------------
def test_returning_the_result_weeks_later_never_makes_a_resolved_dossier_late() -> None:
    d = given(
        resolve(CENTRE, vn(2025, 4, 17, 10)),
        lambda d: d.return_result(agency=CENTRE, at=vn(2025, 5, 12, 9)),
    )
    assert d.measured_end() == vn(2025, 4, 17, 10)
    assert d.timeliness(CAL) is EARLY
    assert not d.is_late(vn(2025, 5, 20, 9), CAL)
    assert d.late_by(CAL) == 0
    assert d.late_cause(vn(2025, 5, 20, 9), CAL) is None
    assert j.in_time_766(d, CAL, vn(2025, 5, 31, 17)) is True


def test_only_the_agency_handling_the_dossier_declares_it_resolved() -> None:
    d = dossier(forward(CENTRE, vn(2025, 4, 14, 9)), forward(CENTRE, vn(2025, 4, 14, 10)))
    refused(d, resolve(CENTRE, vn(2025, 4, 15, 9)), Rule.STEP_HELD_BY_AGENCY)
    resolve(DEPT, vn(2025, 4, 15, 9))(d)
    (resolved,) = then(d, "Resolved")
    assert resolved.step_timeliness is EARLY  # appraise: 7 h of its 16 h


def test_a_resolved_dossier_leaves_the_overdue_list_whenever_its_result_is_returned() -> None:
    app = _shop()
    code = app.receive(
        "1.004227", agency=CENTRE, limit="4 ngày làm việc", at=vn(2025, 4, 14, 9)
    ).code
    app.resolve(code, agency=CENTRE, at=vn(2025, 4, 17, 10))
    assert app.overdue(vn(2025, 5, 5, 9)) == []
    app.return_result(code, agency=CENTRE, at=vn(2025, 5, 12, 9))
    assert app.overdue(vn(2025, 5, 20, 9)) == []
    assert DeadlineWatcher(app).tick(vn(2025, 5, 20, 9)).overdue == ()


# -- QĐ 766 chỉ số 2.1 for one dossier ---------------------------------------------------------
END_OF_APRIL = vn(2025, 4, 30, 17)


@pytest.mark.parametrize(
    ("commands", "period_end", "expected"),
    [
        pytest.param(
            [lambda d: d.withdraw(agency=CENTRE, at=vn(2025, 4, 16, 9))],
            END_OF_APRIL,
            True,
            id="withdrawn-before-the-appointment",
        ),
        pytest.param(
            [lambda d: d.stop(agency=CENTRE, at=vn(2025, 4, 22, 9), reason="không đủ ĐK")],
            END_OF_APRIL,
            False,
            id="stopped-after-the-appointment",
        ),
        pytest.param(
            [supplement(CENTRE, vn(2025, 4, 16, 9))],
            END_OF_APRIL,
            True,
            id="waiting-on-a-supplement-asked-before-the-due",
        ),
        pytest.param(
            [supplement(CENTRE, vn(2025, 4, 21, 9))],
            END_OF_APRIL,
            False,
            id="waiting-on-a-supplement-asked-after-the-due",
        ),
        pytest.param(
            [
                supplement(CENTRE, vn(2025, 4, 14, 10)),
                supplemented(vn(2025, 4, 14, 11)),
                supplement(CENTRE, vn(2025, 4, 15, 9)),
            ],
            END_OF_APRIL,
            False,
            id="waiting-on-a-second-supplement",
        ),
        pytest.param(
            [
                supplement(CENTRE, vn(2025, 4, 14, 10)),
                supplemented(vn(2025, 4, 14, 11)),
                supplement(CENTRE, vn(2025, 4, 15, 9)),
                supplemented(vn(2025, 4, 15, 10)),
                resolve(CENTRE, vn(2025, 4, 16, 9)),
            ],
            END_OF_APRIL,
            False,
            id="resolved-early-after-two-supplements",
        ),
        pytest.param([], vn(2025, 4, 17, 17), True, id="open-at-a-period-end-before-the-due"),
        pytest.param([], END_OF_APRIL, False, id="open-at-a-period-end-after-the-due"),
        pytest.param(
            [resolve(CENTRE, vn(2025, 4, 22, 9))],
            vn(2025, 4, 17, 17),
            True,
            id="resolved-late-but-still-open-at-the-period-end",
        ),
        pytest.param([], vn(2025, 4, 11, 17), None, id="received-after-the-period-end"),
    ],
)
def test_the_766_indicator_measures_each_dossier_at_its_end_or_the_period_end(
    commands: list[Command], period_end: datetime, expected: bool | None
) -> None:
    assert j.in_time_766(given(*commands), CAL, period_end) is expected


def test_a_dossier_never_received_is_not_counted_by_766() -> None:
    d = Dossier.submit(
        code=given().code, procedure="1.004227", at=vn(2025, 4, 12, 20), agency=CENTRE
    )
    d.refuse(at=vn(2025, 4, 14, 9), agency=CENTRE, reason="thiếu giấy tờ")
    assert j.in_time_766(d, CAL, END_OF_APRIL) is None
    assert d.measured_end(END_OF_APRIL) is None


def test_nothing_is_judged_before_the_receipt() -> None:
    d = given()  # received Mon 14/04 09:00
    before = vn(2025, 4, 11, 17)
    assert d.measured_end(before) is None
    assert not d.is_late(before, CAL)
    assert d.late_cause(before, CAL) is None
    assert d.late_by(CAL, before) == 0
    assert list(j.segments(d, CAL, before)) == []


# -- the procedure version in force --------------------------------------------------------
def test_a_procedure_outside_its_validity_is_not_received() -> None:
    catalog = Catalog.sample()
    app = _shop(catalog=catalog)
    assert catalog.versions("1.012753")[0].valid_from.isoformat() == "2024-08-01"
    with pytest.raises(BusinessRuleError) as caught:
        app.receive("1.012753", agency=CENTRE, at=vn(2024, 7, 15, 9))
    assert caught.value.rule is Rule.PROCEDURE_IN_FORCE


def test_a_history_spanning_1_july_2025_receives_each_dossier_under_the_version_in_force() -> None:
    # 1.013831 (land transfer): 10 WD until 30/06/2025, 8 WD from 01/07/2025.
    # Mon 30/06 + 10 WD → 01, 02, 03, 04, 07, 08, 09, 10, 11, 14/07 → Mon 14/07 09:00;
    # Tue 01/07 + 8 WD → 02, 03, 04, 07, 08, 09, 10, 11/07 → Fri 11/07 09:00.
    app = _shop(catalog=Catalog.sample())
    before = app.receive("1.013831", agency=CENTRE, at=vn(2025, 6, 30, 9))
    after = app.receive("1.013831", agency=CENTRE, at=vn(2025, 7, 1, 9))
    assert (str(before.limit), str(after.limit)) == ("10 ngày làm việc", "8 ngày làm việc")
    assert before.original_due == vn(2025, 7, 14, 9)
    assert after.original_due == vn(2025, 7, 11, 9)
    assert (before.regime, after.regime) == (Regime.ND61_2018, Regime.ND118_2025)
    shares = {d.code: [str(s.allotted) for s in d.process] for d in (before, after)}
    assert shares[before.code][1:3] == ["4 ngày làm việc", "4,5 ngày làm việc"]
    assert shares[after.code][1:3] == ["3 ngày làm việc", "3,5 ngày làm việc"]
