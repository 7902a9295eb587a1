"""National-portal status histories in (mapped to facts, docs/national.md) and national
sync payloads out (DOMAIN.md §3.3)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.interchange.conftest import COUNTER, DEPARTMENT
from tthc_engine import VN_TZ, Catalog, OneStopShop
from tthc_engine.domain import Channel, Status
from tthc_engine.interchange.importer import ImportOutcome, import_source
from tthc_engine.interchange.national import (
    NationalSource,
    export_national,
    national_payloads,
    national_time,
)
from tthc_engine.simulation import simulate_month

CODE = "000.00.10.H41-250414-0001"
HEADER = "MaHoSo,TrangThaiHoSo,ThoiGian,MaDonVi,KenhThucHien,NgayHenTra,MaTTHC"


def vn(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=VN_TZ)  # type: ignore[misc]


@pytest.fixture
def app() -> Iterator[OneStopShop]:
    shop = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield shop
    shop.close()


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _import(
    app: OneStopShop, path: Path, catalog: Catalog | None = None, **options: Any
) -> ImportOutcome:
    return import_source(app, NationalSource(path, app.calendar, catalog), **options)


def test_a_status_history_becomes_a_dossier_through_the_rules(
    app: OneStopShop, tmp_path: Path
) -> None:
    rows = [  # deliberately out of order: each dossier's rows are sorted by time
        f"{CODE},4,2025-04-14 10:00:00,{DEPARTMENT},,,",
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},2,2025-04-21 09:00:00,1.001193",
        f"{CODE},5,2025-04-15 09:00:00,{DEPARTMENT},,,",
        f"{CODE},4,2025-04-16 09:00:00,{COUNTER},,,",
        f"{CODE},6,2025-04-16 10:00:00,{DEPARTMENT},,,",
        f"{CODE},4,2025-04-17 10:00:00,{DEPARTMENT},,,",
        f"{CODE},9,2025-04-18 15:00:00,{DEPARTMENT},,,",
        f"{CODE},10,2025-04-21 08:00:00,{COUNTER},,,",
    ]
    outcome = _import(app, _csv(tmp_path / "history.csv", rows))
    assert outcome.ok, [str(p) for p in outcome.problems]
    d = app.dossier(CODE)
    assert d.received_at == vn(2025, 4, 14, 9)
    assert d.channel is Channel.ONLINE
    assert str(d.limit) == "5 ngày làm việc"  # inferred: its due is NgayHenTra exactly
    assert d.original_due == vn(2025, 4, 21, 9)
    assert [(s.agency, s.started_at) for s in d.steps] == [(DEPARTMENT, vn(2025, 4, 14, 10))]
    assert d.supplement_requests == 1
    assert [(p.kind.value, p.reason, p.stops_clock) for p in d.pauses] == [
        ("supplement", "Yêu cầu bổ sung giấy tờ (TrangThaiHoSo 5)", True),
        ("pause", "financial_obligation", True),  # status 6 without a catalog: excluded
    ]
    assert d.legal_due is not None
    assert d.legal_due > d.original_due  # moved by both waits
    assert d.resolved_at == vn(2025, 4, 18, 15)
    assert d.status is Status.RETURNED


def test_the_catalog_gives_the_limit_when_its_due_falls_on_ngay_hen_tra(
    app: OneStopShop, catalog: Catalog, tmp_path: Path
) -> None:
    procedure = catalog.in_force("1.001193", vn(2025, 4, 14).date())
    due = app.calendar.due(vn(2025, 4, 14, 9), procedure.limit).due_at
    rows = [f"{CODE},2,2025-04-14T09:00:00+07:00,{COUNTER},1,{due.date()},1.001193"]
    shop = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=catalog)
    outcome = _import(shop, _csv(tmp_path / "catalog.csv", rows), catalog)
    assert outcome.ok, [str(p) for p in outcome.problems]
    d = shop.dossier(CODE)
    assert d.limit == procedure.limit
    assert d.process  # the catalog's internal process and policies, fixed at receipt


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        pytest.param(3, Status.REFUSED, id="3-refused-at-the-counter"),
        pytest.param(7, Status.WITHDRAWN, id="7-withdrawn"),
        pytest.param(8, Status.STOPPED, id="8-stopped"),
        pytest.param(9, Status.RESOLVED, id="9-resolved"),
        pytest.param(10, Status.RETURNED, id="10-returned-without-a-9"),
    ],
)
def test_an_ending_status_ends_the_dossier(
    app: OneStopShop, tmp_path: Path, status: int, expected: Status
) -> None:
    rows = [f"{CODE},{status},2025-04-15 10:00:00,{COUNTER},1,,1.000656"]
    if status != 3:
        rows.insert(0, f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-18,1.000656")
    outcome = _import(app, _csv(tmp_path / "end.csv", rows))
    assert outcome.ok, [str(p) for p in outcome.problems]
    d = app.dossier(CODE)
    assert d.status is expected
    if status == 10:
        assert d.resolved_at == d.returned_at == vn(2025, 4, 15, 10)


def test_a_resolution_by_another_unit_hands_the_dossier_over_first(
    app: OneStopShop, tmp_path: Path
) -> None:
    rows = [
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-18,1.000656",
        f"{CODE},9,2025-04-15 10:00:00,{DEPARTMENT},,,",
    ]
    outcome = _import(app, _csv(tmp_path / "handover.csv", rows))
    assert outcome.ok, [str(p) for p in outcome.problems]
    d = app.dossier(CODE)
    assert [s.agency for s in d.steps] == [DEPARTMENT]
    assert d.resolved_at == vn(2025, 4, 15, 10)


def test_a_bad_row_is_reported_with_its_line_and_rejects_its_whole_dossier(
    app: OneStopShop, tmp_path: Path
) -> None:
    other = "000.00.10.H41-250414-0002"
    rows = [
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-18,1.000656",
        f"{other},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-18,1.000656",
        f"{CODE},11,2025-04-15 10:00:00,{COUNTER},,,",
        f"{other},9,2025-04-15 10:00:00,{COUNTER},4,,",
    ]
    path = _csv(tmp_path / "bad.csv", rows)
    stopped = _import(app, path)
    assert [str(p) for p in stopped.problems] == [
        f"{path}:4: TrangThaiHoSo: '11' is not a status code 1–10",
        f"{path}:5: KenhThucHien: '4' is not 1, 2 or 3",
    ]
    assert stopped.imported == 0
    rows.append(f"000.00.10.H41-250414-0003,2,2025-04-14 09:00:00,{COUNTER},1,,1.000656")
    path = _csv(tmp_path / "bad.csv", rows)
    rejects = tmp_path / "rejects.csv"
    outcome = _import(app, path, keep_going=True, rejects=rejects)
    assert [p.problem.field for p in outcome.problems] == [
        "TrangThaiHoSo",
        "KenhThucHien",
        "NgayHenTra",
    ]
    assert outcome.imported == 0
    written = rejects.read_text(encoding="utf-8").splitlines()
    assert written[0] == HEADER
    assert sorted(written[1:]) == sorted(rows)


def test_ngay_hen_tra_on_a_later_row_gives_the_receipt_its_limit(
    app: OneStopShop, tmp_path: Path
) -> None:
    rows = [
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,,1.000656",
        f"{CODE},4,2025-04-14 10:00:00,{DEPARTMENT},,2025-04-17 09:00:00,",
    ]
    outcome = _import(app, _csv(tmp_path / "later.csv", rows))
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert str(app.dossier(CODE).limit) == "3 ngày làm việc"


def test_a_receipt_row_needs_ngay_hen_tra_or_the_catalog(app: OneStopShop, tmp_path: Path) -> None:
    rows = [f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,,1.000656"]
    path = _csv(tmp_path / "nolimit.csv", rows)
    (problem,) = _import(app, path).problems
    assert str(problem).startswith(f"{path}:2: NgayHenTra: missing, and no procedure MaTTHC")


def test_importing_the_same_history_twice_adds_nothing(app: OneStopShop, tmp_path: Path) -> None:
    rows = [
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-18,1.000656",
        f"{CODE},4,2025-04-14 10:00:00,{DEPARTMENT},,,",
        f"{CODE},4,2025-04-14 10:00:00,{DEPARTMENT},,,",  # an identical row is read once
        f"{CODE},9,2025-04-15 10:00:00,{DEPARTMENT},,,",
    ]
    path = _csv(tmp_path / "twice.csv", rows)
    first = _import(app, path)
    again = _import(app, path)
    assert (first.ok, first.imported) == (True, 3)
    assert (again.ok, again.imported, again.present) == (True, 0, 3)


@pytest.mark.parametrize(
    "text",
    [
        "2025-04-14T09:30:00+07:00",
        "2025-04-14T02:30:00Z",
        "2025-04-14 09:30:00",
        "20250414093000",
        "14/04/2025 09:30:00",
        "14/04/2025 09:30",
    ],
)
def test_national_times_without_an_offset_are_vietnam_time(text: str) -> None:
    assert national_time(text) == vn(2025, 4, 14, 9, 30)


def test_a_json_list_of_rows_reads_like_the_csv(app: OneStopShop, tmp_path: Path) -> None:
    rows = [
        {
            "MaHoSo": CODE,
            "TrangThaiHoSo": 2,
            "ThoiGian": "20250414090000",
            "MaDonVi": COUNTER,
            "KenhThucHien": 3,
            "NgayHenTra": "20250418170000",
            "MaTTHC": "1.000656",
        },
        {"MaHoSo": CODE, "TrangThaiHoSo": 9, "ThoiGian": "20250415100000", "MaDonVi": COUNTER},
    ]
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    outcome = _import(app, path)
    assert outcome.ok, [str(p) for p in outcome.problems]
    d = app.dossier(CODE)
    assert (d.channel, d.status) == (Channel.POSTAL, Status.RESOLVED)


@pytest.fixture(scope="module")
def april(catalog: Catalog) -> OneStopShop:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=catalog)
    simulate_month(app, 2025, 4, per_day=5, seed=3)
    return app


def test_the_national_payload_carries_the_sync_fields_and_the_history(april: OneStopShop) -> None:
    payloads = list(national_payloads(april))
    first = payloads[0]
    assert list(first) == [
        "MaHoSo",
        "MaTTHC",
        "TenTTHC",
        "MaDonVi",
        "KenhThucHien",
        "NgayNopHoSo",
        "NgayTiepNhan",
        "NgayHenTra",
        "NgayKetThucXuLy",
        "ThoiGianGiaiQuyet",
        "DonViTinh",
        "TrangThaiHoSo",
        "NgayYeuCauBoSung",
        "DuocThanhToanTrucTuyen",
        "DanhSachPhiLePhi",
        "HoSoCoThanhPhanSoHoa",
        "LichSuTrangThai",
    ]
    d = april.dossier(first["MaHoSo"])
    assert first["TrangThaiHoSo"] == d.status.value
    assert first["LichSuTrangThai"][-1]["TrangThaiHoSo"] == d.status.value
    received = next(  # the first dossier that was received (an online one is submitted first)
        p for p in payloads if any(r["TrangThaiHoSo"] == 2 for r in p["LichSuTrangThai"])
    )
    receipt = next(r for r in received["LichSuTrangThai"] if r["TrangThaiHoSo"] == 2)
    due = april.dossier(received["MaHoSo"]).original_due
    assert due is not None
    assert receipt["NgayHenTra"] == due.isoformat()
    statuses = {row["TrangThaiHoSo"] for p in payloads for row in p["LichSuTrangThai"]}
    assert {2, 3, 4, 9, 10} <= statuses


def test_national_payloads_imported_into_a_fresh_store_give_the_same_payloads(
    april: OneStopShop, catalog: Catalog, tmp_path: Path
) -> None:
    """Status histories survive the round trip; fees paid, digitisation and apologies are not
    in a status history, so the payment and digitisation fields and an apologised dossier's
    NgayHenTra are lost."""
    path = tmp_path / "national.json"
    export_national(april, path)
    fresh = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=catalog)
    outcome = _import(fresh, path, catalog)
    assert outcome.ok, [str(p) for p in outcome.problems[:3]]
    again = tmp_path / "again.json"
    export_national(fresh, again)
    lost = {"DuocThanhToanTrucTuyen", "DanhSachPhiLePhi", "HoSoCoThanhPhanSoHoa"}

    def kept(p: dict[str, object]) -> dict[str, object]:
        return {k: v for k, v in p.items() if k not in lost}

    before = json.loads(path.read_text(encoding="utf-8"))
    after = json.loads(again.read_text(encoding="utf-8"))
    apologised = {p["MaHoSo"] for p in before if april.dossier(p["MaHoSo"]).apologies}
    for payload in before:
        if payload["MaHoSo"] in apologised:  # the new appointment of Mẫu 04 is lost
            payload["NgayHenTra"] = april.dossier(payload["MaHoSo"]).legal_due.isoformat()
    assert [kept(p) for p in after] == [kept(p) for p in before]
