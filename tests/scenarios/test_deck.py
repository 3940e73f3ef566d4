"""The slide deck: seven slides with titles, captions carrying the headline numbers, footers
with the data vintage, pictures where charts belong, in Swedish and English; the CLI."""

from __future__ import annotations

from io import BytesIO

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from forecast.dims import SECTOR, YEAR
from scenarios import deck, maps
from scenarios.cli import main
from scenarios.i18n import format_number
from scenarios.run import run_scenario
from scenarios.spec import load_scenario

TITLES = {
    "sv": [
        "Kompetensförsörjning i Norrbottens län till 2033",
        "Nyckeltal",
        "Befolkningen",
        "Efterfrågan, tillgång och brist",
        "Vad åtgärderna gör",
        "Bristen kommun för kommun",
        "Källor och metod",
    ],
    "en": [
        "Workforce supply in Norrbottens län to 2033",
        "Key figures",
        "The population",
        "Demand, supply and shortage",
        "What the measures do",
        "The shortage by municipality",
        "Sources and method",
    ],
}
CHART_SLIDES = (2, 3, 4, 5)  # pyramid, supply/demand, waterfall, map (0-based)


@pytest.fixture(scope="module")
def decks(inputs):
    """Each deck built once: Norrbotten with levers (sv, en), without (sv), a group (sv)."""
    lever = load_scenario("part_time_plus3")
    baseline = load_scenario("baseline")
    built = {
        ("25", "part_time_plus3", "sv"): deck.build_deck("25", lever, inputs),
        ("25", "part_time_plus3", "en"): deck.build_deck("25", lever, inputs, lang="en"),
        ("25", "baseline", "sv"): deck.build_deck("25", baseline, inputs, "sv"),
        ("g_lulea_boden", "part_time_plus3", "sv"): deck.build_deck("g_lulea_boden", lever, inputs),
    }
    return {key: Presentation(BytesIO(data)) for key, data in built.items()}


@pytest.fixture(scope="module")
def gaps(inputs) -> dict[str, float]:
    """Norrbotten's total shortage in 2033 [FTE] with and without the lever, rounded per
    sector as the report rounds it."""
    return {
        name: float(
            run_scenario(load_scenario(name), "25", inputs)["gap_fte"]
            .sel({YEAR: 2033})
            .round()
            .sum(SECTOR)
        )
        for name in ("baseline", "part_time_plus3")
    }


def shape(slide, name: str):
    return next(s for s in slide.shapes if s.name == name)


def texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def pictures(slide) -> int:
    return sum(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_slides_titles_and_pictures(decks, lang):
    prs = decks[("25", "part_time_plus3", lang)]
    assert prs.slide_width * 9 == pytest.approx(prs.slide_height * 16, rel=1e-3)  # 16:9
    assert [s.shapes.title.text for s in prs.slides] == TITLES[lang]
    counts = [pictures(s) for s in prs.slides]
    assert counts == [0, 0, 1, 2, 1, 1, 0]
    for slide in list(prs.slides)[1:]:
        assert shape(slide, "Caption").text_frame.text.strip()
        assert shape(slide, "Footer").text_frame.text.strip()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_captions_carry_the_headline_numbers(decks, gaps, inputs, lang):
    slides = list(decks[("25", "part_time_plus3", lang)].slides)
    gap = format_number(gaps["part_time_plus3"], lang)
    assert gap in shape(slides[1], "Caption").text_frame.text
    assert shape(slides[1], "Figure 1").text_frame.text == gap
    assert gap in texts(slides[1])  # the report's sentence says the same
    assert gap in shape(slides[3], "Caption").text_frame.text
    waterfall = shape(slides[4], "Caption").text_frame.text
    assert format_number(gaps["baseline"], lang) in waterfall and gap in waterfall
    assert "%" in shape(slides[2], "Caption").text_frame.text
    marker = {"sv": "Källa:", "en": "Source:"}[lang]
    for slide in slides[1:]:
        footer = shape(slide, "Footer").text_frame.text
        assert inputs.vintage in footer and marker in footer
    assert inputs.vintage in texts(slides[0])
    title = {"sv": "Deltidsanställda arbetar 3 timmar mer", "en": "Part-timers work 3 more hours"}
    assert title[lang] in texts(slides[0])


def test_swedish_numbers_are_swedish(decks, gaps):
    caption = shape(list(decks[("25", "part_time_plus3", "sv")].slides)[1], "Caption")
    assert "\u00a0" in format_number(gaps["part_time_plus3"], "sv")  # thousands: no-break space
    assert "2024–2033 behöver" in caption.text_frame.text


def test_sources_slide(decks):
    text = texts(list(decks[("25", "part_time_plus3", "sv")].slides)[6])
    for needle in ("part_time_plus3.toml", "data/SOURCES.md", "slumpfrö 0", "SCB",
                   "Socialstyrelsen", "Kolada", "SKR", "Pensionsmyndigheten"):  # fmt: skip
        assert needle in text


def test_no_levers_says_so(decks, gaps):
    slides = list(decks[("25", "baseline", "sv")].slides)
    assert [s.shapes.title.text for s in slides] == TITLES["sv"]
    assert [pictures(s) for s in slides] == [0, 0, 1, 2, 0, 1, 0]
    caption = shape(slides[4], "Caption").text_frame.text
    assert "inga åtgärder" in caption
    assert format_number(gaps["baseline"], "sv") in caption


def test_group(decks):
    slides = list(decks[("g_lulea_boden", "part_time_plus3", "sv")].slides)
    assert len(slides) == 7
    assert slides[0].shapes.title.text == "Kompetensförsörjning i Luleå–Boden till 2033"
    assert [pictures(s) for s in slides] == [0, 0, 1, 2, 1, 1, 0]
    assert "Norrbottens län" in shape(slides[5], "Caption").text_frame.text


def test_map_area(inputs):
    assert maps.map_area("25", inputs) == ("25", None)
    assert maps.map_area("2580", inputs) == ("25", "2580")
    assert maps.map_area("g_lulea_boden", inputs) == ("25", None)
    assert maps.map_area("00", inputs) == ("00", None)


def test_bridge_adds_up(inputs):
    without = run_scenario(load_scenario("baseline"), "25", inputs)
    with_ = run_scenario(load_scenario("part_time_plus3"), "25", inputs)
    gap_without, levers, gap_with = deck.bridge(without, with_, 2033)
    assert levers and all(v == round(v) for v in levers.values())
    assert gap_without - sum(levers.values()) == gap_with


def test_cli_writes_a_municipal_deck(tmp_path, monkeypatch, capsys, inputs):
    monkeypatch.chdir(tmp_path)
    assert main(["deck", "--region", "2580", "--lang", "en"]) == 0
    path = tmp_path / "deck_2580_baseline.pptx"
    prs = Presentation(path)
    assert prs.slides[0].shapes.title.text == "Workforce supply in Luleå to 2033"
    assert [s.shapes.title.text for s in prs.slides][1:] == TITLES["en"][1:]
    assert inputs.vintage in shape(prs.slides[5], "Footer").text_frame.text
    err = capsys.readouterr().err
    assert "wrote deck_2580_baseline.pptx" in err
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_cli_bad_region_is_one_line(tmp_path, capsys):
    out = tmp_path / "deck.pptx"
    assert main(["deck", "--region", "9999", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "9999" in err
    assert not out.exists()
