"""The httpx transport newsrack fetches through: it refuses private peers at connect time.

A URL's host name says nothing reliable about where a connection goes: DNS can
answer a public address to a pre-check and a private one a moment later
(rebinding), or name an internal host outright. So the check is made on the
address the socket is actually connected to: ``GuardedBackend`` wraps httpcore's
network backend and closes, before a single byte is sent, any new connection
whose peer is private, loopback, link-local or otherwise not globally routable,
raising ``PrivateAddressError`` (which httpx passes through untouched, being no
httpcore error). Reused keep-alive connections were checked when they opened.
"""

from __future__ import annotations

import ipaddress
import ssl
import typing

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
        self._inner = inner or AsyncioBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if _is_ip_literal(host) and not is_public_address(host):
            raise PrivateAddressError(host, host)  # no need to even connect
        stream = await self._inner.connect_tcp(
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
        await self._inner.sleep(seconds)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's default transport, its pool on ``AsyncioBackend``, guarded by ``GuardedBackend``."""

    def __init__(
        self,
        limits: httpx.Limits,
        *,
        allow_private: bool = False,
        backend: httpcore.AsyncNetworkBackend | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        super().__init__(limits=limits, trust_env=False)
        network = backend or AsyncioBackend()
        # httpx offers no network_backend argument; build the same pool with ours.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=network if allow_private else GuardedBackend(network),
        )
