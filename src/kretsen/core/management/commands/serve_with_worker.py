"""The development site: uvicorn (HTTP and WebSockets), the task worker and the scheduler.

The "ready" line and the demo accounts are printed only once the site really answers, and
Ctrl+C stops all three processes together.
"""

from __future__ import annotations

import io
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

# uvicorn needs a few seconds on a small machine; a minute and a half means it is stuck.
READY_TIMEOUT_SECONDS = 90.0


def answers(url: str) -> bool:
    """True when the server at ``url`` gives an HTTP answer that is not a server error."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own URL)
            return int(response.status) < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


def port_is_free(host: str, port: int) -> bool:
    """True when nothing listens on ``host:port`` yet (so an answer later is our server's)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def wait_until_answers(
    url: str,
    still_running: Callable[[], bool],
    timeout: float = READY_TIMEOUT_SECONDS,
    interval: float = 0.25,
) -> bool:
    """Poll ``url`` until it answers; False if the server stopped or the time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answers(url):
            return True
        if not still_running():
            return False
        time.sleep(interval)
    return False


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Run the site under uvicorn with the task worker and the scheduler beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--demo", action="store_true", help="Load the demo data and print its accounts."
        )
        parser.add_argument("--no-reload", action="store_true", help="Do not restart on edits.")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not 0 < port < 65536:
            raise CommandError("PORT must be a number between 1 and 65535.")
        if not port_is_free(host, port):
            raise CommandError(
                f"Port {port} on {host} is already in use (another server?). "
                f"Choose another one, e.g. make run PORT={port + 1 if port < 65535 else 8001}."
            )
        accounts = ""
        if options["demo"]:
            # The demo loader lives above every app (kretsen.demo); core only names its command.
            printed = io.StringIO()
            call_command("load_demo", stdout=printed)
            accounts = printed.getvalue()
        server_command = [
            sys.executable,
            "-m",
            "uvicorn",
            "kretsen.asgi:application",
            "--host",
            host,
            "--port",
            str(port),
            "--log-level",
            "warning",
            # Panel messages are a few short fields; refuse large frames before reading them.
            "--ws-max-size",
            "65536",
        ]
        if not options["no_reload"]:
            server_command += ["--reload", "--reload-dir", "src"]
        self.stdout.write(f"Starting the site on http://{host}:{port}/ (uvicorn) ...")
        manage = sys.argv[0]
        processes = [
            subprocess.Popen(server_command),  # noqa: S603
            subprocess.Popen([sys.executable, manage, "db_worker", "--interval", "1"]),  # noqa: S603
            subprocess.Popen(  # noqa: S603
                [sys.executable, manage, "run_scheduler", "--interval", "30"]
            ),
        ]
        server = processes[0]
        # Stopped by a service manager or a test (SIGTERM) as by Ctrl+C: the three go together.
        signal.signal(signal.SIGTERM, _stop)
        try:
            shown = "localhost" if host in ("0.0.0.0", "::") else host  # noqa: S104
            url = f"http://{shown}:{port}/"
            if not wait_until_answers(url, lambda: server.poll() is None):
                raise CommandError(
                    f"The site did not answer on {url}. Is the port taken? "
                    "Choose another with make run PORT=8001."
                )
            self.stdout.write(self.style.SUCCESS(f"Kretsen demo is ready on {url}"))
            self.stdout.write(
                f"Background worker (process {processes[1].pid}) and scheduler "
                f"(process {processes[2].pid}) are running. Stop everything with Ctrl+C."
            )
            if accounts:
                self.stdout.write(accounts)
            self.stdout.flush()
            server.wait()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
