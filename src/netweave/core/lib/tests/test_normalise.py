import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netweave.core.lib.normalise import (
    DEFAULT_SECTOR_ALIASES,
    SECTOR_SLUGS,
    Message,
    SectorMapper,
    _alias_key,
    clean_cell,
    infer_date_order,
    is_formula_like,
    neutralise_formula,
    parse_bool,
    parse_date,
    split_list,
    validate_email,
    validate_url,
)

# --- dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2015-07-21",
        "2015/07/21",
        "2015-7-21",
        "2015-07-21 00:00:00",
        "2015-07-21T10:30",
        "21.07.2015",
        "21/07/2015",
        "21-07-2015",
        "07/21/2015",
        " 21.07.2015 ",
        "21 July 2015",
        "July 21st, 2015",
        "21-Jul-2015",
        "21 июля 2015 г.",
        "21 juillet 2015",
    ],
)
def test_parse_date_reads_common_formats(text):
    """ISO, day-first, month-first (when unambiguous) and month names all give 21 July 2015."""
    result = parse_date(text)
    assert result.error is None
    assert result.value == dt.date(2015, 7, 21)
    assert not result.ambiguous


def test_parse_date_says_which_order_it_read():
    """The result names the reading it used."""
    assert parse_date("2015-07-21").order == "ymd"
    assert parse_date("21/07/2015").order == "dmy"
    assert parse_date("07/21/2015").order == "mdy"
    assert parse_date("21 July 2015").order == "named"


def test_ambiguous_date_is_not_guessed():
    """03/04/2015 comes back ambiguous with both readings and no value."""
    result = parse_date("03/04/2015")
    assert result.ambiguous
    assert result.value is None
    assert result.candidates == (dt.date(2015, 4, 3), dt.date(2015, 3, 4))
    assert "2015-04-03" in result.error and "2015-03-04" in result.error


def test_order_hint_settles_an_ambiguous_date():
    """With the column's order given, 03/04/2015 has one value."""
    assert parse_date("03/04/2015", order_hint="dmy").value == dt.date(2015, 4, 3)
    assert parse_date("03/04/2015", order_hint="mdy").value == dt.date(2015, 3, 4)
    assert parse_date("03.04.2015", order_hint="dmy").order == "dmy"


def test_order_hint_refuses_a_date_that_does_not_fit():
    """A month-first date in a day-first column is an error, not silently swapped."""
    result = parse_date("07/21/2015", order_hint="dmy")
    assert result.value is None
    assert "day/month/year" in result.error


def test_same_day_and_month_is_not_ambiguous():
    """05/05/2015 reads the same either way, so it has a value."""
    result = parse_date("05/05/2015")
    assert result.value == dt.date(2015, 5, 5)
    assert not result.ambiguous


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31/02/2015", "has no day 31"),
        ("02/31/2015", "has no day 31"),
        ("2015-02-30", "has no day 30"),
        ("13/13/2015", "not a valid date"),
        ("21.07.15", "four digits"),
        ("21 Jul 15", "four digits"),
        ("42206", "spreadsheet date number"),
        ("42206.5", "spreadsheet date number"),
        ("1066-10-14", "out of range"),
        ("next Tuesday", "is not a date"),
    ],
)
def test_parse_date_refuses_with_a_message(text, fragment):
    """Invalid dates, two-digit years and Excel serial numbers get an error, never a value."""
    result = parse_date(text)
    assert result.value is None
    assert fragment in result.error


def test_parse_date_of_an_empty_cell_is_empty_not_an_error():
    """An empty cell has no value and no error; the caller decides if it was required."""
    result = parse_date("   ")
    assert result.empty and result.value is None and result.error is None


@given(st.text())
def test_parse_date_never_raises(text):
    """Any text gives a result: a value, an error, or empty, never an exception."""
    result = parse_date(text)
    assert (result.value is not None) + (result.error is not None) == 1 or result.empty


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2199, 12, 31)))
def test_parse_date_round_trips_iso(value):
    """Every ISO date in range reads back as itself."""
    assert parse_date(value.isoformat()).value == value
    assert parse_date(value.strftime("%d.%m.%Y"), order_hint="dmy").value == value


def test_infer_date_order_from_a_column():
    """One day over 12 makes a column day-first; one in second place makes it month-first."""
    assert infer_date_order(["03/04/2015", "21/07/2015", ""]) == "dmy"
    assert infer_date_order(["03/04/2015", "07/21/2015", None]) == "mdy"


