"""The application layer: ``OneStopShop``, its deadline watcher, codes and transcodings."""

from tthc_engine.application.app import Batch, OneStopShop, system_clock
from tthc_engine.application.errors import (
    DossierConflictError,
    DossierNotFoundError,
    EncryptedStoreError,
)
from tthc_engine.application.watcher import DeadlineWatcher, DueIndex, DueItem, TickResult

__all__ = [
    "Batch",
    "DeadlineWatcher",
    "DossierConflictError",
    "DossierNotFoundError",
    "DueIndex",
    "DueItem",
    "EncryptedStoreError",
    "OneStopShop",
    "TickResult",
    "system_clock",
]
