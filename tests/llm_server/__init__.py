"""A local OpenAI-compatible chat-completions server for tests."""

from tests.llm_server.server import LLMServer, Recorded, Scripted

__all__ = ["LLMServer", "Recorded", "Scripted"]
