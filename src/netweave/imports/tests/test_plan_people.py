from netweave.directory.models import Person
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, TopicFactory
from netweave.imports.services import plan_import
from netweave.imports.tests.helpers import csv_bytes, upload
from netweave.networks.models import Membership

HEADER = ["Name", "Organisation", "Email", "Consent listed", "Topics"]


def plan_rows(network, rows):
    record = upload(network, "people", csv_bytes([HEADER, *rows]))
    plan = plan_import(record)
    return record, plan


def report(record, row):
    return [entry for entry in record.report if entry["row"] == row]


def test_near_miss_organisation_gets_candidates_and_no_link(personas):
    """A misspelt organisation rejects the row with scored candidates; nothing is linked."""
    record, plan = plan_rows(personas.network, [["Zoe", "Alpha Watr Institut", "", "", ""]])
    (entry,) = report(record, 2)
    assert entry["outcome"] == "rejected" and entry["column"] == "organisation"
    assert "Alpha Water Institute (" in entry["reason"]
    assert plan.store.get(2) is None
    plan.close()


def test_organisation_by_name_or_acronym(personas):
    """An organisation is found by its normalised name or its unique acronym."""
    record, plan = plan_rows(
        personas.network, [["Zoe", "alpha water  institute", "", "", ""], ["Yan", "bm", "", "", ""]]
    )
    assert plan.store.get(2)["data"]["organisation"] == personas.org_a.pk
    assert plan.store.get(3)["data"]["organisation"] == personas.org_b.pk
    plan.close()


def test_organisation_outside_network_is_not_matched(personas):
    """An organisation that is not a member of the network is not linked."""
    OrganisationFactory(name="Outside Org")
    record, plan = plan_rows(personas.network, [["Zoe", "Outside Org", "", "", ""]])
    assert record.rejected_count == 1
    plan.close()


def test_empty_organisation_means_individual(personas):
    """A person without organisation is planned as an individual, and reported so."""
    record, plan = plan_rows(personas.network, [["Zoe", "", "", "", ""]])
    assert plan.store.get(2)["data"]["organisation"] is None
    assert "individual" in report(record, 2)[0]["reason"]
    plan.close()


def test_duplicates_by_email_and_by_name(personas):
    """Same e-mail (any case) or same name and organisation merge within the file."""
    record, plan = plan_rows(
        personas.network,
        [
            ["Zoe", "AWI", "zoe@x.org", "", ""],
            ["Zoë Other", "", "ZOE@x.org", "", ""],
            ["zoe", "AWI", "", "yes", ""],
        ],
    )
    assert record.created_count == 1 and record.merged_count == 2
    assert plan.store.get(2)["data"]["consent_listed"] is True
    plan.close()


def test_existing_person_is_updated(personas):
    """A person of the network with the same e-mail is updated with the differing values."""
    PersonFactory(name="Ivan", organisation=personas.org_a, email="ivan@x.org", position="")
    record, plan = plan_rows(personas.network, [["Ivan", "AWI", "IVAN@X.ORG", "", ""]])
    assert record.unchanged_count == 1
    plan.close()
    header = ["Name", "Email", "Position"]
    record = upload(personas.network, "people", csv_bytes([header, ["Ivan", "ivan@x.org", "Head"]]))
    with plan_import(record):
        assert record.updated_count == 1
    assert "position: ∅ → Head" in record.report[0]["reason"]


def test_bad_consent_and_email_rejected(personas):
    """An invalid e-mail and a consent that is not yes/no are both reported."""
    record, plan = plan_rows(personas.network, [["Zoe", "", "not-an-email", "maybe", ""]])
    columns = {entry["column"] for entry in report(record, 2)}
    assert {"email", "consent_listed"} <= columns
    plan.close()


def test_unknown_topics_are_skipped_with_a_note(personas):
    """Known topics are kept; unknown ones are noted and not created."""
    topic = TopicFactory(name="Water quality", slug="water-quality")
    record, plan = plan_rows(personas.network, [["Zoe", "", "", "", "water quality; Space"]])
    assert plan.store.get(2)["topics"] == [topic.pk]
    assert any("Space" in entry["reason"] for entry in report(record, 2))
    plan.close()


def test_plan_queries_do_not_grow_with_rows(personas, django_assert_max_num_queries):
    """Planning 500 rows takes the same queries as 10: everything is preloaded."""
    orgs = OrganisationFactory.build_batch(50)
    from netweave.directory.models import Organisation

    for number, org in enumerate(orgs):
        org.sector = personas.org_a.sector
        org.slug = f"bulk-{number}"
        org.name_key = org.name.casefold()
    Organisation.objects.bulk_create(orgs)
    Membership.objects.bulk_create(
        [Membership(network=personas.network, organisation=o, joined="2015-01-01") for o in orgs]
    )
    Person.objects.bulk_create(
        [Person(name=f"P{n}", name_key=f"p{n}", organisation=orgs[n % 50]) for n in range(500)]
    )
    counts = []
    for size in (10, 500):
        rows = [[f"New {n}", orgs[n % 50].name, f"n{n}@x.org", "", ""] for n in range(size)]
        record = upload(personas.network, "people", csv_bytes([HEADER, *rows]))
        # status planning, topics x2, organisations, people, imported people ranges,
        # progress updates (one per 500 rows), saving the record
        with django_assert_max_num_queries(12) as captured:
            plan_import(record).close()
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
