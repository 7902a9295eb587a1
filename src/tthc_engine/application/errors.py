"""Errors of the application layer (infrastructure errors translated for users)."""

from __future__ import annotations

from tthc_engine.errors import TthcError

__all__ = ["DossierConflictError", "DossierNotFoundError", "EncryptedStoreError"]


class DossierNotFoundError(TthcError, LookupError):
    """No dossier with this code has been recorded."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"dossier {code}: not found (no event recorded for this code)")


class DossierConflictError(TthcError):
    """Another writer changed what this command read first; nothing of it was written.

    ``code`` names what conflicted: a dossier code, or for a code sequence
    ``<agency>-<yyMMdd>-????``. Reload and retry: a command carrying the same
    ``command_id`` is applied at most once.
    """

    def __init__(self, code: str, what: str = "dossier") -> None:
        self.code = code
        self.what = what
        super().__init__(
            f"{what} {code}: changed by another writer since it was read; nothing of this "
            "command was written — reload and retry (commands with a command_id apply once)"
        )


class EncryptedStoreError(TthcError):
    """The stored events cannot be read with this application's ``CIPHER_KEY``."""
