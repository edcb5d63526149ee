"""Signing in through the real login form, and single requests that check an answer."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.parse import urlencode

FORM_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# base.html puts the token on <body hx-headers=...>; htmx sends it as X-CSRFToken.
HTMX_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


@dataclass(frozen=True)
class Session:
    """A signed-in person as a browser holds them: the cookie and the page's CSRF token."""

    email: str
    cookie: str
    csrf: str


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    text: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None,
          body: str | None = None, opener=None) -> Answer:
    """One request; redirects and error statuses come back as answers."""
    opener = opener or urllib.request.build_opener(_NoRedirects)
    data = body.encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with opener.open(request, timeout=60) as response:
            return Answer(response.status, response.headers.get("Location", ""),
                          response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers.get("Location", ""),
                      error.read().decode("utf-8", "replace"))


def sign_in(base_url: str, email: str, password: str) -> Session:
    """Sign in as a browser would; raises ``RuntimeError`` when the app does not let us in."""
    jar = CookieJar()
    opener = urllib.request.build_opener(_NoRedirects, urllib.request.HTTPCookieProcessor(jar))
    form = fetch(f"{base_url}/auth/login", opener=opener)
    token = FORM_TOKEN.search(form.text)
    if form.status != 200 or token is None:
        raise RuntimeError(f"login form: HTTP {form.status}, CSRF token found: {bool(token)}")
    posted = fetch(f"{base_url}/auth/login", "POST",
                   {"Content-Type": "application/x-www-form-urlencoded"},
                   urlencode({"csrf_token": token.group(1), "email": email,
                              "password": password}), opener)
    if posted.status != 302:
        problem = ("rate limited" if posted.status == 429 else
                   "wrong email or password" if "do not match" in posted.text else "")
        raise RuntimeError(f"signing in as {email}: HTTP {posted.status} {problem}".rstrip())
    home = fetch(f"{base_url}/", opener=opener)
    csrf = HTMX_TOKEN.search(home.text)
    if home.status != 200 or csrf is None:
        raise RuntimeError(f"home page after signing in as {email}: HTTP {home.status}")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return Session(email, cookie, csrf.group(1))
