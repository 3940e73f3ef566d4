"""The tidy tables the model needs for one region, fetched from SCB (or the cache).

`fetch_region(region, from_year)` returns, for the region (a county → the county and all
its municipalities; a municipality → itself), its county and Sweden (`"00"`), the tables of
`forecast.scb_tables.MODEL_TABLES` with exactly their `columns`. Historical tables (–2024)
and SCB's CKM tables (2025–) are stitched into one series; note that from 2025 SCB adds
Cell Key Method noise, so a 2025– total need not equal the sum of its parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd

from forecast.scb import (
    ScbClient,
    ScbError,
    Selection,
    TableNotFoundError,
    UnknownRegionError,
)
from forecast.scb_cache import ScbCache
from forecast.scb_tables import MODEL_TABLES, Content, ModelTable, ScbTable, Variable

SEXES = {"1": "male", "2": "female"}  # SCB Kon: 1 män, 2 kvinnor
COUNTRY = "00"
REGION_CODE = re.compile(r"00|\d{2}|\d{4}")
TOTAL_CODES = {"tot", "totsa", "tot1", "sc", "1+2", "totalt", "total"}
TOTAL_LABEL = re.compile(r"^(totalt|samtliga|total|alla)\b", re.IGNORECASE)
MIN_YEAR = 1968


def check_region_code(region: str) -> str:
    """`region` if it looks like an SCB code (00, 2-digit county, 4-digit municipality)."""
    region = str(region).strip()
    if not REGION_CODE.fullmatch(region):
        raise UnknownRegionError(
            f"unknown region code {region!r}: SCB codes are 00 (Sweden), two digits for a "
            "county (e.g. 25) or four for a municipality (e.g. 2580)"
        )
    return region


def age_code(code: str) -> int | None:
    """Single years: '0'…'99' → int, '100+' / '100+1' (the open group) → 100; else None."""
    if code.isdigit():
        return int(code) if int(code) <= 100 else None
    return 100 if re.fullmatch(r"100\+\d*", code) else None


def mother_age_code(code: str) -> int | None:
    """Mother's age: '-14' → 14 and '49+' → 49 (SCB's open bands), '15'…'48' → int."""
    match = re.fullmatch(r"-?(\d{1,2})\+?", code)
    return int(match[1]) if match else None


def age_group_code(code: str) -> str | None:
    """Age groups as published ('16-19', '65-74', '-19', '75+'); totals → None."""
    return code if re.fullmatch(r"\d+-\d+|-\d+|\d+\+", code) else None


def industry_code(code: str) -> str | None:
    """SNI 2007 section letters ('A'…'U', or combined as 'B+C'); totals, unknown → None."""
    return code if re.fullmatch(r"[A-U](\+[A-U])*", code) else None


DECODERS: dict[str, Callable[[str], Any]] = {
    "age": age_code,
    "mother_age": mother_age_code,
    "age_group": age_group_code,
    "industry": industry_code,
    "sex": SEXES.get,
}


def find_variable(meta: dict[str, Any], variable: Variable) -> str | None:
    """The table's variable code for `variable`, by code, else by label regex."""
    for code in variable.codes:
        if code in meta["dimension"]:
            return code
    if variable.label:
        for code, dim in meta["dimension"].items():
            if re.search(variable.label, str(dim.get("label", "")), re.IGNORECASE):
                return code
    return None


def find_content(labels: dict[str, str], content: Content) -> str | None:
    """The ContentsCode for `content`: a known code, else the first matching label."""
    for code in content.codes:
        if code in labels:
            return code
    if content.label:
        for code, label in labels.items():
            if re.search(content.label, label, re.IGNORECASE):
                return code
    return None


def categories(meta: dict[str, Any], variable: str) -> dict[str, str]:
    """code → label of one dimension, in table order."""
    category = meta["dimension"][variable]["category"]
    index = category.get("index", list(category.get("label", {})))
    order = index if isinstance(index, list) else sorted(index, key=index.get)
    return {str(code): str(category.get("label", {}).get(code, code)) for code in order}


def check_metadata(source: ScbTable, table_id: str, meta: dict[str, Any]) -> list[str]:
    """What `meta` lacks for `source` (empty if it fits): variables and contents."""
    missing = [
        v.role + f" ({'/'.join(v.codes) or v.label})"
        for v in source.variables
        if not v.optional and find_variable(meta, v) is None
    ]
    if "ContentsCode" not in meta.get("dimension", {}):
        return [*missing, "ContentsCode"]
    labels = categories(meta, "ContentsCode")
    missing += [f"content {c.column}" for c in source.contents if find_content(labels, c) is None]
    return missing


