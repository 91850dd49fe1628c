"""The trainer's copilot on a card: drafted replies, and corrections the coach learns from."""
