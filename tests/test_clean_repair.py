"""Text repairs, each on real strings from the built-in NewsArticles corpus."""

from __future__ import annotations

import pytest

from newsscope.clean import repair
from newsscope.clean.repair import (
    count_lost_characters, fix_mojibake, normalize_whitespace, repair_apostrophes, repair_lost_quotes,
    repair_quote_debris, repair_stray_hyphens, repair_text, strip_csv_residue,
)

# ABC News, article_id 1 (first sentences, verbatim)
DEVOS = ('The Senate voted on DeVos"?highly contentious nomination this afternoon. '
         '"It is hard to imagine a worse choice,"?Sen. Elizabeth Warren, D-Mass., said. '
         'DeVos stirred up vehement opposition from teachers"?unions and all 48 Senate Democrats.')


def test_lost_quote_after_plural_possessive_becomes_apostrophe_and_space():
    out, c = repair_lost_quotes(DEVOS)
    assert "DeVos' highly contentious" in out
    assert "teachers' unions" in out
    assert c["lost_apostrophe"] == 2


def test_lost_quote_after_punctuation_becomes_closing_quote_and_space():
    out, c = repair_lost_quotes(DEVOS)
    assert '"It is hard to imagine a worse choice," Sen. Elizabeth Warren' in out
    assert c["lost_closing_quote"] == 1
    assert '"?' not in out


def test_lost_quote_inside_quotation_closes_it():
    # HuffPost: 'the "Full Frontal"?host said'; ABC: 'the "people"?should decide'
    out, c = repair_lost_quotes('On Wednesday, the "Full Frontal"?host said protesting. Others said the "people"?should decide.')
    assert 'the "Full Frontal" host said' in out
    assert 'the "people" should decide' in out
    assert c["lost_closing_quote"] == 2 and not c["lost_apostrophe"]


def test_lost_dash_between_words_and_after_glued_hyphen():
    # HuffPost: 'The move "?which bypassed Parliament'; 'the bill-"?the fact that'
    out, c = repair_lost_quotes('The move "?which bypassed Parliament "?was condemned. Problems with the bill-"?the fact that')
    assert out == "The move — which bypassed Parliament — was condemned. Problems with the bill — the fact that"
    assert c["lost_dash"] == 3


def test_double_lost_sequence_is_closing_quote_then_dash():
    # HuffPost: 'offered was "galling"?"?just two weeks of paid leave'
    out, _ = repair_lost_quotes('What Trump has offered was "galling"?"?just two weeks of paid leave.')
    assert out == 'What Trump has offered was "galling" — just two weeks of paid leave.'


def test_lost_digit_is_marked_not_invented():
    # HuffPost: 'in the "?0s, commercial flights'; ABC: 'for 16 years "?16 years I've been fighting'
    out, c = repair_lost_quotes('It is like the "?0s, man. I was with them for 16 years "?16 years I have been fighting.')
    assert 'the "\ufffd0s, man' in out
    assert "16 years — 16 years" in out
    assert c["lost_digit"] == 1 and c["lost_dash"] == 1


def test_question_mark_after_a_quote_is_kept_in_undamaged_text():
    text = 'Did he really say "yes"? Nobody knows.'
    assert repair_lost_quotes(text)[0] == text


def test_contractions_and_names():
    # TASS/ABC: 'I don"t think', 'we"�re going'; RTE: 'O"�Neill'; HuffPost: "you'r thinking"
    out, n = repair_apostrophes('I don"t think we"\ufffdre going, said Ms O"\ufffdNeill, and you\'r thinking')
    assert out == "I don't think we're going, said Ms O'Neill, and you're thinking"
    assert n == 4


def test_quote_debris_dropped_after_opening_quote_and_dash_between_words():
    # HuffPost: 'the actor\'s falling scene from "\ufffdVanilla Sky"'; 'environment"\ufffdthat\'s a critical'
    out, c = repair_quote_debris('scene from "\ufffdVanilla Sky" into a jump. It is the environment"\ufffdthat\'s a critical step')
    assert 'from "Vanilla Sky" into' in out
    assert "environment — that's a critical" in out
    assert c["quote_debris"] == 1 and c["lost_dash"] == 1


def test_csv_residue():
    # ABC News: text ending '...strong case."?,-1"'; TASS: a body that is only '-1'
    assert strip_csv_residue('we think we have a strong case."?,-1"') == ('we think we have a strong case."?', 1)
    assert strip_csv_residue("-1") == ("", 1)
    assert strip_csv_residue("He won 51-50.") == ("He won 51-50.", 0)


def test_stray_hyphens_from_lost_spaces_and_breaks():
    # Al Jazeera: 'Source:-Al Jazeera'; DW: 'the shooting.- Authorities'; RTE: 'jobs. - - - - - - He was';
    # RTE: 'riot -police'; RTE: 'Serbia- Rights groups'; China Daily: 'medium- and high-end' (kept)
    text = ("Trump said. Source:-Al Jazeera. After the shooting.- Authorities said. Thousands of jobs. - - - - - - "
            "He was criticised. PSNI riot -police were called. Border with Serbia- Rights groups. Sales of medium- and "
            "high-end phones in the U.S.-Mexico trade.")
    out, c = repair_stray_hyphens(text)
    out = normalize_whitespace(out)[0]
    assert "Source: Al Jazeera" in out
    assert "shooting. Authorities" in out
    assert "jobs. He was" in out
    assert "riot police" in out
    assert "Serbia Rights" in out
    assert "medium- and high-end" in out
    assert "U.S.-Mexico" in out
    assert c["punct_hyphen"] == 2 and c["separator_hyphens"] == 1 and c["space_hyphen"] == 1 and c["hyphen_space"] == 1


def test_mojibake_repair_with_ftfy():
    # the built-in corpus holds almost no mojibake; what ftfy changes there is curly quotes
    # (Al Jazeera: "until now, we didn’t know Muslim people")
    assert fix_mojibake("until now, we didn\u2019t know Muslim people") == ("until now, we didn't know Muslim people", 1)
    assert fix_mojibake("we didnâ€™t know") == ("we didn't know", 1)
    assert fix_mojibake("plain ascii text") == ("plain ascii text", 0)


def test_replacement_characters_counted_not_changed():
    # RTE: 'Fianna F\ufffd\ufffdil'; DW: 'Borussia M?nchengladbach'; URL question marks are not lost text
    text = "Fianna F\ufffd\ufffdil and Borussia M?nchengladbach, see http://abcnews.go.com/story?id=45310061"
    assert count_lost_characters(text) == (2, 2)
    out = repair_text(text)
    assert "F\ufffd\ufffdil" in out.text


def test_whitespace_keeps_paragraphs():
    out, n = normalize_whitespace("First  para\u00a0here .\r\n\r\n\r\nSecond\u200b para. ")
    assert out == "First para here.\n\nSecond para."
    assert n > 0


def test_every_rule_has_a_description():
    assert set(repair.RULES) == set(repair.RULE_DESCRIPTIONS)


@pytest.mark.parametrize("text", ["", "Nothing to repair here.", 'He said "yes." Then left.'])
def test_clean_text_is_left_alone(text):
    assert repair_text(text).text == text.strip()
    assert sum(repair_text(text).counts.values()) == 0
