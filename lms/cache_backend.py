"""The in-process cache, holding its values compressed.

Without Redis each worker keeps whole pages (a home page is about 8 KB of HTML)
for the people it served in the last ``LMS_CACHE_SECONDS``. Compressed at the
fastest zlib level they take about a fifth of that, for some tens of
microseconds per entry written or read.
"""

from __future__ import annotations

import pickle
import zlib
from typing import Any

from cachelib.serializers import BaseSerializer
from flask_caching.backends.simplecache import SimpleCache


class CompressingSerializer(BaseSerializer):
    def dumps(self, value: Any, protocol: int = pickle.HIGHEST_PROTOCOL) -> bytes:
        return zlib.compress(pickle.dumps(value, protocol), 1)

    def loads(self, bvalue: bytes) -> Any:
        return pickle.loads(zlib.decompress(bvalue))  # noqa: S301 - our own entries only


class CompressedSimpleCache(SimpleCache):
    """Flask-Caching's ``SimpleCache`` whose entries are stored compressed."""

    serializer = CompressingSerializer()
