"""The application's rules at their edges, found unpinned by mutation testing (issue 12).

Store-independent behaviours: run on the in-memory store only (the contract suite runs the
store-dependent ones on every store).
"""

from __future__ import annotations

import zlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from eventsourcing.utils import TopicError

from tests.application.conftest import vn
from tthc_engine.application import (
    Batch,
    DeadlineWatcher,
    DossierConflictError,
    DossierNotFoundError,
    EncryptedStoreError,
    OneStopShop,
)
from tthc_engine.application.codes import CodeSequence
from tthc_engine.application.idempotency import applied_command_id
from tthc_engine.application.unit_of_work import UnitOfWork
from tthc_engine.catalog import Catalog
from tthc_engine.catalog.procedure import AGENCY_CODE
from tthc_engine.domain import BusinessRuleError, Rule
from tthc_engine.domain.values import dossier_id
from tthc_engine.errors import CalendarRangeError, InvalidInputError, NaiveDatetimeError

COUNTER = "000.00.10.H41"
LAND_OFFICE = "000.22.10.H41"
LAND = "1.013831"  # land transfer registration, 10 working days in April 2025
CODE = "000.00.10.H41-250414-0001"


def _shop(**options: object) -> OneStopShop:
    return OneStopShop(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        catalog=Catalog.sample(),
        **options,  # type: ignore[arg-type]
    )


def test_a_business_time_on_the_first_day_of_the_calendar_is_accepted() -> None:
    # 01/01/2020 is a holiday: the count starts at the opening of Thu 02/01/2020.
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})  # no catalog
    dossier = app.receive("1.004227", agency=COUNTER, at=vn(2020, 1, 1, 9), limit="1 ngày")
    assert dossier.effective_start == vn(2020, 1, 2, 7)


def test_the_process_of_a_catalog_procedure_names_each_steps_agency_by_its_code() -> None:
    dossier = _shop().receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9))
    assert [(s.key, s.agency) for s in dossier.process] == [
        ("receive", COUNTER),
        ("check", LAND_OFFICE),
        ("record", LAND_OFFICE),
        ("return", COUNTER),
    ]


def test_due_soon_looks_ahead_at_most_a_year_of_working_days() -> None:
    app = _shop()
    assert app.due_soon(vn(2025, 4, 14, 9), within=366) == []
    with pytest.raises(InvalidInputError, match="within"):
        app.due_soon(vn(2025, 4, 14, 9), within=367)


def test_a_clock_that_gives_a_naive_time_is_named_when_a_code_is_issued() -> None:
    app = _shop(clock=lambda: datetime(2025, 4, 14, 9))
    with pytest.raises(NaiveDatetimeError, match=r"^clock\(\): naive"):
        app.next_code(COUNTER)
    assert app.next_code(COUNTER, date(2025, 4, 14)).sequence == 1


def test_a_code_received_twice_is_refused_naming_the_code() -> None:
    app = _shop()
    app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    with pytest.raises(BusinessRuleError, match=f"{CODE} was received already") as caught:
        app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 10), code=CODE)
    assert caught.value.rule is Rule.ALREADY_RECEIVED
    with pytest.raises(BusinessRuleError, match=f"{CODE} exists already"):
        app.submit(LAND, agency=COUNTER, at=vn(2025, 4, 14, 10), code=CODE)


def test_a_batch_refuses_a_command_id_reused_by_another_opening_command_naming_it() -> None:
    app = _shop()
    with app.batch() as batch:
        batch.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), command_id="open-1")
        with pytest.raises(InvalidInputError, match="command_id: 'open-1' was already applied"):
            batch.submit(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), command_id="open-1")


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(lambda app, **k: app.forward(CODE, agency=COUNTER, **k), id="forward"),
        pytest.param(lambda app, **k: app.stop(CODE, agency=COUNTER, reason="x", **k), id="stop"),
        pytest.param(lambda app, **k: app.resolve(CODE, agency=COUNTER, **k), id="resolve"),
    ],
)
def test_a_blank_command_id_is_refused_before_the_dossier_is_looked_up(command: Any) -> None:
    with pytest.raises(InvalidInputError, match=r"^command_id: "):
        command(_shop(), at=vn(2025, 4, 14, 9), command_id="")


def test_a_catalog_built_in_code_resolves_its_steps_roles_through_its_agencies() -> None:
    # Steps built by hand name their agency by role only; the catalog's agencies give codes.
    sample = Catalog.sample()
    land = sample[LAND]
    by_role = attrs.evolve(land, steps=tuple(attrs.evolve(s, agency_code=None) for s in land.steps))
    app = OneStopShop(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        catalog=Catalog([by_role], agencies=sample.agencies),
    )
    at = vn(2025, 7, 2, 9)  # the most recent version is in force from 01/07/2025
    dossier = app.receive(LAND, agency=COUNTER, at=at)
    expected = _shop().receive(LAND, agency=COUNTER, at=at).process
    assert [s.agency for s in dossier.process] == [s.agency for s in expected]
    assert all(AGENCY_CODE.match(s.agency) for s in dossier.process)


