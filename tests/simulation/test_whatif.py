"""What-if analysis: changes to the profile and the catalog, common random numbers, deltas."""

from __future__ import annotations

from datetime import date

import pytest

from tests.simulation.conftest import edited
from tthc_engine import Catalog, TimeLimit
from tthc_engine.simulation import Profile, ProfileValidationError
from tthc_engine.simulation.whatif import (
    ChangeError,
    Variant,
    apply_changes,
    parse_change,
    run_whatif,
)

FIRST, LAST = date(2025, 10, 1), date(2025, 10, 21)


@pytest.fixture(scope="module")
def small() -> Profile:
    """Three weeks of 60 dossiers a working day, procedures drawn by the month's volumes."""
    return edited("nghe-an-month", arrivals={"mode": "fixed", "per_day": 60})


def test_a_change_that_changes_nothing_gives_deltas_of_exactly_zero(small: Profile) -> None:
    result = run_whatif(
        small, [Variant.parse("/supplements/rate*=1")], seeds=[1, 2], first=FIRST, last=LAST
    )
    for key in ("resolved", "late", "on_time_rate", "online_rate"):
        delta = result.delta(1, key)
        assert delta is not None
        assert delta.per_seed == (0.0, 0.0)


def test_common_random_numbers_spread_the_deltas_less_than_independent_runs(
    small: Profile,
) -> None:
    slower = Variant.parse("/agencies/land_registration_office/median*=1.6")
    seeds = [11, 12, 13, 14]
    result = run_whatif(small, [slower], seeds=seeds, first=FIRST, last=LAST, jobs=2)
    resolved = result.delta(1, "resolved")
    assert resolved is not None
    assert resolved.mean < 0  # a slower land office resolves fewer dossiers in the period
    summary = resolved.as_dict()
    assert summary["low"] < summary["mean"] < summary["high"]  # a Student-t 95% interval
    variant, baseline = result.values(1, "resolved"), result.values(0, "resolved")
    independent = [variant[(k + 1) % 4] - baseline[k] for k in range(4)]  # type: ignore[operator]
    assert max(resolved.per_seed) - min(resolved.per_seed) < max(independent) - min(independent)
    as_json = result.as_dict()
    assert as_json["variants"][0]["deltas"]["resolved"]["per_seed"] == list(resolved.per_seed)


def test_more_online_share_moves_only_the_dossiers_near_the_threshold(small: Profile) -> None:
    more = Variant.parse("/channels_from/*/full/online+=0.1; /channels_from/*/partial/online+=0.1")
    result = run_whatif(small, [more], seeds=[3], first=FIRST, last=LAST)
    online = result.delta(1, "online_rate")
    received, refused = result.delta(1, "received"), result.delta(1, "refused")
    assert online is not None
    assert received is not None
    assert refused is not None
    assert 0.03 < online.mean < 0.12
    # the same dossiers arrive; only their channels change (and online ones are refused
    # more often at receipt: Mẫu 03 for an incomplete online dossier)
    assert received.mean + refused.mean == 0
    assert refused.mean > 0


def test_a_catalog_change_sets_a_limit_and_a_step_share_of_every_version() -> None:
    profile, catalog = Profile.sample("nghe-an-month"), Catalog.sample()
    changes = parse_change(
        "/catalog/1.013831/limit=6 ngày làm việc; "
        "/catalog/1.013831/steps/record/allotted=1,5 ngày làm việc"
    )
    _, edited_catalog = apply_changes(profile, catalog, changes)
    version = edited_catalog.in_force("1.013831", date(2025, 10, 1))
    assert version.limit == TimeLimit.parse("6 ngày làm việc")
    assert version.step("record").allotted == TimeLimit.parse("1,5 ngày làm việc")
    before = edited_catalog.in_force("1.013831", date(2025, 4, 1))
    assert before.limit == TimeLimit.parse("6 ngày làm việc")  # every version of the code
    assert catalog.in_force("1.013831", date(2025, 10, 1)).limit != version.limit


def test_a_limit_can_change_alone_even_when_the_shares_no_longer_add_up_to_it() -> None:
    profile, catalog = Profile.sample("nghe-an-month"), Catalog.sample()
    _, edited_catalog = apply_changes(
        profile, catalog, parse_change("/catalog/2.001610/limit=2 ngày làm việc")
    )
    version = edited_catalog.in_force("2.001610", date(2025, 10, 1))
    assert version.limit == TimeLimit.parse("2 ngày làm việc")
    assert version.steps == catalog.in_force("2.001610", date(2025, 10, 1)).steps  # 0,5 + 2 + 0,5


def test_a_step_can_be_removed_from_one_version() -> None:
    profile, catalog = Profile.sample("nghe-an-month"), Catalog.sample()
    changes = parse_change("/catalog/1.012753@2025-07-01/steps/site=null")
    _, edited_catalog = apply_changes(profile, catalog, changes)
    keys = [s.key for s in edited_catalog.in_force("1.012753", date(2025, 10, 1)).steps]
    assert "site" not in keys
    assert "site" in [s.key for s in edited_catalog.in_force("1.012753", date(2025, 4, 1)).steps]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("agencies.x.median=1", "expected /path=value", id="not-a-pointer"),
        pytest.param("/supplements/rate*=fast", "*= needs a number", id="not-a-number"),
        pytest.param("/supplements/speed=1", "unknown field", id="unknown-field"),
        pytest.param("/nothing/here*=2", "/nothing does not exist", id="no-such-path"),
        pytest.param("/catalog/9.999999/limit=3 ngày làm việc", "not in the catalog", id="code"),
        pytest.param("/catalog/1.013831/steps/sign/allotted=1 ngày", "has no step", id="step"),
        pytest.param("/supplements/rate=2", "expected a number ≥ 0 and ≤ 1", id="bad-value"),
    ],
)
def test_a_bad_change_is_refused_with_a_message_that_quotes_it(text: str, message: str) -> None:
    profile, catalog = Profile.sample("nghe-an-month"), Catalog.sample()
    with pytest.raises((ChangeError, ProfileValidationError)) as caught:
        apply_changes(profile, catalog, parse_change(text))
    assert message in str(caught.value)
