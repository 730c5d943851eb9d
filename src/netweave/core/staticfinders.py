"""Serve chosen files that ship inside Python packages as static files.

plotly ships its bundled JavaScript in the Python package; this finder exposes just that
file (not plotly's data sets) under ``vendor/``, so charts work offline with no build step.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PACKAGED_FILES = {
    "vendor/plotly.min.js": ("plotly", "package_data/plotly.min.js"),
}


def _source(package: str, relative: str) -> Path:
    return Path(str(resources.files(package).joinpath(relative)))


class PackagedFileFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path: str, find_all: bool = False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        if path in PACKAGED_FILES:
            found = str(_source(*PACKAGED_FILES[path]))
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        for path, (package, relative) in PACKAGED_FILES.items():
            source = _source(package, relative)
            prefix = str(Path(path).parent)
            storage = FileSystemStorage(location=str(source.parent))
            storage.prefix = prefix
            yield source.name, storage
