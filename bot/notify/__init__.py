"""Notifying trainers outside Slack (email)."""
