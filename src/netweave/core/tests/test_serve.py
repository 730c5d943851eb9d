"""`netweave serve --demo` on a fresh data directory comes up by itself."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 — loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@pytest.mark.slow
def test_serve_demo_on_fresh_data_dir(tmp_path):
    """A fresh data directory is migrated, gets the demo, and is served by gunicorn."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env["NETWEAVE_DATA_DIR"] = str(tmp_path / "data")
    netweave = Path(sys.executable).with_name("netweave")
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(  # noqa: S603 — our own console script
        [str(netweave), "serve", "--port", str(port), "--demo", "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status, body = fetch(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                time.sleep(0.5)
        log.seek(0)
        assert status == 200, log.read()
        assert json.loads(body)["database"]["status"] == "ok"
        assert (tmp_path / "data" / "netweave.sqlite3").exists()
        assert (tmp_path / "data" / "secret_key").exists()
        api_status, _ = fetch(f"http://127.0.0.1:{port}/api/v1/organisations/")
        assert api_status in (401, 403)
        page_status, page = fetch(f"http://127.0.0.1:{port}/networks/water-sanitation/")
        assert page_status == 200
        assert b"water" in page.lower()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
