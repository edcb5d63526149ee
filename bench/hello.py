"""The ceiling for the load benchmark: a bare Flask app, served by the same gunicorn settings.

No database, no templates, no extensions: what is left is gunicorn, the WSGI
round trip and Flask's routing, so every page's throughput is read as a share
of this one.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"
