"""Tell a block or a bot challenge from a page, so an interstitial is never stored as an article.

Refusals by status (401, 403, 429, a 202 with an empty body) and by header
(Cloudflare's ``cf-mitigated: challenge``) are certain. Interstitials served
with 200 or 503 are recognised by markers that only challenge pages carry
(Cloudflare's ``_cf_chl_opt`` and "Just a moment..." title, PerimeterX's
``px-captcha``, DataDome's captcha-delivery iframe...). Markers that normal pages
behind the same vendors also carry (Cloudflare's injected ``challenge-platform``
script, Imperva's ``_Incapsula_Resource``) count only on a small page without an
``<article>``, since a real article is never a 2 KiB shell.
"""

from __future__ import annotations

import re

import httpx

#: Found only on challenge or block pages, whatever their size.
_STRONG = re.compile(
    rb"<title>\s*(just a moment\.\.\.|attention required! \| cloudflare|ddos-guard)\s*</title>"
    rb"|_cf_chl_opt|cf-browser-verification|id=\"px-captcha\"|geo\.captcha-delivery\.com"
    rb"|<title>\s*access denied\s*</title>",
    re.I,
)
#: Also on normal pages behind the vendor: a sign of a block only on a small shell page.
_WEAK = re.compile(rb"/_incapsula_resource|/cdn-cgi/challenge-platform/|ddos-guard\.net", re.I)
_SHELL_SIZE = 16 * 1024


def challenge_reason(status: int, headers: httpx.Headers, body: bytes) -> str | None:
    """Why an answer is a block or bot challenge rather than a page, or None."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare challenge (cf-mitigated: challenge)"
    if status in (401, 403):
        return f"HTTP {status} {httpx.codes.get_reason_phrase(status)}"
    if status == 429:
        return "HTTP 429 Too Many Requests"
    if status == 202 and not body.strip():
        return "HTTP 202 with an empty body (a bot check)"
    head = body[:32768]
    match = _STRONG.search(head)
    if match:
        return f"challenge page ({match.group(0).decode('ascii', 'replace')})"
    if len(body) < _SHELL_SIZE and b"<article" not in head.lower():
        match = _WEAK.search(head)
        if match:
            return f"challenge page ({match.group(0).decode('ascii', 'replace')})"
    return None
