"""An httpx transport that checks every address at the moment it connects.

Checking a URL's host and then letting httpx resolve it again to connect
leaves a gap: a DNS server can answer a public address to the check and a
private one to the connection (DNS rebinding), at the first request or at any
redirect hop. Here the network backend resolves the host itself, checks each
address (`urls.resolve_public`) and dials the checked address, so what was
checked is what is reached. TLS still names the host (SNI, certificate): only
the TCP dial uses the address.

httpx 0.28's `HTTPTransport` takes no network backend (encode/httpx#3749 is
still open), so `CheckedTransport` wraps `httpcore.ConnectionPool` itself.
"""

from __future__ import annotations

import contextlib
import socket
import typing
from collections.abc import Iterable, Iterator

import httpcore
import httpx

from newsbot.index.web.urls import Resolver, check_host_name, resolve_public

__all__ = ["CheckedBackend", "CheckedTransport"]


class CheckedBackend(httpcore.SyncBackend):
    """A network backend that connects only to public addresses (unless allow_private), resolving once per connection."""

    def __init__(self, *, allow_private: bool = False, resolve: Resolver = socket.getaddrinfo) -> None:
        self.allow_private = allow_private
        self.resolve = resolve

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve host, refuse it when any address is not public, and connect to the first address that answers.

        Raises WebError for a refused, malformed or unresolvable host; httpcore.ConnectError
        when no address accepts the connection.
        """
        if self.allow_private:
            check_host_name(host)  # else the dial's own lookup raises a bare UnicodeError that no caller expects
            return self.dial(host, port, timeout, local_address, socket_options)
        failure: Exception | None = None
        for address in resolve_public(host, port, self.resolve):
            try:
                return self.dial(str(address), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None  # resolve_public returns at least one address
        raise failure

    def dial(
        self,
        address: str,
        port: int,
        timeout: float | None,
        local_address: str | None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.NetworkStream:
        """Open the TCP connection to an address already checked (a numeric one is dialled without asking DNS again)."""
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


class CheckedTransport(httpx.BaseTransport):
    """httpx's default transport, less proxies and HTTP/2, over a `CheckedBackend`."""

    def __init__(self, backend: CheckedBackend) -> None:
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), network_backend=backend)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send a request through the pool; httpcore's errors come out as httpx's."""
        assert isinstance(request.stream, httpx.SyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host, port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_errors():
            response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=response.status, headers=response.headers,
            stream=_Body(typing.cast(Iterable[bytes], response.stream)), extensions=response.extensions,
        )  # fmt: skip

    def close(self) -> None:
        """Close the pool's connections."""
        self._pool.close()


class _Body(httpx.SyncByteStream):
    """A response body read from httpcore, its errors raised as httpx's."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


@contextlib.contextmanager
def _httpx_errors() -> Iterator[None]:
    """Raise httpcore's timeouts as httpx.TimeoutException and its other transport errors as httpx.TransportError."""
    try:
        yield
    except httpcore.TimeoutException as error:
        raise httpx.TimeoutException(str(error)) from error
    except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as error:
        raise httpx.TransportError(str(error)) from error