def overlaps(table: dict[str, Any], years: tuple[int, int | None]) -> bool:
    """Whether a /tables entry's periods overlap `years` (first, last or open)."""
    try:
        first, last = int(str(table["firstPeriod"])[:4]), int(str(table["lastPeriod"])[:4])
    except (KeyError, ValueError):
        return False
    return last >= years[0] and (years[1] is None or first <= years[1])


def search_candidates(source: ScbTable, tables: list[dict[str, Any]]) -> list[str]:
    """Ids from a /tables search that may be `source`: annual, not discontinued, label
    matching `label` and not `exclude`, periods overlapping its years."""
    found = []
    for table in tables:
        label = str(table.get("label", ""))
        if (
            table.get("timeUnit", "Annual") == "Annual"
            and not table.get("discontinued")
            and re.search(source.label, label, re.IGNORECASE)
            and not (source.exclude and re.search(source.exclude, label, re.IGNORECASE))
            and overlaps(table, source.years)
        ):
            found.append(str(table["id"]))
    return found


def resolve(source: ScbTable, client: ScbClient) -> tuple[str, dict[str, Any]]:
    """The table id for `source` and its metadata: the known ids in order, else the
    tables a `/tables?query=` search finds; the first whose metadata fits is used."""
    candidates = list(source.table_ids)
    if source.search:
        candidates += search_candidates(source, client.get_tables(source.search))
    problems = []
    for table_id in dict.fromkeys(candidates):
        try:
            meta = client.get_metadata(table_id)
        except TableNotFoundError:
            problems.append(f"{table_id} does not exist")
            continue
        missing = check_metadata(source, table_id, meta)
        if not missing:
            return table_id, meta
        problems.append(f"{table_id} lacks {', '.join(missing)}")
    how = f"search {source.search!r}" if source.search else "known ids"
    raise TableNotFoundError(
        f"no SCB table fits {source.key} ({source.subject_path}; {how}: "
        f"{'; '.join(problems) or 'nothing found'}); update forecast/scb_tables.py"
    )


def region_codes(region: str, available: list[str], country_only: bool) -> list[str]:
    """The regions to ask for: a county with its municipalities, a municipality with its
    county, and the country — those the table has."""
    if country_only or region == COUNTRY:
        wanted = [COUNTRY]
    elif len(region) == 2:
        wanted = [c for c in available if len(c) == 4 and c.startswith(region)]
        wanted += [region, COUNTRY]
    else:
        wanted = [region, region[:2], COUNTRY]
    return [code for code in wanted if code in available]


def years_of(source: ScbTable, codes: list[str], from_year: int) -> list[str]:
    """Annual period codes from `from_year` on, within the source's years."""
    last = source.years[1] or 9999
    first = max(from_year, source.years[0])
    return [c for c in codes if re.fullmatch(r"\d{4}", c) and first <= int(c) <= last]


def build_selection(
    source: ScbTable, meta: dict[str, Any], region: str, from_year: int, country_only: bool
) -> tuple[Selection, dict[str, str], dict[str, str]]:
    """The query for `source` and the variable → role and content → column maps to decode
    the answer. Eliminable variables to total out are left out (SCB sums them)."""
    selection: Selection = []
    roles: dict[str, str] = {}
    for variable in source.variables:
        code = find_variable(meta, variable)
        if code is None:
            continue
        values = categories(meta, code)
        eliminable = meta["dimension"][code].get("extension", {}).get("elimination", False)
        if variable.role == "total":
            if eliminable:
                continue
            totals = [
                c for c, label in values.items()
                if c.lower() in TOTAL_CODES or TOTAL_LABEL.match(label)
            ]  # fmt: skip
            chosen = totals[:1] or list(values)
        elif variable.role == "region":
            chosen = region_codes(region, list(values), country_only)
            if region not in values and not country_only:
                raise UnknownRegionError(
                    f"unknown region code {region!r}: not among SCB's regions of "
                    f"{meta.get('extension', {}).get('px', {}).get('tableid', source.key)}"
                )
        elif variable.role == "year":
            chosen = years_of(source, list(values), from_year)
        else:
            decode = DECODERS[variable.role]
            chosen = [c for c in values if decode(c) is not None]
        if not chosen:
            raise ScbError(f"{source.key}: no {variable.role} values to ask for in {code}")
        selection.append({"variableCode": code, "valueCodes": chosen})
        roles[code] = variable.role
    labels = categories(meta, "ContentsCode")
    contents = {find_content(labels, c) or "": c.column for c in source.contents}
    selection.append({"variableCode": "ContentsCode", "valueCodes": list(contents)})
    return selection, roles, contents


