"""Hostile calls of every public command, shared by the Hypothesis fuzz and ``fuzz_counts``.

Each :class:`Spec` names a public method of ``OneStopShop``, the state its dossier is put
in first (:data:`SETUPS`), and for each argument a pool of valid values and a pool of
hostile ones (wrong types, ``None``, blank or oversized text, lone surrogates, NUL,
look-alike digits, strings for booleans and lists, floats for amounts, naive datetimes,
datetimes that cannot be expressed in UTC+7, years outside the calendar…). A case picks
a few arguments to make hostile and draws the others from the valid pools, then
:func:`run_case` runs it and :func:`judge` says what happened:

* ``refused`` — a :class:`~tthc_engine.errors.TthcError` whose message names the field or
  the rule, never repeats the applicant's data, stays short, and nothing was written;
* ``accepted`` — success, and what was stored reads back equal from another application
  on the same store;
* anything else is a problem (``bare`` exception, ``write on refusal``, ``unclear`` error,
  ``leak`` of personal data, ``read-back`` mismatch).

The module only uses names that the application had before the rebuild of issue 7 too, so
``fuzz_counts`` can count the same calls against that code.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs

from tthc_engine import VN_TZ, OneStopShop, TthcError
from tthc_engine.catalog import Catalog, PauseReason
from tthc_engine.domain import Channel, Dossier, DossierCode, Rating, dossier_id
from tthc_engine.worktime import TimeLimit, ensure_aware

try:  # the limits of issue 7 (documented in domain/inputs.py)
    from tthc_engine.domain.inputs import MAX_ID, MAX_TEXT
except ImportError:  # pragma: no cover - the code before the rebuild had none
    MAX_TEXT, MAX_ID = 2000, 200

COUNTER = "000.00.10.H41"
"""The receiving unit (steps ``receive`` and ``return`` of the business registration)."""
REGISTRY = "000.00.20.H41"
"""The agency of the ``register`` step (finance department, from 01/03/2025)."""
OPENER = "000.00.00.H41"
"""The agency part of the explicit codes the fuzz opens dossiers under (it never issues
codes there, so an issued code never takes one of them)."""
BUSINESS = "2.001610"  # 3 working days: receive (0,5) → register (2) → return (0,5)
LAND = "1.012753"
CLOCK = datetime(2025, 12, 31, 10, 0, tzinfo=VN_TZ)
"""The application clock: every dossier of the fuzz lies in the past of it."""
FIRST_DAY = date(2025, 7, 1)

PII_NAME = "Nguyễn Thị Bảo Mật"
PII_ID = "040987654321"
APPLICANT = {"name": PII_NAME, "id_number": PII_ID}
PII = (PII_NAME, PII_ID)

HUGE = "x" * 5_000_000  # 5 MB of text
MAX_MESSAGE = 1000
"""An error message longer than this repeats a value it should have cut."""


def clock() -> datetime:
    return CLOCK


def make_app(env: dict[str, str], catalog: Catalog | None = None) -> OneStopShop:
    return OneStopShop(env=env, catalog=catalog or Catalog.sample(), clock=clock)


# -- where each case's dossier lives ----------------------------------------------------------
@attrs.define
class Context:
    """The dossier a case acts on (prepared by its setup) and the values valid for it."""

    n: int
    code: str
    fresh: str
    start: datetime

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def unknown(self) -> str:
        """A well-formed code nobody opens (this case's number under another agency)."""
        return "000.00.99.H41" + self.code[len(OPENER) :]

    @property
    def at(self) -> datetime:
        return self.start + timedelta(hours=1)

    @property
    def due(self) -> datetime:
        return self.start + timedelta(days=3)  # received Tue 09:00 → due Fri 09:00


class Allocator:
    """Two unused explicit codes per case, on working days from 01/07/2025 (9,998 a day)."""

    def __init__(self, first: int = 0) -> None:
        self._numbers = itertools.count(first)

    def next(self) -> Context:
        n = next(self._numbers)
        day = FIRST_DAY + timedelta(weeks=(2 * n) // 9998)  # always a Tuesday
        seq = (2 * n) % 9998 + 1
        start = datetime(day.year, day.month, day.day, 9, tzinfo=VN_TZ)
        return Context(
            n,
            f"{OPENER}-{day:%y%m%d}-{seq:04d}",
            f"{OPENER}-{day:%y%m%d}-{seq + 1:04d}",
            start,
        )


def _receive(app: OneStopShop, c: Context) -> None:
    app.receive(BUSINESS, agency=COUNTER, code=c.code, at=c.start)


def _submit(app: OneStopShop, c: Context) -> None:
    app.submit(BUSINESS, agency=COUNTER, code=c.code, at=c.start)


def _in_step(app: OneStopShop, c: Context) -> None:
    _receive(app, c)
    app.start_step(c.code, "receive", at=c.start + timedelta(minutes=5))


def _supplement(app: OneStopShop, c: Context) -> None:
    _receive(app, c)
    app.request_supplement(
        c.code, agency=COUNTER, reason="Thiếu bản sao", at=c.start + timedelta(minutes=5)
    )


def _paused(app: OneStopShop, c: Context) -> None:
    _receive(app, c)
    app.pause(
        c.code, agency=COUNTER, reason="financial_obligation", at=c.start + timedelta(minutes=5)
    )


def _resolved(app: OneStopShop, c: Context) -> None:
    _receive(app, c)
    app.resolve(c.code, agency=COUNTER, at=c.start + timedelta(minutes=5))


SETUPS: dict[str, Callable[[OneStopShop, Context], None]] = {
    "none": lambda app, c: None,
    "submitted": _submit,
    "received": _receive,
    "in_step": _in_step,
    "supplement": _supplement,
    "paused": _paused,
    "resolved": _resolved,
}


# -- pools of values ---------------------------------------------------------------------------
Pool = Callable[[Context], Sequence[object]]


def fixed(*values: object) -> Pool:
    return lambda c: values


EXTREME_LATE = datetime.max.replace(tzinfo=timezone(timedelta(hours=-23)))
EXTREME_EARLY = datetime.min.replace(tzinfo=timezone(timedelta(hours=23)))

TEXT_HOSTILE = (
    None,
    5,
    3.5,
    True,
    b"bytes",
    ["a list"],
    {"a": "mapping"},
    "",
    "   ",
    "a\ud800b",
    "a\x00b",
    "x" * (MAX_TEXT + 1),
    HUGE,
)
ID_HOSTILE = (5, "", "   ", "a\ud800", "a\x00b", "x" * (MAX_ID + 1), HUGE, b"id", ["id"])
AGENCY_HOSTILE = (
    None,
    41,
    "",
    "   ",
    " 000.00.10.H41",
    "000.00.10.h41",
    "000.00.1\uff10.H41",  # a full-width zero
    "000.00.1\u0660.H41",  # an Arabic-Indic zero
    "999.99.99.H99",  # well formed, but not in the catalog
    "000.00.10.H41\x00",
    "\ud800",
    "x" * (MAX_TEXT + 1),
    b"000.00.10.H41",
    ["000.00.10.H41"],
)
BOOL_HOSTILE = ("no", "true", 0, 1, None, "", 1.0, [])
NUMBER_HOSTILE = (
    1.5,
    50_000.0,
    True,
    False,
    -1,
    10**20,
    "50000",
    None,
    float("nan"),
    float("inf"),
    Decimal("5"),
)
LIST_HOSTILE = (
    "abc",
    None,
    5,
    ["a", None],
    [""],
    ["a\ud800"],
    ["x" * 501],
    ["a"] * 101,
    {"a": 1},
    b"abc",
    [5],
    [HUGE],
)
LIMIT_HOSTILE = (
    "0 ngày làm việc",
    "0 giờ làm việc",
    "0 ngày",
    "-1 ngày làm việc",
    "99999 ngày làm việc",
    "5 tuần",
    5,
    5.0,
    "",
    "\ud800",
    "x" * (MAX_TEXT + 1),
    ["5 ngày làm việc"],
    TimeLimit.working_days(0),
)
APPLICANT_HOSTILE = (
    PII_NAME,
    [PII_NAME],
    5,
    {"name": 5},
    {1: PII_NAME},
    {"name": PII_NAME + "\ud800"},
    {"name": PII_NAME + "x" * 500},
    {f"field{i}": PII_ID for i in range(51)},
    {"": PII_NAME},
    {"name": {"first": PII_NAME}},
    {"name": PII_NAME, "id_number": PII_ID + "\x00"},
)


def code_hostile(c: Context) -> Sequence[object]:
    return (
        None,
        5,
        "",
        "nope",
        c.code.replace("0", "\uff10", 1),
        c.code[:-1] + "\u0661",
        f"{OPENER}-251399-0001",
        f"{OPENER}-{c.day:%y%m%d}-0000",
        c.unknown,  # well formed, never opened
        "\ud800",
        HUGE,
        [c.code],
    )


def at_hostile(c: Context) -> Sequence[object]:
    return (
        c.at.replace(tzinfo=None),
        c.at.isoformat(),
        c.day,
        1751335200,
        True,
        "",
        EXTREME_LATE,
        EXTREME_EARLY,
        datetime(2205, 7, 1, 10, tzinfo=VN_TZ),
        datetime(1999, 7, 1, 10, tzinfo=VN_TZ),
        CLOCK + timedelta(days=1),  # later than the clock plus its tolerance
        c.start - timedelta(days=1),  # before the dossier's last event
    )


def at_valid(c: Context) -> Sequence[object]:
    return (
        c.at,
        c.at,
        None,  # the application clock
        c.at.astimezone(UTC),
        c.at.astimezone(timezone(timedelta(hours=-23, minutes=-59))),
        CLOCK + timedelta(minutes=5),  # clock skew within the tolerance
    )


@attrs.frozen
class Param:
    name: str
    valid: Pool
    hostile: Pool
    positional: bool = False


def p(name: str, valid: Pool, hostile: Pool | Sequence[object], positional: bool = False) -> Param:
    return Param(name, valid, hostile if callable(hostile) else fixed(*hostile), positional)


CODE = p("code", lambda c: (c.code,), code_hostile, positional=True)
AT = p("at", at_valid, at_hostile)
ACTOR = p("actor", fixed(None, "Lê Văn Cán Bộ"), ID_HOSTILE)
CID = p("command_id", lambda c: (None, f"fuzz-{c.n}"), ID_HOSTILE)
BY_COUNTER = p("agency", fixed(COUNTER), AGENCY_HOSTILE)
COMMON = (AT, ACTOR, CID)


@attrs.frozen
class Spec:
    """A public method of the application, the state of its dossier, its arguments."""

    command: str
    setup: str
    params: tuple[Param, ...]
    query: bool = False
    """A query: writes nothing, returns no dossier."""


def _text(name: str, *valid: object) -> Param:
    return p(name, fixed(*valid), TEXT_HOSTILE)


SPECS: tuple[Spec, ...] = (
    Spec(
        "submit",
        "none",
        (
            p("procedure", fixed(BUSINESS, LAND), (*TEXT_HOSTILE, "9.999999"), positional=True),
            p("agency", fixed(COUNTER, REGISTRY), AGENCY_HOSTILE),
            p("code", lambda c: (None, c.fresh), code_hostile),
            p("applicant", fixed(None, APPLICANT), APPLICANT_HOSTILE),
            *COMMON,
        ),
    ),
    Spec(
        "receive",
        "submitted",
        (
            p("procedure", fixed(BUSINESS, LAND), (*TEXT_HOSTILE, "9.999999"), positional=True),
            p("agency", fixed(COUNTER, REGISTRY), AGENCY_HOSTILE),
            p("code", lambda c: (None, c.fresh, c.code), code_hostile),
            p(
                "channel",
                fixed("counter", Channel.ONLINE, "postal"),
                ("fax", 1, None, "", ["counter"], "COUNTER", "\ud800"),
            ),
            p("applicant", fixed(None, APPLICANT), APPLICANT_HOSTILE),
            p("limit", fixed(None, "5 ngày làm việc", "trong ngày"), LIMIT_HOSTILE),
            *COMMON,
        ),
    ),
    Spec(
        "refuse",
        "submitted",
        (
            p("code", lambda c: (None, c.code, c.fresh), code_hostile, positional=True),
            p("agency", fixed(COUNTER), AGENCY_HOSTILE),
            _text("reason", "Hồ sơ không thuộc thẩm quyền"),
            p("procedure", fixed("", BUSINESS), (*TEXT_HOSTILE, "9.999999")),
            *COMMON,
        ),
    ),
    Spec(
        "start_step",
        "received",
        (
            CODE,
            p(
                "step",
                fixed("receive", "register"),
                ("nope", None, 5, "", "\ud800", "x" * (MAX_ID + 1), ["receive"]),
                positional=True,
            ),
            p("agency", fixed(None, COUNTER), AGENCY_HOSTILE),
            p("allotted", fixed(None, "4 giờ làm việc"), LIMIT_HOSTILE),
            p("name", fixed(None, "Tiếp nhận và kiểm tra"), TEXT_HOSTILE),
            *COMMON,
        ),
    ),
    Spec(
        "finish_step",
        "in_step",
        (
            CODE,
            BY_COUNTER,
            p("step", fixed(None, "receive"), ("nope", 5, "", "\ud800", HUGE, ["receive"])),
            *COMMON,
        ),
    ),
    Spec(
        "forward",
        "in_step",
        (
            CODE,
            BY_COUNTER,
            p("to_step", fixed(None, "register"), ("nope", 5, "", "\ud800", HUGE, ["x"])),
            p("to_agency", fixed(None, REGISTRY), AGENCY_HOSTILE),
            *COMMON,
        ),
    ),
    Spec(
        "request_supplement",
        "in_step",
        (
            CODE,
            BY_COUNTER,
            _text("reason", "Thiếu bản sao giấy tờ"),
            p("items", fixed((), ["Bản sao CCCD"], ("Đơn", "Ảnh")), LIST_HOSTILE),
            *COMMON,
        ),
    ),
    Spec("receive_supplement", "supplement", (CODE, BY_COUNTER, *COMMON)),
    Spec(
        "pause",
        "in_step",
        (
            CODE,
            BY_COUNTER,
            p(
                "reason",
                fixed("financial_obligation", PauseReason.PUBLIC_POSTING),
                ("holiday", None, 6, "", ["financial_obligation"], "\ud800", HUGE),
            ),
            *COMMON,
        ),
    ),
    Spec("resume", "paused", (CODE, BY_COUNTER, *COMMON)),
    Spec(
        "resolve",
        "in_step",
        (CODE, BY_COUNTER, _text("outcome", "approved", "Cấp giấy chứng nhận"), *COMMON),
    ),
    Spec(
        "return_result",
        "resolved",
        (
            CODE,
            BY_COUNTER,
            p("channel", fixed("counter", Channel.POSTAL), ("fax", 1, None, "", ["online"])),
            *COMMON,
        ),
    ),
    Spec("withdraw", "in_step", (CODE, BY_COUNTER, _text("reason", "", "Xin rút"), *COMMON)),
    Spec("stop", "in_step", (CODE, BY_COUNTER, _text("reason", "Vi phạm"), *COMMON)),
    Spec(
        "issue_apology",
        "in_step",
        (
            CODE,
            BY_COUNTER,
            p(
                "new_due",
                lambda c: (c.due + timedelta(days=5),),
                lambda c: (
                    datetime(9999, 12, 31, tzinfo=VN_TZ),
                    EXTREME_LATE,
                    EXTREME_EARLY,
                    (c.due + timedelta(days=5)).replace(tzinfo=None),
                    (c.due + timedelta(days=5)).isoformat(),
                    None,
                    datetime(1999, 1, 1, tzinfo=VN_TZ),
                    datetime(2205, 1, 1, tzinfo=VN_TZ),
                    c.due - timedelta(days=1),
                ),
            ),
            _text("reason", "Cần xác minh thêm"),
            *COMMON,
        ),
    ),
    Spec(
        "record_feedback",
        "received",
        (
            CODE,
            BY_COUNTER,
            p(
                "rating",
                fixed("satisfied", Rating.DISSATISFIED),
                ("great", 5, None, "", ["satisfied"]),
            ),
            _text("comment", "", "Cán bộ nhiệt tình"),
            p("complaint", fixed(False, True), BOOL_HOSTILE),
            *COMMON,
        ),
    ),
    Spec(
        "record_payment",
        "received",
        (
            CODE,
            BY_COUNTER,
            p("amount", fixed(0, 50_000, 10**9), NUMBER_HOSTILE),
            p("online", fixed(True, False), BOOL_HOSTILE),
            *COMMON,
        ),
    ),
    Spec(
        "record_digitisation",
        "received",
        (
            CODE,
            BY_COUNTER,
            p("components", fixed(0, 1, 3), NUMBER_HOSTILE),
            p("e_result", fixed(False, True), BOOL_HOSTILE),
            p("reused", fixed(False, True), BOOL_HOSTILE),
            *COMMON,
        ),
    ),
    Spec(
        "mark_overdue",
        "received",
        (CODE, p("at", lambda c: (None, c.start + timedelta(days=20)), at_hostile)),
    ),
    Spec(
        "next_code",
        "none",
        (
            p("agency", fixed(COUNTER, REGISTRY), AGENCY_HOSTILE, positional=True),
            p(
                "day",
                lambda c: (None, c.day),
                lambda c: (
                    date(2205, 1, 1),
                    date(1999, 1, 1),
                    c.day.isoformat(),
                    20250701,
                    datetime(c.day.year, c.day.month, c.day.day, 9, tzinfo=VN_TZ),
                    datetime(c.day.year, c.day.month, c.day.day, 9),
                    True,
                ),
            ),
        ),
    ),
    Spec(
        "overdue",
        "received",
        (p("at", lambda c: (None, c.start + timedelta(days=20)), at_hostile),),
        query=True,
    ),
    Spec(
        "due_soon",
        "received",
        (
            p("at", lambda c: (None, c.at), at_hostile),
            p("within", fixed(0, 1, 5), ("x", -1, 1.5, None, 10**9, True, [1])),
        ),
        query=True,
    ),
)
SPEC = {spec.command: spec for spec in SPECS}
BATCHED = tuple(
    spec for spec in SPECS if not spec.query and spec.command not in ("mark_overdue", "next_code")
)
"""The use cases, which a batch runs too."""


# -- one case ------------------------------------------------------------------------------------
@attrs.frozen
class Case:
    spec: Spec
    context: Context
    args: tuple[object, ...]
    kwargs: dict[str, object]
    hostile: tuple[str, ...]

    def describe(self) -> str:
        def short(value: object) -> str:
            text = repr(value)
            return text if len(text) <= 60 else text[:59] + "…"

        parts = [short(a) for a in self.args]
        parts += [f"{k}={short(v)}" for k, v in self.kwargs.items()]
        return f"{self.spec.command}({', '.join(parts)})  hostile: {', '.join(self.hostile)}"


Choose = Callable[[Sequence[Any]], Any]


def draw_case(spec: Spec, context: Context, choose: Choose, hostile: Sequence[str]) -> Case:
    """Draw every argument of ``spec``: from its hostile pool if named in ``hostile``,
    else from its valid pool. ``choose`` picks one value of a sequence."""
    args: list[object] = []
    kwargs: dict[str, object] = {}
    for param in spec.params:
        pool = param.hostile if param.name in hostile else param.valid
        value = choose(list(pool(context)))
        if param.positional:
            args.append(value)
        elif value is not None or param.name in hostile:
            kwargs[param.name] = value
    return Case(spec, context, tuple(args), kwargs, tuple(hostile))


@attrs.frozen
class Outcome:
    """What a case did: ``kind`` is ``accepted``, ``refused``, or the problem found."""

    kind: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.kind in ("accepted", "refused")


PROBLEMS = ("bare", "write on refusal", "unclear", "leak", "read-back")


def state(dossier: Dossier) -> dict[str, object]:
    """A dossier's public state (what its events set), for comparisons."""
    fields = {k: v for k, v in vars(dossier).items() if not k.startswith("_")}
    fields["version"] = dossier.version
    return fields


def _stored_version(app: OneStopShop, code: object) -> int:
    try:
        key = dossier_id(str(DossierCode.parse(code)))  # type: ignore[arg-type]
    except Exception:
        return 0
    events = app.recorder.select_events(key, desc=True, limit=1)
    return events[0].originator_version if events else 0


def _parsed(code: str) -> str:
    return str(DossierCode.parse(code))


def target(case: Case) -> object:
    """The code of the dossier the case acts on (None: one the application issues)."""
    if case.spec.params[0].name == "code":
        return case.args[0]
    if "code" in {param.name for param in case.spec.params}:
        return case.kwargs.get("code")
    return case.context.code


def setup(app: OneStopShop, case: Case) -> None:
    """Put the case's dossier in the state its command expects (committed at once)."""
    SETUPS[case.spec.setup](app, case.context)


_SETUP_EVENTS: dict[str, int] = {}


def setup_events(app: OneStopShop, kind: str) -> int:
    """How many events the setup ``kind`` writes (measured once, on a dossier of its own)."""
    if kind not in _SETUP_EVENTS:
        before = app.recorder.max_notification_id() or 0
        probe = Context(-1, f"000.00.98.H41-250701-{len(_SETUP_EVENTS) + 1:04d}", "", CLOCK)
        probe.start = datetime(2025, 7, 1, 9, tzinfo=VN_TZ)
        SETUPS[kind](app, probe)
        _SETUP_EVENTS[kind] = (app.recorder.max_notification_id() or 0) - before
    return _SETUP_EVENTS[kind]


def run_case(
    app: OneStopShop, reader: OneStopShop, case: Case, *, in_batch: bool = False
) -> Outcome:
    """Set the case's dossier up, run ``case`` on ``app`` and judge it; ``reader`` is
    another application on the same store.

    ``in_batch``: the setup and the command run inside one ``app.batch()``, whose commit
    must succeed; when the command is refused, the batch must write what the setup alone
    writes (the refused command left nothing in it)."""
    refusal: TthcError | None = None
    if in_batch:
        expected = setup_events(app, case.spec.setup)
        before = app.recorder.max_notification_id() or 0
        aimed = target(case)
        same = isinstance(aimed, str) and aimed.strip() == case.context.code
        version = expected if same else 0  # the setup's events are all on its dossier
    else:
        setup(app, case)
        expected = 0
        before = app.recorder.max_notification_id() or 0
        version = _stored_version(app, target(case))
    try:
        if in_batch:
            with app.batch() as batch:
                SETUPS[case.spec.setup](batch, case.context)  # type: ignore[arg-type]
                try:
                    result = getattr(batch, case.spec.command)(*case.args, **case.kwargs)
                except TthcError as error:
                    refusal = error  # the batch goes on and commits the setup
        else:
            result = getattr(app, case.spec.command)(*case.args, **case.kwargs)
    except TthcError as error:
        refusal = error
    except Exception as error:
        written = (app.recorder.max_notification_id() or 0) - before
        return Outcome("bare", f"{type(error).__name__}: {str(error)[:200]} (wrote {written})")
    if refusal is not None:
        return _judge_refusal(app, case, refusal, before + expected)
    return _judge_success(app, reader, case, result, version)


def _judge_refusal(app: OneStopShop, case: Case, error: TthcError, before: int) -> Outcome:
    """``before``: the last notification id a refusal may leave."""
    message = str(error)
    written = (app.recorder.max_notification_id() or 0) - before
    if written:
        return Outcome("write on refusal", f"{written} event(s) after {message[:200]}")
    if any(marker in message for marker in PII):
        return Outcome("leak", message[:300])
    if len(message) > MAX_MESSAGE:
        return Outcome("unclear", f"{len(message):,}-character message: {message[:120]}…")
    if not _names_field_or_rule(case, error, message):
        return Outcome("unclear", f"{type(error).__name__}: {message[:300]}")
    return Outcome("refused", f"{type(error).__name__}: {message[:120]}")


ALIASES = {
    "code": ("dossier code", "dossier "),
    "limit": ("time limit", "limit"),
    "allotted": ("time limit", "allotted"),
    "procedure": ("unknown procedure code", "procedure"),
    "applicant": ("applicant",),
    "items": ("items",),
    "at": ("at", "now"),
}


def _names_field_or_rule(case: Case, error: TthcError, message: str) -> bool:
    rule = getattr(error, "rule", None)
    if rule is not None:
        return message.startswith(f"{rule.name}: ")
    for param in case.spec.params:
        for label in ALIASES.get(param.name, (param.name,)):
            follows = message[len(label) : len(label) + 1]
            if message.startswith(label) and (label.endswith(" ") or follows in ": .['"):
                return True
    return False


def _expected(case: Case, name: str, value: object) -> object:
    """What the event stores for ``value`` given as argument ``name``."""
    if name in ("at", "new_due"):
        return ensure_aware(value)
    if name == "channel":
        return Channel(value)
    if name == "rating":
        return Rating(value)
    if name == "reason" and case.spec.command == "pause":
        return PauseReason(value)
    if name in ("limit", "allotted") and isinstance(value, str):
        return TimeLimit.parse(value)
    if name == "items":
        return list(value)  # type: ignore[call-overload]
    if name == "code":
        return str(DossierCode.parse(value))  # type: ignore[arg-type]
    return value


NOT_STORED = {"forward": ("to_step", "to_agency"), "refuse": ("procedure",)}
"""Arguments not stored on the command's first event (a refused submission keeps its own
procedure; the target of a forward is on its second event)."""
OPTIONAL_TEXTS = {"withdraw": ("reason",), "record_feedback": ("comment",)}


def _judge_success(
    app: OneStopShop, reader: OneStopShop, case: Case, result: object, version: int
) -> Outcome:
    if case.spec.query:
        return Outcome("accepted", f"{len(result)} item(s)")  # type: ignore[arg-type]
    if case.spec.command == "next_code":
        day = case.kwargs.get("day", case.args[1] if len(case.args) > 1 else None)
        want = day if day is not None else CLOCK.date()
        if not isinstance(result, DossierCode):
            return Outcome("read-back", f"next_code returned {result!r}")
        again = DossierCode.parse(str(result))
        if (again.agency, again.day) != (case.args[0], want):
            return Outcome("read-back", f"issued {result} for {case.args[0]} on {want}")
        return Outcome("accepted", str(result))
    if case.spec.command == "mark_overdue":
        result = app.dossier(case.context.code)
    if not isinstance(result, Dossier):
        return Outcome("read-back", f"returned {type(result).__name__}, not a Dossier")
    stored = reader.dossier(result.code)
    if state(stored) != state(result):
        diff = sorted(k for k in state(stored) if state(stored)[k] != state(result).get(k))
        return Outcome("read-back", f"{result.code}: fields {diff} differ in the store")
    aimed = target(case)
    if not isinstance(aimed, str) or result.code != _parsed(aimed):
        version = 0  # a dossier this command opened under an issued code
    if stored.version == version:
        return Outcome("accepted", "nothing new (already applied)")
    events = list(reader.repository.event_store.get(stored.id, gt=version))
    if not events:
        return Outcome("read-back", f"{result.code}: v{stored.version} stored, v{version} before")
    first = events[0]
    given = {**case.kwargs, "at": case.kwargs.get("at")}  # no at: the clock's time
    for name, value in given.items():
        if name in NOT_STORED.get(case.spec.command, ()):
            continue
        if value is None and name == "at":
            value = CLOCK
        if value is None or not hasattr(first, name):
            continue
        if name in OPTIONAL_TEXTS.get(case.spec.command, ()) and not str(value).strip():
            value = ""  # documented: a blank optional text is stored as ""
        want, got = _expected(case, name, value), getattr(first, name)
        if want != got:
            return Outcome("read-back", f"{name}: given {want!r:.80}, stored {got!r:.80}")
    return Outcome("accepted", f"{len(events)} event(s)")
