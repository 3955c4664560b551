"""Whatever a browser sends, the secretary's autosave and the suggestion form answer without a server error."""

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councils.forms import SuggestionForm
from councils.models import Minutes

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=300)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(summary=TEXT, discussion=TEXT, votes=st.one_of(TEXT, st.integers(-5, 10**6).map(str)), deadline=TEXT)
def test_autosave_never_fails_and_never_loses_the_text(
    client, held_meeting, secretary, summary, discussion, votes, deadline
):
    client.force_login(secretary)
    client.get(reverse("councils:minutes_edit", args=[held_meeting.pk]))
    minutes = Minutes.objects.get(meeting=held_meeting)
    item = minutes.items.first()
    prefix = f"item{item.pk}-"
    data = {
        "summary": summary,
        prefix + "discussion": discussion,
        prefix + "votes_for": votes,
        prefix + "deadline": deadline,
    }
    response = client.post(reverse("councils:minutes_autosave", args=[minutes.pk]), data)
    assert response.status_code == 200
    item.refresh_from_db()
    minutes.refresh_from_db()
    assert item.discussion == discussion.strip()  # kept, whatever else was wrong (the ends are trimmed)
    assert minutes.summary == summary.strip()


@FUZZ
@given(category=TEXT, title=TEXT, text=TEXT, location=TEXT)
def test_the_suggestion_form_validates_any_input(db, category, title, text, location):
    form = SuggestionForm({"category": category, "title": title, "text": text, "location": location})
    if form.is_valid():
        assert form.cleaned_data["title"].strip() and len(form.cleaned_data["title"]) <= 100
    else:
        assert form.errors
