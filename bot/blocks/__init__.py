"""Block Kit builders: pure functions from data to ``slack_sdk.models`` objects, no I/O."""
