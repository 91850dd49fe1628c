"""The fake Slack's installs: several workspaces, each with its own bot token, and OAuth.

A test plays the installer's part on Slack's authorize page with ``approve(authorize_url, ...)``,
which checks the URL as Slack would and returns the ``code`` and ``state`` Slack would send the
browser back to the redirect URL with. ``oauth.v2.access`` then exchanges that code (once) for a
token response shaped like Slack's, and, with token rotation on (``token_lifetime`` set), a
``refresh_token`` for ``grant_type=refresh_token`` later. The app's credentials travel in HTTP
Basic auth (as slack_sdk sends them) or as ``client_id``/``client_secret`` arguments.

Tokens: every Web API call is served by the workspace its token belongs to. A token Slack would
refuse (revoked by an uninstall, or past its expiry) is answered ``token_revoked`` or
``token_expired``; a token the fake never issued goes to the default workspace, as before.
"""

from __future__ import annotations

import base64
import itertools
import time
import urllib.parse
from dataclasses import dataclass, field

from tests.fakes.slack_contract import SlackRejection
from tests.fakes.slack_objects import Args, stable_id
from tests.fakes.slack_workspace import Workspace

AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "fake-client-secret"


@dataclass
class IssuedToken:
    """A bot token the fake gave out, and whether Slack would still accept it."""

    token: str
    team_id: str
    expires_at: float | None = None  # time.time(); None: it never expires
    revoked: bool = False

    def refusal(self, now: float) -> str | None:
        """The error Slack answers a call with this token, or None when it is accepted."""
        if self.revoked:
            return "token_revoked"
        if self.expires_at is not None and now >= self.expires_at:
            return "token_expired"
        return None


@dataclass
class _Grant:
    team_id: str
    user_id: str
    scopes: list[str]
    redirect_uri: str | None
    used: bool = False


