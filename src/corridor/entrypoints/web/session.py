"""Who is signed in: the API token in an HttpOnly cookie, checked again on every request.

The cookie holds the token itself (HttpOnly, SameSite=Strict, Secure over
TLS), so a token revoked or expired anywhere signs its user out at the next
request, and several server processes share sign-ins with no session table.
Every form carries a CSRF token derived from the signed-in token with an
HMAC: a page from elsewhere can neither read the cookie nor compute it.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from corridor.entrypoints.api.context import ApiContext
from corridor.entrypoints.web.i18n import chosen
from corridor.errors import CorridorError
from corridor.protection.access import Principal

COOKIE = "corridor_session"
LANG_COOKIE = "corridor_lang"
CSRF_FIELD = "csrf"
_CSRF_SALT = b"corridor dashboard csrf v1"


def csrf_token(token: str) -> str:
    return hmac.new(_CSRF_SALT, token.encode(), hashlib.sha256).hexdigest()


def csrf_ok(token: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(csrf_token(token), given)


async def signed_in(request: Request, ctx: ApiContext) -> tuple[Principal, str] | None:
    """The caller and their token when the cookie holds a working token; None otherwise."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    known = ctx.callers.cached(token)
    if known is not None:
        return known, token
    try:
        return await run_in_threadpool(ctx.callers.authenticate, token), token
    except CorridorError:
        return None


async def signing_in(request: Request, token: str, csrf: str, login_cookie: str) -> Principal | str:
    """The caller a sign-in form names, or the field it failed on: "csrf" or "token".

    `login_cookie` holds the form's one-time CSRF value, set when the sign-in
    page was drawn (there is no signed-in token yet to derive one from).
    """
    if not hmac.compare_digest(csrf, request.cookies.get(login_cookie) or "\0"):
        return "csrf"
    try:
        return await run_in_threadpool(context(request).callers.authenticate, token.strip())
    except CorridorError:
        return "token"


def secure(request: Request) -> bool:
    """Cookies carry Secure when the request came over TLS (directly or via a trusted proxy)."""
    return request.url.scheme == "https"


def remember(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", secure=secure(request), path="/"
    )


def forget(response: Response, request: Request) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")


def keep_language(response: Response, request: Request, lang: str) -> None:
    response.set_cookie(
        LANG_COOKIE, lang, max_age=365 * 86400, samesite="strict", secure=secure(request)
    )


def language(request: Request) -> str:
    """The reader's language: the one kept in their cookie, or the default."""
    return chosen(request.cookies.get(LANG_COOKIE))


def context(request: Request) -> ApiContext:
    """The app's wiring (ledger, live operations, callers), as every web route needs it."""
    found: ApiContext = request.app.state.context
    return found
