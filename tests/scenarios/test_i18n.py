"""Labels in both languages and Swedish/English number formatting."""

from __future__ import annotations

import pandas as pd
import pytest

from scenarios import i18n
from scenarios.i18n import format_number, format_percent, t

NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "decimals", "sv", "en"),
    [
        (0, 0, "0", "0"),
        (999, 0, "999", "999"),
        (12345, 0, f"12{NBSP}345", "12,345"),
        (1234567.891, 2, f"1{NBSP}234{NBSP}567,89", "1,234,567.89"),
        (1.5, 1, "1,5", "1.5"),
        (1.25, 0, "1", "1"),
        (-12345.5, 1, f"{MINUS}12{NBSP}345,5", "-12,345.5"),
        (-0.5, 1, f"{MINUS}0,5", "-0.5"),
        (-0.01, 1, "0,0", "0.0"),  # rounds to zero: no sign
    ],
)
def test_format_number(value, decimals, sv, en):
    assert format_number(value, "sv", decimals) == sv
    assert format_number(value, "en", decimals) == en


def test_format_number_missing_value_is_a_dash():
    assert format_number(float("nan"), "sv") == "–"


def test_format_percent():
    assert format_percent(12.345, "sv") == f"12,3{NBSP}%"
    assert format_percent(-2.5, "en") == "-2.5%"


def test_swedish_numbers_have_no_comma_grouping_or_point():
    text = format_number(9876543.21, "sv", 2)
    assert "." not in text
    assert text.count(",") == 1
    assert text.count(NBSP) == 2


def test_every_label_has_both_languages():
    assert i18n.check_labels() == []
    for key, texts in i18n.LABELS.items():
        assert set(texts) == {"sv", "en"}, key
        assert texts["sv"].strip() and texts["en"].strip(), key
    for unit, texts in i18n.UNIT_LABELS.items():
        assert texts["sv"] and texts["en"], unit


def test_check_labels_finds_a_missing_language():
    assert i18n.check_labels({"x": {"sv": "Hej"}, "y": {"sv": "A", "en": ""}}) == ["x", "y"]


def test_labels_differ_between_languages():
    assert t("tab_population", "sv") == "Befolkning"
    assert t("tab_population", "en") == "Population"
    assert t("pyramid_title", "sv", base=2024, end=2033).endswith("2024 och 2033")


def test_unit_labels():
    assert i18n.unit_label("fte", "sv") == "Heltidsekvivalenter (årsarbetare)"
    assert i18n.unit_label("persons", "en") == "Persons"
    assert i18n.unit_label("furlongs", "sv") == "furlongs"


def test_vega_locale_matches_python_formatting():
    number = i18n.vega_locale("sv")["number"]
    assert number["thousands"] == NBSP and number["decimal"] == "," and number["minus"] == MINUS
    assert i18n.vega_locale("en")["number"]["thousands"] == ","


REGIONS = pd.DataFrame(
    {
        "region_code": ["25", "2580", "00", "24", "2505", "2401"],
        "name": [
            "Norrbottens län",
            "Luleå",
            "Riket",
            "Västerbottens län",
            "Arvidsjaur",
            "Nordmaling",
        ],
        "level": ["county", "municipality", "country", "county", "municipality", "municipality"],
        "parent": ["00", "25", "", "00", "25", "24"],
        "coverage_note": ["", "", "", "", "", "thin"],
    }
)


@pytest.mark.parametrize("indexed", [False, True])
def test_region_choices_order_country_counties_municipalities(indexed):
    regions = REGIONS.set_index("region_code") if indexed else REGIONS
    choices = i18n.region_choices(regions)
    assert list(choices) == ["00", "24", "2401", "25", "2505", "2580"]
    assert choices["00"] == "Riket (00)"
    assert choices["25"] == "Norrbottens län (25)"
    assert choices["2580"] == "– Luleå (2580)"


def test_coverage_note():
    assert i18n.coverage_note(REGIONS, "2401") == "thin"
    assert i18n.coverage_note(REGIONS.set_index("region_code"), "25") == ""
    assert i18n.coverage_note(REGIONS, "9999") == ""


def test_sector_label_falls_back_to_id():
    sectors = pd.DataFrame(
        {"label_sv": ["Vård och omsorg"], "label_en": ["Health and social care"]},
        index=pd.Index(["care"], name="sector"),
    )
    assert i18n.sector_label(sectors, "care", "sv") == "Vård och omsorg"
    assert i18n.sector_label(sectors, "care", "en") == "Health and social care"
    assert i18n.sector_label(sectors, "mining", "en") == "mining"
