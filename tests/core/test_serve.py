"""`make run`: the site is served by uvicorn, the ready line comes only when it answers, the
port can be chosen, and the install says what it is doing."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from kretsen.core.management.commands.serve_with_worker import answers, wait_until_answers

PROJECT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args: object) -> None:
        pass


def test_it_waits_until_a_late_server_answers() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    servers: list[HTTPServer] = []

    def start_late() -> None:
        time.sleep(1.0)
        server = HTTPServer(("127.0.0.1", port), Hello)
        servers.append(server)
        server.serve_forever()

    threading.Thread(target=start_late, daemon=True).start()
    assert not answers(url)
    started = time.monotonic()
    assert wait_until_answers(url, lambda: True, timeout=20)
    assert time.monotonic() - started >= 0.5
    assert answers(url)
    servers[0].shutdown()


def test_it_gives_up_when_the_server_stopped() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    assert not wait_until_answers(url, lambda: False, timeout=20)


def test_the_serve_command_prints_ready_only_when_the_site_answers(tmp_path: Path) -> None:
    port = free_port()
    env = os.environ | {"DEBUG": "1", "KRETSEN_VAR_DIR": str(tmp_path), "DEMO_TOOLS": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    manage = str(PROJECT / "manage.py")
    subprocess.run(
        [sys.executable, manage, "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
        cwd=PROJECT,
    )
    process = subprocess.Popen(
        [sys.executable, manage, "serve_with_worker", "--no-reload", "--port", str(port)],
        env=env,
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "is ready on" in line:
                # The moment the line is printed, the site answers, over HTTP and on uvicorn.
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/") as response:
                    assert response.status == 200
                    assert response.headers["server"] == "uvicorn"
                break
        assert any(f"http://127.0.0.1:{port}/" in line for line in lines), lines
        helpers = [int(pid) for pid in re.findall(r"process (\d+)", process.stdout.readline())]
        assert len(helpers) == 2
    finally:
        process.terminate()
        process.wait(timeout=30)
    # Stopping the command stops the site, the worker and the scheduler with it.
    assert not answers(f"http://127.0.0.1:{port}/")
    for pid in helpers:
        assert gone(pid), f"process {pid} still runs"


def gone(pid: int) -> bool:
    try:
        return "zombie" in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True


def test_it_refuses_a_port_that_is_taken(tmp_path: Path) -> None:
    """Another server on the port must not be mistaken for ours."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        env = os.environ | {"DEBUG": "1", "KRETSEN_VAR_DIR": str(tmp_path)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        result = subprocess.run(
            [sys.executable, str(PROJECT / "manage.py"), "serve_with_worker", "--port", str(port)],
            env=env,
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "is ready" not in result.stdout


def make_dry_run(*args: str) -> str:
    result = subprocess.run(
        ["make", "-n", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_make_run_takes_port_and_host() -> None:
    commands = make_dry_run("run", "PORT=8123", "HOST=0.0.0.0")
    assert "serve_with_worker --demo --host 0.0.0.0 --port 8123" in commands
    assert "SITE_URL=http://0.0.0.0:8123" in commands
    assert "--port 8000" in make_dry_run("run")


def test_the_install_says_what_it_does() -> None:
    commands = make_dry_run("-B", ".venv/.installed-run")
    assert "Installing Kretsen and its libraries" in commands
    assert "--quiet" not in commands
