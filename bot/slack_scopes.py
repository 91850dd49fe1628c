"""The bot scopes an install asks for: exactly ``oauth_config.scopes.bot`` of app_manifest.yml
(tests/test_manifest.py checks the two are the same list)."""

from __future__ import annotations

BOT_SCOPES: tuple[str, ...] = (
    "chat:write",
    "chat:write.customize",
    "im:history",
    "im:write",
    "channels:history",
    "groups:history",
    "reactions:write",
    "users:read",
    "users:read.email",
    "commands",
    "files:write",
    "files:read",
    "assistant:write",
)