def test_a_look_ahead_that_is_not_a_whole_number_is_refused_saying_what_it_counts() -> None:
    app = _shop()
    with pytest.raises(
        InvalidInputError, match=r"^within: expected a whole number of working days ≥ 0, got "
    ):
        app.due_soon(vn(2025, 4, 14, 9), within="2")  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError, match=r"^warn_within: expected a whole number of working days ≥ 0, got "
    ):
        DeadlineWatcher(app, warn_within=1.5)  # type: ignore[arg-type]


def test_the_due_index_looks_one_working_day_ahead_unless_told() -> None:
    app = _shop()
    # 3 working days: received Mon 14/04/2025 09:00, due Thu 17/04 09:00
    app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9))
    tuesday, wednesday = vn(2025, 4, 15, 9), vn(2025, 4, 16, 9)
    assert app.due_index.due_soon(tuesday) == []
    assert [i.legal_due for i in app.due_index.due_soon(wednesday)] == [vn(2025, 4, 17, 9)]
    assert len(app.due_index.due_soon(tuesday, within=2)) == 1


def test_digitisation_is_recorded_by_the_application_with_no_electronic_result_by_default() -> None:
    app = _shop()
    app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    app.record_digitisation(CODE, agency=COUNTER, components=3, at=vn(2025, 4, 14, 10))
    dossier = app.dossier(CODE)
    assert (dossier.digitised_components, dossier.e_result, dossier.reused_data) == (
        3,
        False,
        False,
    )


def test_a_refused_command_in_a_batch_puts_a_stored_dossier_back_as_the_batch_had_it() -> None:
    app = _shop()
    app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    stored = app.dossier(CODE).version
    with app.batch() as batch:
        batch.forward(CODE, agency=COUNTER, at=vn(2025, 4, 14, 10))  # starts 'receive'
        forwarded = batch.dossier(CODE).version
        with pytest.raises(BusinessRuleError) as caught:  # would finish 'receive' first
            batch.forward(CODE, agency=COUNTER, at=vn(2025, 4, 14, 11), to_step="nope")
        assert caught.value.rule is Rule.UNKNOWN_STEP
        assert batch.dossier(CODE).version == forwarded > stored
        assert batch.dossier(CODE).current_step.key == "receive"  # type: ignore[union-attr]
    assert app.dossier(CODE).version == forwarded


def test_a_catalog_that_is_not_a_catalog_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInputError) as caught:
        OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog="nghe-an.yaml")  # type: ignore[arg-type]
    assert str(caught.value) == "catalog: expected a Catalog, got 'nghe-an.yaml'"


def test_a_step_share_given_as_wording_is_read_as_a_time_limit() -> None:
    app = _shop()
    app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    app.start_step(
        CODE, step="extra", agency=COUNTER, allotted="4 giờ làm việc", at=vn(2025, 4, 14, 10)
    )
    step = app.dossier(CODE).current_step
    assert step is not None
    assert (step.key, step.due_at) == ("extra", vn(2025, 4, 14, 16))  # lunch skipped


def test_a_withdrawal_through_the_application_without_a_reason_records_an_empty_one() -> None:
    app = _shop()
    app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    app.withdraw(CODE, agency=COUNTER, at=vn(2025, 4, 14, 10))
    assert app.dossier(CODE).outcome == ""


def test_a_dossier_waiting_for_a_supplement_is_not_due_soon() -> None:
    app = _shop()
    app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)  # due 17/04 09:00
    app.request_supplement(CODE, agency=COUNTER, reason="thiếu", at=vn(2025, 4, 15, 9))
    assert app.due_index.due_soon(vn(2025, 4, 16, 9)) == []
    (item,) = app.due_index.open_items()
    assert item.clock_stopped


# -- survivors of a second sample (seed 13) ---------------------------------------------------
def test_a_compressor_without_a_cipher_key_compresses_the_stored_events() -> None:
    app = OneStopShop(
        env={
            "PERSISTENCE_MODULE": "eventsourcing.popo",
            "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
        },
        catalog=Catalog.sample(),
    )
    app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    (stored,) = app.recorder.select_events(dossier_id(CODE))
    assert zlib.decompress(bytes(stored.state)).startswith(b"{")
    assert app.dossier(CODE).code == CODE


def test_a_broken_compressor_topic_is_not_blamed_on_the_crypto_extra() -> None:
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.popo",
        "CIPHER_KEY": OneStopShop.create_cipher_key(),
        "COMPRESSOR_TOPIC": "eventsourcing.compressor:NoSuchCompressor",
    }
    with pytest.raises(TopicError):
        OneStopShop(env=env)


