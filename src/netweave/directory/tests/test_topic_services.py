"""The services that add to and change the interest taxonomy."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from netweave.directory import services
from netweave.directory.models import Topic
from netweave.directory.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_create_topic_makes_the_slug_from_the_name():
    """Without a slug the topic gets one made from its name, which is trimmed."""
    topic = services.create_topic({"name": "  Water quality ", "description": "Testing"})
    topic = Topic.objects.get(pk=topic.pk)
    assert (topic.slug, topic.name, topic.description) == (
        "water-quality",
        "Water quality",
        "Testing",
    )


def test_create_topic_keeps_a_given_slug():
    """A slug given with the topic is the one used."""
    assert services.create_topic({"name": "Sanitation", "slug": "wash"}).slug == "wash"


def test_create_topic_makes_a_free_slug_when_the_name_s_slug_is_taken():
    """A topic whose name gives a taken slug gets the next free one."""
    TopicFactory(slug="water", name="Old water")
    assert services.create_topic({"name": "Water"}).slug == "water-2"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "WATER"}, "name"),
        ({"name": "Rivers", "slug": "water"}, "slug"),
    ],
)
def test_create_topic_refuses_a_blank_or_taken_name_or_slug(data, field):
    """A blank name, a name taken in any case, or a taken slug is refused on its field."""
    TopicFactory(slug="water", name="Water")
    with pytest.raises(ValidationError) as err:
        services.create_topic(data)
    assert field in err.value.message_dict
    assert list(Topic.objects.values_list("slug", flat=True)) == ["water"]


def test_update_topic_renames_it():
    """A topic is renamed and re-described; it may change the case of its own name."""
    topic = TopicFactory(slug="water", name="Water")
    services.update_topic(topic, {"name": "WATER", "description": "All of it"})
    topic = Topic.objects.get(slug="water")
    assert (topic.name, topic.description) == ("WATER", "All of it")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "health"}, "name"),
        ({"slug": "health"}, "slug"),
    ],
)
def test_update_topic_refuses_a_blank_name_or_another_topic_s_name_or_slug(data, field):
    """A blank name, or the name or slug of another topic, is refused; nothing is saved."""
    TopicFactory(slug="health", name="Health")
    topic = TopicFactory(slug="water", name="Water")
    with pytest.raises(ValidationError) as err:
        services.update_topic(topic, data)
    assert field in err.value.message_dict
    assert Topic.objects.filter(slug="water", name="Water").exists()
