"""An encrypted store opened without its key says so (issue 7 §4), on SQLite and PostgreSQL.

Dossiers hold personal data (Nghị định 13/2023/NĐ-CP), so a store may be written with a
``CIPHER_KEY``. Reading it with no key or another key raises ``EncryptedStoreError`` saying
the store is encrypted and the key is missing or wrong — not eventsourcing's
``MapperDeserialisationError`` or ``binascii.Error`` — from every path that reads events:
a query, a command, the due index. A malformed key is one clear line at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.robustness.conftest import AppFactory, last_id, vn
from tthc_engine import InvalidInputError, OneStopShop
from tthc_engine.application import DeadlineWatcher, EncryptedStoreError

COUNTER = "000.00.10.H41"
BUSINESS = "2.001610"
T0 = vn(2025, 7, 1, 9)

READS: dict[str, Callable[[OneStopShop, str], Any]] = {
    "a query": lambda app, code: app.dossier(code),
    "a command": lambda app, code: app.record_payment(
        code, agency=COUNTER, amount=1, online=True, at=vn(2025, 7, 1, 10)
    ),
    "the due index": lambda app, code: app.overdue(vn(2025, 8, 1, 9)),
    "the watcher": lambda app, code: DeadlineWatcher(app).tick(vn(2025, 8, 1, 9)),
    "a receipt under an issued code": lambda app, code: app.receive(
        BUSINESS, agency=COUNTER, at=T0
    ),
}


@pytest.fixture
def encrypted(make_app: AppFactory) -> tuple[str, str]:
    """A store written with a key: (the key, a dossier's code)."""
    key = OneStopShop.create_cipher_key()
    app = make_app(env={"CIPHER_KEY": key})
    code = app.receive(BUSINESS, agency=COUNTER, at=T0, applicant={"name": "Lê Thị Hoa"}).code
    return key, code


@pytest.mark.parametrize("read", sorted(READS))
def test_an_encrypted_store_read_without_a_key_says_the_key_is_missing(
    make_app: AppFactory, encrypted: tuple[str, str], read: str
) -> None:
    _, code = encrypted
    app = make_app()
    written = last_id(app)
    with pytest.raises(EncryptedStoreError) as caught:
        READS[read](app, code)
    message = str(caught.value)
    assert "the store is encrypted" in message
    assert "CIPHER_KEY is not set" in message
    assert "\n" not in message
    assert last_id(app) == written


@pytest.mark.parametrize("read", sorted(READS))
def test_an_encrypted_store_read_with_another_key_says_the_key_is_wrong(
    make_app: AppFactory, encrypted: tuple[str, str], read: str
) -> None:
    _, code = encrypted
    app = make_app(env={"CIPHER_KEY": OneStopShop.create_cipher_key()})
    written = last_id(app)
    with pytest.raises(EncryptedStoreError) as caught:
        READS[read](app, code)
    assert "CIPHER_KEY is not the key this store was written with" in str(caught.value)
    assert last_id(app) == written


def test_the_right_key_reads_the_store(make_app: AppFactory, encrypted: tuple[str, str]) -> None:
    key, code = encrypted
    assert make_app(env={"CIPHER_KEY": key}).dossier(code).applicant == {"name": "Lê Thị Hoa"}


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("not base64!", id="not base64"),
        pytest.param("YWJj", id="3 bytes"),
        pytest.param("=" * 8, id="padding only"),
    ],
)
def test_a_malformed_key_is_one_clear_line(make_app: AppFactory, key: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        make_app(env={"CIPHER_KEY": key})
    assert str(caught.value) == (
        "CIPHER_KEY: not a base64 AES key of 16, 24 or 32 bytes "
        "(make one with OneStopShop.create_cipher_key())"
    )