def test_a_code_can_be_issued_on_the_last_day_of_the_calendar() -> None:
    app = _shop()
    last = app.calendar.last_day
    assert app.next_code(COUNTER, last).day == last


def test_an_application_without_a_catalog_says_so_when_asked_for_a_procedure() -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    with pytest.raises(InvalidInputError, match=r"^procedure '1\.001193': this application has"):
        app.procedure("1.001193")


def test_a_hand_over_to_a_named_agency_starts_the_next_step_there() -> None:
    app = _shop()
    app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    app.forward(CODE, agency=COUNTER, at=vn(2025, 4, 14, 10))  # starts 'receive'
    app.forward(CODE, agency=COUNTER, to_agency="000.00.20.H41", at=vn(2025, 4, 14, 11))
    step = app.dossier(CODE).current_step
    assert step is not None
    assert (step.key, step.agency) == ("check", "000.00.20.H41")
    (item,) = app.due_index.open_items()
    assert item.holder == "000.00.20.H41"


def test_a_refusal_at_the_counter_under_a_given_code_keeps_that_code() -> None:
    app = _shop()
    given = "000.00.10.H41-250414-0007"  # not the code the day's sequence would issue next
    refused = app.refuse(
        given, agency=COUNTER, reason="thiếu", procedure=LAND, at=vn(2025, 4, 14, 9)
    )
    assert refused.code == given
    assert app.dossier(given).procedure == LAND


def test_the_watcher_warns_one_working_day_ahead_unless_told() -> None:
    app = _shop()
    app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)  # due 17/04 09:00
    assert DeadlineWatcher(app).tick(vn(2025, 4, 15, 9)).due_soon == ()
    assert [i.code for i in DeadlineWatcher(app).tick(vn(2025, 4, 16, 9)).due_soon] == [CODE]


# -- seed 15 sample: the application's own checks, each naming its field and rule --------------
def test_more_apologies_than_a_hundred_are_refused_naming_max_apologies() -> None:
    with pytest.raises(InvalidInputError) as caught:
        _shop(max_apologies=101)
    assert str(caught.value) == "max_apologies: 101 is outside 0..100"
    assert _shop(max_apologies=100).max_apologies == 100


def test_an_apology_lead_of_more_than_sixty_working_days_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInputError) as caught:
        _shop(apology_lead_days=61)
    assert str(caught.value) == "apology_lead_days: 61 is outside 0..60"
    assert _shop(apology_lead_days=60).apology_lead_days == 60


def test_a_clock_that_gives_a_naive_time_is_named_when_a_command_gives_its_own_time() -> None:
    app = _shop(clock=lambda: datetime(2025, 4, 14, 9))
    with pytest.raises(NaiveDatetimeError) as caught:
        app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9))
    assert str(caught.value) == (
        "clock(): naive datetime 2025-04-14T09:00:00 has no time zone; business times must be "
        "aware (Asia/Ho_Chi_Minh, UTC+7), e.g. 2025-03-10T09:00:00+07:00"
    )


AGENCY_RULE = (
    " — rule: a dossier is received only at an agency the province's catalog lists "
    "(mã định danh điện tử của cơ quan (QĐ 20/2020/QĐ-TTg); danh mục TTHC của tỉnh)"
)


def test_an_agency_the_catalog_does_not_list_is_refused_naming_the_province() -> None:
    with pytest.raises(BusinessRuleError) as caught:
        _shop().receive(LAND, agency="000.00.99.H41", at=vn(2025, 4, 14, 9))
    assert caught.value.rule is Rule.AGENCY_IN_CATALOG
    assert str(caught.value) == (
        "AGENCY_IN_CATALOG: agency '000.00.99.H41' is not in the catalog of Nghệ An" + AGENCY_RULE
    )


def test_an_agency_a_catalog_without_a_province_does_not_list_is_refused_naming_its_source() -> (
    None
):
    sample = Catalog.sample()
    app = OneStopShop(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        catalog=Catalog([sample[LAND]], agencies=sample.agencies),
    )
    with pytest.raises(BusinessRuleError) as caught:
        app.next_code("000.00.99.H41", date(2025, 4, 14))
    assert caught.value.rule is Rule.AGENCY_IN_CATALOG
    assert str(caught.value) == (
        "AGENCY_IN_CATALOG: agency '000.00.99.H41' is not in the catalog of <memory>" + AGENCY_RULE
    )


def test_without_a_catalog_a_code_is_issued_for_any_well_formed_agency() -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert str(app.next_code("000.00.99.H41", date(2025, 4, 14))) == "000.00.99.H41-250414-0001"
    refused = app.refuse(agency="000.00.99.H41", reason="thiếu", at=vn(2025, 4, 14, 9))
    assert refused.code == "000.00.99.H41-250414-0002"


