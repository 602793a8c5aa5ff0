"""URL hygiene: normalized article keys, tracking-parameter removal, canonical URL choice.

One article is one row however it was linked, so every URL is reduced the same
way before it is looked up or stored: scheme and host lower-cased, default port
(only: ``:0`` is kept, a different URL),
fragment and tracking parameters (utm_*, fbclid, gclid, ...) dropped. The
page's declared canonical (rel=canonical or og:url) is trusted only on the same
host, since a wrong or hostile canonical would merge unrelated articles.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import idna

#: Query parameters that only track a click and never change the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "_gl",
        "ref_src",
        "ref_url",
        "cmpid",
        "xtor",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "ocid",
        "smid",
        "s_cid",
        "ito",
        "__twitter_impression",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def normalize_url(url: str) -> str:
    """``url`` without fragment and tracking parameters, scheme and host lower-cased."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(scheme):  # keep port 0
        host = f"{host}:{parts.port}"
    if ":" in host and not host.endswith("]") and host.count(":") > 1:  # bare IPv6
        host = f"[{host}]"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    )
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def same_host(a: str, b: str) -> bool:
    """Whether two URLs are on the same host, ``www.`` aside."""

    def host(url: str) -> str:
        name = (urlsplit(url).hostname or "").lower()
        return name.removeprefix("www.")

    return bool(host(a)) and host(a) == host(b)


def canonical_url(fetched_url: str, declared: str | None) -> str:
    """The article's key: its declared canonical if on the same host, else the fetched URL."""
    if declared:
        absolute = urljoin(fetched_url, declared.strip())
        if urlsplit(absolute).scheme in ("http", "https") and same_host(absolute, fetched_url):
            return normalize_url(absolute)
    return normalize_url(fetched_url)


#: IPv6 prefixes whose last 32 bits carry an IPv4 address a translator may reach.
_EMBEDDING_IPV4 = (
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible (deprecated)
    ipaddress.IPv6Network("::ffff:0:0:0/96"),  # SIIT, IPv4-translated
    ipaddress.IPv6Network("64:ff9b::/96"),  # NAT64, well-known prefix
)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (mapped, compatible, SIIT, NAT64, 6to4), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in network for network in _EMBEDDING_IPV4):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(address: str) -> bool:
    """Whether an IP address is globally routable (not private, loopback, link-local...).

    An IPv6 address that carries an IPv4 one (``::ffff:127.0.0.1``,
    ``::127.0.0.1``, ``::ffff:0:127.0.0.1``, ``64:ff9b::7f00:1``,
    ``2002:7f00:1::``) is judged by that IPv4 address too: a translator on the
    way would deliver it there.
    """
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            if int(embedded) in (0, 1) and ip in _EMBEDDING_IPV4[0]:
                return False  # :: and ::1 themselves
            return embedded.is_global and not embedded.is_multicast
    return ip.is_global and not ip.is_multicast


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched (one line naming it and the fix), or None when it can.

    Checks what fails before any request: the syntax (``http://[::1``), the
    scheme, a host, the port range (``:99999``) and the host's IDNA form
    (``xn--n3h.localhost`` spells a character host names may not hold).
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"{url}: not a valid URL ({exc}); check the brackets and the port (1-65535)"
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        return f"{url}: not an http or https URL; write it as https://host/path"
    host = parts.hostname or ""
    if not host:
        return f"{url}: no host name; write it as https://host/path"
    if port == 0:
        return f"{url}: port 0 cannot be fetched; use a port from 1 to 65535"
    if ":" in host:  # an IPv6 literal, checked by urlsplit
        return None
    try:
        if host.isascii():
            if any(label.startswith("xn--") for label in host.split(".")):
                idna.decode(host)
        else:
            idna.encode(host.lower())
    except (idna.IDNAError, UnicodeError) as exc:
        return f"{url}: host {host!r} is not a valid international domain name ({exc})"
    return None
