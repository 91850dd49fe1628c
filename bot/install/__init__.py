"""Installing the app in many workspaces ("Add to Slack"): the OAuth settings Bolt runs the
install flow with, and what an uninstall removes."""
