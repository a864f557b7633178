from bot.comms.text_spans import line_and_column, split_sentences


def test_sentences_keep_offsets_into_the_text() -> None:
    text = "First one. Second one!\n  Third line"
    assert all(text[s.start : s.end] == s.text for s in split_sentences(text))
    assert [s.text for s in split_sentences(text)] == ["First one.", "Second one!", "Third line"]


def test_does_not_split_inside_versions_times_addresses_or_abbreviations() -> None:
    text = "Use v1.2.3 e.g. at 10.30 via support@acme.example. Done."
    assert [s.text for s in split_sentences(text)] == [
        "Use v1.2.3 e.g. at 10.30 via support@acme.example.",
        "Done.",
    ]


def test_line_and_column_are_one_based() -> None:
    assert line_and_column("ab\ncd", 4) == (2, 2)