def test_infer_date_order_gives_up_on_mixed_or_unclear_columns():
    """Conflicting or uninformative columns give None."""
    assert infer_date_order(["21/07/2015", "07/21/2015"]) is None
    assert infer_date_order(["03/04/2015", "2015-07-21", "21 July 2015"]) is None
    assert infer_date_order([]) is None


# --- sectors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "slug"),
    [
        ("Govt.", "government"),
        ("GOVERNMENT", "government"),
        ("министерство", "government"),
        ("Госорган", "government"),
        ("local  NGO", "civil-society"),
        ("C.S.O.", "civil-society"),
        ("НПО", "civil-society"),
        ("ОО", "civil-society"),
        ("International NGO", "international-ngo"),
        ("U.N. agency", "un-agency"),
        ("united nations", "un-agency"),
        ("Development partner", "donor"),
        ("Research", "academia"),
        ("Private-sector", "private-sector"),
        ("journalists", "media"),
        ("MFI", "financial-services"),
        ("микрофинансовая организация", "financial-services"),
    ],
)
def test_sector_aliases_ignore_case_punctuation_and_spacing(value, slug):
    """Known spellings, Cyrillic included, map to their taxonomy slug."""
    assert SectorMapper().map(value)[0] == slug


def test_sector_slug_itself_maps_as_slug():
    """A value that is a slug maps with how="slug"."""
    assert SectorMapper().map("womens-organisation") == ("womens-organisation", "slug")
    assert SectorMapper().map("Govt") == ("government", "alias")


@pytest.mark.parametrize(
    ("value", "slug"),
    [
        ("Ministry of Water Resources", "government"),
        ("Министерство энергетики и водных ресурсов", "government"),
        ("Министерству здравоохранения", "government"),
        ("Tajik Agrarian University", "academia"),
        ("INGO consortium", "international-ngo"),
        ("Local NGO network", "civil-society"),
    ],
)
def test_sector_rules_match_whole_words(value, slug):
    """'Ministry of …' and similar phrases map by rule."""
    assert SectorMapper().map(value) == (slug, "rule")


def test_unknown_sector_is_reported_with_suggestions_not_mapped_to_other():
    """A misspelling is left unmapped, with the closest aliases to choose from."""
    slug, suggestions = SectorMapper().map("Goverment")
    assert slug is None
    assert suggestions[0].slug == "government"
    assert SectorMapper().map("Astrology") == (None, [])
    assert SectorMapper().map("") == (None, [])


def test_suggestions_name_each_sector_once():
    """Suggestions are distinct sectors, best first."""
    _slug, suggestions = SectorMapper().map("ngos")
    slugs = [suggestion.slug for suggestion in suggestions]
    assert len(slugs) == len(set(slugs))
    assert slugs[0] == "civil-society"


def test_sector_mapper_learns_an_alias():
    """An alias added during a preview is used from then on."""
    mapper = SectorMapper()
    assert mapper.map("Hukumati shahr")[0] is None
    mapper.add_alias("hukumati shahr", "government")
    assert mapper.map("Hukumati  Shahr") == ("government", "alias")
    assert "hukumati shahr" in mapper.by_slug()["government"]
    assert SectorMapper().map("Hukumati shahr")[0] is None  # defaults untouched


def test_sector_mapper_refuses_an_alias_to_an_unknown_slug():
    """A typo in the alias table is caught when the mapper is built."""
    with pytest.raises(ValueError, match="not a sector slug"):
        SectorMapper(aliases={"gov": "govrnment"})
    with pytest.raises(ValueError, match="not a sector slug"):
        SectorMapper().add_alias("gov", "state")


def test_default_aliases_point_at_slugs_and_do_not_collide():
    """Every default alias maps to a slug, and no two aliases share a key."""
    assert set(DEFAULT_SECTOR_ALIASES.values()) <= set(SECTOR_SLUGS)
    keys = [_alias_key(alias) for alias in DEFAULT_SECTOR_ALIASES]
    assert len(keys) == len(set(keys))
    slug_keys = {_alias_key(slug): slug for slug in SECTOR_SLUGS}
    for alias, slug in DEFAULT_SECTOR_ALIASES.items():
        assert slug_keys.get(_alias_key(alias), slug) == slug, alias


# --- cells ------------------------------------------------------------------


