"""A rendered public document: its bytes, a gzip copy, an ETag from the bytes, a Last-Modified.

The ETag is a digest of the bytes served, so a change nobody outside can see (a snooze, a
private incident) moves nothing public. Last-Modified is the newest public change shown; when
the bytes change without a newer one (an incident leaves the history window), the time they
changed, so it never goes back.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from bot.status_page.statuspage_json import FLOOR


@dataclass
class Rendered:
    body: bytes
    content_type: str
    etag: str  # a strong tag: '"<digest>"'; the gzip copy's is '"<digest>-gz"'
    last_modified: datetime

    @cached_property
    def gzipped(self) -> bytes:
        """Compressed once, when a reader first accepts gzip (mtime 0: the same bytes every time)."""
        return gzip.compress(self.body, 6, mtime=0)

    @property
    def gzip_etag(self) -> str:
        return self.etag[:-1] + '-gz"'

    def opaque_tags(self) -> set[str]:
        return {self.etag, self.gzip_etag}


class Stamps:
    """Per document kind: the digest last served and when those bytes became current."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, datetime]] = {}

    def rendered(self, kind: str, body: bytes, content_type: str, public: datetime | None, now: datetime):
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        moment = (public or FLOOR).replace(microsecond=0)
        previous = self._seen.get(kind)
        if previous is not None and previous[0] == digest:
            moment = previous[1]
        elif previous is not None and moment <= previous[1]:
            moment = max(now.replace(microsecond=0), previous[1])
        self._seen[kind] = (digest, moment)
        return Rendered(body, content_type, f'"{digest}"', moment)
