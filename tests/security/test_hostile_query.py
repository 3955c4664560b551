"""Values a client can send that once made a 500 (found by an outside scanner): a community slug with a NUL byte or
a slash in `?c=`, and a `next` that is not a URL on the elder-mode switch."""

import pytest

PAGES_READING_C = [
    "/services/events/",
    "/services/culture/classes/",
    "/services/culture/teams/",
    "/volunteers/party/",
    "/volunteers/party/duties/",
    "/services/",
    "/notices/",
    "/councils/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES_READING_C)
@pytest.mark.parametrize("value", ["/e\x00", "\x00", "a/b", "x" * 300, "南环"])
def test_a_community_slug_no_community_can_have_is_a_404(client, community, path, value):
    assert client.get(path, {"c": community.slug}).status_code == 200, path  # the page exists and reads ?c=
    response = client.get(path, {"c": value})
    # A NUL byte is malformed input: the core middleware answers 400 before the page looks at it.
    assert response.status_code == (400 if "\x00" in value else 404), (path, value, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("target", [";env;", "javascript:alert(1)", "//evil.example/", "\x00", "/my/"])
def test_the_elder_mode_switch_never_fails_on_its_next(client, target):
    response = client.post("/elder-mode/", {"on": "1", "next": target})
    if "\x00" in target:  # malformed input: the core middleware's 400
        assert response.status_code == 400
        return
    assert response.status_code == 302
    assert not response["Location"].startswith(("javascript:", "//evil"))
