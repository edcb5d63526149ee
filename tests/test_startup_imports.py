"""A worker starts without the large libraries only some requests need.

PDFs (fpdf2 and its font tools), SAML (pysaml2, xmlschema), OpenID Connect
(Authlib), SCIM (scim2-server and its pydantic models) and the test-only
hypothesis are imported where they are used, so each gunicorn worker stays
small; building the application must not load them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LAZY = ("fpdf", "fontTools", "saml2", "xmlschema", "authlib", "scim2_server", "scim2_models",
        "pydantic", "hypothesis")

PROGRAM = """
import json, sys
from lms import create_app
create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://",
            "SQLALCHEMY_DATABASE_URI": "sqlite://", "MAIL_SERVER": None})
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_building_the_app_leaves_the_large_libraries_unloaded():
    root = Path(__file__).resolve().parent.parent
    loaded = json.loads(subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=root, check=True, capture_output=True,
        text=True).stdout.splitlines()[-1])
    assert [name for name in LAZY if name in loaded] == []
