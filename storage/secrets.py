"""Encryption at rest for Stripe keys and webhook secrets (Fernet/MultiFernet).

The key comes from ``REVBOT_ENCRYPTION_KEY`` (comma-separated for rotation:
the first key encrypts, every key decrypts) or, for the embedded default, is
generated once into the data directory with mode 0600.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SecretsError(RuntimeError):
    """A secret could not be encrypted or decrypted; never carries the secret."""


KEY_FILE = "encryption.key"


def load_or_create_key_file(data_dir: Path) -> str:
    """Read the data directory's key, creating it (mode 0600) on first use."""
    path = data_dir / KEY_FILE
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


class SecretBox:
    """Encrypts and decrypts short secrets with one or more Fernet keys."""

    def __init__(self, keys: str) -> None:
        try:
            fernets = [Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()]
        except (ValueError, TypeError) as exc:
            raise SecretsError(
                "REVBOT_ENCRYPTION_KEY: expected url-safe base64 Fernet key(s)"
            ) from exc
        if not fernets:
            raise SecretsError("REVBOT_ENCRYPTION_KEY: no key given")
        self._fernet = MultiFernet(fernets)

    def encrypt(self, secret: str) -> bytes:
        return self._fernet.encrypt(secret.encode())

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken as exc:
            raise SecretsError(
                "stored secret cannot be decrypted with REVBOT_ENCRYPTION_KEY"
            ) from exc

    def rotate(self, token: bytes) -> bytes:
        """Re-encrypt ``token`` under the first (newest) key."""
        return self._fernet.rotate(token)
