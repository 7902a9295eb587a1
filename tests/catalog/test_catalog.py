"""The procedure catalog: the Nghệ An sample in every format, and validation that reports all."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from tthc_engine.catalog import (
    Catalog,
    CatalogValidationError,
    Fee,
    Level,
    OnlineLevel,
    PauseReason,
    Procedure,
    SupplementPolicy,
    UnknownProcedureError,
    working_hours_of_limit,
)
from tthc_engine.errors import TthcError
from tthc_engine.worktime import LimitUnit, TimeLimit

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "src" / "tthc_engine" / "catalog" / "data" / "nghe-an.yaml"


def _sample_data() -> dict[str, Any]:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


CURRENT = date(2025, 7, 1)
"""The first day of the two-tier versions in the sample (most codes)."""


def _entry(data: Mapping[str, Any], code: str, valid_from: date | None = CURRENT) -> Any:
    """The sample entry of ``code`` that starts on ``valid_from`` (not a copy)."""
    found = [
        e for e in data["procedures"] if e["code"] == code and e.get("valid_from") == valid_from
    ]
    assert len(found) == 1, (code, valid_from)
    return found[0]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load(SAMPLE)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | date):
        return str(value) if not isinstance(value, date) else value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        items = ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items() if v is not None)
        return "{" + items + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(value)


def _to_toml(data: Mapping[str, Any]) -> str:
    """A tiny TOML writer for the catalog's shape (the stdlib only reads TOML)."""
    lines = []
    for key, value in data.items():
        if key == "procedures":
            lines.append("procedures = [")
            lines.extend(f"  {_toml_value(p)}," for p in value)
            lines.append("]")
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


# -- the sample ------------------------------------------------------------------------------
def test_the_sample_catalog_loads_from_yaml_with_at_least_twelve_procedures(
    catalog: Catalog,
) -> None:
    assert len(catalog) >= 12
    assert catalog.province is not None
    assert catalog.province.code == "H41"
    assert all(isinstance(p, Procedure) for p in catalog.values())
    assert catalog.agency_code("ppc") == "000.00.00.H41"


