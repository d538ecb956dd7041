"""A real uvicorn server in a thread of the test process, on 127.0.0.1 and a free port, run exactly as
`loadtest.service.server` runs it (the guarded protocol, proxy settings, uvloop), for tests of what happens on
the wire (header limits, timeouts, resets, forwarded addresses) that TestClient does not exercise."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import uvicorn

from loadtest.procs import free_port
from loadtest.service.app import create_app
from loadtest.service.bootstrap import seed
from loadtest.service.server import uvicorn_options
from loadtest.service.settings import Settings
from loadtest.service.storage import open_database
from tests.loadtest.worlds import tiny_policy, tiny_world

START_TIMEOUT_S = 30.0


@contextmanager
def live_server(url: str, settings: Settings) -> Iterator[tuple[str, dict]]:
    """(base URL, tokens) of a seeded service running `settings` until the block ends."""
    db = open_database(url)
    db.create_schema()
    tokens = seed(db, tiny_world(), tiny_policy())
    db.close()
    settings = replace(settings, db=url)
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning", **uvicorn_options(settings))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", tokens
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def raw_exchange(port: int, data: bytes, read_timeout_s: float = 5.0, chunks: int = 1, pause_s: float = 0.0) -> bytes:
    """Send `data` (in `chunks` pieces, `pause_s` apart) on a fresh connection; what came back until close."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout_s) as s:
        step = max(1, len(data) // chunks)
        try:
            for i in range(0, len(data), step):
                s.sendall(data[i : i + step])
                if pause_s:
                    time.sleep(pause_s)
        except (BrokenPipeError, ConnectionResetError):
            pass
        out = b""
        try:
            while True:
                got = s.recv(65536)
                if not got:
                    break
                out += got
        except (TimeoutError, ConnectionResetError):
            pass
        return out