def test_a_procedure_not_in_force_on_the_receipt_day_is_refused_under_that_rule() -> None:
    with pytest.raises(BusinessRuleError) as caught:
        _shop().receive(LAND, agency=COUNTER, at=vn(2020, 4, 14, 9))
    assert caught.value.rule is Rule.PROCEDURE_IN_FORCE
    assert caught.value.detail == (
        "procedure '1.013831' is not in force on 2020-04-14: its versions in the catalog are "
        "in force from 2024-08-01 to 2025-02-28; from 2025-03-01 to 2025-06-30; "
        "from 2025-07-01 with no end date"
    )


def test_a_receipt_without_a_catalog_or_a_limit_is_refused_naming_the_procedure() -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    with pytest.raises(InvalidInputError) as caught:
        app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9))
    assert str(caught.value) == (
        "limit: this application has no catalog to find procedure '1.013831' in; "
        "pass catalog=... or give the limit"
    )


class _ClockTime(datetime):
    """A datetime of another library (freezegun's FakeDatetime, pendulum's DateTime)."""


def test_a_business_time_of_a_datetime_subclass_is_stored_as_a_datetime() -> None:
    app = _shop()
    at = _ClockTime(2025, 4, 14, 9, tzinfo=vn(2025, 4, 14).tzinfo)
    app.receive(LAND, agency=COUNTER, at=at, code=CODE)
    (stored,) = app.recorder.select_events(dossier_id(CODE))
    assert b'"_type_":"datetime_iso","_data_":"2025-04-14T09:00:00+07:00"' in bytes(stored.state)
    reread = app.dossier(CODE)
    assert reread.received_at == vn(2025, 4, 14, 9)
    assert type(reread.received_at) is datetime


OPENINGS: dict[str, Any] = {
    "submit": lambda app, **k: app.submit(LAND, agency=COUNTER, **k),
    "receive": lambda app, **k: app.receive(LAND, agency=COUNTER, **k),
    "refuse": lambda app, **k: app.refuse(agency=COUNTER, reason="thiếu", procedure=LAND, **k),
}


@pytest.mark.parametrize("first", sorted(OPENINGS))
def test_a_command_id_that_opened_a_dossier_names_its_command_when_another_reuses_it(
    first: str,
) -> None:
    app = _shop()
    at = vn(2025, 4, 14, 9)
    opened = OPENINGS[first](app, at=at, command_id="open-1")
    assert OPENINGS[first](app, at=at, command_id="open-1").code == opened.code == CODE
    for other in sorted(set(OPENINGS) - {first}):
        with pytest.raises(InvalidInputError) as caught:
            OPENINGS[other](app, at=at, command_id="open-1")
        assert str(caught.value) == (
            f"command_id: 'open-1' was already applied by {first} to {CODE}; "
            "a command id names one command"
        )


CHANGES: dict[str, Any] = {
    "start_step": lambda app, **k: app.start_step(
        CODE, "extra", agency=COUNTER, allotted="4 giờ làm việc", **k
    ),
    "finish_step": lambda app, **k: app.finish_step(CODE, agency=COUNTER, **k),
    "forward": lambda app, **k: app.forward(CODE, agency=COUNTER, **k),
    "request_supplement": lambda app, **k: app.request_supplement(
        CODE, agency=COUNTER, reason="x", **k
    ),
    "receive_supplement": lambda app, **k: app.receive_supplement(CODE, agency=COUNTER, **k),
    "pause": lambda app, **k: app.pause(CODE, agency=COUNTER, reason="public_posting", **k),
    "resume": lambda app, **k: app.resume(CODE, agency=COUNTER, **k),
    "resolve": lambda app, **k: app.resolve(CODE, agency=COUNTER, **k),
    "return_result": lambda app, **k: app.return_result(CODE, agency=COUNTER, **k),
    "withdraw": lambda app, **k: app.withdraw(CODE, agency=COUNTER, **k),
    "stop": lambda app, **k: app.stop(CODE, agency=COUNTER, reason="x", **k),
    "issue_apology": lambda app, **k: app.issue_apology(
        CODE, agency=COUNTER, new_due=vn(2025, 5, 1, 9), reason="x", **k
    ),
    "record_feedback": lambda app, **k: app.record_feedback(
        CODE, agency=COUNTER, rating="satisfied", **k
    ),
    "record_payment": lambda app, **k: app.record_payment(
        CODE, agency=COUNTER, amount=1, online=True, **k
    ),
    "record_digitisation": lambda app, **k: app.record_digitisation(CODE, agency=COUNTER, **k),
}


@pytest.mark.parametrize("command", sorted(CHANGES))
def test_every_command_on_a_dossier_refuses_a_blank_command_id_before_looking_it_up(
    command: str,
) -> None:
    for run in (_shop(), _shop().batch().__enter__()):
        with pytest.raises(InvalidInputError) as caught:
            CHANGES[command](run, at=vn(2025, 4, 14, 9), command_id="")
        assert str(caught.value) == (
            "command_id: expected a non-empty text that identifies the command, got ''"
        )


