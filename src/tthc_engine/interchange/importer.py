"""Importing event logs into a store, through the domain's rules (DESIGN.md §6).

``import_jsonl(app, ["2025-04.jsonl"])`` reads the log twice:

1. **Check.** Every line is parsed and checked (:func:`~.schema.check_record`), then
   carried out on its dossier as a plain :class:`~tthc_engine.domain.fold.FoldedDossier`,
   seeded from the store's events when the dossier is stored already. The application's
   own checks run first: the business time (not in the future, inside the calendar's
   range) and, with a catalog, the receipt's procedure version in force, agency listed and
   defaults (:meth:`OneStopShop._receipt_fields`). Every problem is kept with its file and
   line: broken JSON, unknown type, missing or mistyped field, naive time, time going
   backwards within a dossier (rule ``TIME_RUNS_FORWARD``), a fact for a dossier never
   opened, any other business rule, and an ``id`` used twice for different facts — in the
   input, or in the store (the stored fact is read back with
   :func:`~tthc_engine.domain.facts.fact_of_event` and compared field by field).
2. **Write.** Unless a problem was found (or ``keep_going`` is set), the facts are carried
   out again on the ``Dossier`` aggregates in a :class:`~tthc_engine.application.UnitOfWork`,
   one savepoint per fact, committed every ``batch`` facts: each batch is one
   transaction, so an import killed half-way leaves whole batches, and running it again
   stores what is missing — a fact whose ``id`` is stored already is skipped (the id is
   the command id: importing the same file twice adds nothing).

With ``keep_going``, the dossiers with a problem are left out — every one of their lines
goes to the rejects file — and the others are imported.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, Protocol

import attrs

from tthc_engine.application import DossierConflictError, OneStopShop
from tthc_engine.application.unit_of_work import UnitOfWork
from tthc_engine.domain import Dossier
from tthc_engine.domain.commands import DossierCommands
from tthc_engine.domain.facts import Fact, FactRules, FactType, apply_fact
from tthc_engine.domain.fold import FoldedDossier
from tthc_engine.errors import InvalidInputError, TimeLimitParseError, TthcError
from tthc_engine.interchange.exporter import stored_events, stored_facts
from tthc_engine.interchange.jsonl import dossier_of, parse
from tthc_engine.interchange.schema import Problem
from tthc_engine.worktime import TimeLimit

if TYPE_CHECKING:
    from tthc_engine.domain.event import DossierEvent

__all__ = [
    "ImportInterruptedError",
    "ImportOutcome",
    "JsonlSource",
    "LineProblem",
    "Rejects",
    "Source",
    "SourceLine",
    "import_jsonl",
    "import_source",
]

Progress = Callable[[int], None]
"""Told how much of the input (in the source's unit: bytes, rows) was just read."""
BatchDone = Callable[[int, int], None]
"""Told, after each committed batch, its number and how many facts were imported so far."""

_APPLY: Final = 0
_SKIP: Final = 1
"""Stored already (same id, same content), or repeated earlier in the input."""
_REJECT: Final = 2
"""A line whose dossier cannot be told (broken JSON without a findable code)."""


@attrs.frozen
class SourceLine:
    """One fact of an input (or the problems found instead), with where it comes from.

    ``raw`` is the input's own text of the line, written as is to a rejects file; ``size``
    is how much of the input it stands for (bytes of a log, one row of a table)."""

    path: str
    number: int
    fact: Fact | None
    problems: tuple[Problem, ...] = ()
    dossier: str | None = None
    raw: bytes = b""
    size: int = 0


class Rejects(Protocol):
    """Where the lines of the dossiers left out are written, in the input's own format."""

    def add(self, line: SourceLine) -> None:
        """Write ``line``'s input text (once, however many facts it stands for)."""
        ...

    def close(self) -> None:
        """Finish the file."""
        ...


class Source(Protocol):
    """An input the importer reads twice: the same lines, in the same order, each time."""

    @property
    def size(self) -> int:
        """The input's size in the unit :class:`SourceLine` ``size`` counts."""
        ...

    def lines(self) -> Iterator[SourceLine]:
        """Every fact of the input (or its problems), in the input's order."""
        ...

    def open_rejects(self, path: Path) -> Rejects:
        """A rejects file at ``path`` in the input's format."""
        ...


class _RawRejects:
    """Rejected lines written back as they were read (a JSON Lines log)."""

    def __init__(self, path: Path, header: bytes = b"") -> None:
        self._handle: IO[bytes] = open(path, "wb")  # noqa: SIM115 - closed by close()
        self._handle.write(header)
        self._written: set[tuple[str, int]] = set()

    def add(self, line: SourceLine) -> None:
        key = (line.path, line.number)
        if key in self._written:  # one input line may stand for several facts
            return
        self._written.add(key)
        raw = line.raw
        self._handle.write(raw if raw.endswith(b"\n") else raw + b"\n")

    def close(self) -> None:
        self._handle.close()


class JsonlSource:
    """``tthc.event/1`` JSON Lines files, read line by line (numbered from 1 in each file)."""

    def __init__(self, paths: Iterable[str | Path]) -> None:
        self.paths = [str(p) for p in paths]
        for path in self.paths:
            if not Path(path).is_file():
                raise InvalidInputError(f"{path}: no such file")

    @property
    def size(self) -> int:
        """The files' bytes."""
        return sum(Path(p).stat().st_size for p in self.paths)

    def lines(self) -> Iterator[SourceLine]:
        """Every non-blank line, parsed and checked (DESIGN.md §6)."""
        for path in self.paths:
            with open(path, "rb") as handle:
                for number, raw in enumerate(handle, 1):
                    if not raw.strip():
                        continue
                    line = parse(number, path, raw)
                    fact = line.fact
                    code = fact.dossier if fact is not None else dossier_of(raw)
                    yield SourceLine(path, number, fact, line.problems, code, raw, len(raw))

    def open_rejects(self, path: Path) -> Rejects:
        """Rejected lines, written back as they were read."""
        return _RawRejects(path)


@attrs.frozen
class LineProblem:
    """A problem of one input line: ``FILE:LINE: field: message``."""

    path: str
    problem: Problem

    def __str__(self) -> str:
        p = self.problem
        return f"{self.path}:{p.line}: {p.field}: {p.message}"


@attrs.frozen
class ImportOutcome:
    """What an import found and did.

    ``facts``: facts read; ``imported``: facts carried out into the store; ``present``:
    facts whose id was stored already (or that repeat an earlier line); ``rejected``: the
    dossiers left out (with ``keep_going``) or whose problems stopped the import;
    ``rejected_lines``: the input lines written to the rejects file; ``batches``: the
    transactions committed."""

    problems: tuple[LineProblem, ...]
    facts: int
    imported: int
    present: int
    rejected: frozenset[str]
    rejected_lines: int
    batches: int

    @property
    def ok(self) -> bool:
        """No problem was found (everything was imported or was there already)."""
        return not self.problems


class ImportInterruptedError(TthcError):
    """A fact that passed the check failed when written: the store (or the input) changed
    in between. The batches committed before it stay; running the import again completes
    it."""


# -- comparing an incoming fact with the stored one ------------------------------------------
_DEFAULTS: Mapping[FactType, Mapping[str, Any]] = {
    FactType.SUBMITTED: {"channel": "online"},
    FactType.RECEIVED: {
        "channel": "counter",
        "procedure_name": "",
        "supplement_policy": "pause",
        "excluded_pauses": [],
        "process": [],
    },
    FactType.REFUSED: {"procedure": "", "channel": "counter"},
    FactType.SUPPLEMENT_REQUESTED: {"items": []},
    FactType.RESOLVED: {"outcome": "approved"},
    FactType.RESULT_RETURNED: {"channel": "counter"},
    FactType.WITHDRAWN: {"reason": ""},
    FactType.STOPPED: {"reason": ""},
    FactType.FEEDBACK_GIVEN: {"comment": "", "complaint": False},
    FactType.DIGITISED: {"components": 1, "e_result": False, "reused": False},
}
"""The value a command takes for a field a line leaves out (and an export leaves out)."""
_FILLED: Mapping[FactType, frozenset[str]] = {
    FactType.RECEIVED: frozenset(
        {"limit", "procedure_name", "supplement_policy", "excluded_pauses", "process"}
    ),
    FactType.REFUSED: frozenset({"procedure", "channel"}),
    FactType.STEP_STARTED: frozenset({"allotted", "name"}),
    FactType.STEP_FINISHED: frozenset({"step"}),
}
"""Fields a line may leave for the catalog or the dossier to fill (the receipt's limit and
process, a step's share and name, the step being finished)."""
_MISSING = object()


def _normal(key: str, value: Any) -> Any:
    """A data value in a form where equal meanings compare equal."""
    if key in ("limit", "allotted") and isinstance(value, str):
        try:
            return TimeLimit.parse(value)
        except TimeLimitParseError:
            return value
    if key == "process" and isinstance(value, list):
        return [
            {k: _normal(k, v) for k, v in step.items()} if isinstance(step, dict) else step
            for step in value
        ]
    if key == "excluded_pauses" and isinstance(value, list):
        return sorted(value)
    return value


def difference(incoming: Fact, stored: Fact) -> str | None:
    """The first field in which ``incoming`` differs from the ``stored`` fact with the same
    id, or None when it is the same fact (DESIGN.md §6: an id names one fact).

    Fields the line leaves out compare as their defaults; the receipt's limit, process and
    policies, a step's share and name may be left for the catalog and the process to fill.
    The applicant is never compared (it is never exported)."""
    for name in ("type", "dossier", "at", "agency", "actor"):
        if getattr(incoming, name) != getattr(stored, name):
            return name
    defaults = _DEFAULTS.get(incoming.type, {})
    filled = _FILLED.get(incoming.type, frozenset())
    keys = (set(incoming.data) - {"applicant"}) | set(stored.data)
    for key in sorted(keys):
        if key in incoming.data:
            mine = incoming.data[key]
        elif key in filled:
            continue
        else:
            mine = defaults.get(key, _MISSING)
        theirs = stored.data.get(key, defaults.get(key, _MISSING))
        if _normal(key, mine) != _normal(key, theirs):
            return f"data.{key}"
    return None


def _frozen(value: Any) -> Hashable:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value  # type: ignore[no-any-return]


def _content(fact: Fact) -> int:
    """A hash of everything a fact says but its id (for repeated ids in one input)."""
    return hash(
        (fact.dossier, fact.type, fact.at, fact.agency, fact.actor, _frozen(dict(fact.data)))
    )


# -- the import ---------------------------------------------------------------------------------
@attrs.define
class _State:
    """A dossier as the check sees it: its state so far and its stored facts by id."""

    dossier: DossierCommands | None
    stored: dict[str, Fact]


@attrs.define
class _Checked:
    marks: bytearray
    problems: list[LineProblem]
    bad: set[str]
    new: set[str] = attrs.Factory(set)
    """Dossiers the store did not hold at the check (their first fact opens them)."""
    facts: int = 0


class _Importer:
    def __init__(self, app: OneStopShop) -> None:
        self.app = app
        self.rules = FactRules(app.calendar, app.max_apologies, app.apology_lead_days)
        self._stored = True
        """Whether the store held any event when the check began."""

    def carry_out(
        self, dossier: DossierCommands | None, fact: Fact, opener: type[DossierCommands]
    ) -> DossierCommands:
        """``fact`` as its command, after the application's checks of a command: business
        time, and at receipt the catalog's version in force, agency and defaults."""
        app = self.app
        app._business_time(fact.at)
        data = fact.data
        defaults = None
        if fact.type is FactType.RECEIVED:
            defaults = app._receipt_fields(
                str(data.get("procedure")), fact.at, fact.agency, data.get("limit")
            )
        elif fact.type in (FactType.SUBMITTED, FactType.REFUSED) and data.get("procedure"):
            app._procedure_on(str(data["procedure"]), fact.at, fact.agency)
        version = None if dossier is None else dossier.version
        result = apply_fact(dossier, fact, self.rules, opener, defaults)
        if version is not None and result.version == version:
            # a fact already applied never gets here: the check phase skips it
            raise InvalidInputError(
                f"id: {fact.id!r} changes nothing on dossier {fact.dossier}: it already is as "
                "the line says (each line of a log records one change)"
            )
        return result

    # -- 1. check ------------------------------------------------------------------------
    def _state(self, code: str, states: dict[str, _State], checked: _Checked) -> _State:
        state = states.get(code)
        if state is None:
            events: list[DossierEvent] = stored_events(self.app, code) if self._stored else []
            if not events:
                checked.new.add(code)
            folded: FoldedDossier | None = None
            if events:
                folded = FoldedDossier()
                folded.id = events[0].originator_id
                for event in events:
                    folded.apply_event(event)
            state = states[code] = _State(folded, stored_facts(code, events))
        return state

    def check(self, source: Source, progress: Progress | None) -> _Checked:
        checked = _Checked(bytearray(), [], set())
        self._stored = bool(self.app.recorder.max_notification_id())
        seen: dict[str, tuple[int, str, int]] = {}
        states: dict[str, _State] = {}
        for line in source.lines():
            if progress is not None:
                progress(line.size)
            checked.marks.append(self._check_line(line, checked, seen, states))
        return checked

    def _check_line(
        self,
        line: SourceLine,
        checked: _Checked,
        seen: dict[str, tuple[int, str, int]],
        states: dict[str, _State],
    ) -> int:
        checked.facts += 1
        fact = line.fact

        def problem(field: str, message: str) -> None:
            checked.problems.append(LineProblem(line.path, Problem(line.number, field, message)))

        if fact is None:
            checked.problems.extend(LineProblem(line.path, p) for p in line.problems)
            if line.dossier is None:
                return _REJECT
            checked.bad.add(line.dossier)
            return _APPLY
        code = fact.dossier
        content = _content(fact)
        earlier = seen.get(fact.id)
        if earlier is not None:
            if earlier[0] == content:
                return _SKIP
            problem(
                "id",
                f"{fact.id!r} is already the id of a different fact ({earlier[1]}:{earlier[2]}); "
                "an id names one fact",
            )
            checked.bad.add(code)
            return _APPLY
        seen[fact.id] = (content, line.path, line.number)
        if code in checked.bad:
            return _APPLY  # its later lines would only repeat the problem
        state = self._state(code, states, checked)
        stored = state.stored.get(fact.id)
        if stored is not None:
            field = difference(fact, stored)
            if field is None:
                return _SKIP
            problem(
                "id",
                f"{fact.id!r} is stored for dossier {code} as a different fact "
                f"(its {field} differs); an id names one fact",
            )
            checked.bad.add(code)
            return _APPLY
        try:
            state.dossier = self.carry_out(state.dossier, fact, FoldedDossier)
        except TthcError as error:
            problem(fact.type.value, str(error))
            checked.bad.add(code)
        return _APPLY

    # -- 2. write ------------------------------------------------------------------------
    def _apply(self, uow: UnitOfWork, fact: Fact, new: set[str]) -> Dossier:
        if fact.dossier in new:  # its opening fact: no need to look for it in the store
            new.discard(fact.dossier)
            dossier = None
        else:
            dossier = uow.find(fact.dossier)
        result = self.carry_out(dossier, fact, Dossier)
        assert isinstance(result, Dossier)
        if dossier is None:
            uow.add(result)
        return result

    @staticmethod
    def _commit(uow: UnitOfWork, done: int, line: SourceLine | None) -> None:
        """Commit one batch; another writer's change first stops the import (the batches
        before it stay)."""
        try:
            uow.commit()
        except DossierConflictError as error:
            where = f" (up to {line.path}:{line.number})" if line is not None else ""
            raise ImportInterruptedError(
                f"batch {done + 1}{where}: {error}; the {done} batch(es) before it are "
                "stored — run the import again to complete it"
            ) from None

    def write(
        self,
        source: Source,
        checked: _Checked,
        batch: int,
        rejects: Rejects | None,
        progress: Progress | None,
        on_batch: BatchDone | None,
    ) -> tuple[int, int, int]:
        """Carry the checked facts out into the store; (imported, batches, rejected lines)."""
        uow = UnitOfWork(self.app)
        pending = imported = batches = rejected = 0
        for ordinal, line in enumerate(source.lines()):
            if progress is not None:
                progress(line.size)
            mark = checked.marks[ordinal] if ordinal < len(checked.marks) else _APPLY
            if mark == _REJECT or line.dossier in checked.bad:  # every line of a bad dossier
                rejected += 1
                if rejects is not None:
                    rejects.add(line)
                continue
            if mark == _SKIP:
                continue
            fact = line.fact
            try:
                if fact is None:
                    raise InvalidInputError("the line changed since it was checked")
                uow.run(functools.partial(self._apply, fact=fact, new=checked.new))
            except TthcError as error:
                raise ImportInterruptedError(
                    f"{line.path}:{line.number}: {error}; the store or the input changed "
                    f"since the check: the {batches} batch(es) before this one are stored, "
                    "nothing of this one — run the import again to complete it"
                ) from None
            pending += 1
            imported += 1
            if pending >= batch:
                self._commit(uow, batches, line)
                batches += 1
                if on_batch is not None:
                    on_batch(batches, imported)
                uow = UnitOfWork(self.app)
                pending = 0
        if pending:
            self._commit(uow, batches, None)
            batches += 1
            if on_batch is not None:
                on_batch(batches, imported)
        return imported, batches, rejected


def import_source(
    app: OneStopShop,
    source: Source,
    *,
    batch: int = 1000,
    keep_going: bool = False,
    rejects: str | Path | None = None,
    progress: Progress | None = None,
    on_batch: BatchDone | None = None,
) -> ImportOutcome:
    """Check every fact of ``source`` and carry the good ones out into ``app``'s store
    (DESIGN.md §6; see the module docstring for the rules).

    Args:
        batch: facts per transaction (each batch is committed whole or not at all).
        keep_going: import the dossiers without problems and leave out the others;
            otherwise nothing is imported when any line has a problem.
        rejects: with ``keep_going``, the file every line of a left-out dossier is
            written to (in the input's format), when there is one.
        progress: told how much input was read, in both passes (the total is twice
            ``source.size``).
        on_batch: told after each committed batch.
    """
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise InvalidInputError(f"batch: expected a whole number ≥ 1, got {batch!r}")
    importer = _Importer(app)
    checked = importer.check(source, progress)
    problems = tuple(checked.problems)
    if problems and not keep_going:
        return ImportOutcome(
            problems,
            checked.facts,
            0,
            checked.marks.count(_SKIP),
            frozenset(checked.bad),
            0,
            0,
        )
    writer = source.open_rejects(Path(rejects)) if (rejects is not None and problems) else None
    try:
        imported, batches, rejected = importer.write(
            source, checked, batch, writer, progress, on_batch
        )
    finally:
        if writer is not None:
            writer.close()
    return ImportOutcome(
        problems,
        checked.facts,
        imported,
        checked.marks.count(_SKIP),
        frozenset(checked.bad),
        rejected,
        batches,
    )


def import_jsonl(
    app: OneStopShop, paths: str | Path | Sequence[str | Path], **options: Any
) -> ImportOutcome:
    """Import ``tthc.event/1`` JSON Lines files (:func:`import_source` and its options)."""
    files = [paths] if isinstance(paths, str | Path) else list(paths)
    return import_source(app, JsonlSource(files), **options)
