"""Write ``stored-events-before-split.jsonl``: a stored log written by the code *before* the
domain split, and what that code read back from it.

Run it with the code of commit 42ed3ba, where every dossier event class was nested in
``domain/dossier.py``; it refuses to run on later code. The point of the fixture is to
prove that a log written before the split reads back unchanged today (stored topics
``tthc:Dossier.*`` and ``tthc:CodeSequence.*``, event fields, the aggregate's topic), so it
must come from the old code: run with the current code it would only prove that the
current code reads what it writes itself. From a checkout of the project::

    git worktree add /tmp/before-split 42ed3ba
    PYTHONPATH=/tmp/before-split/src .venv/bin/python tests/data/make_stored_events.py

Ten dossiers in October 2025 on the sample Nghệ An catalog (as it was at 42ed3ba) go
through all 18 dossier event types into a fresh SQLite file; the file's stored events are
then written out one per line in notification order (``"record": "event"``: originator
id, version, topic and the state as text), followed by one line per dossier (``"record":
"dossier"``) with what the old code read back: status, dues, steps with their recorded
control-slip verdicts (judged by date then), pauses, apologies and the rest. The SQLite
file is a temporary one and is not kept; only the JSONL is committed.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "stored-events-before-split.jsonl"
COMMIT = "42ed3ba"

CENTRE = "000.00.10.H41"  # Trung tâm Phục vụ hành chính công tỉnh (receiving unit)
LAND = "000.22.10.H41"  # Văn phòng đăng ký đất đai
FINANCE = "000.00.20.H41"  # Sở Tài chính
JUSTICE = "000.00.21.H41"  # Sở Tư pháp


def _refuse_split_code() -> None:
    if importlib.util.find_spec("tthc_engine.domain.judgements") is not None:
        sys.exit(
            "make_stored_events.py must run with the code before the domain split "
            f"(commit {COMMIT}); see its docstring"
        )


def vn(*parts: int) -> datetime:
    from tthc_engine import VN_TZ

    return datetime(*parts, tzinfo=VN_TZ)  # type: ignore[misc]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def reading(d: Any) -> dict[str, Any]:
    """What a dossier's state says, in plain JSON (facts, not today's judgements)."""
    return {
        "code": d.code,
        "version": d.version,
        "procedure": d.procedure,
        "procedure_name": d.procedure_name,
        "channel": d.channel.value,
        "applicant": d.applicant,
        "status": int(d.status),
        "limit": str(d.limit) if d.limit is not None else None,
        "regime": d.regime.name if d.regime is not None else None,
        "calendar_version": d.calendar_version,
        "supplement_policy": d.supplement_policy.value,
        "excluded_pauses": [r.value for r in d.excluded_pauses],
        "process": [s.as_dict() for s in d.process],
        "submitted_at": _iso(d.submitted_at),
        "received_at": _iso(d.received_at),
        "effective_start": _iso(d.effective_start),
        "original_due": _iso(d.original_due),
        "legal_due": _iso(d.legal_due),
        "current_due": _iso(d.current_due),
        "holder": d.holder,
        "receiving_agency": d.receiving_agency,
        "steps": [
            {
                "key": s.key,
                "name": s.name,
                "agency": s.agency,
                "allotted": str(s.allotted),
                "started_at": _iso(s.started_at),
                "due_at": _iso(s.due_at),
                "finished_at": _iso(s.finished_at),
                "timeliness": s.timeliness.value if s.timeliness is not None else None,
            }
            for s in d.steps
        ],
        "pauses": [
            {
                "kind": p.kind.value,
                "reason": p.reason,
                "started_at": _iso(p.started_at),
                "stops_clock": p.stops_clock,
                "ended_at": _iso(p.ended_at),
            }
            for p in d.pauses
        ],
        "supplement_requests": d.supplement_requests,
        "apologies": [
            {
                "at": _iso(a.at),
                "agency": a.agency,
                "previous_due": _iso(a.previous_due),
                "new_due": _iso(a.new_due),
                "reason": a.reason,
            }
            for a in d.apologies
        ],
        "overdue_at": _iso(d.overdue_at),
        "resolved_at": _iso(d.resolved_at),
        "returned_at": _iso(d.returned_at),
        "return_channel": d.return_channel.value if d.return_channel is not None else None,
        "ended_at": _iso(d.ended_at),
        "outcome": d.outcome,
        "feedback": [
            {
                "at": _iso(f.at),
                "rating": f.rating.value,
                "comment": f.comment,
                "complaint": f.complaint,
            }
            for f in d.feedback
        ],
        "payments": [
            {"at": _iso(p.at), "amount": p.amount, "online": p.online} for p in d.payments
        ],
        "digitised_components": d.digitised_components,
        "e_result": d.e_result,
        "reused_data": d.reused_data,
        "last_at": _iso(d.last_at),
        "command_ids": sorted(d.command_ids),
    }


def run(app: Any) -> list[str]:
    """The dossiers, through every event type; returns their codes."""
    from tthc_engine.application import DeadlineWatcher

    codes = []

    # 1. 2.001610 (3 WD, restart): an apology by the holder, overdue, resolved late.
    d = app.receive("2.001610", agency=CENTRE, at=vn(2025, 10, 6, 9), command_id="recv-2")
    app.forward(d.code, agency=CENTRE, at=vn(2025, 10, 6, 9))
    app.forward(d.code, agency=CENTRE, at=vn(2025, 10, 6, 11))
    app.issue_apology(
        d.code,
        agency=FINANCE,
        new_due=vn(2025, 10, 14, 9),
        reason="chờ xác minh ngành nghề kinh doanh",
        at=vn(2025, 10, 8, 15),
    )
    assert DeadlineWatcher(app).tick(vn(2025, 10, 10, 8)).overdue == (d.code,)
    app.forward(d.code, agency=FINANCE, at=vn(2025, 10, 13, 10))
    app.resolve(d.code, agency=CENTRE, at=vn(2025, 10, 13, 14))
    codes.append(d.code)

    # 2. 1.013831 (8 WD, pause, financial obligation excluded): online, the whole way.
    d = app.submit(
        "1.013831",
        agency=CENTRE,
        at=vn(2025, 10, 4, 20),
        applicant={"name": "Nguyễn Văn An", "id_number": "040085000123"},
    )
    app.receive("1.013831", agency=CENTRE, code=d.code, channel="online", at=vn(2025, 10, 6, 8))
    app.forward(d.code, agency=CENTRE, at=vn(2025, 10, 6, 8, 30))
    app.forward(d.code, agency=CENTRE, at=vn(2025, 10, 6, 10), actor="cb.tiepnhan")
    app.request_supplement(
        d.code,
        agency=LAND,
        reason="thiếu hợp đồng chuyển nhượng",
        items=["hợp đồng chuyển nhượng có công chứng"],
        at=vn(2025, 10, 7, 9),
    )
    app.receive_supplement(d.code, agency=CENTRE, at=vn(2025, 10, 9, 9))
    app.forward(d.code, agency=LAND, at=vn(2025, 10, 10, 10))
    app.pause(d.code, agency=LAND, reason="financial_obligation", at=vn(2025, 10, 13, 9))
    app.resume(d.code, agency=LAND, at=vn(2025, 10, 15, 9))
    app.forward(d.code, agency=LAND, at=vn(2025, 10, 16, 9))
    app.resolve(d.code, agency=CENTRE, at=vn(2025, 10, 17, 9), command_id="resolve-land-1")
    app.record_payment(d.code, agency=CENTRE, amount=500_000, online=True, at=vn(2025, 10, 17, 10))
    app.record_digitisation(
        d.code, agency=CENTRE, components=3, e_result=True, reused=True, at=vn(2025, 10, 17, 11)
    )
    app.return_result(d.code, agency=CENTRE, channel="postal", at=vn(2025, 10, 20, 10))
    app.record_feedback(
        d.code,
        agency=CENTRE,
        rating="very_satisfied",
        comment="nhanh, đúng hẹn",
        at=vn(2025, 10, 20, 11),
    )
    codes.append(d.code)

    # 3. 2.000635 (same day): withdrawn during the first step.
    d = app.receive("2.000635", agency=CENTRE, at=vn(2025, 10, 7, 9))
    app.forward(d.code, agency=CENTRE, at=vn(2025, 10, 7, 9))
    app.withdraw(d.code, agency=CENTRE, reason="công dân rút hồ sơ", at=vn(2025, 10, 7, 10))
    codes.append(d.code)

    # 4. 1.012753 (20 WD): a public posting the procedure does not exclude, then stopped.
    d = app.receive("1.012753", agency=CENTRE, at=vn(2025, 10, 7, 9))
    app.forward(d.code, agency=CENTRE, at=vn(2025, 10, 7, 9))
    app.forward(d.code, agency=CENTRE, at=vn(2025, 10, 7, 11))
    app.pause(d.code, agency=LAND, reason="public_posting", at=vn(2025, 10, 8, 9))
    app.resume(d.code, agency=LAND, at=vn(2025, 10, 10, 9))
    app.stop(d.code, agency=LAND, reason="đất đang có tranh chấp", at=vn(2025, 10, 14, 9))
    codes.append(d.code)

    # 5. Refused at the counter (Mẫu 03), under an issued code.
    d = app.refuse(
        agency=CENTRE, reason="không thuộc thẩm quyền", procedure="2.000488", at=vn(2025, 10, 7, 10)
    )
    codes.append(d.code)

    # 6. An online submission refused.
    d = app.submit("2.001610", agency=CENTRE, at=vn(2025, 10, 5, 21))
    app.refuse(d.code, agency=CENTRE, reason="hồ sơ không hợp lệ", at=vn(2025, 10, 6, 8))
    codes.append(d.code)

    # 7. 1.013831: two supplement requests, resolved early (QĐ 766 counts it late).
    d = app.receive("1.013831", agency=CENTRE, at=vn(2025, 10, 8, 9))
    app.request_supplement(d.code, agency=CENTRE, reason="thiếu 1", at=vn(2025, 10, 8, 10))
    app.receive_supplement(d.code, agency=CENTRE, at=vn(2025, 10, 8, 14))
    app.request_supplement(d.code, agency=CENTRE, reason="thiếu 2", at=vn(2025, 10, 9, 9))
    app.receive_supplement(d.code, agency=CENTRE, at=vn(2025, 10, 9, 10))
    app.resolve(d.code, agency=CENTRE, at=vn(2025, 10, 10, 9))
    codes.append(d.code)

    # 8. 2.000635: a 1-hour step that took 7.5 hours (judged by date then: on time).
    d = app.receive("2.000635", agency=CENTRE, at=vn(2025, 10, 8, 7, 30))
    app.forward(d.code, agency=CENTRE, at=vn(2025, 10, 8, 7, 30))
    app.forward(d.code, agency=CENTRE, at=vn(2025, 10, 8, 17))
    app.resolve(d.code, agency=JUSTICE, at=vn(2025, 10, 9, 9))
    codes.append(d.code)

    # 9. 2.001610: still open, waiting on a supplement asked after its due (16/10 09:00).
    d = app.receive("2.001610", agency=CENTRE, at=vn(2025, 10, 13, 9))
    app.request_supplement(d.code, agency=CENTRE, reason="thiếu điều lệ", at=vn(2025, 10, 20, 9))
    codes.append(d.code)

    # 10. 1.013831 at an explicit code, a resolution with its step still running.
    d = app.receive(
        "1.013831", agency=CENTRE, code="000.00.10.H41-251009-0100", at=vn(2025, 10, 9, 9)
    )
    app.forward(d.code, agency=CENTRE, at=vn(2025, 10, 9, 9))
    app.resolve(d.code, agency=CENTRE, at=vn(2025, 10, 9, 15), outcome="trả lại hồ sơ")
    codes.append(d.code)
    return codes


def main() -> None:
    _refuse_split_code()
    from tthc_engine import Catalog
    from tthc_engine.application import OneStopShop

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(Path(tmp) / "before-split.sqlite"),
        }
        app = OneStopShop(env=env, catalog=Catalog.sample())
        codes = run(app)
        lines = []
        for n in app.recorder.select_notifications(start=1, limit=100_000):
            lines.append(
                {
                    "record": "event",
                    "originator_id": str(n.originator_id),
                    "originator_version": n.originator_version,
                    "topic": n.topic,
                    "state": n.state.decode("utf-8"),
                }
            )
        for code in codes:
            lines.append({"record": "dossier", "expected": reading(app.dossier(code))})
        app.close()
    with OUT.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{OUT.name}: {len(lines) - len(codes)} stored events, {len(codes)} dossiers")


if __name__ == "__main__":
    main()
