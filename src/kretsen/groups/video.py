"""Video rooms. Nothing here talks to a video server: it only builds addresses and tokens.

- ``none``: a leader pastes a link to any meeting room; members see it shortly before start.
- ``jitsi``: the organisation's own Jitsi Meet server. Each group has a room named
  ``<prefix>-<uuid4>``, never guessable or descriptive. With an app id and secret, every
  participant gets a short-lived token (JWT, HS256) for that room only; leaders are moderators.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

import jwt

from kretsen.groups.models import Group, GroupSettings

TOKEN_LIFETIME = timedelta(hours=4)


def new_room_name(prefix: str) -> str:
    return f"{prefix or 'kretsen'}-{uuid.uuid4()}"


def ensure_room(group: Group, settings: GroupSettings) -> str:
    if not group.video_room:
        group.video_room = new_room_name(settings.jitsi_room_prefix)
        group.save(update_fields=["video_room"])
    return group.video_room


def jitsi_token(
    settings: GroupSettings,
    room: str,
    *,
    display_name: str,
    user_key: str,
    moderator: bool,
    now: datetime,
) -> str:
    claims = {
        "aud": "jitsi",
        "iss": settings.jitsi_app_id,
        "sub": urlsplit(settings.jitsi_url).hostname or "",
        "room": room,
        "iat": int(now.timestamp()),
        "nbf": int((now - timedelta(minutes=5)).timestamp()),
        "exp": int((now + TOKEN_LIFETIME).timestamp()),
        "moderator": moderator,
        "context": {
            "user": {
                "id": user_key,
                "name": display_name,
                "moderator": "true" if moderator else "false",
            }
        },
    }
    return jwt.encode(claims, settings.jitsi_app_secret or "", algorithm="HS256")


def join_url(
    group: Group,
    settings: GroupSettings,
    *,
    display_name: str,
    user_key: str,
    moderator: bool,
    now: datetime,
) -> str | None:
    """Where this person joins the group's video meeting, or None when there is no room."""
    if not group.is_digital:
        return None
    if not settings.uses_jitsi:
        return group.video_link or None
    room = ensure_room(group, settings)
    url = f"{settings.jitsi_url.rstrip('/')}/{room}"
    if settings.jitsi_app_id and settings.jitsi_app_secret:
        token = jitsi_token(
            settings,
            room,
            display_name=display_name,
            user_key=user_key,
            moderator=moderator,
            now=now,
        )
        return f"{url}?jwt={token}"
    # Without tokens the display name can only be suggested in the address's fragment,
    # which browsers never send to a server.
    return f'{url}#userInfo.displayName="{quote(display_name)}"'
