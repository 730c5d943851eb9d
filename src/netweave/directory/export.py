"""The directory page's export helpers; the registry of datasets is ``netweave.core.exports``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from netweave.core.exports import FORMATS, FORMULA_STARTS, neutralise, render
from netweave.directory.exports import organisation_dataset

__all__ = ["FORMATS", "FORMULA_STARTS", "export_organisations", "neutralise"]


def export_organisations(
    organisations: Iterable[Any], *, fmt: str, include_contacts: bool
) -> bytes:
    return render(organisation_dataset(organisations, include_contacts=include_contacts), fmt)
