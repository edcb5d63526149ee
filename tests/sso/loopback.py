"""What the test identity providers share: a WSGI app served on 127.0.0.1 in a thread."""

from __future__ import annotations

import threading

from werkzeug.serving import WSGIRequestHandler, make_server


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        """Keep the test output free of one line per request."""


class LoopbackService:
    """Base of a provider served on a free port of 127.0.0.1 (``start`` / ``stop``)."""

    def _serve(self, wsgi) -> int:
        """Bind ``wsgi`` to a free port (served once started); returns the port."""
        self._http = make_server("127.0.0.1", 0, wsgi, threaded=True,
                                 request_handler=_QuietHandler)
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        return self._http.server_port

    def start(self):
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._thread.join(timeout=10)
        self._http.server_close()