def tidy(
    raw: pd.DataFrame, model: ModelTable, roles: dict[str, str], contents: dict[str, str]
) -> pd.DataFrame:
    """An SCB answer (parse_jsonstat2) as the model table's tidy columns; variables with
    role `total` are summed, contents become columns."""
    frame = pd.DataFrame({"value": raw["value"].to_numpy()})
    for code, role in roles.items():
        if role == "year":
            frame["year"] = raw[code].astype(int).to_numpy()
        elif role in DECODERS:
            frame[role] = raw[code].map(DECODERS[role]).to_numpy()
        elif role == "region":
            frame["region"] = raw[code].to_numpy()
    if "region" not in frame:
        frame["region"] = COUNTRY
    frame["column"] = raw["ContentsCode"].map(contents).to_numpy()
    keys = [c for c in model.columns if c in frame.columns]
    summed = frame.groupby([*keys, "column"], sort=True)["value"].sum(min_count=1)
    wide = summed.unstack("column").reset_index().rename_axis(columns=None)
    for column in model.columns:
        if column not in wide:
            wide[column] = float("nan")
    for column in ("age", "mother_age"):
        if column in wide:
            wide[column] = wide[column].astype(int)
    return wide[list(model.columns)]


def fetch_table(
    model: ModelTable, region: str, from_year: int, client: ScbClient
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """One tidy table from its SCB sources (stitched in time), and their provenance."""
    parts, provenance = [], []
    for source in model.sources:
        if source.years[1] is not None and source.years[1] < from_year:
            continue
        table_id, meta = resolve(source, client)
        selection, roles, contents = build_selection(
            source, meta, region, from_year, model.country_only
        )
        raw = client.get_data(table_id, selection)
        parts.append(tidy(raw, model, roles, contents))
        provenance.append(
            {
                "source": source.key,
                "table_id": table_id,
                "label": str(meta.get("label", "")),
                "updated": raw.attrs.get("updated") or str(meta.get("updated", "")),
                "query": {"selection": selection},
                "url": f"{client.base_url}/tables/{table_id}/data?lang={client.lang}"
                "&outputFormat=json-stat2",
            }
        )
    data = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=model.columns)
    keys = [c for c in model.columns if c in ("region", "year", "sex", "age", "mother_age",
                                               "industry", "age_group")]  # fmt: skip
    # Where a historical and a CKM table overlap, the later (CKM) source wins
    data = data.drop_duplicates(subset=keys, keep="last").sort_values(keys, ignore_index=True)
    return data, provenance


def fetch_region(
    region: str,
    from_year: int = 2000,
    refresh: bool = False,
    client: ScbClient | None = None,
    cache: ScbCache | None = None,
    progress: Callable[[str], object] | None = None,
) -> dict[str, pd.DataFrame]:
    """Every tidy table of MODEL_TABLES for `region` from `from_year` to SCB's latest year.

    region: SCB code ("00", county "25", municipality "2580"). Tables come from the cache
    (`<key>_<region>`) unless `refresh` or the cached copy starts after `from_year`; fetched
    tables are cached at once, so a failure later leaves the earlier ones cached and the
    failed one's previous copy intact. progress gets one line per table.
    Columns (the contract; flows during the year, stocks on 31 December, persons):
      population, projection: region, year, sex, age, population
      births: region, year, mother_age, births
      deaths: region, year, sex, age, deaths   (age reached during the year)
      migration: region, year, sex, age, immigrants, emigrants, domestic_in, domestic_out
      employment_industry: region, year, industry, sex, employed
      employment_age: region, year, sex, age_group, employed, population
    sex is "female"/"male", age 0–100 (100 = 100+); SCB's codes are kept for region.
    """
    region = check_region_code(region)
    if not MIN_YEAR <= from_year <= date.today().year:
        raise ScbError(f"--from {from_year}: SCB's series start in {MIN_YEAR}")
    cache = cache if cache is not None else ScbCache()
    say = progress or (lambda _: None)
    own = client is None
    client = client or ScbClient()
    tables: dict[str, pd.DataFrame] = {}
    try:
        for number, model in enumerate(MODEL_TABLES.values(), start=1):
            where = f"{model.key} for {region} ({number}/{len(MODEL_TABLES)})"
            meta = None if refresh else cache.read_meta(model.key, region)
            if meta is not None and meta.get("from_year", 9999) <= from_year:
                data = cache.read(model.key, region)
                if data is not None:
                    say(f"{where}: cached {meta['fetched'][:10]} (--refresh to fetch again)")
                    tables[model.key] = data[data.year >= from_year].reset_index(drop=True)
                    continue
            say(f"fetching {where} …")
            data, provenance = fetch_table(model, region, from_year, client)
            cache.write(model.key, region, data, {"from_year": from_year, "tables": provenance})
            tables[model.key] = data
    finally:
        if own:
            client.close()
    return tables