def test_an_overdue_mark_shows_in_the_due_index() -> None:
    app = _shop()
    app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)  # due 17/04 09:00
    (item,) = app.due_index.open_items()
    assert not item.overdue_marked
    assert app.mark_overdue(CODE, at=vn(2025, 4, 18, 9))
    (item,) = app.overdue(vn(2025, 4, 18, 9))
    assert (item.code, item.overdue_marked) == (CODE, True)


# -- seed 15 sample: a refused command in a unit of work puts back all it touched -------------
OTHER = "000.00.10.H41-250414-0002"


def test_a_refused_command_puts_back_every_dossier_it_touched_not_only_the_first() -> None:
    app = _shop()
    for code in (CODE, OTHER):
        app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=code)
    uow = UnitOfWork(app)

    def forward(hour: int) -> Any:
        return lambda d: d.forward(at=vn(2025, 4, 14, hour), agency=COUNTER, calendar=app.calendar)

    uow.change(CODE, forward(10))  # starts 'receive', pending in the unit
    before = uow.dossier(CODE).version

    def command(u: UnitOfWork) -> None:
        u.dossier(OTHER)  # read only: forgotten on the way back
        u.change(CODE, forward(11))  # finishes 'receive', starts 'check'
        u.change(CODE, forward(12))  # 'check' is the land office's: refused

    with pytest.raises(BusinessRuleError) as caught:
        uow.run(command)
    assert caught.value.rule is Rule.STEP_HELD_BY_AGENCY
    dossier = uow.dossier(CODE)
    assert dossier.version == before
    assert dossier.current_step is not None
    assert dossier.current_step.key == "receive"
    uow.commit()
    assert app.dossier(CODE).version == before
    assert app.dossier(OTHER).version == before - 1


def test_a_refused_command_in_a_batch_rebuilds_from_the_version_the_batch_read() -> None:
    app = _shop()
    app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    stored = app.dossier(CODE).version
    batch = Batch(app)
    batch.forward(CODE, agency=COUNTER, at=vn(2025, 4, 14, 10))  # starts 'receive'
    # another writer changes the stored dossier meanwhile
    app.record_digitisation(CODE, agency=COUNTER, at=vn(2025, 4, 14, 10))
    with pytest.raises(BusinessRuleError) as caught:
        batch.forward(CODE, agency=COUNTER, at=vn(2025, 4, 14, 11), to_step="nope")
    assert caught.value.rule is Rule.UNKNOWN_STEP
    seen = batch.dossier(CODE)
    assert (seen.version, seen.digitised_components) == (stored + 1, 0)
    assert seen.current_step is not None
    assert seen.current_step.key == "receive"
    with pytest.raises(DossierConflictError):
        batch.commit()
    kept = app.dossier(CODE)
    assert (kept.version, kept.digitised_components, kept.current_step) == (stored + 1, 1, None)


# -- seed 15 sample: what a store read without its key says, word for word -------------------
@pytest.mark.parametrize(
    ("key", "says"),
    [
        pytest.param(
            None,
            "the store is encrypted (or damaged) and CIPHER_KEY is not set; "
            "set the CIPHER_KEY the store was written with",
            id="no key",
        ),
        pytest.param(
            "another",
            "CIPHER_KEY is not the key this store was written with "
            "(or the store is not encrypted, or damaged)",
            id="another key",
        ),
    ],
)
def test_a_store_read_without_its_key_names_the_event_and_what_to_set(
    tmp_path: Path, key: str | None, says: str
) -> None:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "db")}
    writer = OneStopShop(env={**env, "CIPHER_KEY": OneStopShop.create_cipher_key()})
    writer.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE, limit="10 ngày")
    writer.close()
    if key is not None:
        env["CIPHER_KEY"] = OneStopShop.create_cipher_key()
    reader = OneStopShop(env=env)
    with pytest.raises(EncryptedStoreError) as caught:
        reader.dossier(CODE)
    reader.close()
    assert str(caught.value) == f"stored event {dossier_id(CODE)} v1 cannot be read: {says}"


@pytest.mark.parametrize("command", sorted(OPENINGS))
def test_a_command_id_given_with_the_code_is_kept_by_the_dossier_not_recorded_apart(
    command: str,
) -> None:
    app = _shop()
    opened = OPENINGS[command](app, at=vn(2025, 4, 14, 9), code=OTHER, command_id="open-1")
    assert opened.code == OTHER
    assert app.recorder.select_events(applied_command_id("open-1")) == []
    # the id names no opening under an issued code: another command may use it
    assert OPENINGS["receive"](app, at=vn(2025, 4, 14, 10), command_id="open-1").code == CODE


