"""The library's upload limit, applied while the request body arrives.

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not count uploaded files, so without this a
50 MB file would be written to a temporary file in full before any form could refuse it.
``LimitedUploadHandler`` stops keeping a file as soon as it passes
``LIBRARY_MAX_UPLOAD_BYTES``: the rest of that file is read and thrown away (memory stays
flat), the other form fields still arrive, and the request is marked so the form can say
how large the file was.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from netweave.library.services import max_upload_bytes

REFUSED_ATTRIBUTE = "library_refused_upload"


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = limit if limit is not None else max_upload_bytes()
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.content_length is not None and self.content_length > self.limit:
            self._refuse(self.content_length)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse(None)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self, size: int | None) -> None:
        if self.request is not None:
            setattr(self.request, REFUSED_ATTRIBUTE, {"field": self.field_name, "size": size})
        raise SkipFile


def limit_uploads(request: Any) -> None:
    """Put the library's limit in front of the request's upload handlers (before parsing)."""
    request.upload_handlers.insert(0, LimitedUploadHandler(request))


def refused_upload(request: Any) -> dict[str, Any] | None:
    return getattr(request, REFUSED_ATTRIBUTE, None)
