"""Background work of the library: reading the text of large uploads.

Small files are read during the upload itself (``services.INLINE_EXTRACT_BYTES``, and PDFs
of at most ``services.INLINE_PDF_PAGES`` pages); larger ones are queued here after the
upload's transaction commits, and the document page says "reading the text" until the
worker is done.
"""

from __future__ import annotations

from django_tasks import task

from netweave.library import services


@task()
def extract_document_text_task(document_id: int) -> None:
    services.read_document_text(document_id)
