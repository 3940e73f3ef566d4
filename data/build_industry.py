"""Employment history of the trend-driven sectors by NUTS2 region, for the industry trends.

SCB's RAMS day-population table by SNI section is in the facts for SE32, SE33 and Riket in
2016–2019 and 2021; sections are summed into the model's sectors, 2020 is left missing.
"""

from __future__ import annotations

import pandas as pd
from build_common import read_official

BASIS = "dagbefolkning, RAMS november (ålder ej angiven på sidan), SNI 2007 avdelning"
# model sector → SNI 2007 sections; G (trade) stands for the whole trade_transport sector
SECTIONS = {"agriculture": "A", "industry": "BCDE", "construction": "F", "trade_transport": "G"}


def industry_history() -> pd.DataFrame:
    """Employed persons by NUTS2 region (SE32, SE33, 00), sector and year [persons]."""
    emp = read_official("employment_by_industry")
    emp = emp[(emp.basis == BASIS) & (emp.sex == "totalt")].copy()
    emp["section"] = emp.industry.str[0]
    rows = []
    for sector, sections in SECTIONS.items():
        part = emp[emp.section.isin(list(sections))]
        counts = part.groupby(["region_code", "year"]).agg(
            employed=("employed", "sum"),
            sections=("section", "nunique"),
            url=("source_url", "first"),
        )
        for (region, year), row in counts.iterrows():
            if row.sections != len(sections):
                continue  # a section is missing that year: leave the year out
            rows.append(
                (region, sector, int(year), int(row.employed), f"SNI {','.join(sections)}", row.url)
            )
    return pd.DataFrame(
        rows, columns=["region_code", "sector", "year", "employed", "sections", "source_url"]
    ).sort_values(["region_code", "sector", "year"], ignore_index=True)
