"""Fernet encryption of stored keys, key rotation and the generated key file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from storage.secrets import SecretBox, SecretsError, load_or_create_key_file


def test_round_trip_and_ciphertext_hides_secret() -> None:
    box = SecretBox(Fernet.generate_key().decode())
    token = box.encrypt("rk_test_abcdef123456")
    assert b"rk_test" not in token
    assert box.decrypt(token) == "rk_test_abcdef123456"


def test_rotation_old_key_still_decrypts_new_key_encrypts() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = SecretBox(old).encrypt("sk_live_secret_value")
    rotated_box = SecretBox(f"{new},{old}")
    assert rotated_box.decrypt(token) == "sk_live_secret_value"
    rotated = rotated_box.rotate(token)
    assert SecretBox(new).decrypt(rotated) == "sk_live_secret_value"


def test_wrong_key_error_does_not_leak_secret() -> None:
    token = SecretBox(Fernet.generate_key().decode()).encrypt("rk_live_topsecret99")
    with pytest.raises(SecretsError) as err:
        SecretBox(Fernet.generate_key().decode()).decrypt(token)
    assert "topsecret" not in str(err.value)


def test_invalid_key_names_the_variable() -> None:
    with pytest.raises(SecretsError, match="REVBOT_ENCRYPTION_KEY"):
        SecretBox("not-a-key")


def test_key_file_created_once_with_mode_0600(tmp_path: Path) -> None:
    first = load_or_create_key_file(tmp_path / "data")
    second = load_or_create_key_file(tmp_path / "data")
    assert first == second
    mode = stat.S_IMODE((tmp_path / "data" / "encryption.key").stat().st_mode)
    assert mode == 0o600
    SecretBox(first)  # a valid Fernet key