def test_the_sample_catalog_loads_from_a_json_copy_with_the_same_procedures(
    catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "nghe-an.json"
    with path.open("w", encoding="utf-8") as handle:
        json.dump(_sample_data(), handle, ensure_ascii=False, default=str, indent=1)
    from_json = Catalog.load(path)
    assert dict(from_json) == dict(catalog)
    assert all(from_json.versions(code) == catalog.versions(code) for code in catalog)
    assert from_json.agencies == catalog.agencies


def test_the_sample_catalog_loads_from_a_toml_copy_with_the_same_procedures(
    catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "nghe-an.toml"
    path.write_text(_to_toml(_sample_data()), encoding="utf-8")
    from_toml = Catalog.load(path)
    assert dict(from_toml) == dict(catalog)
    assert all(from_toml.versions(code) == catalog.versions(code) for code in catalog)


def test_every_sample_limit_parses_from_its_published_wording(catalog: Catalog) -> None:
    for entry in _sample_data()["procedures"]:
        limit = TimeLimit.parse(entry["limit"])
        [version] = [
            v for v in catalog.versions(entry["code"]) if v.valid_from == entry.get("valid_from")
        ]
        assert version.limit == limit, entry["code"]


def _every_version(catalog: Catalog) -> list[Procedure]:
    return [version for code in catalog for version in catalog.versions(code)]


def test_every_sample_process_adds_up_to_its_legal_limit(catalog: Catalog) -> None:
    for procedure in _every_version(catalog):
        assert procedure.steps, procedure.code
        limit = procedure.limit
        if limit.unit is LimitUnit.SAME_DAY:
            hours = procedure.allotted_working_hours
            assert hours is not None
            assert hours <= 8, procedure.code
        elif limit.unit in (LimitUnit.WORKING_DAYS, LimitUnit.WORKING_HOURS):
            assert procedure.allotted_working_hours == working_hours_of_limit(limit)
        else:
            assert sum(s.allotted.amount for s in procedure.steps) == limit.amount
            assert {s.allotted.unit for s in procedure.steps if s.allotted.amount} == {limit.unit}


def test_every_sample_step_is_held_by_a_nghe_an_agency(catalog: Catalog) -> None:
    for procedure in _every_version(catalog):
        for step in procedure.steps:
            assert step.agency_code is not None
            assert step.agency_code.endswith(".H41"), (procedure.code, step.key)


def test_chung_thuc_is_a_same_day_procedure_with_a_15_00_cutoff(catalog: Catalog) -> None:
    chung_thuc = catalog["2.000815"]
    assert chung_thuc.field == "Chứng thực"
    assert chung_thuc.limit.unit is LimitUnit.SAME_DAY
    assert chung_thuc.cutoff == time(15, 0)
    assert chung_thuc.level is Level.COMMUNE


def test_first_time_land_certificate_excludes_the_financial_obligation_pause(
    catalog: Catalog,
) -> None:
    land = catalog["1.012753"]
    assert land.field == "Đất đai"
    assert land.excludes(PauseReason.FINANCIAL_OBLIGATION)
    assert land.limit == TimeLimit.working_days(20)
    assert not catalog["2.000815"].excludes(PauseReason.FINANCIAL_OBLIGATION)


def test_the_lien_thong_sample_runs_from_the_centre_through_a_department_to_the_ppc(
    catalog: Catalog,
) -> None:
    investment = catalog["1.009645"]
    agencies = [s.agency for s in investment.steps]
    assert agencies[0] == "receiving_unit"
    assert "finance_department" in agencies
    assert agencies.index("finance_department") < agencies.index("ppc")
    assert investment.limit == TimeLimit.calendar_days(17)


def test_a_commune_procedure_and_business_registration_are_in_the_sample(
    catalog: Catalog,
) -> None:
    assert catalog["1.000656"].level is Level.COMMUNE
    business = catalog["2.001610"]
    assert business.limit == TimeLimit.working_days(3)
    assert business.supplement_policy is SupplementPolicy.RESTART
    assert business.online_level is OnlineLevel.FULL
    assert business.fee.online_payment


# -- the API the dossier domain uses -----------------------------------------------------------
def test_steps_are_navigated_by_key(catalog: Catalog) -> None:
    birth = catalog["1.001193"]
    assert birth.first_step is not None
    assert birth.first_step.key == "receive"
    assert birth.step("appraise").agency == "commune_justice"
    nxt = birth.next_step("receive")
    assert nxt is not None
    assert nxt.key == "appraise"
    assert birth.next_step("return") is None
    with pytest.raises(KeyError, match="no step 'approve'"):
        birth.step("approve")
    with pytest.raises(KeyError, match="no step 'approve'"):
        birth.next_step("approve")


def test_a_step_share_is_counted_in_working_hours() -> None:
    assert working_hours_of_limit(TimeLimit.parse("0,5 ngày làm việc")) == Decimal(4)
    assert working_hours_of_limit(TimeLimit.parse("3 giờ làm việc")) == Decimal(3)
    assert working_hours_of_limit(TimeLimit.parse("trong ngày")) == Decimal(8)
    assert working_hours_of_limit(TimeLimit.parse("10 ngày")) is None


def test_an_unknown_code_names_the_code_and_suggests_close_ones(catalog: Catalog) -> None:
    with pytest.raises(UnknownProcedureError) as info:
        catalog.get("1.001194")
    error = info.value
    assert isinstance(error, KeyError)
    assert isinstance(error, TthcError)
    assert error.code == "1.001194"
    assert "1.001193" in error.suggestions
    assert "'1.001194'" in str(error)
    assert "1.001193" in str(error)
    with pytest.raises(UnknownProcedureError):
        catalog["9.999999"]
    assert catalog.get("9.999999", None) is None
    assert "9.999999" not in catalog


def test_validity_dates_say_whether_a_procedure_applies_on_a_day(catalog: Catalog) -> None:
    birth = catalog["1.001193"]
    assert birth.applies_on(date(2025, 7, 1))
    assert not birth.applies_on(date(2025, 6, 30))


# -- validation reports every problem ---------------------------------------------------------
def _broken_sample() -> dict[str, Any]:
    data = copy.deepcopy(_sample_data())
    _entry(data, "1.001193")["limit"] = "5 tuần"  # unparsable limit
    _entry(data, "1.000894")["level"] = "huyen"  # unknown level
    _entry(data, "1.000656")["code"] = "1.00065"  # bad code format
    _entry(data, "2.000635", date(2021, 12, 6))["valid_to"] = date(2025, 7, 1)  # overlap
    _entry(data, "2.000815")["fee"]["amount"] = -2000  # negative fee
    _entry(data, "2.000884")["online_level"] = "level 4"  # unknown online level
    _entry(data, "2.000488")["supplement_policy"] = "freeze"  # unknown policy
    _entry(data, "1.012753")["excluded_pauses"] = ["financial_obligation", "rain"]
    _entry(data, "1.013831")["steps"][1]["allotted"] = "1 ngày làm việc"  # shares ≠ limit
    _entry(data, "1.013225", date(2026, 7, 1))["steps"][0]["agency"] = "mayor"  # unknown role
    _entry(data, "1.009645", date(2025, 9, 3))["level"] = "district"  # district after 06/2025
    _entry(data, "1.001612")["limt"] = "3 ngày làm việc"  # unknown field
    _entry(data, "2.001610", date(2021, 12, 6))["valid_to"] = date(2021, 1, 1)  # reversed
    return data


def test_a_catalog_with_several_problems_reports_all_of_them_with_file_entry_and_field() -> None:
    with pytest.raises(CatalogValidationError) as info:
        Catalog.from_mapping(_broken_sample(), source="broken.yaml")
    problems = info.value.problems
    bad_code_index = next(
        i for i, e in enumerate(_broken_sample()["procedures"]) if e["code"] == "1.00065"
    )
    expected = [
        ("procedures[1.001193@2025-07-01]", "limit", "5 tuần"),
        ("procedures[1.000894@2025-07-01]", "level", "unknown level 'huyen'"),
        (f"procedures[{bad_code_index}]", "code", "not a national procedure code"),
        (
            "procedures[2.000635@2025-07-01]",
            "valid_from",
            "overlaps the version procedures[2.000635@2021-12-06] (2021-12-06 to 2025-07-01)",
        ),
        ("procedures[2.000815@2025-07-01]", "fee.amount", "cannot be negative"),
        ("procedures[2.000884@2025-07-01]", "online_level", "unknown online level 'level 4'"),
        (
            "procedures[2.000488@2025-07-01]",
            "supplement_policy",
            "unknown supplement policy 'freeze'",
        ),
        ("procedures[1.012753@2025-07-01]", "excluded_pauses[1]", "unknown pause reason 'rain'"),
        (
            "procedures[1.013831@2025-07-01]",
            "steps",
            "add up to 48 working hours (6 ngày làm việc)",
        ),
        ("procedures[1.013225@2026-07-01]", "steps[0].agency", "unknown role 'mayor'"),
        ("procedures[1.009645@2025-09-03]", "level", "district level"),
        ("procedures[1.001612@2025-07-01]", "limt", "unknown field 'limt'"),
        ("procedures[2.001610@2021-12-06]", "valid_to", "2021-01-01 is before valid_from"),
    ]
    for entry, field, fragment in expected:
        prefix = f"broken.yaml:{entry}:{field}: "
        assert any(p.startswith(prefix) and fragment in p for p in problems), (prefix, problems)
    assert all(p.startswith("broken.yaml:") for p in problems)
    message = str(info.value)
    assert message.startswith(f"broken.yaml: {len(problems)} problems")
    assert all(p in message for p in problems)


def test_an_unparsable_limit_reports_the_parser_message() -> None:
    data = _sample_data()
    data["procedures"] = [dict(_entry(data, "1.001193"), limit="năm ngày")]
    with pytest.raises(CatalogValidationError) as info:
        Catalog.from_mapping(data, source="x.yaml")
    [problem] = info.value.problems
    assert problem.startswith("x.yaml:procedures[1.001193]:limit: time limit 'năm ngày'")


def test_a_code_read_as_a_number_is_told_to_be_quoted() -> None:
    data = _sample_data()
    data["procedures"] = [dict(_entry(data, "1.000894"), code=1.000894)]
    with pytest.raises(CatalogValidationError, match=r"procedures\[0\]:code: 1\.000894 was read"):
        Catalog.from_mapping(data, source="x.yaml")


def test_a_district_procedure_is_accepted_only_before_july_2025() -> None:
    data = _sample_data()
    old = dict(
        _entry(data, "1.000894"),
        level="district",
        valid_from=date(2022, 1, 1),
        valid_to=date(2025, 6, 30),
    )
    data["procedures"] = [old]
    catalog = Catalog.from_mapping(data)
    assert catalog["1.000894"].level is Level.DISTRICT
    data["procedures"] = [dict(old, valid_to=None)]
    with pytest.raises(CatalogValidationError, match="must end by 30/06/2025"):
        Catalog.from_mapping(data)


def test_a_same_day_process_must_fit_in_one_working_day() -> None:
    data = _sample_data()
    entry = copy.deepcopy(_entry(data, "2.000815"))  # chứng thực bản sao
    entry["steps"][0]["allotted"] = "1 ngày làm việc"
    data["procedures"] = [entry]
    with pytest.raises(CatalogValidationError, match="must fit in one working day"):
        Catalog.from_mapping(data)


def test_calendar_day_limits_take_calendar_day_steps() -> None:
    data = _sample_data()
    entry = copy.deepcopy(_entry(data, "1.009645", date(2025, 9, 3)))  # 17 ngày
    entry["steps"][1]["allotted"] = "11 ngày làm việc"
    data["procedures"] = [entry]
    with pytest.raises(CatalogValidationError, match="not in the limit's unit"):
        Catalog.from_mapping(data)


def test_a_file_that_is_not_a_catalog_is_reported_by_file(tmp_path: Path) -> None:
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("procedures: [\n  {code: 1\n", encoding="utf-8")
    pattern = r"bad\.yaml:\(file\):line \d+: not valid YAML"
    with pytest.raises(CatalogValidationError, match=pattern):
        Catalog.load(bad_yaml)
    with pytest.raises(CatalogValidationError, match=r"unknown catalog format '\.xml'"):
        Catalog.load(tmp_path / "catalog.xml")
    with pytest.raises(CatalogValidationError, match="cannot read"):
        Catalog.load(tmp_path / "missing.json")
    with pytest.raises(CatalogValidationError, match=r"\(document\):\(top\): expected a mapping"):
        Catalog.from_mapping(["not", "a", "mapping"])


def test_vietnamese_aliases_are_accepted_for_levels_and_online_levels() -> None:
    data = _sample_data()
    data["procedures"] = [
        dict(
            _entry(data, "1.001193"),
            level="Cấp xã",
            online_level="toàn trình",
            supplement_policy="tạm dừng",
        )
    ]
    procedure = Catalog.from_mapping(data)["1.001193"]
    assert procedure.level is Level.COMMUNE
    assert procedure.online_level is OnlineLevel.FULL


def test_a_fee_that_is_not_recorded_is_unknown_rather_than_free(catalog: Catalog) -> None:
    assert catalog["1.013225"].fee == Fee(
        None, True, "Lệ phí theo quy định của Hội đồng nhân dân cấp tỉnh."
    )
    assert not catalog["1.013225"].fee.is_known
    assert catalog["1.000894"].fee.is_free
