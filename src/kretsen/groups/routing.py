"""WebSocket routes of the groups app: the live panel, on the same paths as its JSON state."""

from django.urls import path

from kretsen.groups.consumers import LiveConsumer

websocket_urlpatterns = [
    path(
        "staff/<slug:org>/groups/<uuid:group>/meetings/<uuid:meeting>/live/state/",
        LiveConsumer.as_asgi(),
    ),
    path(
        "me/groups/<uuid:member>/meetings/<uuid:meeting>/live/state/",
        LiveConsumer.as_asgi(),
    ),
]
