"""The model's own checks of a value, pinned where mutation testing (`make mutation`, README
"Mutation testing") found a change to the code that no other test noticed.

A free text is built once, when the model is imported (`_text(300)` makes the check a title
uses), and so are the lists of fields that hold amounts, the fixed vocabulary and dates; the tests
build them again here so that a change to how they are built is seen.
"""

from __future__ import annotations

import pickle
from typing import Annotated

import pytest
from pydantic import BeforeValidator, TypeAdapter, ValidationError

from portal_factory import load
from prioportal.model import decisions as m
from prioportal.text.readability import lix, word_count
from test_ranking import measure


def text_check(limit: int) -> TypeAdapter:
    """A free text of at most `limit` characters, checked as the model checks a title or summary."""
    return TypeAdapter(Annotated[m.LocalizedText, BeforeValidator(m._text(limit))])


def refusal(adapter: TypeAdapter, value) -> tuple[str, str]:
    """(kind of error, message) for a value the check refuses."""
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python(value)
    (error,) = caught.value.errors()
    return error["type"], error["msg"]


# --- Free texts -------------------------------------------------------------------------------

def test_a_text_is_kept_without_the_spaces_around_it_and_a_number_is_its_digits():
    check = text_check(300)
    assert check.validate_python("  Kort tekst. \n") == "Kort tekst."
    assert check.validate_python(2025) == "2025"  # "period: 2025" means the text 2025
    assert check.validate_python(2.5) == "2.5"


def test_an_empty_text_is_refused_as_empty():
    check = text_check(300)
    for value in ("", "   ", None):
        assert refusal(check, value) == ("text_empty", "empty")


def test_a_text_longer_than_its_limit_is_refused_with_the_limit():
    check = text_check(300)
    assert check.validate_python("x" * 300) == "x" * 300
    assert refusal(check, "x" * 301) == ("text_too_long", "longer than 300 characters")
    assert refusal(text_check(12), "x" * 13) == ("text_too_long", "longer than 12 characters")


def test_a_text_per_language_is_checked_language_by_language():
    check = text_check(10)
    assert check.validate_python({"nb": " Hei ", "en": 7}) == {"nb": "Hei", "en": "7"}
    assert refusal(check, {"nb": "Hei", "en": ""}) == ("text_empty", "empty")
    assert refusal(check, {"nb": "x" * 11}) == ("text_too_long", "longer than 10 characters")
    assert refusal(check, {"NB": "Hei"}) == ("text_language", "'NB' is not a language code")
    assert refusal(check, {1: "Hei"}) == ("text_language", "'1' is not a language code")


def test_what_is_not_a_text_is_refused_as_not_a_text():
    check = text_check(300)
    for value in (True, ["a"], {}, {"nb"}):
        assert refusal(check, value) == ("text_type", "not a text"), value


# --- Which fields hold amounts, the fixed vocabulary and dates ----------------------------------

def test_amounts_vocabulary_and_dates_are_found_from_the_declared_types():
    """Amounts are shown as kroner, the vocabulary by its names and dates in the reader's form
    wherever these fields appear: every such field is found, nested models included."""
    assert m.AMOUNT_FIELDS == {"budget_frame", "granted", "year_1", "year_2", "year_3", "years_4_10"}
    assert m._field_names(lambda t: t == m.Amount) >= {"granted", "year_1", "year_2", "year_3", "years_4_10"}
    assert m._field_names(lambda t: isinstance(t, type) and issubclass(t, m.Enum)) == m.ENUM_FIELDS >= {
        "decision", "direction", "kind", "need_cause", "purpose", "quality", "rationing_type", "ruling", "source",
        "status", "type"}
    assert m._field_names(lambda t: t is m.date) == m.DATE_FIELDS == {
        "date", "due", "end_date", "meeting_date", "valid_from"}


# --- A measure's types, rank bands, models sent between processes -------------------------------

def test_one_type_is_written_as_a_value_and_several_as_a_list():
    """Open data and the history show a single type as the plain value it was before lists."""
    one = measure("a", 1, 100)
    assert one.model_dump(mode="json")["type"] == "new_need"
    two = m.Measure.model_validate(one.model_dump(mode="json") | {"type": ["efficiency", "rationing"]})
    assert two.model_dump(mode="json")["type"] == ["efficiency", "rationing"]


def test_a_rank_band_holds_its_first_and_its_last_rank():
    scale = m.RankScale.model_validate({"description": "1 er høyest.", "highest": 1, "lowest": 10, "bands": [
        {"ranks": [1, 3], "meaning": "Høy."}, {"ranks": [4, 6], "meaning": "Middels."}]})
    assert [b.meaning if b else None for b in map(scale.band_for, (1, 3, 4, 5, 6, 7))] == [
        "Høy.", "Høy.", "Middels.", "Middels.", "Middels.", None]


def test_a_model_sent_back_from_a_worker_is_the_same_and_can_be_changed_like_the_one_read():
    """Files are read on every core and their models come back pickled; a portal in several
    languages then copies them with each language's texts (`model_copy`)."""
    read = measure("a", 1, 100)
    back = pickle.loads(pickle.dumps(read))
    assert type(back) is m.Measure and back == read
    assert back.model_fields_set == read.model_fields_set
    assert back.model_dump(exclude_unset=True) == read.model_dump(exclude_unset=True)
    assert back.model_copy(update={"title": "B"}).title == "B"


# --- Readability (LIX) ------------------------------------------------------------------------

def test_lix_is_words_per_sentence_plus_the_share_of_long_words():
    # 10 words, 2 sentences, 2 words longer than six letters: 10 / 2 + 100 * 2 / 10 = 25.
    assert lix("Vi gir mer hjelp hjemme. Kommunen prioriterer dette for alle.") == pytest.approx(
        10 / 2 + 100 * 2 / 10)
    assert word_count("Vi gir mer hjelp hjemme. Kommunen prioriterer dette for alle.") == 10


def test_lix_counts_hyphenated_words_by_their_letters_and_a_text_without_a_full_stop_as_one_sentence():
    # "IT-sjef" has six letters: not long; "helse-huset" ten: long. One sentence, four words.
    assert lix("Ny IT-sjef i helse-huset") == pytest.approx(4 / 1 + 100 * 1 / 4)
    assert lix("ordet") == pytest.approx(1 + 0)
    assert lix("") == 0.0 and lix("123 456") == 0.0


def test_a_criterion_is_found_by_its_id_and_an_unknown_id_finds_none(portal_dir):
    criteria = load(portal_dir).criteria_set("kriterier-2025")
    assert criteria.criterion("nytte").id == "nytte"
    assert criteria.criterion("ukjent") is None
