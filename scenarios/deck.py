"""A slide deck (PPTX) of one scenario for one region, for a council meeting.

Seven 16:9 slides: title; key figures; population pyramid; demand, supply and shortage; the
lever waterfall against the baseline; the map of the shortage per 1 000 inhabitants; sources
and method. Every content slide has a title, a plain-language caption with the headline
number (a shape named ``Caption``) and a footer with the data vintage and the sources (a
shape named ``Footer``). Swedish by default, English with ``lang="en"``. The figures are the
projection's central path, so the same data, scenario and seed always give the same deck.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from datetime import date
from io import BytesIO
from pathlib import Path

import xarray as xr
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from forecast.balance import cumulative
from forecast.dims import AGE, SECTOR, SEX, YEAR
from forecast.files import atomic_write
from forecast.inputs import Inputs
from scenarios import charts, maps
from scenarios.charts_compare import OTHER_MIN, waterfall_chart, waterfall_inputs
from scenarios.i18n import LABELS, Lang, format_number, format_signed_percent, t
from scenarios.report import base_and_final_year, key_figures, summary_sentences
from scenarios.run import run_scenario
from scenarios.spec import Scenario, load_scenario

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BODY_TOP, BODY_BOTTOM = Inches(2.05), Inches(6.8)
PNG_SCALE = 2.0  # sharp enough for a projector and print, about 0.2–0.4 MB a chart
MAP_INDICATOR = "gap_per_1000"
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5  # in python-pptx's default template
GREY, DARK, ACCENT = (
    RGBColor(0x55, 0x5F, 0x6B),
    RGBColor(0x1F, 0x2A, 0x36),
    RGBColor(0xC0, 0x39, 0x2B),
)

Progress = Callable[[str], None]


# --- figures -------------------------------------------------------------------------------


def _gap_text(gap: float, lang: Lang) -> str:
    """ "saknas 1 234 årsarbetare" or, for a surplus, "finns 1 234 årsarbetare fler …"."""
    key = "deck_gap_text" if gap >= 0 else "deck_surplus_text"
    return t(key, lang, gap=format_number(abs(gap), lang))


def headline_figures(result: xr.Dataset, lang: Lang) -> dict[str, float]:
    """The deck's big numbers: the total shortage in the final year [FTE], the recruitment
    need base year–final year [persons], the change of the 20–66 and 85+ populations [%].
    Whole units rounded per sector before summing, as in the report, so they agree with it."""
    base, end = base_and_final_year(result)
    table = key_figures(result, lang).set_index(t("measure", lang))
    change = table[t("change_percent", lang)]
    need = cumulative(result["recruitment_need"], base, end).round().sum(SECTOR)
    return {
        "gap": float(table.loc[t("report_gap_all", lang), str(end)]),
        "need": float(need),
        "working": float(change[t("report_age_20_66", lang)]),
        "oldest": float(change[t("report_age_85", lang)]),
    }


def bridge(
    baseline: xr.Dataset, result: xr.Dataset, end: int
) -> tuple[float, dict[str, float], float]:
    """The waterfall's inputs in whole FTE that agree with the other slides: both gaps
    rounded per sector as in the report, each lever rounded; when the levers explain the
    whole change, the rounding remainder goes to the largest lever so the bridge adds up
    without a spurious "other effects" bar."""
    raw_without, raw_levers, raw_with = waterfall_inputs(baseline, result, end)
    without, with_ = (float(ds["gap_fte"].sel({YEAR: end}).round().sum(SECTOR))
                      for ds in (baseline, result))  # fmt: skip
    levers = {lever: float(round(fte)) for lever, fte in raw_levers.items()}
    if levers and abs(raw_with - raw_without + sum(raw_levers.values())) < OTHER_MIN:
        largest = max(levers, key=lambda lever: abs(levers[lever]))
        levers[largest] += without - sum(levers.values()) - with_
    return without, levers, with_


# --- slide helpers -------------------------------------------------------------------------


def _text(slide, left, top, width, height, lines: Sequence[str], size: int, *, name: str = "",
          bold: bool = False, colour: RGBColor = DARK, bullets: bool = False):  # fmt: skip
    """A text box of ``lines`` (one paragraph each), word-wrapped."""
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = f"• {line}" if bullets else line
        paragraph.space_after = Pt(6 if bullets else 0)
        paragraph.font.size, paragraph.font.bold = Pt(size), bold
        paragraph.font.color.rgb = colour
    return box


def _content_slide(prs, title: str, caption: str, footer: str):
    """A slide with a title, the caption under it and the footer at the bottom."""
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    shape = slide.shapes.title
    shape.left, shape.top = MARGIN, Inches(0.3)
    shape.width, shape.height = SLIDE_WIDTH - 2 * MARGIN, Inches(0.85)
    shape.text = title
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.font.size, paragraph.font.bold = Pt(30), True
    paragraph.font.color.rgb = DARK
    width = SLIDE_WIDTH - 2 * MARGIN
    _text(slide, MARGIN, Inches(1.15), width, Inches(0.85), [caption], 16, name="Caption")
    _text(slide, MARGIN, Inches(6.95), width, Inches(0.4), [footer], 10, name="Footer",
          colour=GREY)  # fmt: skip
    return slide


def _picture(slide, png: bytes, left, top, width, height, description: str) -> None:
    """``png`` as large as fits the box, centred in it, with ``description`` as alt text."""
    pixels_w, pixels_h = struct.unpack(">II", png[16:24])  # the PNG's IHDR chunk
    scale = min(width / pixels_w, height / pixels_h)
    w, h = int(pixels_w * scale), int(pixels_h * scale)
    picture = slide.shapes.add_picture(
        BytesIO(png), Emu(left + (width - w) // 2), Emu(top + (height - h) // 2), Emu(w), Emu(h)
    )
    picture._element.nvPicPr.cNvPr.set("descr", description)


def _body_picture(slide, png: bytes, description: str) -> None:
    _picture(slide, png, MARGIN, BODY_TOP, SLIDE_WIDTH - 2 * MARGIN, BODY_BOTTOM - BODY_TOP,
             description)  # fmt: skip


# --- the deck ------------------------------------------------------------------------------


def _scenario_title(scenario: Scenario, lang: Lang) -> str:
    return scenario.title_sv if lang == "sv" else scenario.title_en


def build_deck(
    region: str,
    scenario: Scenario,
    inputs: Inputs,
    lang: Lang = "sv",
    seed: int = 0,
    baseline: Scenario | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The PPTX (16:9) of ``scenario`` for ``region``, as bytes; the waterfall compares it
    with ``baseline`` (default: the preset "baseline"). ``progress`` is told each step."""
    say = progress or (lambda _: None)
    inputs.units_of(region)  # an unknown region fails here, before any work
    baseline = baseline or load_scenario("baseline")
    say("running the scenario")
    result = run_scenario(scenario, region, inputs, seed)
    base, end = base_and_final_year(result)
    name = str(result.attrs["region_name"])
    title = _scenario_title(scenario, lang)
    vintage = str(result.attrs["data_vintage"])
    figures = headline_figures(result, lang)

    def footer(sources: str) -> str:
        return t("deck_footer", lang, vintage=vintage, sources=t(f"deck_source_{sources}", lang))

    def number(value: float, decimals: int = 0) -> str:
        return format_number(value, lang, decimals)

    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT

    # 1. Title
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    heading, subtitle = slide.placeholders[0], slide.placeholders[1]
    heading.left, heading.top = MARGIN, Inches(1.8)
    heading.width, heading.height = SLIDE_WIDTH - 2 * MARGIN, Inches(1.6)
    heading.text = t("deck_title", lang, region=name, end=end)
    subtitle.left, subtitle.top = MARGIN, Inches(3.7)
    subtitle.width, subtitle.height = SLIDE_WIDTH - 2 * MARGIN, Inches(2.2)
    lines = [title, t("deck_made", lang, date=date.today().isoformat()),
             t("deck_vintage", lang, vintage=vintage)]  # fmt: skip
    subtitle.text = "\n".join(lines)
    for paragraph in subtitle.text_frame.paragraphs:
        paragraph.font.size, paragraph.font.color.rgb = Pt(20), GREY
    subtitle.text_frame.paragraphs[0].font.bold = True

    # 2. Key figures
    gap_text = _gap_text(figures["gap"], lang)
    caption = t("deck_caption_key_figures", lang, region=name, scenario=title, base=base,
                end=end, need=number(figures["need"]), gap_text=gap_text)  # fmt: skip
    slide = _content_slide(prs, t("deck_slide_key_figures", lang), caption, footer("all"))
    gap_key = "deck_fig_gap" if figures["gap"] >= 0 else "deck_fig_surplus"
    tiles = [
        (number(abs(figures["gap"])), t(gap_key, lang, end=end)),
        (number(figures["need"]), t("deck_fig_need", lang, base=base, end=end)),
        (
            format_signed_percent(figures["working"], lang),
            t("deck_fig_working", lang, base=base, end=end),
        ),
        (
            format_signed_percent(figures["oldest"], lang),
            t("deck_fig_oldest", lang, base=base, end=end),
        ),
    ]
    tile_width = (SLIDE_WIDTH - 2 * MARGIN) // len(tiles)
    for i, (value, label) in enumerate(tiles):
        left = MARGIN + i * tile_width
        _text(slide, left, BODY_TOP, tile_width, Inches(0.8), [value], 40, bold=True,
              colour=ACCENT, name=f"Figure {i + 1}")  # fmt: skip
        _text(slide, left, BODY_TOP + Inches(0.8), tile_width, Inches(0.6), [label], 14,
              colour=GREY)  # fmt: skip
    sentences = summary_sentences(result, inputs.sectors, lang=lang)
    _text(slide, MARGIN, Inches(3.65), SLIDE_WIDTH - 2 * MARGIN, BODY_BOTTOM - Inches(3.65),
          sentences, 16, bullets=True, name="Summary")  # fmt: skip

    # 3. Population pyramid
    say("drawing the charts")
    caption = t("deck_caption_pyramid", lang, base=base, end=end,
                oldest=format_signed_percent(figures["oldest"], lang),
                working=format_signed_percent(figures["working"], lang))  # fmt: skip
    slide = _content_slide(prs, t("deck_slide_pyramid", lang), caption, footer("population"))
    _body_picture(slide, charts.chart_png(charts.pyramid_chart(result, lang), PNG_SCALE), caption)

    # 4. Demand, supply and shortage
    caption = t("deck_caption_supply_demand", lang, gap_text=gap_text, end=end)
    slide = _content_slide(prs, t("deck_slide_supply_demand", lang), caption, footer("labour"))
    results = {title: result}
    half = (SLIDE_WIDTH - 2 * MARGIN - Inches(0.2)) // 2
    pair = (charts.supply_demand_chart(results, None, lang), charts.gap_chart(results, lang))
    for i, chart in enumerate(pair):
        png = charts.chart_png(chart.properties(width=420, height=360), PNG_SCALE)
        left = MARGIN + i * (half + Inches(0.2))
        _picture(slide, png, left, BODY_TOP, half, BODY_BOTTOM - BODY_TOP, caption)

    # 5. Lever waterfall
    if scenario.levers.active():
        say("running the baseline")
        without = run_scenario(baseline, region, inputs, seed)
        gap_without, levers, gap_with = bridge(without, result, end)
    else:
        gap_without, levers, gap_with = figures["gap"], {}, figures["gap"]
    if levers:
        caption = t("deck_caption_waterfall", lang, end=end, without=number(gap_without),
                    with_=number(gap_with))  # fmt: skip
        slide = _content_slide(prs, t("deck_slide_waterfall", lang), caption, footer("levers"))
        chart = waterfall_chart(gap_without, levers, gap_with, lang, end)
        _body_picture(slide, charts.chart_png(chart, PNG_SCALE), caption)
    else:
        caption = t("deck_no_levers", lang, scenario=title, end=end, gap_text=gap_text)
        slide = _content_slide(prs, t("deck_slide_waterfall", lang), caption, footer("levers"))
        _text(slide, MARGIN, Inches(3.0), SLIDE_WIDTH - 2 * MARGIN, Inches(1.5),
              [t("deck_no_levers_hint", lang)], 20, colour=GREY, name="No levers")  # fmt: skip

    # 6. Map
    say("mapping the municipalities")
    area, selected = maps.map_area(region, inputs)
    indicators = maps.indicators_for(area, scenario, inputs, seed)
    population = float(result["population"].sel({YEAR: end}).sum([SEX, AGE]))
    own = 1000 * float(result["gap_fte"].sel({YEAR: end}).sum(SECTOR)) / population
    top = str(indicators[MAP_INDICATOR].idxmax())
    area_name = t("deck_map_all", lang) if area == maps.ALL_REGIONS else inputs.region_name(area)
    caption = t("deck_caption_map", lang, end=end, area=area_name, region=name,
                value=number(own, 1), top=inputs.region_name(top),
                top_value=number(float(indicators.loc[top, MAP_INDICATOR]), 1))  # fmt: skip
    slide = _content_slide(prs, t("deck_slide_map", lang), caption, footer("map"))
    chart = maps.map_chart(indicators, MAP_INDICATOR, area, inputs, lang, selected=selected)
    _body_picture(slide, charts.chart_png(chart, PNG_SCALE), caption)

    # 7. Sources and method
    caption = t("deck_caption_sources", lang, name=scenario.name)
    slide = _content_slide(prs, t("deck_slide_sources", lang), caption, footer("method"))
    lines = [
        t("deck_vintage", lang, vintage=vintage),
        t("deck_meta_scenario", lang, name=scenario.name, title=title),
        t("deck_meta_run", lang, base=base, end=end, seed=seed),
        t("deck_main_sources", lang),
    ]
    width = SLIDE_WIDTH - 2 * MARGIN
    _text(slide, MARGIN, BODY_TOP, width, Inches(1.6), lines, 16, bullets=True, name="Method")
    sources = [*LABELS["deck_sources_list"][lang].split("|"), t("deck_methods", lang)]
    _text(slide, MARGIN + Inches(0.4), BODY_TOP + Inches(1.7), width - Inches(0.4),
          BODY_BOTTOM - BODY_TOP - Inches(1.7), sources, 15, bullets=True,
          name="Sources")  # fmt: skip

    buffer = BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def write_deck(
    path: Path | str,
    region: str,
    scenario: Scenario,
    inputs: Inputs,
    lang: Lang = "sv",
    seed: int = 0,
    baseline: Scenario | None = None,
    progress: Progress | None = None,
) -> Path:
    """Build the deck (see :func:`build_deck`) and write it to ``path`` atomically."""
    data = build_deck(region, scenario, inputs, lang, seed, baseline, progress)
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))
