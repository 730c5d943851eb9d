import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from netweave.networks.models import Network
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("network", *args, stdout=out)
    return out.getvalue()


def test_create_network_from_the_command_line():
    """`network create` makes an empty network and prints it."""
    out = run(
        "create",
        "wash-kg",
        "--name",
        "WASH Kyrgyzstan",
        "--country",
        "kg",
        "--aims",
        "Clean water",
        "--launched",
        "2015-04-01",
        "--public",
    )
    network = Network.objects.get(slug="wash-kg")
    assert (network.name, network.country, network.aims) == ("WASH Kyrgyzstan", "KG", "Clean water")
    assert network.launched == dt.date(2015, 4, 1)
    assert network.is_public
    assert "wash-kg" in out and "WASH Kyrgyzstan" in out


def test_created_network_is_members_only_by_default():
    """Without --public the new network is members-only."""
    run("create", "quiet", "--name", "Quiet")
    assert not Network.objects.get(slug="quiet").is_public


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "taken", "--name", "Again"], "exists"),
        (["create", "fresh", "--name", "X", "--country", "Kyrgyzstan"], "two-letter"),
        (["create", "Bad Slug", "--name", "X"], "lower-case"),
        (["create", "fresh", "--name", "X", "--launched", "2015-13-01"], "YYYY-MM-DD"),
        (["create", "fresh", "--name", "X", "--launched", "2999-01-01"], "future"),
        (["create", "fresh"], "--name"),
    ],
)
def test_bad_input_is_a_command_error(args, message):
    """A taken slug, a bad country or date fail with a message and create nothing."""
    NetworkFactory(slug="taken")
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Network.objects.filter(slug="fresh").exists()


def test_list_networks_with_stage_and_current_members():
    """`network list` shows slug, name, stage and the number of current members."""
    network = NetworkFactory(slug="alpha", name="Alpha Net")
    MembershipFactory.create_batch(3, network=network)
    MembershipFactory(network=network, left=dt.date(2015, 1, 1), status="left")
    NetworkFactory(slug="beta", name="Beta Net")
    lines = run("list").splitlines()
    assert lines[0].split() == ["SLUG", "NAME", "STAGE", "MEMBERS"]
    assert lines[1].split() == ["alpha", "Alpha", "Net", "informal", "3"]
    assert lines[2].split() == ["beta", "Beta", "Net", "informal", "0"]


def test_list_without_networks_says_so():
    """With no network at all, `network list` says how to create one."""
    assert "No networks yet" in run("list")


def test_action_is_required():
    """`network` without an action is an error."""
    with pytest.raises(CommandError):
        run()
