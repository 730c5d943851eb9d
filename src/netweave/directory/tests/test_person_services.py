"""The services that change people of the directory."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from netweave.directory import services
from netweave.directory.models import Person

pytestmark = pytest.mark.django_db


def test_link_person_to_user_lets_the_account_act_as_the_person(personas):
    """The account is linked to the person; linking again changes nothing."""
    services.link_person_to_user(personas.person_a, personas.alice)
    services.link_person_to_user(personas.person_a, personas.alice)
    assert Person.objects.get(user=personas.alice) == personas.person_a


def test_link_person_to_user_moves_the_person_to_another_account(personas):
    """A person linked to one account can be linked to another instead."""
    services.link_person_to_user(personas.person_a, personas.alice)
    services.link_person_to_user(personas.person_a, personas.charlie)
    assert Person.objects.get(pk=personas.person_a.pk).user == personas.charlie
    assert not Person.objects.filter(user=personas.alice).exists()


def test_link_person_to_user_refuses_an_account_of_another_person(personas):
    """An account that already belongs to someone else is refused on ``user``."""
    services.link_person_to_user(personas.person_a, personas.alice)
    with pytest.raises(ValidationError) as err:
        services.link_person_to_user(personas.person_b, personas.alice)
    assert "user" in err.value.message_dict
    assert Person.objects.get(pk=personas.person_b.pk).user is None
    assert Person.objects.get(user=personas.alice) == personas.person_a
