"""The Chinese catalogue is complete, compiled and keeps every placeholder: no page shows English by accident."""

import re
from pathlib import Path

import polib
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def translation_of(entry):
    return entry.msgstr_plural.get(0) if entry.msgid_plural else entry.msgstr


def test_every_string_has_a_chinese_translation():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(PO))
    mo = {(e.msgctxt, e.msgid): translation_of(e) for e in polib.mofile(str(PO.with_suffix(".mo")))}
    stale = [e.msgid for e in po.translated_entries() if mo.get((e.msgctxt, e.msgid)) != translation_of(e)]
    assert stale == [], "run `make messages` and commit the compiled .mo"


def test_placeholders_survive_translation():
    po = polib.pofile(str(PO))
    wrong = [
        e.msgid
        for e in po.translated_entries()
        if set(PLACEHOLDER.findall(e.msgid_plural or e.msgid)) != set(PLACEHOLDER.findall(translation_of(e)))
    ]
    assert wrong == []


def test_chinese_is_the_default_and_english_the_second_language(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override("zh-hans"):
        assert translation.gettext("Log in") == "登录"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"
