"""Whether Slack accepts this process's token: a refused token is an outage, not a failure.

``invalid_auth``, ``token_revoked`` and their kin refuse every call, and ``missing_scope`` every
call to one method, until an operator fixes the token or the app's scopes. Failing tasks on them
would fail everything at once, and the admin alert would use the same refused token. Instead the
first refusal is logged with what to fix, calls that would be refused wait without calling Slack,
readiness reports the outage, and once per ``PROBE_EVERY`` one call is let through as a probe:
when it succeeds (a new token was configured, the scope added) delivery resumes.

The state is per process and per workspace, because tokens are: each process is configured with
its own (or reads them from the installation store), a process restarted with a working token is
healthy while the old ones still wait, and one workspace's revoked token holds only that
workspace's work. The workspace is the one the calling work runs in (``bot.workspaces``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from store.tenancy import team_or_none

log = logging.getLogger(__name__)

PROBE_EVERY = timedelta(seconds=30)
# The key of a refusal that blocks every method (the token itself is refused).
EVERY_METHOD = "*"

_TOKEN_FIXES = {
    "invalid_auth": "SLACK_BOT_TOKEN is not a valid bot token for this workspace",
    "not_authed": "no token reached Slack: set SLACK_BOT_TOKEN",
    "token_revoked": "the token was revoked (the app was uninstalled or its token regenerated)",
    "token_expired": "the token expired (token rotation is on): install a non-expiring token",
    "account_inactive": "the bot user or the workspace was deactivated",
}
_SCOPE_ERRORS = {"missing_scope"}


class SlackRefused(Exception):
    """Slack refused this process's token (for one method or all); the work waits, never fails."""

    def __init__(self, method: str, error: str, needed: str | None = None) -> None:
        super().__init__(f"{method}: {error}" + (f" (needs {needed})" if needed else ""))
        self.method = method
        self.error = error
        self.needed = needed

    @property
    def key(self) -> str:
        """Which calls this refusal blocks: one method for a missing scope, otherwise all."""
        return self.method if self.error in _SCOPE_ERRORS else EVERY_METHOD

    def fix(self) -> str:
        """What an operator must do, in one sentence."""
        if self.error in _SCOPE_ERRORS:
            scope = f"the `{self.needed}` scope" if self.needed else "a scope"
            return (
                f"the app lacks {scope} that {self.method} needs: add it under oauth_config in "
                "app_manifest.yml (or on the app's OAuth & Permissions page) and reinstall the app"
            )
        cause = _TOKEN_FIXES.get(self.error, self.error)
        return f"{cause}: configure the app's current Bot User OAuth Token and restart"


def refusal_of(exc: SlackApiError, method: str | None = None) -> SlackRefused | None:
    """The refusal behind a Slack error, or None for any other error."""
    data = exc.response.data if isinstance(exc.response.data, dict) else {}
    method = method or str(exc.response.api_url).rstrip("/").rsplit("/", 1)[-1]
    error = str(data.get("error", ""))
    if error not in _TOKEN_FIXES and error not in _SCOPE_ERRORS:
        return None
    needed = data.get("needed")
    return SlackRefused(method, error, str(needed) if needed else None)


@dataclass
class _Outage:
    refusal: SlackRefused
    since: datetime
    next_probe_at: datetime


class SlackAuth:
    """This process's view of whether Slack accepts each workspace's token, method by method."""

    def __init__(
        self, probe_every: timedelta = PROBE_EVERY, *, per_workspace: bool = False
    ) -> None:
        self.probe_every = probe_every
        # One token (SLACK_BOT_TOKEN): one state, which readiness reports. A token per
        # workspace: one state each, and readiness reports none (one workspace's revoked token
        # must not take every replica out of the load balancer).
        self.per_workspace = per_workspace
        self._by_team: dict[str, dict[str, _Outage]] = {}

    @property
    def _outages(self) -> dict[str, _Outage]:
        """The outages of the current workspace's token (or of the one token)."""
        team = (team_or_none() or "") if self.per_workspace else ""
        return self._by_team.setdefault(team, {})

    @property
    def ok(self) -> bool:
        """True unless some refusal is outstanding (for the current workspace's token)."""
        return not self._outages

    @property
    def token_refused(self) -> bool:
        """True while Slack refuses the current workspace's token itself (not just one scope)."""
        return EVERY_METHOD in self._outages

    def problems(self) -> list[str]:
        """One line per outstanding refusal, for readiness and the logs."""
        return [f"{o.refusal}: {o.refusal.fix()}" for o in self._outages.values()]

    def blocking(self, method: str, now: datetime) -> SlackRefused | None:
        """The refusal a call to ``method`` would meet now, or None to make the call.

        When a probe is due, the first caller gets None (it is the probe) and the next probe
        moves on, so one call per interval reaches Slack while the outage lasts.
        """
        for key in (EVERY_METHOD, method):
            outage = self._outages.get(key)
            if outage is None:
                continue
            if now < outage.next_probe_at:
                return outage.refusal
            outage.next_probe_at = now + self.probe_every
        return None

    def retry_at(self, now: datetime) -> datetime:
        """When work that met a refusal should try again: at the next probe."""
        return now + self.probe_every

    def refused(self, refusal: SlackRefused, now: datetime) -> None:
        """Record a refusal; the first one of its kind is logged with what to fix."""
        known = self._outages.get(refusal.key)
        if known is None or known.refusal.error != refusal.error:
            log.error(
                "Slack refused the bot's token (%s); Slack work waits until this is fixed: %s",
                refusal,
                refusal.fix(),
            )
        since = known.since if known is not None else now
        self._outages[refusal.key] = _Outage(refusal, since, now + self.probe_every)

    def accepted(self, method: str, now: datetime) -> None:
        """A call to ``method`` succeeded: the token works (and so does this method's scope)."""
        for key in (EVERY_METHOD, method):
            outage = self._outages.pop(key, None)
            if outage is not None:
                log.warning(
                    "Slack accepts the bot's token again (%s had been refused since %s); "
                    "waiting Slack work resumes",
                    outage.refusal,
                    f"{outage.since:%Y-%m-%d %H:%M:%S}",
                )


async def probe_token(slack: AsyncWebClient, auth: SlackAuth, now: datetime) -> None:
    """While the token is refused, ask Slack (``auth.test``) once per probe interval whether it
    is accepted again, so readiness recovers even when no Slack work is waiting."""
    if not auth.token_refused or auth.blocking("auth.test", now) is not None:
        return
    try:
        await slack.auth_test()
    except SlackApiError as exc:
        refusal = refusal_of(exc, "auth.test")
        if refusal is not None:
            auth.refused(refusal, now)
        return
    except (OSError, TimeoutError):
        return  # Slack unreachable: no news about the token
    auth.accepted("auth.test", now)
