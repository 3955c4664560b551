"""An admin form sent back with a value that is not a key in an autocomplete field (the admin sweep found these as
500s in seven admins): the form is shown again with its own message next to the field."""

import pytest
from django.urls import reverse

from portal.core import roles


@pytest.mark.parametrize("value", ["abc", "2026-13-45", "²"])
def test_an_autocomplete_field_sent_a_value_that_is_not_a_key_gets_the_forms_message(
    client, make_user, community, value
):
    from residents.models import Building

    client.force_login(make_user(roles.HALL_STAFF, community))
    response = client.post(reverse("admin:residents_building_add"), {"area": value, "name": "9号楼"})
    assert response.status_code == 200
    assert "area" in response.context["adminform"].form.errors
    assert 'value="9号楼"' in response.content.decode()
    assert not Building.objects.filter(name="9号楼").exists()


def test_a_badge_is_not_added_in_the_admin(client, make_user, community):
    """Issued by its action (code, QR and image): the admin's add form had only read-only fields and saved a badge
    without a volunteer (a 500)."""
    client.force_login(make_user(roles.COMMITTEE_DIRECTOR, community))
    assert client.get(reverse("admin:volunteers_badge_add")).status_code == 403
    assert client.post(reverse("admin:volunteers_badge_add"), {}).status_code == 403
