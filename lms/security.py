"""Response headers every page carries."""

from flask import Response, abort, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def apply_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages for a signed-in person are private; never keep them in shared caches.
    if request.endpoint != "static":
        headers.setdefault("Cache-Control", "no-store")
    return response


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def _every_value(multidict) -> list:
    return [value for values in multidict.listvalues() for value in values]


def reject_nul_bytes() -> None:
    """``before_request`` hook: refuse NUL characters in the URL or a form with a 400.

    No person types one; PostgreSQL refuses them in text, so letting one through
    would turn a bad request into a server error deep inside some query.
    """
    if (_has_nul(_every_value(request.args)) or _has_nul(_every_value(request.form))
            or _has_nul((request.view_args or {}).values()) or "\x00" in request.path):
        abort(400)
