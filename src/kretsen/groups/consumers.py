"""The live panel's WebSocket: one meeting, one person, the same access as the pages.

The client sends ``{"action": ..., ...}``; the server answers with ``{"type": "state",
"state": {...}}`` (the sender's own view, read again from the database) to everyone on the
meeting's panel after each change, or ``{"type": "error", "message": ...}`` to the sender.
"""

from __future__ import annotations

import json
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scope

from kretsen.core.errors import DomainError
from kretsen.core.middleware import SessionLifetimeMiddleware
from kretsen.groups.live import access
from kretsen.groups.live.access import LiveAccess
from kretsen.groups.services import live

# A panel message is a few short fields; anything longer is refused unread.
MAX_MESSAGE_CHARS = 1000


class LiveConsumer(AsyncWebsocketConsumer):
    grant: LiveAccess | None = None
    seat: int | None = None
    channel_group = ""
    language = settings.LANGUAGE_CODE

    async def connect(self) -> None:
        cookies = self.scope.get("cookies", {})
        wanted = cookies.get(settings.LANGUAGE_COOKIE_NAME, "")
        if wanted in dict(settings.LANGUAGES):
            self.language = wanted
        self.grant = await database_sync_to_async(self._resolve)()
        if self.grant is None:
            await self.close()
            return
        self.channel_group = live.group_name(self.grant.meeting.pk)
        await self.channel_layer.group_add(self.channel_group, self.channel_name)
        await self.accept()
        await self._refresh_session()
        await self._send_state()

    def _resolve(self) -> LiveAccess | None:
        kwargs = self.scope["url_route"]["kwargs"]
        user = self.scope.get("user")
        session = self.scope.get("session")
        if session is None:
            return None
        if "member" in kwargs:
            return access.for_participant(user, session, kwargs)
        return access.for_leader(user, session, kwargs)

    async def disconnect(self, code: int) -> None:
        if self.channel_group:
            await self.channel_layer.group_discard(self.channel_group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.grant is None:
            return
        message = _parse(text_data)
        if message is None:
            await self._send_error(_("The panel could not read that request. Reload the page."))
            return
        meeting_named = message.get("meeting")
        if meeting_named is not None and str(meeting_named) != str(self.grant.meeting.public_id):
            await self._send_error(_("You can only act in the meeting you opened."))
            return
        action = message["action"]
        if action == "ping":
            await self._refresh_session()
            return
        if action == "state":
            await self._send_state()
            return
        allowed = live.LEADER_ACTIONS if self.grant.is_leader else live.PARTICIPANT_ACTIONS
        if action not in allowed:
            text = (
                _("Only the leaders can do that.")
                if action in live.LEADER_ACTIONS
                else _("The panel could not read that request. Reload the page.")
            )
            await self._send_error(text)
            return
        error, event = await database_sync_to_async(self._act, thread_sensitive=False)(
            action, message
        )
        if error:
            await self._send_error(error)
            await self._send_state()
            return
        await self.channel_layer.group_send(self.channel_group, event)

    def _act(self, action: str, message: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Carry out the action and read the new state once for everyone."""
        assert self.grant is not None
        with scope(organisation=self.grant.organisation), translation.override(self.language):
            try:
                if self.grant.member is None:
                    live.act(self.grant.meeting, action, message)
                else:
                    live.set_own_hand(self.grant.meeting, self.grant.member, action == "raise")
            except DomainError as error:
                return error.message, {}
            return "", live.changed_event(self.grant.meeting)

    async def live_changed(self, event: dict[str, Any]) -> None:
        state = event.get("state")
        if not isinstance(state, dict):
            await self._send_state()
            return
        if self.grant is not None and self.grant.member is not None and self.seat is None:
            # Seats appear when the panel starts; until then look the own seat up again.
            self.seat = await database_sync_to_async(self._own_seat)()
        await self._send(self._view(state))

    def _own_seat(self) -> int | None:
        assert self.grant is not None
        assert self.grant.member is not None
        with scope(organisation=self.grant.organisation):
            return live.seat_of_member(self.grant.meeting, self.grant.member)

    def _view(self, state: dict[str, Any]) -> dict[str, Any]:
        """This person's view of the leaders' state, in their language (no database)."""
        assert self.grant is not None
        with translation.override(self.language):
            localised = live.localise(state, self.grant.meeting)
        if self.grant.member is None:
            return localised
        return live.participant_view(localised, self.seat)

    def _state(self) -> dict[str, Any]:
        assert self.grant is not None
        with scope(organisation=self.grant.organisation), translation.override(self.language):
            state = live.leader_state(self.grant.meeting)
            if self.grant.member is not None:
                self.seat = live.seat_of_member(self.grant.meeting, self.grant.member)
        return state

    async def _send_state(self) -> None:
        """Read the state from the database: on connecting, and when asked."""
        state = await database_sync_to_async(self._state, thread_sensitive=False)()
        await self._send(self._view(state))

    async def _send(self, state: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps({"type": "state", "state": state}))

    async def _send_error(self, message: str) -> None:
        await self.send(text_data=json.dumps({"type": "error", "message": message}))

    async def _refresh_session(self) -> None:
        """Being on the live panel counts as activity for the session's idle limit."""
        session = self.scope.get("session")
        if session is None:
            return
        now = int(time.time())
        if now - int(session.get(SessionLifetimeMiddleware.SEEN, 0)) >= 30:
            session[SessionLifetimeMiddleware.SEEN] = now
            await database_sync_to_async(session.save)()


def _parse(text: str | None) -> dict[str, Any] | None:
    """A JSON object with a short string ``action``, or None."""
    if not text or len(text) > MAX_MESSAGE_CHARS:
        return None
    try:
        message = json.loads(text)
    except ValueError:
        return None
    if not isinstance(message, dict) or not isinstance(message.get("action"), str):
        return None
    return message
