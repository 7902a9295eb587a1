"""The named business rules of a dossier and the error that states a broken one.

Each rule has a name (``Rule.APOLOGY_BEFORE_DUE``), a sentence that says the policy,
and the legal text it comes from. Commands check them before any event is triggered,
so a refused command writes nothing.
"""

from __future__ import annotations

import enum

from tthc_engine.errors import TthcError

__all__ = ["BusinessRuleError", "Rule"]


class Rule(enum.Enum):
    """A business rule, its statement and its basis."""

    NOTHING_BEFORE_RECEIPT = (
        "nothing happens to a dossier before it is received (status 2); the clock starts at "
        "receipt, not at online submission",
        "ND 61/2018 Điều 17; ND 118/2025; QĐ 766 chỉ số 2.1",
    )
    PROCEDURE_IN_FORCE = (
        "a dossier is received under the version of its procedure in force on the receipt day "
        "(the catalog's valid_from/valid_to)",
        "quyết định công bố TTHC (Nghị định 63/2010/NĐ-CP, sửa đổi bởi Nghị định 92/2017/NĐ-CP)",
    )
    AGENCY_IN_CATALOG = (
        "a dossier is received only at an agency the province's catalog lists",
        "mã định danh điện tử của cơ quan (QĐ 20/2020/QĐ-TTg); danh mục TTHC của tỉnh",
    )
    ALREADY_RECEIVED = (
        "a dossier is received once; a second receipt of the same code is refused",
        "TT 01/2018 / TT 03/2025 (mã hồ sơ is unique)",
    )
    CLOSED_DOSSIER = (
        "after a terminal state only feedback may be recorded; after resolution only returning "
        "the result, feedback, payment and digitisation",
        "ND 61/2018 Điều 19–20; status codes 3, 7, 8, 9, 10",
    )
    TIME_RUNS_FORWARD = (
        "a dossier's events happen in time order: a command cannot be dated before the "
        "dossier's last event",
        "business time comes from the event",
    )
    STEP_HELD_BY_AGENCY = (
        "a step is finished, and the dossier resolved, only by the agency holding it",
        "Phiếu kiểm soát quá trình giải quyết hồ sơ (TT 01/2018 Mẫu 05, TT 03/2025 Mẫu 06)",
    )
    ONE_STEP_AT_A_TIME = (
        "a step starts only when no other step is in progress (the previous holder hands over)",
        "ND 61/2018 Điều 18 (chuyển hồ sơ)",
    )
    STEP_IN_PROGRESS = (
        "there must be a step in progress to finish",
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    )
    UNKNOWN_STEP = (
        "a step must be one of the procedure's internal process (quy trình nội bộ)",
        "quy trình nội bộ approved by the Provincial People's Committee",
    )
    SUPPLEMENT_PENDING = (
        "a supplement can be received only while one is requested, and requested only when none "
        "is pending",
        "ND 61/2018 Điều 19 khoản 1 điểm a (Mẫu 02)",
    )
    PAUSE_STATE = (
        "a pause starts only when the dossier is not paused, and ends only a pause that runs",
        "QĐ 766 (status 6 pauses the clock)",
    )
    APOLOGY_BY_RESPONSIBLE_AGENCY = (
        "the apology comes from the agency handling the dossier or one whose step overran "
        "its share, never from the receiving counter for another agency's delay",
        "ND 61/2018 Điều 19 khoản 3 (cơ quan giải quyết hồ sơ); TT 03/2025 Mẫu 04",
    )
    APOLOGY_BEFORE_DUE = (
        "the apology and new appointment are issued on a date before the due date (by default "
        "at least 1 working day before; a tenant may require more)",
        "ND 61/2018 Điều 19 khoản 3 (trước thời hạn giải quyết)",
    )
    APOLOGY_LIMIT = (
        "a new appointment may be given at most once (configurable)",
        "ND 61/2018 Điều 19 khoản 3",
    )
    APOLOGY_LATER_DATE = (
        "the new appointment must be later than the current one",
        "ND 61/2018 Điều 19 khoản 3",
    )
    OVERDUE_AFTER_DUE = (
        "a dossier becomes overdue only once its legal due has passed with the clock running",
        "QĐ 766/QĐ-TTg chỉ số 2.1 (quá hạn: finished date later than the due date)",
    )
    RESULT_NEEDS_RESOLUTION = (
        "a result is returned only after the dossier is resolved (status 9 before 10)",
        "status codes 9, 10",
    )
    WITHDRAW_ONLY_OPEN = (
        "only an unfinished dossier can be withdrawn or stopped",
        "status codes 7, 8",
    )

    @property
    def statement(self) -> str:
        return self.value[0]

    @property
    def basis(self) -> str:
        return self.value[1]


class BusinessRuleError(TthcError):
    """A command would break a named business rule; nothing was written."""

    def __init__(self, rule: Rule, detail: str) -> None:
        self.rule = rule
        self.detail = detail
        super().__init__(f"{rule.name}: {detail} — rule: {rule.statement} ({rule.basis})")
