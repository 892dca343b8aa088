"""Text measurement, wrapping and direction: one test per rule of flowzap_docs.text."""

from __future__ import annotations

import time

import pytest

from flowzap_docs.text.bidi import is_rtl
from flowzap_docs.text.metrics import char_width, em_width, text_width
from flowzap_docs.text.wrap import ELLIPSIS, wrap_text

# Advance widths of Liberation Sans (= Arial) in 1/1000 em, from the font's hmtx table.
ARIAL_WIDTHS = {"a": 556, "i": 222, "m": 833, "W": 944, " ": 278, "0": 556, ".": 278}


@pytest.mark.parametrize(("ch", "width"), sorted(ARIAL_WIDTHS.items()))
def test_latin_widths_are_the_fonts_advances(ch: str, width: int) -> None:
    assert char_width(ch) == width


def test_bold_is_wider_than_regular() -> None:
    assert em_width("Message Broker", bold=True) > em_width("Message Broker")


def test_latin1_greek_cyrillic_and_arrows_come_from_the_table() -> None:
    # é, Ω, Ж, → in Liberation Sans Regular (hmtx advance / unitsPerEm, read with fontTools)
    assert [char_width(c) for c in "éΩЖ→"] == [556, 748, 923, 1000]


def test_east_asian_wide_characters_are_one_em() -> None:
    assert char_width("開") == 1000
    assert char_width("ア") == 1000
    assert text_width("開始", 13) == 26.0


def test_combining_marks_take_no_room() -> None:
    assert char_width("\u0301") == 0
    assert em_width("e\u0301") == em_width("e")


def test_arabic_and_hebrew_have_plausible_widths() -> None:
    for ch in "مرحبשלום":
        assert 200 <= char_width(ch) <= 1000


def test_unknown_characters_are_measured_conservatively() -> None:
    assert char_width("\U0001f600") >= 600  # emoji: not in the table
    assert char_width("\ue000") >= 600  # private use


def test_text_width_scales_with_font_size() -> None:
    assert text_width("Start", 26) == pytest.approx(2 * text_width("Start", 13))


def test_wraps_at_word_boundaries() -> None:
    lines = wrap_text("Validate message schema", 120, 13).lines
    assert lines == ("Validate message", "schema")
    for line in lines:
        assert text_width(line, 13) <= 120


def test_never_breaks_inside_a_word_that_fits() -> None:
    lines = wrap_text("Send to dead letter queue", 60, 13).lines
    assert set(" ".join(lines).split()) == {"Send", "to", "dead", "letter", "queue"}
    assert all(w in ("Send", "to", "dead", "letter", "queue") for line in lines for w in line.split())


def test_breaks_a_word_longer_than_the_line() -> None:
    wrapped = wrap_text("Supercalifragilisticexpialidocious", 90, 13)
    assert len(wrapped.lines) > 1
    assert "".join(wrapped.lines) == "Supercalifragilisticexpialidocious"
    assert all(text_width(line, 13) <= 90 for line in wrapped.lines)


def test_may_break_after_a_hyphen() -> None:
    assert wrap_text("Pigeb ki me-vuka ci debo-tasodos", 90, 13).lines[0] == "Pigeb ki me-"


def test_cjk_breaks_between_characters() -> None:
    wrapped = wrap_text("プルリクエストを作成する", 80, 13)
    assert len(wrapped.lines) == 2
    assert "".join(wrapped.lines) == "プルリクエストを作成する"
    assert all(text_width(line, 13) <= 80 for line in wrapped.lines)


def test_cjk_closing_punctuation_never_starts_a_line() -> None:
    for width in range(30, 200, 7):
        for line in wrap_text("レビューは承認されましたか？はい、承認されました。", width, 13).lines[1:]:
            assert line[0] not in "、。？"


def test_empty_label_gives_one_empty_line() -> None:
    assert wrap_text("", 100, 13).lines == ("",)
    assert wrap_text("", 100, 13).width == 0


def test_long_label_is_cut_with_an_ellipsis() -> None:
    wrapped = wrap_text("word " * 1000, 150, 13, max_lines=4)
    assert len(wrapped.lines) == 4
    assert wrapped.truncated
    assert wrapped.lines[-1].endswith(ELLIPSIS)
    assert all(text_width(line, 13) <= 150 for line in wrapped.lines)


def test_a_megabyte_label_is_fast() -> None:
    start = time.perf_counter()
    for text in ("x" * 1_000_000, "word " * 200_000, "開" * 1_000_000):
        assert len(wrap_text(text, 150, 13).lines) <= 6
    assert time.perf_counter() - start < 0.5


def test_short_label_is_not_truncated() -> None:
    assert not wrap_text("Start", 100, 13).truncated


@pytest.mark.parametrize(
    ("text", "rtl"),
    [("مراجعة الطلب", True), ("שלום עולם", True), ("Order 42", False), ("42 שלום", True),
     ("«مرحبا» hello", True), ("hello مرحبا", False), ("", False), ("123", False)],
)
def test_paragraph_direction_follows_the_first_strong_character(text: str, rtl: bool) -> None:
    assert is_rtl(text) is rtl


def test_docstring_examples_hold() -> None:
    import doctest

    from flowzap_docs.text import bidi, metrics, wrap

    for module in (bidi, metrics, wrap):
        assert doctest.testmod(module).failed == 0


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXT = st.text(alphabet=st.sampled_from(list("ab -/.?é開始、。مرح ")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(min_value=20, max_value=200))
def test_wrapping_keeps_every_character_and_fits(text: str, width: int) -> None:
    from flowzap_docs.text.wrap import wrap_balanced

    for wrapped in (wrap_text(text, width, 13, max_lines=100), wrap_balanced(text, width, 13, max_lines=100)):
        assert "".join("".join(wrapped.lines).split()) == "".join(text.split())
        for line in wrapped.lines:
            assert text_width(line, 13) <= width or len(line) == 1
