"""The LLM reader adapter: any OpenAI-compatible ``/chat/completions`` endpoint, over httpx.

A hosted API or a local server (Ollama, llama.cpp, vLLM) at
``REVBOT_LLM_BASE_URL`` (e.g. ``https://api.openai.com/v1``, ``http://localhost:11434/v1``)
is asked for a reply matching a JSON schema (``response_format`` ``json_schema``,
strict). The whole exchange must finish within ``REVBOT_LLM_TIMEOUT_SECONDS``
(default 5 s) and the reply stay under :data:`MAX_REPLY_BYTES`; otherwise, on any
HTTP error, a refusal or a reply without content, :class:`~usecases.reading.ReaderFailed`
is raised and the rules' reading is answered. The API key only ever goes into the
``Authorization`` header: it is registered with the log redaction and no error message
carries it (nor the reply, nor httpx's own message, which names the URL).
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from pydantic import SecretStr

from core.redaction import register_secret
from core.settings import Settings
from usecases.reading import ReaderFailed

MAX_REPLY_BYTES = 256 * 1024
SCHEMA_NAME = "typed_query"


class ChatCompletionsReader:
    """``complete`` posts one chat completion; each call uses a fresh connection."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: SecretStr,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._model = model
        self._key = api_key
        self._timeout = timeout
        self._transport = transport
        register_secret(api_key.get_secret_value())

    def __repr__(self) -> str:
        return f"ChatCompletionsReader({self._url!r}, model={self._model!r})"

    def complete(self, instructions: str, message: str, schema: dict[str, Any]) -> str:
        body = {
            "model": self._model,
            "messages": [
                {"role": "system", "content": instructions},
                {"role": "user", "content": message},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": SCHEMA_NAME, "strict": True, "schema": schema},
            },
            "temperature": 0,
        }
        return _content(self._post(body))

    def _post(self, body: dict[str, Any]) -> bytes:
        """The reply body; the deadline covers connecting, sending and every chunk read."""
        deadline = time.monotonic() + self._timeout
        headers = {"Authorization": f"Bearer {self._key.get_secret_value()}"}
        try:
            with (
                httpx.Client(timeout=self._timeout, transport=self._transport) as client,
                client.stream("POST", self._url, json=body, headers=headers) as response,
            ):
                if response.status_code != 200:
                    raise ReaderFailed(f"HTTP {response.status_code}")
                received = bytearray()
                for chunk in response.iter_bytes():
                    received.extend(chunk)
                    if len(received) > MAX_REPLY_BYTES:
                        raise ReaderFailed("reply too large")
                    if time.monotonic() > deadline:
                        raise ReaderFailed(f"no reply within {self._timeout:g} s")
                return bytes(received)
        except httpx.TimeoutException:
            raise ReaderFailed(f"no reply within {self._timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise ReaderFailed(f"request failed ({type(exc).__name__})") from None


def _content(raw: bytes) -> str:
    """The assistant message's text of a chat completion; a refusal or no text fails."""
    try:
        data = json.loads(raw)
        message = data["choices"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise ReaderFailed("not a chat completion") from None
    if not isinstance(message, dict) or message.get("refusal"):
        raise ReaderFailed("the model refused")
    content = message.get("content")
    if not isinstance(content, str) or not content.strip():
        raise ReaderFailed("no content in the reply")
    return content


def reader_from_settings(settings: Settings) -> ChatCompletionsReader | None:
    """The configured LLM reader, or None (the default: rules only)."""
    if not (settings.llm_base_url and settings.llm_model and settings.llm_api_key):
        return None
    return ChatCompletionsReader(
        settings.llm_base_url,
        settings.llm_model,
        settings.llm_api_key,
        settings.llm_timeout_seconds,
    )