@dataclass
class Installs:
    """Workspaces, the tokens issued for them, and the OAuth exchanges."""

    default: Workspace
    default_token: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    # Seconds a token issued by oauth.v2.access lives; None: token rotation is off for the app.
    token_lifetime: int | None = None
    workspaces: dict[str, Workspace] = field(default_factory=dict)
    tokens: dict[str, IssuedToken] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh token -> team id
    # Scopes each workspace's installer approved, by team id.
    scopes: dict[str, list[str]] = field(default_factory=dict)
    _grants: dict[str, _Grant] = field(default_factory=dict)
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.workspaces[self.default.team_id] = self.default
        self.tokens[self.default_token] = IssuedToken(self.default_token, self.default.team_id)

    # ---- what tests arrange

    def add_workspace(
        self, team_id: str, *, name: str, bot_user_id: str | None = None
    ) -> Workspace:
        """A workspace the app is not installed in yet (``approve`` installs it)."""
        workspace = Workspace(
            team_id=team_id,
            bot_user_id=bot_user_id or stable_id("U", team_id, "bot"),
            bot_id=stable_id("B", team_id),
            app_id=self.default.app_id,
            team_name=name,
        )
        workspace.upload_origin = self.default.upload_origin
        self.workspaces[team_id] = workspace
        return workspace

    def approve(self, authorize_url: str, *, team_id: str, user_id: str) -> dict[str, str]:
        """The installer clicks Allow on Slack's authorize page: the query Slack redirects the
        browser back with (``code``, and ``state`` when the URL had one)."""
        parts = urllib.parse.urlsplit(authorize_url)
        if f"{parts.scheme}://{parts.netloc}{parts.path}" != AUTHORIZE_URL:
            raise AssertionError(f"not Slack's authorize page: {authorize_url}")
        query = dict(urllib.parse.parse_qsl(parts.query))
        if query.get("client_id") != self.client_id:
            raise AssertionError(f"unknown client_id in {authorize_url}")
        scopes = [s for s in query.get("scope", "").split(",") if s]
        if not scopes:
            raise AssertionError(f"no bot scope asked for in {authorize_url}")
        if team_id not in self.workspaces:
            raise AssertionError(f"add_workspace({team_id!r}) first")
        code = f"code-{next(self._serial)}-{team_id}"
        self._grants[code] = _Grant(team_id, user_id, scopes, query.get("redirect_uri"))
        back = {"code": code}
        if "state" in query:
            back["state"] = query["state"]
        return back

    def bot_token(self, team_id: str) -> str:
        """The workspace's newest bot token."""
        issued = [t for t in self.tokens.values() if t.team_id == team_id and not t.revoked]
        if not issued:
            raise AssertionError(f"no bot token issued for {team_id}")
        return issued[-1].token

    def expire_tokens(self, team_id: str) -> None:
        """Every token of the workspace expires now (its refresh tokens still work)."""
        for issued in self.tokens.values():
            if issued.team_id == team_id:
                issued.expires_at = time.time() - 1

    def uninstall(self, team_id: str) -> None:
        """The workspace removes the app: Slack revokes its tokens."""
        for issued in self.tokens.values():
            if issued.team_id == team_id:
                issued.revoked = True
        self.refresh_tokens = {r: t for r, t in self.refresh_tokens.items() if t != team_id}

    # ---- serving

    def workspace_for(self, token: str | None) -> Workspace:
        """The workspace a call with ``token`` reaches; SlackRejection if Slack refuses it."""
        issued = self.tokens.get(token or "")
        if issued is None:
            return self.default
        refusal = issued.refusal(time.time())
        if refusal is not None:
            raise SlackRejection(refusal, f"the token of {issued.team_id} is {refusal[6:]}")
        return self.workspaces[issued.team_id]

    def access(self, args: Args, authorization: str) -> Args:
        """oauth.v2.access: a code (or, with rotation, a refresh token) for a bot token."""
        client_id, secret = _credentials(args, authorization)
        if client_id != self.client_id:
            raise SlackRejection("invalid_client_id", f"unknown client_id {client_id!r}")
        if secret != self.client_secret:
            raise SlackRejection("bad_client_secret", "client_secret does not match")
        grant_type = args.get("grant_type", "authorization_code")
        if grant_type == "refresh_token":
            team_id = self.refresh_tokens.get(str(args.get("refresh_token")))
            if team_id is None:
                raise SlackRejection("invalid_refresh_token", "unknown or revoked refresh token")
            return self._token_response(team_id)
        if grant_type != "authorization_code":
            raise SlackRejection("invalid_grant_type", f"grant_type {grant_type!r}")
        grant = self._grants.get(str(args.get("code")))
        if grant is None or grant.used:
            raise SlackRejection("invalid_code", "unknown or already exchanged code")
        if grant.redirect_uri is not None and args.get("redirect_uri") != grant.redirect_uri:
            raise SlackRejection("bad_redirect_uri", "redirect_uri differs from the authorize URL")
        grant.used = True
        self.scopes[grant.team_id] = grant.scopes
        body = self._token_response(grant.team_id)
        body["authed_user"] = {"id": grant.user_id}
        return body

    def _token_response(self, team_id: str) -> Args:
        workspace = self.workspaces[team_id]
        serial = next(self._serial)
        rotating = self.token_lifetime is not None
        # Slack's rotating tokens carry the xoxe. prefix (oauth.v2.access's reference example).
        prefix = "xoxe.xoxb-" if rotating else "xoxb-"
        token = f"{prefix}{team_id}-{serial}"
        expires_at = time.time() + self.token_lifetime if self.token_lifetime else None
        self.tokens[token] = IssuedToken(token, team_id, expires_at)
        body: Args = {
            "access_token": token,
            "token_type": "bot",
            "scope": ",".join(self.scopes.get(team_id, [])),
            "bot_user_id": workspace.bot_user_id,
            "app_id": workspace.app_id,
            "team": {"id": team_id, "name": workspace.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if rotating:
            refresh = f"xoxe-1-{team_id}-{serial}"
            self.refresh_tokens[refresh] = team_id
            body |= {"expires_in": self.token_lifetime, "refresh_token": refresh}
        return body


def _credentials(args: Args, authorization: str) -> tuple[str | None, str | None]:
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() == "basic" and encoded:
        client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        return client_id, secret
    return args.get("client_id"), args.get("client_secret")
