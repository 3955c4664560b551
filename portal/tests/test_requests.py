"""The core's request helpers every app's views use: community_of, form_errors / error_text, paginate."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory

from portal.core.requests import community_of, error_messages, error_text, form_errors, id_of, paginate


class NameForm(forms.Form):
    name = forms.CharField()


def test_form_errors_puts_each_message_next_to_its_field_and_never_fails_on_an_unknown_one():
    form = NameForm({"name": "王敏"})
    assert form.is_valid()
    form_errors(form, ValidationError({"name": "已有同名", "household": "不属于本社区"}))
    assert form.errors["name"] == ["已有同名"]
    assert form.non_field_errors() == ["不属于本社区"]  # not a field of this form: above the form, no 500
    plain = NameForm({"name": "x"})
    assert plain.is_valid()
    form_errors(plain, ValidationError("名额已满"))
    assert plain.non_field_errors() == ["名额已满"]


def test_error_text_joins_every_message():
    exc = ValidationError({"name": ["太长"], "phone": ["格式不对"]})
    assert error_messages(exc) == ["太长", "格式不对"]
    assert error_text(ValidationError(["一", "二"])) == "一 二"


@pytest.mark.django_db
def test_community_of_follows_the_slug_then_the_user_then_the_first(
    rf: RequestFactory, community, other_community, make_user
):
    request = rf.get("/", {"c": other_community.slug})
    request.user = make_user(community=community)
    assert community_of(request) == other_community  # ?c= wins
    assert community_of(rf_request(rf, request.user)) == community  # then the user's own
    with pytest.raises(Http404):
        community_of(rf_request(rf, request.user), "no-such-place")


@pytest.mark.django_db
def test_community_of_an_empty_portal():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert community_of(request, required=False) is None
    with pytest.raises(Http404):
        community_of(request)


def rf_request(rf, user):
    request = rf.get("/")
    request.user = user
    return request


@pytest.mark.parametrize("page", ["", "2", "999", "abc", "-1"])
def test_paginate_answers_every_page_number_with_a_page(rf: RequestFactory, page):
    result = paginate(rf.get("/", {"page": page}), list(range(45)), per_page=20)
    assert 1 <= result.number <= 3 and len(result.object_list) > 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("abc", None),
        ("-1", None),
        ("²", None),
        ("١٢", None),
        ("2026-13-45", None),
        ("9" * 19, None),
        ("", None),
        (None, None),
    ],
)
def test_id_of_takes_only_plain_numbers(value, expected):
    assert id_of(value) == expected
