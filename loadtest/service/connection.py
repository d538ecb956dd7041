"""HTTP connections with limits: the uvicorn httptools protocol, bounded in what one connection may hold.

uvicorn's httptools protocol reads a request head of any size (a 64 MiB header was accepted and held in memory),
waits forever for a head or a body that trickles in, and takes any number of connections. `GuardedHttpTools`
adds, per worker process (`ConnectionLimits`, from `Settings`):

- a request head (request line and headers) of at most `header_bytes` bytes and `header_count` header lines,
  else 431 and the connection closes;
- a head that must arrive within `header_timeout_s` of its first byte (or of the connection opening), and a
  body within `body_timeout_s` of the end of its head, else 408 (if no answer started) and the connection closes;
- at most `connections` open connections, else the new one gets 503 with ``Retry-After`` and is closed.

Refusals end with a *lingering close*: the answer is written, the write side shut, and what the client still
sends is read and dropped for up to `LINGER_S` seconds (at most `LINGER_BYTES`) before the socket closes.
Closing a socket with unread data makes the kernel send a reset, and a client still sending (Python's urllib,
curl) would see ECONNRESET instead of the answer. The same applies to a 413 the app sends before reading an
oversized body: uvicorn keeps the connection and drops the rest of the body as it arrives (`on_body`), so the
client reads the 413 (tested with urllib).
"""

from __future__ import annotations

import asyncio
import http
import logging
from dataclasses import dataclass
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger("fedsim.service")
LINGER_S = 2.0  # how long a refused connection's remaining input is read and dropped before the socket closes
LINGER_BYTES = 64 << 20  # at most this much of it


@dataclass(frozen=True)
class ConnectionLimits:
    header_bytes: int = 32 * 1024  # assumption: request line + headers (nginx allows 4 x 8 KiB lines by default)
    header_count: int = 100  # assumption (Apache's LimitRequestFields default)
    header_timeout_s: float = 10.0  # assumption (Apache's RequestReadTimeout allows 20-40 s)
    body_timeout_s: float = 60.0  # assumption: a 16 MiB submission needs >= 280 KB/s
    connections: int = 1024  # assumption: per worker process


class _TooManyHeaders(Exception):
    pass


