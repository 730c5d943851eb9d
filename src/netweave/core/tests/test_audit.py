"""The audit trail: downloads are logged, and facilitators see them with recent changes."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from netweave.core.models import ExportLog
from netweave.directory import services

pytestmark = pytest.mark.django_db


def test_export_page_logs_who_took_what_with_filters_and_ip(personas, client):
    client.force_login(personas.sam)
    response = client.get(
        "/networks/testnet/export/organisations.csv?sector=academia&token=s3cret",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 200
    entry = ExportLog.objects.get()
    assert entry.user == personas.sam and entry.username == "sam"
    assert entry.network == personas.network
    assert (entry.kind, entry.format, entry.source) == ("organisations", "csv", "web")
    assert entry.filters == {"sector": "academia"}  # the secret parameter is left out
    assert entry.ip == "203.0.113.9"
    assert entry.created is not None


def test_refused_or_unknown_exports_are_not_logged(personas, client):
    client.force_login(personas.charlie)
    assert client.get("/networks/testnet/export/organisations.csv").status_code == 404
    client.force_login(personas.sam)
    assert client.get("/networks/testnet/export/nothing.csv").status_code == 404
    assert not ExportLog.objects.exists()


def test_directory_exports_are_logged(personas, client):
    client.force_login(personas.fiona)
    assert client.get("/networks/testnet/organisations/export.csv?q=alpha").status_code == 200
    assert client.get("/networks/testnet/people/export.json").status_code == 200
    logged = list(ExportLog.objects.order_by("id").values_list("kind", "format", "filters"))
    assert logged == [("organisations", "csv", {"q": "alpha"}), ("people", "json", {})]


def test_export_command_is_logged(personas, tmp_path):
    call_command("export", "organisations", "--network", "testnet", "-o", str(tmp_path / "o.csv"))
    call_command(
        "export", "people", "--network", "testnet", "--as", "fiona", "-o", str(tmp_path / "p.csv")
    )
    entries = list(ExportLog.objects.order_by("id"))
    assert [(e.kind, e.source, e.username) for e in entries] == [
        ("organisations", "cli", ""),
        ("people", "cli", "fiona"),
    ]


def test_audit_page_lists_exports_and_changes_for_facilitators(personas, client):
    client.force_login(personas.sam)
    client.get("/networks/testnet/export/organisations.csv")
    services.update_organisation(
        personas.org_a,
        {"description": "Renamed programme"},
        network=personas.network,
        acting_user=personas.fiona,
    )
    client.force_login(personas.fiona)
    response = client.get("/networks/testnet/audit/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "organisations" in page and "sam" in page
    assert "Alpha Water Institute" in page  # the organisation's change
    assert "changed" in page


def test_audit_page_shows_nothing_of_other_networks(personas, client):
    client.force_login(personas.frank)
    client.get("/networks/othernet/export/organisations.csv")
    client.force_login(personas.fiona)
    page = client.get("/networks/testnet/audit/").content.decode()
    assert "frank" not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("sam", 403), ("alice", 403), ("olga", 403), ("charlie", 404), ("frank", 404)],
)
def test_audit_page_is_for_facilitators_only(personas, client, who, status):
    client.force_login(getattr(personas, who))
    assert client.get("/networks/testnet/audit/").status_code == status


def test_audit_page_query_count_does_not_grow_with_history(
    personas, client, django_assert_max_num_queries
):
    client.force_login(personas.fiona)
    for n in range(30):
        services.update_organisation(
            personas.org_a,
            {"description": f"v{n}"},
            network=personas.network,
            acting_user=personas.fiona,
        )
        client.get("/networks/testnet/export/organisations.csv")
    from netweave.core.audit import history_models

    budget = len(history_models()) + 15
    with django_assert_max_num_queries(budget):
        assert client.get("/networks/testnet/audit/").status_code == 200
