"""The registry of exportable datasets, shared by the export links of pages and the command.

Each app registers its lists in its ``AppConfig.ready()`` through a small ``exports.py``::

    register("meetings", label=_("Meetings"), app="meetings", build=meeting_dataset)

``build(network, user, access)`` returns a ``tablib.Dataset`` (headers and rows, dates in
ISO 8601, choices as their codes) holding only what ``access`` may read; it raises
``PermissionDenied`` when the user may not have the list at all. ``export_dataset`` turns it
into the bytes of a CSV, XLSX or JSON file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import tablib
from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise

from netweave.core.access import NetworkAccess, get_access

if TYPE_CHECKING:
    from netweave.core.access import AnyUser
    from netweave.networks.models import Network

    Builder = Callable[[Network, AnyUser | None, NetworkAccess], tablib.Dataset]

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# A spreadsheet treats a cell that starts with one of these as a formula (OWASP "CSV
# injection"); tab and carriage return are on OWASP's list as well.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class UnknownExport(ValueError):
    """A kind or format that the registry does not offer; the message lists what it does."""


@dataclass(frozen=True)
class Export:
    kind: str
    label: str | Promise
    app: str
    build: Builder


_registry: dict[str, Export] = {}


def register(kind: str, *, label: str | Promise, app: str, build: Builder) -> None:
    """Offer ``kind`` for export; registering the same kind again replaces it."""
    _registry[kind] = Export(kind=kind, label=label, app=app, build=build)


def kinds() -> list[str]:
    return sorted(_registry)


def get_export(kind: str) -> Export:
    try:
        return _registry[kind]
    except KeyError:
        raise UnknownExport(
            f"Unknown export {kind!r}. Choose one of: {', '.join(kinds()) or '(none)'}."
        ) from None


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UnknownExport(f"Unknown format {fmt!r}. Choose one of: {', '.join(FORMATS)}.")


def neutralise(value: Any) -> Any:
    """Prefix ``'`` to text a spreadsheet would run as a formula; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def iso(value: Any) -> str:
    """A date or datetime in ISO 8601, or "" for none."""
    return value.isoformat() if value is not None else ""


def dataset(columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> tablib.Dataset:
    data = tablib.Dataset(headers=list(columns))
    for row in rows:
        data.append(list(row))
    return data


def render(data: tablib.Dataset, fmt: str) -> bytes:
    """The dataset as the bytes of a file in ``fmt``; spreadsheet formats are neutralised.

    JSON keeps values as they are: it is read by programs, not by spreadsheets, and a
    phone number such as "+992 37 …" should reach them unchanged.
    """
    check_format(fmt)
    if fmt in ("csv", "xlsx"):
        safe = tablib.Dataset(headers=data.headers)
        for row in data:
            safe.append([neutralise(value) for value in row])
        data = safe
    if fmt == "xlsx":
        return data.export("xlsx")
    text = data.export(fmt)
    # A byte-order mark so that spreadsheet programs read UTF-8 (Cyrillic, Arabic) right.
    return ("\ufeff" + text).encode("utf-8") if fmt == "csv" else text.encode("utf-8")


def site_admin_access(network: Network) -> NetworkAccess:
    """The access of a site administrator (the command line without ``--as``): everything."""
    return NetworkAccess(network=network, authenticated=True, is_staff=True)


def build_dataset(
    kind: str, network: Network, user: AnyUser | None, *, access: NetworkAccess | None = None
) -> tablib.Dataset:
    """The rows of ``kind`` in ``network`` that ``user`` may read.

    ``access`` overrides the user's own (``site_admin_access`` for the command line).
    Raises ``PermissionDenied`` when the user may not read the network or the list.
    """
    export = get_export(kind)
    access = access or get_access(user, network)
    if not access.can_view:
        raise PermissionDenied
    return export.build(network, user, access)


def export_dataset(
    kind: str,
    network: Network,
    user: AnyUser | None,
    fmt: str,
    *,
    access: NetworkAccess | None = None,
) -> bytes:
    """``kind`` of ``network`` as ``user`` may see it, as a csv, xlsx or json file."""
    check_format(fmt)
    return render(build_dataset(kind, network, user, access=access), fmt)
