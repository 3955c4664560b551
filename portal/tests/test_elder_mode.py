"""长辈模式: one tap to switch, remembered per device (cookie) and per account."""

from django.urls import reverse


def test_anonymous_switch_is_remembered_on_the_device(client, community):
    response = client.post(reverse("portal:elder_mode"), {"on": "1", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["elder"].value == "1"
    assert '<body class="elder' in client.get("/").content.decode()
    client.post(reverse("portal:elder_mode"), {"on": "0", "next": "/"})
    assert '<body class="elder' not in client.get("/").content.decode()


def test_signed_in_switch_is_remembered_on_the_account(client, resident_user, community):
    client.force_login(resident_user)
    client.post(reverse("portal:elder_mode"), {"on": "1"})
    resident_user.refresh_from_db()
    assert resident_user.elder_mode is True
    # A new device (no cookie) picks it up from the account.
    client.cookies.clear()
    client.force_login(resident_user)
    assert '<body class="elder' in client.get("/").content.decode()


def test_switch_never_redirects_off_site(client, db):
    response = client.post(reverse("portal:elder_mode"), {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_switch_needs_post(client, db):
    assert client.get(reverse("portal:elder_mode")).status_code == 405
