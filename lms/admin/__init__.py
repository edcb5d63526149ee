from flask import Blueprint

from lms.templating import add_nav

bp = Blueprint("admin", __name__, url_prefix="/admin")
add_nav("admin.index", "Admin", roles=("admin",))

from lms.admin import views  # noqa: E402,F401
