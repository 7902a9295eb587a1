"""A stored log written before the domain split reads back unchanged, on every store.

``tests/data/stored-events-before-split.jsonl`` holds the stored events that the code of
commit 42ed3ba (every event class nested in ``domain/dossier.py``) wrote for ten dossiers
going through all 18 dossier event types, and what that code read back from them
(``tests/data/make_stored_events.py`` made it, with that code). The events are inserted
as they were stored into a fresh store, and the current code must read every dossier back
to the same facts: the stored topics, the event fields and the aggregate's topic are a
stored format (CHANGELOG "Stored events").

Judgements are not stored, except the control-slip verdict of each finished step: events
written before the split carry verdicts judged by *date*, and they are kept as recorded
(a replay never re-judges history, ADR 0009); every other judgement is computed by
today's rules from the recorded facts.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import resolve_topic

from tests.application.conftest import AppFactory, vn
from tests.conftest import CASES
from tests.data.make_stored_events import CENTRE, reading
from tthc_engine.application import DeadlineWatcher, OneStopShop
from tthc_engine.domain import Dossier, judgements
from tthc_engine.worktime import Timeliness

FIXTURE = CASES / "stored-events-before-split.jsonl"
RECORDS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
EVENTS = [r for r in RECORDS if r["record"] == "event"]
EXPECTED = {r["expected"]["code"]: r["expected"] for r in RECORDS if r["record"] == "dossier"}
DOSSIER_EVENTS = [
    "Submitted",
    "Received",
    "Refused",
    "StepStarted",
    "StepFinished",
    "SupplementRequested",
    "SupplementReceived",
    "Paused",
    "Resumed",
    "Resolved",
    "ResultReturned",
    "Withdrawn",
    "Stopped",
    "BecameOverdue",
    "ApologyIssued",
    "FeedbackGiven",
    "FeePaid",
    "Digitised",
]


def _restore(app: OneStopShop) -> None:
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=UUID(e["originator_id"]),
                originator_version=e["originator_version"],
                topic=e["topic"],
                state=e["state"].encode("utf-8"),
            )
            for e in EVENTS
        ]
    )


def test_the_fixture_holds_every_stored_topic_and_each_names_a_class_today() -> None:
    topics = {e["topic"] for e in EVENTS}
    assert topics == {f"tthc:Dossier.{name}" for name in DOSSIER_EVENTS} | {
        "tthc:CodeSequence.Started",
        "tthc:CodeSequence.Issued",
    }
    for name in DOSSIER_EVENTS:
        assert resolve_topic(f"tthc:Dossier.{name}") is getattr(Dossier, name)
    assert len(EXPECTED) == 10


def test_a_log_written_before_the_split_reads_back_to_the_same_dossiers(
    make_app: AppFactory,
) -> None:
    app = make_app()
    _restore(app)
    for code, expected in EXPECTED.items():
        assert reading(app.dossier(code)) == expected, code


def test_step_verdicts_written_before_the_split_are_kept_as_recorded(
    make_app: AppFactory,
) -> None:
    # Dossier 8: its 1-hour reception step ran 07:30 → 17:00 on 08/10/2025, 450 working
    # minutes. The code of 42ed3ba judged steps by date and recorded "on time"; today's
    # rule (working minutes) calls it late, but the stored verdict is what the slip shows.
    app = make_app()
    _restore(app)
    d = app.dossier("000.00.10.H41-251008-0002")
    first = d.steps[0]
    assert first.allotted.amount == 1
    assert first.finished_at is not None
    assert first.timeliness is Timeliness.ON_TIME
    assert app.control_slip(d.code)["handoffs"][0]["timeliness"] == "on_time"
    assert judgements.step_verdict(d, first, first.finished_at, app.calendar) is Timeliness.LATE


def _judge(app: OneStopShop, code: str) -> dict[str, Any]:
    d = app.dossier(code)
    end = vn(2025, 10, 31, 17)
    return {
        "timeliness": t.value if (t := d.timeliness(app.calendar)) else None,
        "late": d.is_late(end, app.calendar),
        "cause": d.late_cause(end, app.calendar),
        "766": judgements.in_time_766(d, app.calendar, end),
    }


def test_todays_judgements_apply_to_a_log_written_before_the_split(make_app: AppFactory) -> None:
    app = make_app()
    _restore(app)
    # dossier 1: due 09/10 09:00, FINANCE's step (06/10 11:00 → 13/10 10:00) overran
    assert _judge(app, "000.00.10.H41-251006-0001") == {
        "timeliness": "late",
        "late": True,
        "cause": "000.00.20.H41",
        "766": False,
    }
    # dossier 7: resolved early after two supplement requests, the second by the counter
    assert _judge(app, "000.00.10.H41-251008-0001") == {
        "timeliness": "late",
        "late": True,
        "cause": CENTRE,
        "766": False,
    }
    # dossier 9: due 16/10 09:00, a supplement asked 20/10 (after the due) and still awaited.
    # The code of 42ed3ba held it off the overdue list; today it is overdue and marked.
    waiting = "000.00.10.H41-251013-0001"
    assert EXPECTED[waiting]["overdue_at"] is None
    assert [i.code for i in app.overdue(vn(2025, 10, 22, 9))] == [waiting]
    assert DeadlineWatcher(app).tick(vn(2025, 10, 22, 9)).overdue == (waiting,)


def test_dossiers_and_code_sequences_from_before_the_split_go_on(make_app: AppFactory) -> None:
    app = make_app()
    _restore(app)
    # 07/10/2025: numbers 1–3 were issued before the split (withdrawn, stopped, refused)
    assert str(app.next_code(CENTRE, date(2025, 10, 7))) == "000.00.10.H41-251007-0004"
    waiting = "000.00.10.H41-251013-0001"
    app.receive_supplement(waiting, agency=CENTRE, at=vn(2025, 10, 23, 9))
    d = app.dossier(waiting)
    assert d.version == EXPECTED[waiting]["version"] + 1
    assert d.legal_due == vn(2025, 10, 28, 9)  # restart policy: 3 WD from 23/10
