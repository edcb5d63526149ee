"""The authoring studio: programme staff write, preview, publish and exchange modules."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("studio", __name__, url_prefix="/studio")
AUTHORS = ("author", "admin")


def init_app(app: Flask) -> None:
    """Register the studio pages and their navigation item (authors and admins)."""
    from lms.content.sync import register_image_store
    from lms.services.studio import exchange
    from lms.studio import views  # noqa: F401  (the routes attach to bp)
    from lms.templating import add_nav

    app.register_blueprint(bp)
    # Images in a module folder's images/ are kept as the studio's, on the module's draft.
    register_image_store(app, exchange.store_folder_images)
    add_nav(app, "studio.index", _l("Studio"), roles=AUTHORS)
