"""Errors of the application layer (infrastructure errors translated for users)."""

from __future__ import annotations

from tthc_engine.errors import TthcError

__all__ = ["DossierConflictError", "DossierNotFoundError"]


class DossierNotFoundError(TthcError, LookupError):
    """No dossier with this code has been recorded."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"dossier {code}: not found (no event recorded for this code)")


class DossierConflictError(TthcError):
    """Another writer changed the dossier first; nothing of this command was written.

    Reload and retry: a command carrying the same ``command_id`` is applied at most once.
    """

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(
            f"dossier {code}: changed by another writer since it was read; nothing of this "
            "command was written — reload and retry (commands with a command_id apply once)"
        )