def plain_response(status: int, message: str, retry_after: int | None = None) -> bytes:
    body = message.encode()
    lines = [
        f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}",
        "content-type: text/plain; charset=utf-8",
        f"content-length: {len(body)}",
        "connection: close",
    ]
    if retry_after is not None:
        lines.append(f"retry-after: {retry_after}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class _CycleTransport:
    """The transport as a request's cycle sees it.

    - Closing it while the request body is still arriving (an answer sent before the body was read, e.g. a 413
      to a client that said Connection: close) lingers.
    - The response head is held back and written with the first body write, so a response costs one write
      (one system call, one loopback segment) instead of two: uvicorn writes the status line and headers as
      soon as the app starts the response, then the body (measured, benchmarks/loadtest-notes.md). Only the
      head of a started response is held (a ``100 Continue`` goes out at once), and closing flushes it.
    """

    def __init__(self, transport: asyncio.Transport, protocol: GuardedHttpTools) -> None:
        self._transport, self._protocol = transport, protocol
        self._held: bytes | None = None
        self._head_seen = False

    def write(self, data: bytes) -> None:
        if not self._head_seen:
            cycle = self._protocol.cycle
            if cycle is not None and cycle.response_started and not cycle.response_complete:
                self._head_seen = True
                self._held = data
                return
        if self._held is not None:
            data, self._held = self._held + data, None
        self._transport.write(data)

    def _flush(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            self._transport.write(held)

    def close(self) -> None:
        self._flush()
        if self._protocol._head is None and not self._transport.is_closing():  # mid-body
            self._protocol.linger()
        else:
            self._transport.close()

    def write_eof(self) -> None:
        self._flush()
        self._transport.write_eof()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class GuardedHttpTools(HttpToolsProtocol):
    """`HttpToolsProtocol` with head size and count limits, read timeouts and a connection cap."""

    def __init__(self, *args: Any, limits: ConnectionLimits | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits or ConnectionLimits()
        self._head: int | None = 0  # bytes of the current request head read so far; None once the head ended
        self._header_lines = 0
        self._deadline: asyncio.TimerHandle | None = None
        # a deadline to arm when the current input has been parsed: a request that arrives whole (head and body
        # in one read, most of them) arms and cancels no timer (a timer per request and phase cost ~3% of the
        # server's CPU under the mixed load test); one still incomplete after the read gets it then
        self._pending: tuple[float, str] | None = None
        self._lingering = 0  # > 0: refused, dropping input (this many bytes dropped so far + 1)

    # -- connection lifetime
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.limits.connections:
            self.transport = transport
            log.warning("connection refused: %d connections open (limit %d)", len(self.connections), self.limits.connections)
            self._refuse(503, "too many connections; retry shortly", retry_after=1)
            return
        super().connection_made(transport)
        self._arm(self.limits.header_timeout_s, "the request head")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            self._lingering += len(data)
            if self._lingering > LINGER_BYTES:
                self.transport.close()
            return
        if self._head is None:
            self._feed(data)
            return
        room = self.limits.header_bytes - self._head
        if len(data) <= room:
            self._head += len(data)
            self._feed(data)
            return
        self._head = self.limits.header_bytes
        self._feed(data[:room])  # the head may end inside the allowance
        if self._lingering or self.transport.is_closing():
            return
        if self._head is not None:
            self._refuse(431, f"request head larger than {self.limits.header_bytes} bytes")
            return
        self.data_received(data[room:])

    def _feed(self, data: bytes) -> None:
        """`HttpToolsProtocol.data_received`, telling a refused header count (431) from a malformed request (400)."""
        if self.transport.is_closing() or self.parser is None:
            return
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
        except httptools.HttpParserError:  # a callback's exception arrives as HttpParserCallbackError
            if self._header_lines > self.limits.header_count:
                self._refuse(431, f"more than {self.limits.header_count} header lines")
            else:
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")
        if self._pending is not None:
            (seconds, what), self._pending = self._pending, None
            if not self._lingering and not self.transport.is_closing():
                self._arm(seconds, what)

    # -- parser callbacks
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_lines = 0
        if self._deadline is None:
            self._pending = (self.limits.header_timeout_s, "the request head")

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_lines += 1
        if self._header_lines > self.limits.header_count:
            raise _TooManyHeaders
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._head = None
        self._disarm()
        self._pending = (self.limits.body_timeout_s, "the request body")
        super().on_headers_complete()
        if self.cycle is not None:  # the cycle closes its transport after a Connection: close answer
            self.cycle.transport = _CycleTransport(self.transport, self)  # type: ignore[assignment]

    def on_message_complete(self) -> None:
        self._disarm()
        self._pending = None
        self._head = 0
        super().on_message_complete()

    # -- timeouts and refusals
    def _arm(self, seconds: float, what: str) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expired, what, seconds)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self, what: str, seconds: float) -> None:
        self._deadline = None
        if self.transport.is_closing() or self._lingering:
            return
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True  # the app sees http.disconnect; its answer, if any, is dropped
            cycle.message_event.set()
            if cycle.response_started:
                self.transport.close()
                return
        self._refuse(408, f"{what} did not arrive within {seconds:g} s")

    def _refuse(self, status: int, message: str, retry_after: int | None = None) -> None:
        """Answer `status` and close lingering (see the module docstring)."""
        self.transport.write(plain_response(status, message, retry_after))
        self.linger()

    def linger(self) -> None:
        """Close after the answer is sent, reading and dropping the client's input meanwhile."""
        if self._lingering or self.transport.is_closing():
            return
        self._disarm()
        self._lingering = 1
        if self.transport.can_write_eof():
            self.transport.write_eof()
        try:
            self.transport.resume_reading()  # uvicorn may have paused it (flow control)
        except RuntimeError:
            pass
        self.loop.call_later(LINGER_S, self.transport.close)
