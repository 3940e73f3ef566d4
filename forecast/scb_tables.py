"""The one place for SCB table ids: which PxWeb v2 tables feed which tidy model table.

Each model table (`population`, `births`, …) lists its SCB sources in time order. Up to
2024 a BE0101 series comes from SCB's historical table; from reference year 2025 SCB
publishes it in a new "CKM" table with Cell Key Method noise and different value codes,
and `forecast.scb_fetch` stitches the two into one series (CKM from 2025).

A source names its table by `table_ids` where /work/shared/pxweb/README.md §5 gives them
(tried in order; each candidate's metadata is checked before use, see `scb_fetch.resolve`)
and by `search` where the reference marks the id unknown: the client then asks SCB
`GET /tables?query=<search>` at first contact, keeps the annual tables whose label matches
`label` (and not `exclude`) and whose periods overlap `years`, and uses the first whose
metadata has every variable and content below. Value codes are resolved from metadata per
table (by pattern, and contents by code or label), because they differ between tables.
"""

from __future__ import annotations

from dataclasses import dataclass

HISTORICAL_LAST_YEAR = 2024  # SCB's pre-CKM tables end here …
CKM_FIRST_YEAR = 2025  # … and the noisy CKM tables start here


@dataclass(frozen=True)
class Variable:
    """A dimension of an SCB table and what it becomes in the tidy table.

    role: `region`, `year`, `sex`, `age` (single years 0–100, 100 = 100+), `mother_age`,
    `age_group`, `industry` (SNI 2007 section letters), or `total` (summed away: left out
    of the query when eliminable, else its total code is selected, else summed here).
    codes: the variable codes it may have; label: regex on its label as a fallback.
    """

    role: str
    codes: tuple[str, ...]
    label: str = ""
    optional: bool = False


@dataclass(frozen=True)
class Content:
    """A ContentsCode that becomes the tidy column `column`: a known code, else by label."""

    column: str
    codes: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class ScbTable:
    """One SCB table (or the search that finds it) used for the years `years` (inclusive)."""

    key: str
    subject_path: str  # the v1 path, e.g. BE/BE0101/BE0101A/BefolkningNy (for people)
    years: tuple[int, int | None]
    variables: tuple[Variable, ...]
    contents: tuple[Content, ...]
    table_ids: tuple[str, ...] = ()
    search: str = ""
    label: str = ""
    exclude: str = ""
    note: str = ""


@dataclass(frozen=True)
class ModelTable:
    """A tidy table of `fetch_region`: its columns (the contract) and its SCB sources."""

    key: str
    columns: tuple[str, ...]
    sources: tuple[ScbTable, ...]
    description: str
    country_only: bool = False


REGION = Variable("region", ("Region",))
YEAR = Variable("year", ("Tid",))
SEX = Variable("sex", ("Kon",))
AGE = Variable("age", ("Alder",))
MARITAL = Variable("total", ("Civilstand",), label="civilst", optional=True)
HIST = (1968, HISTORICAL_LAST_YEAR)
CKM = (CKM_FIRST_YEAR, None)

POPULATION = ModelTable(
    "population",
    ("region", "year", "sex", "age", "population"),
    (
        ScbTable(
            "population_hist", "BE/BE0101/BE0101A/BefolkningNy", HIST,
            (REGION, MARITAL, AGE, SEX, YEAR),
            (Content("population", ("BE0101N1",), "^folkmängd"),),
            table_ids=("TAB638",),
        ),
        ScbTable(
            "population_ckm", "BE/BE0101/BE0101A/BefolkningCKM", CKM,
            (REGION, MARITAL, AGE, SEX, YEAR),
            (Content("population", ("000007ME",), "^folkmängd"),),
            table_ids=("TAB5557",),
        ),
    ),
    "Population on 31 December by single year of age and sex, summed over marital status.",
)  # fmt: skip

MOTHER_AGE = Variable("mother_age", ("AlderModer",), label="moder")
BIRTHS = ModelTable(
    "births",
    ("region", "year", "mother_age", "births"),
    (
        ScbTable(
            "births_hist", "BE/BE0101/BE0101H/FoddaK", HIST,
            (REGION, MOTHER_AGE, Variable("total", ("Kon",), optional=True), YEAR),
            (Content("births", ("BE0101E2",), "födda"),),
            table_ids=("TAB1264",),
        ),
        ScbTable(
            "births_ckm", "BE/BE0101/BE0101H/FoddaKCKM", CKM,
            (REGION, MOTHER_AGE, Variable("total", ("Kon",), optional=True), YEAR),
            (Content("births", (), "födda"),),
            table_ids=("TAB6401",),
        ),
    ),
    "Live births by the mother's age (open bands '-14' → 14 and '49+' → 49; births with "
    "the mother's age unknown are left out), both sexes of the child.",
)  # fmt: skip

DEATHS = ModelTable(
    "deaths",
    ("region", "year", "sex", "age", "deaths"),
    (
        ScbTable(
            "deaths_hist", "BE/BE0101/BE0101I/DodaFodelsearK", HIST,
            (REGION, AGE, SEX, YEAR), (Content("deaths", ("BE0101D8", "BE0101D9"), "^döda"),),
            table_ids=("TAB959", "TAB960"),
            note="TAB959 or TAB960 (reference §5, unsettled): the first whose metadata fits",
        ),
        ScbTable(
            "deaths_ckm", "BE/BE0101/BE0101I/DodaFodelsearKCKM", CKM,
            (REGION, AGE, SEX, YEAR), (Content("deaths", (), "^döda"),),
            table_ids=("TAB6757",),
        ),
    ),
    "Deaths by age reached during the year (= year − birth year; DodaFodelsearK is SCB's "
    "deaths 'by year of birth') and sex.",
)  # fmt: skip

