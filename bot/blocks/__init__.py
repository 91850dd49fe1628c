"""Presentation: Block Kit builders (pure functions from view models to ``slack_sdk.models``),
the view models they take, every Slack id, packed button and modal values, and the modal reader.

It imports nothing of the product but ``bot.errors``, so handlers and services alike use it.
"""
