"""The httpx transport newsrack fetches through: it refuses private peers at connect time.

A URL's host name says nothing reliable about where a connection goes: DNS can
answer a public address to a pre-check and a private one a moment later
(rebinding), or name an internal host outright. So the check is made on the
address the socket is actually connected to: ``GuardedBackend`` wraps httpcore's
network backend and closes, before a single byte is sent, any new connection
whose peer is private, loopback, link-local or otherwise not globally routable,
raising ``PrivateAddressError`` (which passes through the transport untouched,
being no httpcore error). Reused keep-alive connections were checked when they
opened. ``GuardedTransport`` is our own ``httpx.AsyncBaseTransport`` over an
``httpcore.AsyncConnectionPool`` built with that backend: both libraries'
public APIs only (httpx offers no ``network_backend`` argument, so the
request/response mapping that its default transport does is done here,
with httpcore's errors mapped to httpx's at this one boundary).
"""

from __future__ import annotations

import contextlib
import ipaddress
import ssl
import typing
from collections.abc import AsyncIterator, Iterator

import httpcore
import httpx

from scraper.netio import AsyncioBackend
from scraper.urls import is_public_address


class PrivateAddressError(Exception):
    """A connection reached a non-public address while private networks are not allowed."""

    def __init__(self, host: str, address: str) -> None:
        self.host = host
        self.address = address
        super().__init__(f"{host} connects to non-public address {address}")


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that refuses connections whose peer is not public."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.inner = inner or AsyncioBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if _is_ip_literal(host) and not is_public_address(host.strip("[]")):
            raise PrivateAddressError(host, host)  # no need to even connect
        stream = await self.inner.connect_tcp(
            host, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )
        peer = stream.get_extra_info("server_addr")
        address = str(peer[0]) if peer else "unknown"
        if not is_public_address(address):
            await stream.aclose()
            raise PrivateAddressError(host, address)
        return stream

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise PrivateAddressError(path, "a unix socket")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


#: httpcore's errors and the httpx errors they become, most specific first.
_ERRORS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _httpx_errors(request: httpx.Request | None = None) -> Iterator[None]:
    """Re-raise an httpcore error as the httpx error it stands for."""
    try:
        yield
    except Exception as exc:
        for core, mapped in _ERRORS:
            if isinstance(exc, core):
                if issubclass(mapped, httpx.RequestError):
                    raise mapped(str(exc), request=request) from exc
                raise mapped(str(exc)) from exc
        raise


class _Body(httpx.AsyncByteStream):
    """A response body read from httpcore, its errors mapped to httpx's."""

    def __init__(self, stream: typing.AsyncIterable[bytes], request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_errors(self._request):
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            with _httpx_errors(self._request):
                await close()


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpcore connection pool on ``AsyncioBackend``, guarded by ``GuardedBackend``."""

    def __init__(
        self,
        limits: httpx.Limits,
        *,
        allow_private: bool = False,
        backend: httpcore.AsyncNetworkBackend | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        network = backend or AsyncioBackend()
        self.pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=network if allow_private else GuardedBackend(network),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,  # type: ignore[arg-type]  # an async iterable of bytes
            extensions=request.extensions,
        )
        with _httpx_errors(request):
            answer = await self.pool.handle_async_request(core_request)
        assert isinstance(answer.stream, typing.AsyncIterable)
        return httpx.Response(
            status_code=answer.status,
            headers=answer.headers,
            stream=_Body(answer.stream, request),
            extensions=answer.extensions,
        )

    async def aclose(self) -> None:
        await self.pool.aclose()
