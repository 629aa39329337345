"""The live panel's channel layer: in-memory by default, Redis that survives an idle wait."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys

import pytest
from channels_redis.core import RedisChannelLayer

REDIS = ("127.0.0.1", 6379)


def settings_with(env: dict[str, str]) -> str:
    code = "import kretsen.settings as s; print(s.CHANNEL_LAYERS['default'])"
    environment = os.environ | {"DEBUG": "1"} | env
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    if "REDIS_URL" not in env:
        environment.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout


def test_without_redis_the_layer_is_in_memory() -> None:
    assert "InMemoryChannelLayer" in settings_with({})


def test_with_redis_the_socket_waits_longer_and_the_pool_is_large() -> None:
    layer = settings_with({"REDIS_URL": "redis://127.0.0.1:6379/15"})
    assert "RedisChannelLayer" in layer
    # redis-py 8 would refuse the 101st connection of a busy process.
    assert "'max_connections': 1000" in layer
    from kretsen.settings import REDIS_SOCKET_TIMEOUT

    assert RedisChannelLayer.brpop_timeout < REDIS_SOCKET_TIMEOUT


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_a_message_after_an_idle_wait_arrives_over_redis() -> None:
    """With redis-py 8's default 5 s socket timeout this wait ended in a TimeoutError."""
    from kretsen.settings import REDIS_SOCKET_TIMEOUT

    async def scenario() -> dict[str, str]:
        layer = RedisChannelLayer(
            hosts=[
                {"address": "redis://127.0.0.1:6379/15", "socket_timeout": REDIS_SOCKET_TIMEOUT}
            ],
            prefix="kretsen-test",
        )
        channel = await layer.new_channel()

        async def later() -> None:
            await asyncio.sleep(RedisChannelLayer.brpop_timeout + 1.5)
            await layer.send(channel, {"type": "live.changed"})

        sender = asyncio.create_task(later())
        message = await asyncio.wait_for(layer.receive(channel), timeout=20)
        await sender
        await layer.flush()
        return dict(message)

    assert asyncio.run(scenario()) == {"type": "live.changed"}