def test_a_dossier_a_refused_command_only_read_is_read_afresh_by_the_next_command() -> None:
    app = _shop()
    app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    stored = app.dossier(CODE).version
    batch = Batch(app)
    with pytest.raises(BusinessRuleError):  # nothing pending: the batch forgets the dossier
        batch.forward(CODE, agency=COUNTER, at=vn(2025, 4, 14, 10), to_step="nope")
    app.record_digitisation(CODE, agency=COUNTER, at=vn(2025, 4, 14, 10))  # another writer
    batch.forward(CODE, agency=COUNTER, at=vn(2025, 4, 14, 11))
    batch.commit()
    dossier = app.dossier(CODE)
    assert (dossier.version, dossier.digitised_components) == (stored + 2, 1)
    assert dossier.current_step is not None
    assert dossier.current_step.key == "receive"


# -- seed 15 sample: business time and code days, word for word, at their bounds -------------
def test_a_business_time_past_the_calendar_is_refused_naming_the_field_and_the_range() -> None:
    app = _shop(clock=lambda: vn(2025, 4, 14, 9))
    with pytest.raises(CalendarRangeError) as caught:
        app.receive(LAND, agency=COUNTER, at=vn(2028, 1, 1, 9))
    assert str(caught.value) == (
        "at: 2028-01-01 is outside the calendar's data range 2020-01-01..2027-12-31"
    )
    with pytest.raises(CalendarRangeError) as caught:
        DeadlineWatcher(app).tick(vn(2019, 12, 31, 9))
    assert str(caught.value) == (
        "now: 2019-12-31 is outside the calendar's data range 2020-01-01..2027-12-31"
    )


