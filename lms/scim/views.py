"""Every SCIM request goes to scim2-server's application; one commit per successful write."""

from __future__ import annotations

import json

from flask import Response, current_app, request

from lms.extensions import csrf, db
from lms.permissions import public
from lms.scim import bp

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _application():
    """The SCIM application, built on the first request (scim2-server and its models are
    large, and most workers never serve SCIM)."""
    application = current_app.extensions.get("lms_scim")
    if application is None:
        from lms.scim.application import build_application

        application = build_application(current_app.config["LMS_SCIM_GROUPS"])
        current_app.extensions["lms_scim"] = application
    return application


@bp.route("/", defaults={"path": ""}, methods=METHODS, strict_slashes=False)
@bp.route("/<path:path>", methods=METHODS)
@csrf.exempt  # a machine client with a bearer token, never a browser session
@public  # the bearer token is checked by the SCIM application itself
def endpoint(path: str):
    from scim2_server.requests import ScimRequest

    application = _application()
    base_url = current_app.config["LMS_BASE_URL"].rstrip("/") + bp.url_prefix
    scim_request = ScimRequest(
        method=request.method, base_url=base_url, path="/" + path,
        query=request.args.to_dict(), headers=list(request.headers.items()),
        body=request.get_data(cache=False))
    scim_response = application.serve(scim_request)
    if int(scim_response.status) < 400:
        db.session.commit()  # the write, and the token's last use
    else:
        db.session.rollback()
    body = "" if scim_response.body is None else json.dumps(scim_response.body)
    return Response(body, status=int(scim_response.status),
                    headers=dict(scim_response.headers))
