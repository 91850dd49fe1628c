"""Workspaces: which one a unit of work belongs to, and the workspaces the deployment serves.

``in_workspace`` and ``across_workspaces`` (from ``store.tenancy``) are how work says whose it
is; handlers reach them here, since they import nothing of ``store``. Each workspace's admins
and trainer channel are read in ``config`` and changed in ``admins``.
"""

from store.tenancy import (
    WorkspaceUnknown,
    across_workspaces,
    current_team,
    enter_workspace,
    in_workspace,
)

__all__ = [
    "WorkspaceUnknown",
    "across_workspaces",
    "current_team",
    "enter_workspace",
    "in_workspace",
]