def test_a_business_time_up_to_the_tolerance_past_the_clock_is_accepted_and_no_later() -> None:
    app = _shop(clock=lambda: vn(2025, 4, 14, 9))
    assert app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9, 10)).received_at == vn(
        2025, 4, 14, 9, 10
    )
    with pytest.raises(InvalidInputError) as caught:
        app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9, 10, 1))
    assert str(caught.value) == (
        "at: 2025-04-14T09:10:01+07:00 is later than the application clock "
        "(2025-04-14T09:00:00+07:00) plus the tolerance of 0:10:00; "
        "business time cannot be in the future"
    )
    strict = _shop(clock=lambda: vn(2025, 4, 14, 9), future_tolerance=timedelta(0))
    assert strict.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9)).code == CODE
    with pytest.raises(InvalidInputError, match=r"^at: 2025-04-14T09:00:01\+07:00 is later "):
        strict.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9, 0, 1))


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            datetime(2025, 4, 14),
            "day: expected a date, got datetime datetime.datetime(2025, 4, 14, 0, 0)",
        ),
        ("2025-04-14", "day: expected a date, got str '2025-04-14'"),
    ],
)
def test_a_code_day_that_is_not_a_date_is_refused_naming_its_type(
    day: object, message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _shop().next_code(COUNTER, day)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_a_code_day_past_the_calendar_is_refused_naming_the_range() -> None:
    with pytest.raises(CalendarRangeError) as caught:
        _shop().next_code(COUNTER, date(2028, 1, 1))
    assert str(caught.value) == (
        "day: 2028-01-01 is outside the calendar's data range 2020-01-01..2027-12-31"
    )


def test_a_code_without_a_day_is_issued_for_the_clocks_day() -> None:
    app = _shop(clock=lambda: vn(2025, 4, 14, 23, 59))
    assert str(app.next_code(COUNTER)) == CODE
    assert str(app.next_code(COUNTER)) == OTHER


def test_a_dossier_never_recorded_is_not_found_naming_its_code() -> None:
    with pytest.raises(DossierNotFoundError) as caught:
        _shop().dossier(CODE)
    assert (caught.value.code, str(caught.value)) == (
        CODE,
        f"dossier {CODE}: not found (no event recorded for this code)",
    )


def test_an_overdue_mark_up_to_the_tolerance_before_the_last_event_is_moved_up_to_it() -> None:
    app = _shop()
    app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    with pytest.raises(BusinessRuleError) as caught:  # moved up to 09:00, not due yet
        app.mark_overdue(CODE, at=vn(2025, 4, 14, 8, 50))
    assert caught.value.rule is Rule.OVERDUE_AFTER_DUE
    assert caught.value.detail.startswith(f"{CODE}: at 2025-04-14T09:00:00+07:00 the legal due ")
    with pytest.raises(InvalidInputError) as refused:
        app.mark_overdue(CODE, at=vn(2025, 4, 14, 8, 49, 59))
    assert str(refused.value) == (
        f"at: 2025-04-14T08:49:59+07:00 is before {CODE}'s last event "
        "(2025-04-14T09:00:00+07:00) by more than the tolerance"
    )


def test_a_days_sequence_stops_at_9999_codes_saying_it_is_exhausted() -> None:
    sequence = CodeSequence.start(COUNTER, date(2025, 4, 14))
    for _ in range(9998):
        sequence.issue()
    assert str(sequence.issue()) == "000.00.10.H41-250414-9999"
    with pytest.raises(InvalidInputError) as caught:
        sequence.issue()
    assert str(caught.value) == (
        "000.00.10.H41 2025-04-14: the 4-digit daily sequence is exhausted"
    )
    assert sequence.last == 9999


def test_a_step_whose_role_the_catalog_cannot_resolve_keeps_the_role_as_its_holder() -> None:
    land = Catalog.sample()[LAND]
    by_role = attrs.evolve(land, steps=tuple(attrs.evolve(s, agency_code=None) for s in land.steps))
    app = OneStopShop(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=Catalog([by_role])
    )  # no agencies: no role resolves
    dossier = app.receive(LAND, agency=COUNTER, at=vn(2025, 7, 2, 9))
    assert [(p.key, p.name, p.agency, str(p.allotted)) for p in dossier.process] == [
        (s.key, s.name, s.agency, str(s.allotted)) for s in by_role.steps
    ]
    assert [p.agency for p in dossier.process] == [
        "receiving_unit",
        "land_registration_office",
        "land_registration_office",
        "receiving_unit",
    ]
    assert [str(p.allotted) for p in dossier.process] == [
        "0,5 ngày làm việc",
        "3 ngày làm việc",
        "3,5 ngày làm việc",
        "1 ngày làm việc",
    ]


def test_with_timeliness_by_datetime_a_dossier_is_overdue_from_its_due_instant() -> None:
    by_date, by_instant = _shop(), _shop(timeliness_by="datetime")
    for app in (by_date, by_instant):  # 3 working days: due Thu 17/04/2025 09:00
        app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    after = vn(2025, 4, 17, 9, 1)
    assert by_date.overdue(after) == []
    assert [i.code for i in by_instant.overdue(after)] == [CODE]
    assert by_instant.overdue(vn(2025, 4, 17, 9)) == []
    assert by_instant.mark_overdue(CODE, at=after)
    with pytest.raises(BusinessRuleError) as caught:
        by_date.mark_overdue(CODE, at=after)
    assert caught.value.rule is Rule.OVERDUE_AFTER_DUE
    assert DeadlineWatcher(by_date).tick(after).overdue == ()


# -- every command on a dossier records who, when, where and under which id, once ------------
ACTOR = "Nguyễn Văn An"
SETUP: dict[str, tuple[str, ...]] = {
    "finish_step": ("forward",),
    "receive_supplement": ("request_supplement",),
    "resume": ("pause",),
    "return_result": ("resolve",),
    "record_feedback": ("resolve", "return_result"),
}


def _last_event(app: OneStopShop) -> Any:
    (stored,) = app.recorder.select_events(dossier_id(CODE), desc=True, limit=1)
    return app.mapper.to_domain_event(stored)


@pytest.mark.parametrize("command", sorted(CHANGES))
def test_every_command_on_a_dossier_records_its_time_agency_actor_and_id_and_applies_once(
    command: str,
) -> None:
    app = _shop()
    app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    for hour, before in enumerate(SETUP.get(command, ()), start=10):
        CHANGES[before](app, at=vn(2025, 4, 14, hour))
    at = vn(2025, 4, 14, 14, 30)
    CHANGES[command](app, at=at, actor=ACTOR, command_id="cmd-1")
    event = _last_event(app)
    assert (event.at, event.agency, event.actor, event.command_id) == (
        at,
        COUNTER,
        ACTOR,
        "cmd-1",
    )
    version = app.dossier(CODE).version
    again = CHANGES[command](app, at=vn(2025, 4, 14, 15), actor=ACTOR, command_id="cmd-1")
    assert again.version == app.dossier(CODE).version == version


def test_a_receipt_of_a_submission_keeps_its_applicant_and_records_what_the_counter_gave() -> None:
    app = _shop()
    applicant = {"name": "Lê Thị Hoa"}
    submitted = app.submit(
        LAND,
        agency=COUNTER,
        at=vn(2025, 4, 14, 9),
        applicant=applicant,
        actor=ACTOR,
        command_id="s-1",
    )
    assert submitted.code == CODE
    event = _last_event(app)
    assert (event.at, event.agency, event.actor, event.command_id) == (
        vn(2025, 4, 14, 9),
        COUNTER,
        ACTOR,
        "s-1",
    )
    assert (
        app.submit(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE, command_id="s-1").version
        == 1
    )
    at = vn(2025, 4, 14, 10)
    received = app.receive(
        LAND,
        agency=COUNTER,
        at=at,
        code=CODE,
        channel="online",
        limit="5 ngày làm việc",
        actor="Trần Bình",
        command_id="r-1",
    )
    event = _last_event(app)
    assert (event.at, event.agency, event.actor, event.command_id) == (
        at,
        COUNTER,
        "Trần Bình",
        "r-1",
    )
    assert (received.applicant, received.channel.value, str(received.limit)) == (
        applicant,
        "online",
        "5 ngày làm việc",
    )
    assert (received.submitted_at, received.received_at, received.legal_due) == (
        vn(2025, 4, 14, 9),
        at,
        vn(2025, 4, 21, 10),
    )
    again = app.receive(LAND, agency=COUNTER, at=at, code=CODE, command_id="r-1")
    assert again.version == received.version == app.dossier(CODE).version


def test_a_counter_refusal_records_its_reason_procedure_actor_and_id() -> None:
    app = _shop()
    refused = app.refuse(
        agency=COUNTER,
        reason="thiếu giấy tờ",
        procedure=LAND,
        at=vn(2025, 4, 14, 9),
        actor=ACTOR,
        command_id="f-1",
    )
    event = _last_event(app)
    assert (refused.code, refused.procedure, refused.outcome) == (CODE, LAND, "thiếu giấy tờ")
    assert (event.at, event.agency, event.actor, event.command_id) == (
        vn(2025, 4, 14, 9),
        COUNTER,
        ACTOR,
        "f-1",
    )
    assert (
        app.refuse(agency=COUNTER, reason="x", at=vn(2025, 4, 14, 9), command_id="f-1").code == CODE
    )


def test_the_application_lists_dossiers_due_within_one_working_day_unless_told() -> None:
    now = [vn(2025, 4, 15, 9)]
    app = _shop(clock=lambda: now[0])
    # 3 working days: received Mon 14/04/2025 09:00, due Thu 17/04 09:00
    app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    assert app.due_soon() == []  # the clock's Tuesday
    assert [i.code for i in app.due_soon(within=2)] == [CODE]
    now[0] = vn(2025, 4, 16, 9)
    assert [i.code for i in app.due_soon()] == [CODE]
    assert app.due_soon(vn(2025, 4, 15, 9)) == []


def test_a_code_can_be_issued_on_the_first_day_of_the_calendar() -> None:
    app = _shop()
    first = app.calendar.first_day
    assert app.next_code(COUNTER, first).day == first


def _apologise(app: OneStopShop, at: datetime, new_due: datetime) -> Any:
    return app.issue_apology(CODE, agency=COUNTER, new_due=new_due, reason="x", at=at)


def test_the_application_allows_as_many_apologies_as_it_is_told_one_by_default() -> None:
    default, two = _shop(), _shop(max_apologies=2)
    for app in (default, two):
        # 3 working days: received Mon 14/04/2025 09:00, due Thu 17/04 09:00
        app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
        _apologise(app, vn(2025, 4, 15, 10), vn(2025, 4, 22, 9))
    _apologise(two, vn(2025, 4, 16, 10), vn(2025, 4, 24, 9))
    assert len(two.dossier(CODE).apologies) == 2
    with pytest.raises(BusinessRuleError) as caught:
        _apologise(default, vn(2025, 4, 16, 10), vn(2025, 4, 24, 9))
    assert caught.value.rule is Rule.APOLOGY_LIMIT
    assert len(default.dossier(CODE).apologies) == 1


def test_an_apology_on_the_due_date_needs_a_lead_of_zero_working_days() -> None:
    for app, accepted in ((_shop(), False), (_shop(apology_lead_days=0), True)):
        app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)  # due 17/04 09:00
        if accepted:
            _apologise(app, vn(2025, 4, 17, 8), vn(2025, 4, 22, 9))
            assert app.dossier(CODE).current_due == vn(2025, 4, 22, 9)
        else:
            with pytest.raises(BusinessRuleError) as caught:
                _apologise(app, vn(2025, 4, 17, 8), vn(2025, 4, 22, 9))
            assert caught.value.rule is Rule.APOLOGY_BEFORE_DUE


def test_a_resolution_without_an_outcome_is_recorded_as_approved() -> None:
    app = _shop()
    app.receive(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    assert app.resolve(CODE, agency=COUNTER, at=vn(2025, 4, 14, 10)).outcome == "approved"


def test_a_refusal_of_an_online_submission_records_its_reason_actor_and_id() -> None:
    app = _shop()
    app.submit(LAND, agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE)
    at = vn(2025, 4, 14, 10)
    refused = app.refuse(
        CODE, agency=COUNTER, reason="hồ sơ không hợp lệ", at=at, actor=ACTOR, command_id="f-2"
    )
    event = _last_event(app)
    assert (refused.code, refused.procedure, refused.outcome) == (CODE, LAND, "hồ sơ không hợp lệ")
    assert (event.at, event.agency, event.actor, event.command_id) == (at, COUNTER, ACTOR, "f-2")
    assert app.recorder.select_events(applied_command_id("f-2")) == []
