"""The workload simulator: legal histories, reproducible logs, both output paths, and the
arrival process an official would recognise."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.simulation.conftest import edited
from tthc_engine import Catalog, Channel, OneStopShop, VietnamCalendar
from tthc_engine.domain.facts import Fact, FactRules, FactType, apply_fact
from tthc_engine.domain.fold import FoldedDossier
from tthc_engine.interchange import dumps
from tthc_engine.interchange.exporter import facts_of_store
from tthc_engine.simulation import Profile, Simulation
from tthc_engine.worktime import VN_TZ


def _fold(facts: list[Fact], calendar: VietnamCalendar) -> dict[str, FoldedDossier]:
    """Carry every fact out on its dossier with the domain's commands (raises on any
    history that breaks a rule)."""
    rules = FactRules(calendar)
    dossiers: dict[str, FoldedDossier] = {}
    for fact in facts:
        folded = apply_fact(dossiers.get(fact.dossier), fact, rules, FoldedDossier)
        assert isinstance(folded, FoldedDossier)
        dossiers[fact.dossier] = folded
    return dossiers


def test_every_generated_history_passes_the_domain_rules_and_every_kind_of_event_occurs(
    busy: Profile,
) -> None:
    simulation = Simulation(busy, first=date(2025, 10, 6), last=date(2025, 10, 10))
    facts = list(simulation.facts())
    dossiers = _fold(facts, simulation.calendar)
    kinds = Counter(f.type for f in facts)
    assert set(kinds) == set(FactType) - {FactType.BECAME_OVERDUE}  # the watcher's, not ours
    assert len(dossiers) == len(simulation.arrivals())
    assert any(d.multiple_supplements for d in dossiers.values())
    assert all(f.at <= simulation.until for f in facts)
    # apologies come from the agency handling the dossier, never the counter for another's delay
    for d in dossiers.values():
        for apology in d.apologies:
            assert apology.agency != d.receiving_agency or d.steps[0].agency == apology.agency


def test_a_month_of_the_shipped_profile_is_legal_and_looks_like_an_office_report() -> None:
    simulation = Simulation(Profile.sample("nghe-an-month"), last=date(2025, 10, 14))
    dossiers = _fold(list(simulation.facts()), simulation.calendar)
    received = [d for d in dossiers.values() if d.is_received]
    resolved = [d for d in received if d.resolved_at is not None]
    late = [d for d in resolved if d.timeliness(simulation.calendar).value == "late"]
    assert 300 * 10 < len(received) < 500 * 10  # ~400 a working day over 10 working days
    assert 0.0 < len(late) / len(resolved) < 0.05  # DOMAIN.md §6: 97–99.5% on time
    channels = Counter(d.channel for d in received)
    assert channels[Channel.ONLINE] > channels[Channel.COUNTER] > channels[Channel.POSTAL] > 0


def test_the_same_seed_profile_and_catalog_give_a_byte_identical_log_in_one_or_two_processes(
    tmp_path: Path,
) -> None:
    profile = Profile.sample("nghe-an-month")
    one, two, other = tmp_path / "one.jsonl", tmp_path / "two.jsonl", tmp_path / "other.jsonl"
    first, last = date(2025, 10, 1), date(2025, 10, 8)
    Simulation(profile, first=first, last=last).write_jsonl(one)
    summary = Simulation(profile, first=first, last=last).write_jsonl(two, jobs=2)
    Simulation(profile, first=first, last=last, seed=7).write_jsonl(other)
    assert one.read_bytes() == two.read_bytes()
    assert summary.events == len(one.read_bytes().splitlines())
    assert one.read_bytes() != other.read_bytes()


def test_the_log_written_through_one_stop_shop_exports_to_the_same_lines_as_the_fast_path(
    busy: Profile,
) -> None:
    catalog = Catalog.sample()
    simulation = Simulation(busy, catalog, first=date(2025, 10, 6), last=date(2025, 10, 6))
    fast = [dumps(f) for f in simulation.facts()]
    app = OneStopShop(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        catalog=catalog,
        clock=lambda: simulation.until,
    )
    summary = simulation.record(app)
    exported = [dumps(f) for f in facts_of_store(app)]
    assert summary.events == len(fast) > 1000
    assert exported == fast


def test_counters_open_on_working_days_only_while_online_dossiers_come_nights_and_days_off() -> (
    None
):
    profile = Profile.sample("nghe-an-month")
    simulation = Simulation(profile, first=date(2025, 9, 29), last=date(2025, 10, 10))
    cal = simulation.calendar
    arrivals = simulation.arrivals()
    counter = [a for a in arrivals if a.channel is Channel.COUNTER]
    online = [a for a in arrivals if a.channel is Channel.ONLINE]
    assert all(cal.is_working_day(a.received.date()) for a in counter)
    assert all(
        cal.is_office_time(a.received) or cal.closing(a.received.date()) <= a.received
        for a in counter
    )
    # some of the counter's queue is served after the close: received after hours
    assert any(not cal.is_office_time(a.received) for a in counter)
    submitted = [a.submitted for a in online if a.submitted is not None]
    assert any(not cal.is_working_day(s.date()) for s in submitted)  # weekends (4–5/10)
    assert any(s.hour >= 20 or s.hour < 6 for s in submitted)  # nights
    # the portal receives some fully-online dossiers at once, out of hours
    assert any(a.received == a.submitted and not cal.is_office_time(a.received) for a in online)


def test_no_online_dossier_for_a_procedure_without_an_online_service() -> None:
    simulation = Simulation(Profile.sample("nghe-an-month"), last=date(2025, 10, 10))
    by_code = Counter((a.plan.code, a.channel) for a in simulation.arrivals())
    assert by_code[("2.000884", Channel.COUNTER)] > 0  # chứng thực chữ ký: signed in person
    assert by_code[("2.000884", Channel.ONLINE)] == 0
    assert by_code[("2.000884", Channel.POSTAL)] == 0


def test_dossiers_around_the_reform_are_received_under_the_version_in_force_that_day() -> None:
    simulation = Simulation(
        Profile.sample("nghe-an-year"), first=date(2025, 6, 26), last=date(2025, 7, 3)
    )
    limits = {
        (f.at.date() >= date(2025, 7, 1), f.data["procedure"], f.data["limit"])
        for f in simulation.facts()
        if f.type is FactType.RECEIVED and f.data["procedure"] in ("1.013831", "1.001612")
    }
    assert limits == {
        (False, "1.013831", "10 ngày làm việc"),
        (True, "1.013831", "8 ngày làm việc"),
        (False, "1.001612", "3 ngày làm việc"),
        (True, "1.001612", "3 ngày làm việc"),
    }
    agencies = {
        (a.received.date() >= date(2025, 7, 1), a.plan.receiving)
        for a in simulation.arrivals()
        if a.plan.code == "1.001612"
    }
    assert agencies == {(False, "000.40.10.H41"), (True, "000.31.10.H41")}  # Vinh → the ward


def test_mondays_are_busier_than_fridays_and_the_weeks_before_tet_surge() -> None:
    year = Profile.sample("nghe-an-year")
    simulation = Simulation(year, first=date(2025, 1, 2), last=date(2025, 3, 28))
    per_day = Counter(a.day for a in simulation.arrivals())
    mondays = [n for d, n in per_day.items() if d.weekday() == 0]
    fridays = [n for d, n in per_day.items() if d.weekday() == 4]
    assert sum(mondays) / len(mondays) > 1.2 * sum(fridays) / len(fridays)
    rush = [per_day[d] for d in per_day if date(2025, 1, 13) <= d <= date(2025, 1, 24)]
    calm = [per_day[d] for d in per_day if date(2025, 2, 17) <= d <= date(2025, 3, 14)]
    assert sum(rush) / len(rush) > 1.2 * sum(calm) / len(calm)


def test_codes_are_numbered_per_agency_and_day_in_the_order_dossiers_were_opened() -> None:
    simulation = Simulation(Profile.sample("nghe-an-month"), last=date(2025, 10, 3))
    seen: dict[tuple[str, str], list[tuple[datetime, int]]] = {}
    for a in simulation.arrivals():
        agency, day, seq = a.code.rsplit("-", 2)
        assert day == a.opened.strftime("%y%m%d")
        seen.setdefault((agency, day), []).append((a.opened, int(seq)))
    for opened in seen.values():
        assert [seq for _, seq in opened] == list(range(1, len(opened) + 1))
        assert [t for t, _ in opened] == sorted(t for t, _ in opened)


def test_nothing_outside_the_period_is_written() -> None:
    simulation = Simulation(Profile.sample("nghe-an-month"), last=date(2025, 10, 3))
    end = datetime(2025, 10, 4, tzinfo=VN_TZ)
    facts = list(simulation.facts())
    assert max(f.at for f in facts) < end
    dossiers = _fold(facts, simulation.calendar)
    assert any(d.is_open for d in dossiers.values())  # pending at the end, as in an office
    assert min(f.at for f in facts) >= datetime(2025, 10, 1, tzinfo=VN_TZ)  # nor before it


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        pytest.param(
            {"procedures": {"9.999999": 5}}, "procedures.9.999999: not in the catalog", id="code"
        ),
        pytest.param(
            {"procedures": {"2.000884": {"per_day": 3, "channels": {"online": 0.2}}}},
            "procedures.2.000884.channels.online: 0.2 but the procedure offers no online service",
            id="online-share",
        ),
        pytest.param(
            {"procedures": {"2.000635": {"per_day": {"commune": 3}}}},
            "procedures.2.000635.per_day.commune: the procedure has no version at that level",
            id="level",
        ),
        pytest.param(
            {"agencies": {"default": {"median": 0.3, "sigma": 0.5}, "tax_office": {"median": 1}}},
            "agencies.tax_office: neither a role",
            id="agency",
        ),
    ],
)
def test_a_profile_is_checked_against_its_catalog(
    sections: dict[str, object], expected: str
) -> None:
    from tthc_engine.simulation import ProfileValidationError

    with pytest.raises(ProfileValidationError) as caught:
        Simulation(edited("nghe-an-month", **sections))
    assert expected in str(caught.value)