def test_clean_cell_trims_composes_and_drops_invisibles():
    """Spaces collapse, text is NFC, zero-width and control characters go."""
    assert clean_cell("  Вода\u00a0 и\tсанитария\u200b ") == "Вода и санитария"
    assert clean_cell(unicodedata.normalize("NFD", "Société")) == "Société"
    assert clean_cell("\ufeffname\x07") == "name"
    assert clean_cell(None) == ""
    assert clean_cell(12) == "12"
    assert clean_cell("می\u200cخواهم") == "می\u200cخواهم"  # Persian zero-width non-joiner kept


@pytest.mark.parametrize("value", ["=1+1", "+7 992", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_values_are_neutralised(value):
    """Values a spreadsheet would run get a leading apostrophe."""
    assert is_formula_like(value)
    assert neutralise_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["Oxfam", "", " =1", "a=b", "'=1"])
def test_plain_values_are_left_alone(value):
    """Ordinary text is exported unchanged."""
    assert not is_formula_like(value)
    assert neutralise_formula(value) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("Y", True),
        ("да", True),
        ("1", True),
        ("TRUE", True),
        ("x", True),
        ("no", False),
        ("Нет", False),
        ("0", False),
        ("false", False),
        ("", None),
    ],
)
def test_parse_bool(value, expected):
    """Yes/no in English and Russian, 1/0, true/false and a ticked "x"."""
    assert parse_bool(value) == (expected, None)


def test_parse_bool_refuses_other_text():
    """Text that is not yes or no is an error, not False."""
    value, error = parse_bool("maybe")
    assert value is None
    assert "maybe" in error


def test_split_list_splits_on_semicolons_commas_and_lines():
    """'a; b, c' gives three clean items; empties and repeats go."""
    assert split_list("water; sanitation, hygiene") == ["water", "sanitation", "hygiene"]
    assert split_list("Water\nwater ;; Gender ") == ["Water", "Gender"]
    assert split_list("") == []
    assert split_list(None) == []


@pytest.mark.parametrize(
    ("value", "clean"),
    [
        ("info@oxfam.org", "info@oxfam.org"),
        ("  Info@OXFAM.Org ", "Info@oxfam.org"),
        ("Oxfam <info@oxfam.org>", "info@oxfam.org"),
        ("mailto:info@oxfam.org", "info@oxfam.org"),
        ("вода@пример.рф", "вода@пример.рф"),
        ("", ""),
    ],
)
def test_validate_email_accepts(value, clean):
    """Valid addresses come back cleaned, with a lower-case domain."""
    assert validate_email(value) == (clean, None)


@pytest.mark.parametrize(
    "value",
    ["info", "info@", "@oxfam.org", "info@oxfam", "a b@x.org", "a@x.org; b@y.org", "a..b@x.org"],
)
def test_validate_email_refuses(value):
    """Anything else is an error naming the value."""
    clean, error = validate_email(value)
    assert error is not None
    assert clean_cell(value) in error or clean in error


def test_validate_url_adds_https_to_a_bare_domain_and_says_so():
    """'oxfam.org' becomes https://oxfam.org, with a note."""
    result = validate_url("oxfam.org")
    assert result == ("https://oxfam.org", None)
    assert "https://" in result.note
    assert validate_url("www.oxfam.org/uk?x=1").value == "https://www.oxfam.org/uk?x=1"
    assert validate_url("http://oxfam.org").note is None


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<b>x</b>",
        "ftp://oxfam.org",
        "file:///etc/passwd",
        "mailto:info@oxfam.org",
        "http://user:secret@oxfam.org",
        "oxfam",
        "https://",
        "http://[::1",
        "https://oxfam.org:port",
        "oxfam .org",
    ],
)
def test_validate_url_refuses(value):
    """Other schemes, credentials and non-hosts are errors."""
    _clean, error = validate_url(value)
    assert error is not None


def test_empty_url_is_not_an_error():
    """An empty website cell is simply empty."""
    assert validate_url("  ") == ("", None)


def test_message_translates_its_template_and_nested_messages():
    """A Message renders in English and through any gettext, nested messages included."""
    inner = Message("The file")
    message = Message("%(where)s is empty (%(count)s).", where=inner, count=3)
    assert message == "The file is empty (3)."
    table = {"%(where)s is empty (%(count)s).": "%(where)s пуст (%(count)s).", "The file": "Файл"}
    assert message.translate(lambda text: table.get(text, text)) == "Файл пуст (3)."
    assert Message("Plain").translate(str.upper) == "PLAIN"