MIGRATION_CONTENTS = (
    Content("immigrants", (), "^invandring"),
    Content("emigrants", (), "^utvandring"),
    Content("domestic_in", (), "^inrikes inflytt"),
    Content("domestic_out", (), "^inrikes utflytt"),
)
MIGRATION = ModelTable(
    "migration",
    ("region", "year", "sex", "age", "immigrants", "emigrants", "domestic_in", "domestic_out"),
    (
        ScbTable(
            "migration_hist", "BE/BE0101/BE0101J/Flyttningar97", (1997, HISTORICAL_LAST_YEAR),
            (REGION, AGE, SEX, YEAR), MIGRATION_CONTENTS,
            search="flyttningar ålder kön", label="flyttningar",
        ),
        ScbTable(
            "migration_ckm", "BE/BE0101/BE0101J/Flyttningar97CKM", CKM,
            (REGION, AGE, SEX, YEAR), MIGRATION_CONTENTS,
            search="flyttningar ålder kön", label="flyttningar",
        ),
    ),
    "In- and out-migration during the year by age and sex: international (immigrants, "
    "emigrants) and domestic (in- and out-movers across the region's border).",
)  # fmt: skip

INDUSTRY = Variable("industry", ("SNI2007",), label="näringsgren|sni")
EMPLOYED = Content("employed", (), "sysselsatt|antal")
EMPLOYMENT_INDUSTRY = ModelTable(
    "employment_industry",
    ("region", "year", "industry", "sex", "employed"),
    (
        ScbTable(
            "employment_industry_rams", "AM/AM0207 (RAMS, by residence)", (2008, 2019),
            (REGION, INDUSTRY, SEX, YEAR, Variable("total", ("Alder",), optional=True)),
            (EMPLOYED,),
            search="förvärvsarbetande bostad näringsgren SNI 2007 kön",
            label="(förvärvsarbetande|sysselsatt).*(bostad|natt)",
            exclude="arbetsställe|dagbef",
        ),
        ScbTable(
            "employment_industry_bas", "AM/AM0210/AM0210B (BAS; cf. ArbStDoNArNN)", (2020, None),
            (REGION, INDUSTRY, SEX, YEAR, Variable("total", ("Alder",), optional=True)),
            (EMPLOYED,),
            search="sysselsatta bostad näringsgren SNI 2007 kön",
            label="sysselsatt.*(bostad|natt)",
            exclude="arbetsställe|dagbef",
        ),
    ),
    "Employed persons 16–74 living in the region (night population), by SNI 2007 section "
    "(a letter, or SCB's combined sections such as 'B+C' where the table has them) and sex. "
    "RAMS until 2019, BAS from 2020 (a break in the series).",
)  # fmt: skip

EMPLOYMENT_AGE = ModelTable(
    "employment_age",
    ("region", "year", "sex", "age_group", "employed", "population"),
    (
        ScbTable(
            "employment_age_bas", "AM/AM0210/AM0210A/ArbStatusAr", (2020, None),
            (REGION, Variable("age_group", ("Alder",)), SEX, YEAR),
            (Content("employed", (), "sysselsatt"), Content("population", (), "befolkning")),
            search="arbetsmarknadsstatus ålder kön region år",
            label="arbetsmarknadsstatus",
            exclude="månad",
        ),
    ),
    "Employed persons and the population of the same age group (BAS), by sex; age groups "
    "as SCB publishes them (e.g. '20-24').",
)  # fmt: skip

PROJECTION = ModelTable(
    "projection",
    ("region", "year", "sex", "age", "population"),
    (
        ScbTable(
            "projection", "BE/BE0401/BE0401A/BefolkprognRevNb", (CKM_FIRST_YEAR - 1, None),
            (
                Variable("region", ("Region",), optional=True),
                Variable("total", (), label="född|födelse", optional=True),
                AGE, SEX, YEAR,
            ),
            (Content("population", (), "folkmängd|befolkning"),),
            search="framskriven folkmängd ålder kön",
            label="framskriv|prognos",
        ),
    ),
    "SCB's official population projection for Sweden (Riket) by single year of age and sex, "
    "for comparison.",
    country_only=True,
)  # fmt: skip

ORDER = (POPULATION, BIRTHS, DEATHS, MIGRATION, EMPLOYMENT_INDUSTRY, EMPLOYMENT_AGE, PROJECTION)
MODEL_TABLES: dict[str, ModelTable] = {t.key: t for t in ORDER}


def registry() -> list[dict[str, str]]:
    """One row per SCB source: model table, source key, ids or search, years, v1 path."""
    rows = []
    for model in MODEL_TABLES.values():
        for source in model.sources:
            first, last = source.years
            rows.append(
                {
                    "table": model.key,
                    "source": source.key,
                    "ids": "/".join(source.table_ids) or f"search: {source.search}",
                    "years": f"{first}–{last or ''}",
                    "v1": source.subject_path,
                }
            )
    return rows
