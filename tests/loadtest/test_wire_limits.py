"""What one connection may hold (issue 17, findings 7, 8, 9): request head size and header count (431), head
and body read timeouts (408), a connection cap (503 + Retry-After), a 413 the client can read, X-Forwarded-For
believed only from configured proxies. A real server on 127.0.0.1 (`live_server`); the backend does not matter."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from loadtest.service.settings import Settings
from tests.loadtest.live_server import live_server, raw_exchange

LIMITS = Settings(
    rate_scale=0, background=False, header_bytes_max=4096, header_lines_max=20, header_timeout_s=1.0,
    body_timeout_s=1.0, connections_max=8,
)  # fmt: skip


@pytest.fixture
def server(tmp_path):
    with live_server(f"sqlite:///{tmp_path}/wire.db", LIMITS) as (base, tokens):
        yield urlsplit(base).port, tokens


def status(reply: bytes) -> int:
    assert reply.startswith(b"HTTP/1.1 "), reply[:80]
    return int(reply[9:12])


def test_small_requests_pass(server):
    port, _ = server
    assert status(raw_exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) == 200


def test_large_head_is_431(server):
    port, _ = server
    big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8192 + b"\r\n\r\n"
    assert status(raw_exchange(port, big)) == 431
    huge = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (8 << 20) + b"\r\n\r\n"  # still sending: no reset
    assert status(raw_exchange(port, huge, chunks=64)) == 431


def test_many_header_lines_are_431(server):
    port, _ = server
    lines = b"".join(b"X-H%d: 1\r\n" % i for i in range(30))
    assert status(raw_exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + lines + b"\r\n")) == 431


def test_a_trickled_head_times_out(server):
    port, _ = server
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never ends its head
        assert status(s.recv(4096)) == 408
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:  # says nothing at all
        assert status(s.recv(4096)) == 408


def test_a_trickled_body_times_out(server):
    port, tokens = server
    token = tokens["agencies"]["0"]["token"]
    head = (f"POST /v1/searches HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n").encode()  # fmt: skip
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(head + b'{"plate": ')  # 10 of 100 bytes, then silence
        assert status(s.recv(4096)) == 408


def test_connections_beyond_the_cap_get_503(server):
    port, _ = server
    held = []
    try:
        for _ in range(LIMITS.connections_max):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")  # keep-alive: stays open
            assert status(s.recv(4096)) == 200
            held.append(s)
        reply = raw_exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status(reply) == 503 and b"retry-after: 1" in reply.lower()
    finally:
        for s in held:
            s.close()


def test_413_reaches_a_client_that_sends_the_whole_body(server):
    port, tokens = server
    body = b'{"plate": "AB1", "reason": "' + b"x" * (48 << 20) + b'"}'  # more than socket buffers hold
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/searches", data=body, method="POST",
        headers={"Authorization": f"Bearer {tokens['agencies']['0']['token']}", "Content-Type": "application/json"},
    )  # fmt: skip
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(req, timeout=10)
    assert answer.value.code == 413


@pytest.mark.parametrize("trusted, limited", [("", True), ("127.0.0.1", False)])
def test_forwarded_addresses_only_from_trusted_proxies(tmp_path, trusted, limited):
    settings = Settings(rate_scale=0.002, background=False, trusted_proxies=trusted)  # public pages: burst 2, 1/s
    with live_server(f"sqlite:///{tmp_path}/xff.db", settings) as (base, _):
        codes = []
        for i in range(10):
            req = urllib.request.Request(f"{base}/v1/transparency/0", headers={"X-Forwarded-For": f"10.0.0.{i}"})
            try:
                codes.append(urllib.request.urlopen(req, timeout=10).status)
            except urllib.error.HTTPError as exc:
                codes.append(exc.code)
    assert (429 in codes) is limited, codes
