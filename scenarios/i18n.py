"""Swedish and English labels for the explorer, and number formatting in either language.

Swedish is the default. Numbers follow Swedish typography when ``lang == "sv"``: a no-break
space (U+00A0) groups thousands, a comma marks decimals and a true minus sign (U+2212)
marks negatives ("−12 345,5"); English uses "-12,345.5". Charts get the same conventions
through :func:`vega_locale`, so tables, tooltips and axes agree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

import pandas as pd

Lang = Literal["sv", "en"]
LANGUAGES: tuple[Lang, Lang] = ("sv", "en")
DEFAULT_LANG: Lang = "sv"

NBSP = "\u00a0"  # thousands separator in Swedish (CLDR "sv")
MINUS = "\u2212"  # Swedish typography uses the minus sign, not the hyphen

LABELS: dict[str, dict[str, str]] = {
    # Page and sidebar
    "app_title": {
        "sv": "Kompetensförsörjning till 2033 – scenarioutforskaren",
        "en": "Workforce to 2033 – scenario explorer",
    },
    "app_intro": {
        "sv": "Jämför två scenarier för befolkning, arbetskraft och personalbehov i en region.",
        "en": "Compare two scenarios for population, labour supply and staffing needs in a region.",
    },
    "language": {"sv": "Språk / Language", "en": "Språk / Language"},
    "region": {"sv": "Område", "en": "Area"},
    "scenario_a": {"sv": "Scenario A", "en": "Scenario A"},
    "scenario_b": {"sv": "Scenario B", "en": "Scenario B"},
    "seed": {"sv": "Slumpfrö", "en": "Random seed"},
    "seed_help": {
        "sv": "Samma scenario, data och slumpfrö ger alltid samma resultat.",
        "en": "The same scenario, data and seed always give the same result.",
    },
    "coverage_note": {"sv": "Tunt dataunderlag", "en": "Thin data coverage"},
    "inputs_failed": {
        "sv": "Kunde inte läsa indata.",
        "en": "Could not read the input data.",
    },
    "rebuild_hint": {
        "sv": "Kör `python data/build.py` för att återskapa härledda filer",
        "en": "Run `python data/build.py` to rebuild the derived files",
    },
    "run_failed": {"sv": "Scenariot kunde inte köras", "en": "The scenario could not be run"},
    "running": {"sv": "Räknar fram scenarierna …", "en": "Running the scenarios …"},
    # Tabs
    "tab_population": {"sv": "Befolkning", "en": "Population"},
    "tab_supply_demand": {"sv": "Tillgång och efterfrågan", "en": "Supply and demand"},
    "tab_levers": {"sv": "Åtgärder", "en": "Levers"},
    "tab_data": {"sv": "Data och källor", "en": "Data and sources"},
    "gap_metric": {
        "sv": "Brist på arbetskraft {end}, årsarbetare – {scenario}",
        "en": "Labour shortage in {end}, FTE – {scenario}",
    },
    "gap_metric_help": {
        "sv": "Efterfrågan minus tillgång i alla sektorer; negativt betyder överskott.",
        "en": "Demand minus supply over all sectors; negative means a surplus.",
    },
    # Population tab
    "pyramid_title": {
        "sv": "Befolkning efter ålder och kön, {base} och {end}",
        "en": "Population by age and sex, {base} and {end}",
    },
    "pyramid_caption": {
        "sv": "Staplar: {base}. Linje: {end} enligt scenario {scenario}.",
        "en": "Bars: {base}. Line: {end} under scenario {scenario}.",
    },
    "key_figures": {"sv": "Nyckeltal", "en": "Key figures"},
    "age_group": {"sv": "Åldersgrupp", "en": "Age group"},
    "total": {"sv": "Totalt", "en": "Total"},
    "change_persons": {"sv": "Förändring (personer)", "en": "Change (persons)"},
    "change_percent": {"sv": "Förändring (%)", "en": "Change (%)"},
    "age": {"sv": "Ålder (år)", "en": "Age (years)"},
    "year": {"sv": "År", "en": "Year"},
    "female": {"sv": "Kvinnor", "en": "Women"},
    "male": {"sv": "Män", "en": "Men"},
    "fan_title": {
        "sv": "Folkmängd {base}–{end}: median och osäkerhetsintervall",
        "en": "Population {base}–{end}: median and uncertainty intervals",
    },
    "fan_caption": {
        "sv": "{draws} slumpade framtider för fruktsamhet, dödlighet och flyttningar. Mörkt band: "
        "80 % av utfallen, ljust band: 95 %. Baktestet visar att intervallen snarare är för smala.",
        "en": "{draws} random futures of fertility, mortality and migration. Dark band: 80 % of "
        "outcomes, light band: 95 %. The back-test shows the intervals are rather too narrow.",
    },
    "median": {"sv": "Median", "en": "Median"},
    "band_80": {"sv": "80 %", "en": "80 %"},
    "band_95": {"sv": "95 %", "en": "95 %"},
    # Levers tab
    "levers_title": {
        "sv": "Extra årsarbetare per åtgärd {end}",
        "en": "Extra full-time equivalents per lever in {end}",
    },
    "levers_caption": {
        "sv": "Varje åtgärd simuleras månad för månad; staplarna visar effekten {end} jämfört "
        "med om åtgärden inte genomförs.",
        "en": "Each lever is simulated month by month; the bars show its effect in {end} "
        "against not taking it.",
    },
    "no_levers": {
        "sv": "Scenariot {scenario} innehåller inga åtgärder.",
        "en": "Scenario {scenario} has no levers.",
    },
    "lever": {"sv": "Åtgärd", "en": "Lever"},
    "lever_working_life": {"sv": "Längre arbetsliv", "en": "Longer working life"},
    "lever_part_time_hours": {"sv": "Fler timmar för deltidare", "en": "More hours, part-timers"},
    "lever_validation": {"sv": "Validering", "en": "Validation"},
    "lever_sick_leave": {"sv": "Lägre sjukfrånvaro", "en": "Lower sick leave"},
    "lever_migration": {"sv": "Inflyttning", "en": "In-migration"},
    "lever_parental_leave": {"sv": "Jämställd föräldraledighet", "en": "Equal parental leave"},
    "lever_education": {"sv": "Yrkesutbildning", "en": "Vocational education"},
    "lever_shared_services": {"sv": "Delade tjänster", "en": "Shared services"},
    # Supply and demand tab
    "sector": {"sv": "Sektor", "en": "Sector"},
    "all_sectors": {"sv": "Alla sektorer", "en": "All sectors"},
    "supply_demand_title": {
        "sv": "Efterfrågan på och tillgång till arbetskraft – {sector}",
        "en": "Labour demand and supply – {sector}",
    },
    "gap_title": {
        "sv": "Brist på arbetskraft (efterfrågan minus tillgång) – {sector}",
        "en": "Labour shortage (demand minus supply) – {sector}",
    },
    "gap_axis": {"sv": "Brist (+)", "en": "Shortage (+)"},
    "demand": {"sv": "Efterfrågan", "en": "Demand"},
    "supply": {"sv": "Tillgång", "en": "Supply"},
    "measure": {"sv": "Mått", "en": "Measure"},
    "scenario": {"sv": "Scenario", "en": "Scenario"},
    "value": {"sv": "Värde", "en": "Value"},
    "gap_table": {"sv": "Brist per år", "en": "Shortage by year"},
    # Data tab
    "data_vintage": {"sv": "Dataårgång", "en": "Data vintage"},
    "base_year": {"sv": "Basår", "en": "Base year"},
    "horizon": {"sv": "Prognoshorisont", "en": "Forecast horizon"},
    "scenarios": {"sv": "Scenarier", "en": "Scenarios"},
    "sources_note": {
        "sv": "Metoder och källor för varje siffra beskrivs i `data/SOURCES.md`.",
        "en": "Methods and sources for every figure are described in `data/SOURCES.md`.",
    },
    # Downloads
    "download_png": {"sv": "Ladda ned PNG", "en": "Download PNG"},
    "download_svg": {"sv": "Ladda ned SVG", "en": "Download SVG"},
    "download_csv": {"sv": "Ladda ned CSV", "en": "Download CSV"},
    "download_xlsx": {"sv": "Ladda ned Excel", "en": "Download Excel"},
    "download_toml": {
        "sv": "Ladda ned scenariofilen {name}.toml",
        "en": "Download the scenario file {name}.toml",
    },
    # Report (scenarios/report.py)
    "report_title": {
        "sv": "Kompetensförsörjning i {region} – {scenario}",
        "en": "Workforce in {region} – {scenario}",
    },
    "report_meta": {
        "sv": "Scenario `{name}` · basår {base} · prognos till {end} · dataårgång: {vintage} · "
        "slumpfrö {seed}",
        "en": "Scenario `{name}` · base year {base} · projected to {end} · data vintage: "
        "{vintage} · seed {seed}",
    },
    "report_central": {
        "sv": "Siffrorna är prognosens centralbana.",
        "en": "The figures are the projection's central path.",
    },
    "report_draws": {
        "sv": "Siffrorna är medianer över {draws} slumpade framtider; 10 % och 90 % avgränsar "
        "ett intervall som rymmer 80 % av dem.",
        "en": "The figures are medians over {draws} random futures; 10% and 90% bound an "
        "interval holding 80% of them.",
    },
    "report_summary": {"sv": "Sammanfattning", "en": "Summary"},
    "report_until": {"sv": "Fram till {last}", "en": "Up to {last}"},
    "report_during": {"sv": "Under {first}–{last}", "en": "In {first}–{last}"},
    "report_welfare_need": {
        "sv": "{when} behöver {need} personer rekryteras i välfärden, varav {replacement} för "
        "att ersätta dem som går i pension, får sjukersättning eller avlider.",
        "en": "{when}, {need} people need to be recruited in the welfare services, {replacement} "
        "of them to replace those who retire, leave on disability or die.",
    },
    "report_welfare_need_only": {
        "sv": "{when} behöver {need} personer rekryteras i välfärden.",
        "en": "{when}, {need} people need to be recruited in the welfare services.",
    },
    "report_total_gap": {
        "sv": "Räknat över alla sektorer saknas {gap} årsarbetare {end}.",
        "en": "Over all sectors, {gap} FTE are missing in {end}.",
    },
    "report_total_surplus": {
        "sv": "Räknat över alla sektorer finns {gap} årsarbetare fler än som behövs {end}.",
        "en": "Over all sectors, there are {gap} FTE more than needed in {end}.",
    },
    "report_biggest_gap": {
        "sv": "Störst brist {end} väntas inom {sector}: {gap} årsarbetare.",
        "en": "The largest shortage in {end} is expected in {sector}: {gap} FTE.",
    },
    "report_no_gap": {
        "sv": "Ingen sektor väntas ha brist på arbetskraft {end}.",
        "en": "No sector is expected to be short of labour in {end}.",
    },
    "report_elderly_care": {
        "sv": "Behovet av personal i äldreomsorgen förändras med {change} från {base} till {end}.",
        "en": "The staff needed in elderly care changes by {change} from {base} to {end}.",
    },
    "report_population_change": {
        "sv": "Antalet invånare i åldern 20–66 år förändras med {working} och antalet som är "
        "85 år eller äldre med {oldest} ({base}–{end}).",
        "en": "The number of residents aged 20–66 changes by {working} and the number aged 85 "
        "or over by {oldest} ({base}–{end}).",
    },
    "report_sectors": {
        "sv": "Sektorer: balans {end} och rekryteringsbehov",
        "en": "Sectors: balance in {end} and recruitment needs",
    },
    "report_yearly": {"sv": "Totalt per år", "en": "Totals by year"},
    "report_notes": {
        "sv": "Brist = efterfrågan − tillgång; ett negativt värde är ett överskott. "
        "Rekryteringsbehov = expansionsbehov (ökad efterfrågan) + ersättningsbehov (pension, "
        "sjukersättning och dödsfall). Personer och årsarbetare är avrundade till heltal, så "
        "delsummorna är exakt summan av sina rader.",
        "en": "Shortage = demand − supply; a negative value is a surplus. Recruitment need = "
        "expansion need (growth in demand) + replacement need (retirement, disability and "
        "death). Persons and FTE are rounded to whole numbers, so the subtotals are exactly "
        "the sums of their rows.",
    },
    "report_sheet_sectors": {"sv": "Sektorer", "en": "Sectors"},
    "report_sheet_yearly": {"sv": "Per år", "en": "By year"},
    "report_change": {"sv": "Förändring", "en": "Change"},
    "report_population_total": {"sv": "Folkmängd (personer)", "en": "Population (persons)"},
    "report_age_20_66": {"sv": "20–66 år (personer)", "en": "Aged 20–66 (persons)"},
    "report_age_85": {"sv": "85 år och äldre (personer)", "en": "Aged 85+ (persons)"},
    "report_gap_all": {
        "sv": "Brist, alla sektorer (årsarbetare)",
        "en": "Shortage, all sectors (FTE)",
    },
    "report_welfare_total": {"sv": "Välfärden totalt", "en": "Welfare, total"},
    "report_other_total": {"sv": "Övriga sektorer totalt", "en": "Other sectors, total"},
    "report_demand_change": {
        "sv": "Efterfrågan, förändring {base}–{end} (%)",
        "en": "Demand, change {base}–{end} (%)",
    },
    "report_unit_persons": {"sv": "personer", "en": "persons"},
    "report_unit_fte": {"sv": "årsarbetare", "en": "FTE"},
    "report_population": {"sv": "Folkmängd", "en": "Population"},
    "report_supply_fte": {"sv": "Tillgång", "en": "Supply"},
    "report_demand_fte": {"sv": "Efterfrågan", "en": "Demand"},
    "report_gap_fte": {"sv": "Brist", "en": "Shortage"},
    "report_retirements": {"sv": "Pensioneringar", "en": "Retirements"},
    "report_expansion_need": {"sv": "Expansionsbehov", "en": "Expansion need"},
    "report_replacement_need": {"sv": "Ersättningsbehov", "en": "Replacement need"},
    "report_recruitment_need": {"sv": "Rekryteringsbehov", "en": "Recruitment need"},
    # Comparison, waterfall and age-group charts
    "waterfall_title": {
        "sv": "Från brist utan åtgärder till brist med åtgärder {year}",
        "en": "From the gap without measures to the gap with measures in {year}",
    },
    "waterfall_title_any": {
        "sv": "Från brist utan åtgärder till brist med åtgärder",
        "en": "From the gap without measures to the gap with measures",
    },
    "waterfall_without": {"sv": "Brist utan åtgärder", "en": "Gap without measures"},
    "waterfall_with": {"sv": "Brist med åtgärder", "en": "Gap with measures"},
    "waterfall_other": {
        "sv": "Övriga effekter (t.ex. nya invånares behov av välfärd)",
        "en": "Other effects (e.g. new residents' demand for welfare)",
    },
    "waterfall_axis": {"sv": "Brist (+)", "en": "Gap (+ = shortage)"},
    "waterfall_step": {"sv": "Steg", "en": "Step"},
    "waterfall_change": {"sv": "Förändring av bristen", "en": "Change in the gap"},
    "waterfall_after": {"sv": "Brist efter steget", "en": "Gap after the step"},
    "waterfall_effect": {"sv": "Effekt", "en": "Effect"},
    "waterfall_decrease": {"sv": "Minskar bristen", "en": "Reduces the gap"},
    "waterfall_increase": {"sv": "Ökar bristen", "en": "Increases the gap"},
    "waterfall_total": {"sv": "Brist totalt", "en": "Total gap"},
    "age_fan_title": {
        "sv": "Befolkning per åldersgrupp {base}–{end}: median och osäkerhetsintervall",
        "en": "Population by age group {base}–{end}: median and uncertainty intervals",
    },
    "age_group_years": {"sv": "{group} år", "en": "Aged {group}"},
    "population_axis": {"sv": "Folkmängd", "en": "Population"},
    "compare_title": {
        "sv": "{measure} i alla sektorer – scenarierna jämförda",
        "en": "{measure} over all sectors – scenarios compared",
    },
    "compare_band_note": {"sv": "80 %-intervall", "en": "80 % interval"},
    "compare_col_year": {"sv": "{measure} {year} ({unit})", "en": "{measure} {year} ({unit})"},
    "compare_col_period": {
        "sv": "{measure} {first}–{last} ({unit})",
        "en": "{measure} {first}–{last} ({unit})",
    },
    # Explorer pages: overview, lever builder, comparison, data
    "app_intro_pages": {
        "sv": "Befolkning, arbetskraft och personalbehov i en region till 2033: jämför scenarier "
        "och pröva egna åtgärder.",
        "en": "Population, labour supply and staffing needs in a region to 2033: compare "
        "scenarios and try your own levers.",
    },
    "tab_overview": {"sv": "Översikt", "en": "Overview"},
    "tab_compare": {"sv": "Jämför scenarier", "en": "Compare scenarios"},
    "metric_gap": {"sv": "Brist {end} (årsarbetare)", "en": "Shortage {end} (FTE)"},
    "metric_recruitment": {
        "sv": "Rekryteringsbehov {base}–{end} (personer)",
        "en": "Recruitment need {base}–{end} (persons)",
    },
    "metric_working_age": {"sv": "20–66 år, {base}–{end}", "en": "Aged 20–66, {base}–{end}"},
    "metric_oldest": {"sv": "85 år och äldre, {base}–{end}", "en": "Aged 85+, {base}–{end}"},
    "overview_caption": {
        "sv": "Centralbanan. Brist = efterfrågan minus tillgång; rekryteringsbehov = "
        "pensioneringar, sjukersättning och dödsfall som ska ersättas plus ökad efterfrågan.",
        "en": "Central path. Shortage = demand minus supply; recruitment need = retirements, "
        "disability exits and deaths to replace plus growth in demand.",
    },
    "unit_choice": {"sv": "Enhet", "en": "Unit"},
    "recruitment_table": {
        "sv": "Rekryteringsbehov per sektor, {scenario}",
        "en": "Recruitment need by sector, {scenario}",
    },
    "period": {"sv": "Period", "en": "Period"},
    "builder_title": {"sv": "Bygg ett eget scenario", "en": "Build your own scenario"},
    "builder_intro": {
        "sv": "Slå på åtgärder och flytta reglagen: resultatet räknas om direkt för {draws} "
        "möjliga befolkningsutvecklingar. Varje åtgärd simuleras en gång (sitt förväntade "
        "förlopp); intervallen visar befolkningens osäkerhet.",
        "en": "Switch levers on and move the sliders: the result is recomputed at once for "
        "{draws} possible population futures. Each lever is simulated once (its expected "
        "course); the intervals show the population's uncertainty.",
    },
    "lever_on": {"sv": "Använd", "en": "Use"},
    "control_help": {"sv": "Källa: {source}.", "en": "Source: {source}."},
    "no_lever_on": {
        "sv": "Slå på minst en åtgärd för att se vad den ger.",
        "en": "Switch on at least one lever to see what it gives.",
    },
    "impossible": {
        "sv": "De valda värdena går inte ihop – ändra något av dem",
        "en": "The chosen values do not go together – change one of them",
    },
    "live_gap": {
        "sv": "Brist {end} med åtgärderna, median (årsarbetare)",
        "en": "Shortage {end} with the levers, median (FTE)",
    },
    "live_gap_base": {
        "sv": "Brist {end} utan åtgärder, median (årsarbetare)",
        "en": "Shortage {end} without levers, median (FTE)",
    },
    "live_interval": {
        "sv": "80 % av utfallen: {low} till {high}",
        "en": "80 % of outcomes: {low} to {high}",
    },
    "computed_in": {
        "sv": "Beräknat på {seconds} s ({draws} befolkningsutvecklingar).",
        "en": "Computed in {seconds} s ({draws} population futures).",
    },
    "own_scenario": {"sv": "Eget scenario", "en": "Own scenario"},
    "preset_levers": {
        "sv": "Åtgärderna i de valda scenarierna",
        "en": "The levers of the chosen scenarios",
    },
    "compare_pick": {"sv": "Scenarier att jämföra (2–4)", "en": "Scenarios to compare (2–4)"},
    "compare_variable": {"sv": "Visa", "en": "Show"},
    "compare_need_two": {
        "sv": "Välj två till fyra scenarier.",
        "en": "Choose two to four scenarios.",
    },
    "provenance_title": {
        "sv": "Indata och deras ursprung",
        "en": "Inputs and where they come from",
    },
    "file": {"sv": "Fil", "en": "File"},
    "rows": {"sv": "Rader", "en": "Rows"},
    "status_official": {"sv": "Officiella", "en": "Official"},
    "status_derived": {"sv": "Härledda", "en": "Derived"},
    "status_assumption": {"sv": "Antaganden", "en": "Assumptions"},
    "method": {"sv": "Metod", "en": "Method"},
    "sector_methods": {
        "sv": "Sektorer, deltid och efterfrågan",
        "en": "Sectors, part time and demand",
    },
    "sources_full": {
        "sv": "Alla källor och metoder (data/SOURCES.md)",
        "en": "All sources and methods (data/SOURCES.md)",
    },
    "part_time_share": {"sv": "Andel deltid", "en": "Part-time share"},
    "demand_driver": {"sv": "Efterfrågan följer", "en": "Demand follows"},
    "driver_users": {
        "sv": "brukarna (befolkningen efter ålder)",
        "en": "users (population by age)",
    },
    "driver_trend": {"sv": "dämpad sysselsättningstrend", "en": "damped employment trend"},
    "driver_constant": {"sv": "basårets bemanning", "en": "base-year staffing"},
    # Local evidence: employer surveys, ambitions, groups
    "tab_local": {"sv": "Lokalt underlag", "en": "Local evidence"},
    "map_indicator": {"sv": "Karta: visa", "en": "Map: show"},
    "download_deck": {
        "sv": "Ladda ned bildspel för rådet (PPTX), {scenario}",
        "en": "Download a slide deck for the council (PPTX), {scenario}",
    },
    "map_missing": {"sv": "Kartan kan inte ritas", "en": "The map cannot be drawn"},
    "map_all": {
        "sv": "Rita kartan för alla 44 kommuner (tar några sekunder)",
        "en": "Draw the map of all 44 municipalities (takes a few seconds)",
    },
    "map_caption": {
        "sv": "Varje kommun i länet i scenario {scenario}. Klicka på en kommun för att välja "
        "den; dubbelklicka för att släppa.",
        "en": "Each municipality of the county in scenario {scenario}. Click a municipality to "
        "choose it; double-click to clear.",
    },
    "survey_title": {
        "sv": "Arbetsgivarnas egna bedömningar jämfört med modellen",
        "en": "Employers' own estimates next to the model",
    },
    "survey_area": {"sv": "Yrkesområde", "en": "Occupational area"},
    "survey_count": {
        "sv": "Enkät: rekryteringsbehov (personer)",
        "en": "Survey: recruitment need (persons)",
    },
    "survey_respondents": {"sv": "Svarande", "en": "Respondents"},
    "survey_sectors": {"sv": "Modellens sektorer", "en": "Model sectors"},
    "survey_model": {
        "sv": "Modell: rekryteringsbehov (personer)",
        "en": "Model: recruitment need (persons)",
    },
    "survey_ratio": {"sv": "Enkät ÷ modell", "en": "Survey ÷ model"},
    "survey_none": {
        "sv": "Det finns ingen arbetsgivarenkät för det här området i data.",
        "en": "There is no employer survey for this area in the data.",
    },
    "survey_why": {
        "sv": "Enkäten räknar {survey} rekryteringar {period}, modellen {model}. Enkäten räknar "
        "alla anställningar arbetsgivarna väntar sig – även personalomsättning, byten mellan "
        "arbetsplatser och interna flyttar – medan modellen räknar ökad efterfrågan plus dem "
        "som går i pension, får sjukersättning eller avlider. Modellens sektorer omfattar "
        "också privata utförare.",
        "en": "The survey counts {survey} hires in {period}, the model {model}. The survey counts "
        "every hire employers expect – including staff turnover, moves between workplaces and "
        "internal moves – while the model counts growth in demand plus those who retire, leave "
        "on disability or die. The model's sectors also include private providers.",
    },
    "ambitions_title": {
        "sv": "Befolkningsmål som måste gå ihop",
        "en": "Population targets that must add up",
    },
    "amb_name": {"sv": "Område", "en": "Area"},
    "amb_base": {"sv": "Folkmängd {base} (personer)", "en": "Population {base} (persons)"},
    "amb_target_year": {"sv": "Målår", "en": "Target year"},
    "amb_target": {"sv": "Mål (personer)", "en": "Target (persons)"},
    "amb_projected": {
        "sv": "Prognos målåret (personer)",
        "en": "Projected in the target year (persons)",
    },
    "amb_shortfall": {"sv": "Saknas (personer)", "en": "Shortfall (persons)"},
    "amb_net_projected": {
        "sv": "Flyttnetto per år, prognos (personer)",
        "en": "Net migration per year, projected (persons)",
    },
    "amb_net_needed": {
        "sv": "Flyttnetto per år som målet kräver (personer)",
        "en": "Net migration per year the target needs (persons)",
    },
    "amb_sum": {
        "sv": "Tillsammans kräver målen {extra} fler invånare än prognosen. Flyttningar inom "
        "Sverige är ett nollsummespel: kommer de från andra kommuner blir de lika många färre "
        "där. Kommer alla från utlandet måste Sveriges invandringsnetto {first}–{last} bli "
        "{needed} i stället för prognosens {projected}, och Sverige ha {riket} invånare {last} "
        "i stället för {riket_projected}.",
        "en": "Together the targets need {extra} more residents than projected. Moves within "
        "Sweden are zero-sum: if they come from other municipalities, those have as many fewer. "
        "If all come from abroad, Sweden's net immigration {first}–{last} must be {needed} "
        "instead of the projected {projected}, and Sweden have {riket} residents in {last} "
        "instead of {riket_projected}.",
    },
    "amb_county": {
        "sv": "{county}: målen saknar {shortfall} invånare – {share} av den övriga "
        "befolkningen i länet {last} om de skulle flytta inom länet.",
        "en": "{county}: the targets lack {shortfall} residents – {share} of the rest of the "
        "county's population in {last} if they were to move within the county.",
    },
    # Map
    "map_gap_per_1000": {
        "sv": "Brist {end} per 1\u00a0000 invånare",
        "en": "Shortage in {end} per 1,000 inhabitants",
    },
    "map_working_age_change": {
        "sv": "Förändring av antalet 20–66 år {base}–{end}",
        "en": "Change in people aged 20–66, {base}–{end}",
    },
    "map_oldest_growth": {
        "sv": "Förändring av antalet 85 år och äldre {base}–{end}",
        "en": "Change in people aged 85+, {base}–{end}",
    },
    "map_recruitment_need": {
        "sv": "Rekryteringsbehov {base}–{end}",
        "en": "Recruitment need {base}–{end}",
    },
    "map_recruitment_per_1000": {
        "sv": "Rekryteringsbehov {base}–{end} per 1\u00a0000 invånare",
        "en": "Recruitment need {base}–{end} per 1,000 inhabitants",
    },
    "map_survey_need": {
        "sv": "Rekryteringsbehov enligt enkät",
        "en": "Recruitment need according to a survey",
    },
    "map_unit_fte_per_1000": {
        "sv": "Årsarbetare per 1\u00a0000 invånare",
        "en": "FTE per 1,000 inhabitants",
    },
    "map_unit_percent": {"sv": "Procent", "en": "Percent"},
    "map_unit_persons": {"sv": "Personer", "en": "Persons"},
    "map_unit_persons_per_1000": {
        "sv": "Personer per 1\u00a0000 invånare",
        "en": "Persons per 1,000 inhabitants",
    },
    "map_title": {"sv": "{indicator} – {region}", "en": "{indicator} – {region}"},
    "map_municipality": {"sv": "Kommun", "en": "Municipality"},
    "map_no_value": {"sv": "Uppgift saknas", "en": "No figure"},
    "map_all_regions": {"sv": "Fyra nordliga län", "en": "Four northern counties"},
    # Slide deck
    "deck_title": {
        "sv": "Kompetensförsörjning i {region} till {end}",
        "en": "Workforce supply in {region} to {end}",
    },
    "deck_made": {"sv": "Skapad {date}", "en": "Made {date}"},
    "deck_vintage": {"sv": "Dataårgång: {vintage}", "en": "Data vintage: {vintage}"},
    "deck_footer": {
        "sv": "Dataårgång: {vintage} · Källa: {sources}",
        "en": "Data vintage: {vintage} · Source: {sources}",
    },
    "deck_source_all": {
        "sv": "SCB, Socialstyrelsen, Kolada, SKR, Pensionsmyndigheten; egen beräkning",
        "en": "Statistics Sweden (SCB), Socialstyrelsen, Kolada, SKR, Pensionsmyndigheten; "
        "own calculation",
    },
    "deck_source_population": {
        "sv": "SCB, befolkningsstatistik; egen befolkningsprognos",
        "en": "Statistics Sweden (SCB), population statistics; own projection",
    },
    "deck_source_labour": {
        "sv": "SCB (RAMS, AKU), Socialstyrelsen, Kolada, SKR; egen beräkning",
        "en": "Statistics Sweden (SCB: RAMS, LFS), Socialstyrelsen, Kolada, SKR; own calculation",
    },
    "deck_source_levers": {
        "sv": "SKR, Pensionsmyndigheten, scenariots antaganden; egen simulering",
        "en": "SKR, Pensionsmyndigheten, the scenario's assumptions; own simulation",
    },
    "deck_source_map": {
        "sv": "SCB; kommungränser från okfse/sweden-geojson (Valmyndigheten); egen beräkning",
        "en": "Statistics Sweden (SCB); municipal borders from okfse/sweden-geojson "
        "(Election Authority); own calculation",
    },
    "deck_source_method": {"sv": "data/SOURCES.md", "en": "data/SOURCES.md"},
    "deck_slide_key_figures": {"sv": "Nyckeltal", "en": "Key figures"},
    "deck_slide_pyramid": {"sv": "Befolkningen", "en": "The population"},
    "deck_slide_supply_demand": {
        "sv": "Efterfrågan, tillgång och brist",
        "en": "Demand, supply and shortage",
    },
    "deck_slide_waterfall": {"sv": "Vad åtgärderna gör", "en": "What the measures do"},
    "deck_slide_map": {"sv": "Bristen kommun för kommun", "en": "The shortage by municipality"},
    "deck_slide_sources": {"sv": "Källor och metod", "en": "Sources and method"},
    "deck_fig_gap": {"sv": "Brist {end}, årsarbetare", "en": "Shortage in {end}, FTE"},
    "deck_fig_surplus": {"sv": "Överskott {end}, årsarbetare", "en": "Surplus in {end}, FTE"},
    "deck_fig_need": {
        "sv": "Rekryteringsbehov {base}–{end}, personer",
        "en": "Recruitment need {base}–{end}, persons",
    },
    "deck_fig_working": {"sv": "Invånare 20–66 år, {base}–{end}", "en": "Aged 20–66, {base}–{end}"},
    "deck_fig_oldest": {
        "sv": "Invånare 85 år och äldre, {base}–{end}",
        "en": "Aged 85 and over, {base}–{end}",
    },
    "deck_caption_key_figures": {
        "sv": "{region}, scenario {scenario}: {base}–{end} behöver {need} personer rekryteras, "
        "och {end} {gap_text}.",
        "en": "{region}, scenario {scenario}: {need} people need to be recruited in "
        "{base}–{end}, and in {end} {gap_text}.",
    },
    "deck_gap_text": {"sv": "saknas {gap} årsarbetare", "en": "{gap} FTE are missing"},
    "deck_surplus_text": {
        "sv": "finns {gap} årsarbetare fler än som behövs",
        "en": "there are {gap} FTE more than needed",
    },
    "deck_caption_pyramid": {
        "sv": "Staplarna visar invånarna efter ålder och kön {base}, linjen {end}. Antalet "
        "85 år och äldre förändras med {oldest}, antalet 20–66 år med {working}.",
        "en": "The bars show the residents by age and sex in {base}, the line in {end}. The "
        "number aged 85 and over changes by {oldest}, the number aged 20–66 by {working}.",
    },
    "deck_caption_supply_demand": {
        "sv": "Efterfrågan är de årsarbetare som behövs, tillgången de som finns; bristen är "
        "skillnaden. Räknat över alla sektorer {gap_text} {end}.",
        "en": "Demand is the FTE needed, supply those available; the shortage is the "
        "difference. Over all sectors, {gap_text} in {end}.",
    },
    "deck_caption_waterfall": {
        "sv": "Bryggan visar hur scenariots åtgärder ändrar bristen {end}: från {without} "
        "årsarbetare utan åtgärder till {with_} med dem.",
        "en": "The bridge shows how the scenario's measures change the shortage in {end}: from "
        "{without} FTE without them to {with_} with them.",
    },
    "deck_no_levers": {
        "sv": "Scenariot {scenario} innehåller inga åtgärder, så inget ändras jämfört med "
        "utan åtgärder: {end} {gap_text}.",
        "en": "The scenario {scenario} has no measures, so nothing changes compared with no "
        "measures: in {end}, {gap_text}.",
    },
    "deck_no_levers_hint": {
        "sv": "Välj ett scenario med åtgärder, till exempel part_time_plus3 (deltidsanställda "
        "arbetar 3 timmar mer), för att se vad de gör.",
        "en": "Choose a scenario with measures, for example part_time_plus3 (part-timers work "
        "3 more hours), to see what they do.",
    },
    "deck_caption_map": {
        "sv": "Kartan visar bristen {end} per 1\u00a0000 invånare i varje kommun i {area}; "
        "rött är brist, blått överskott. I {region} är det {value} årsarbetare, högst i {top} "
        "({top_value}).",
        "en": "The map shows the shortage in {end} per 1,000 inhabitants in each municipality "
        "of {area}; red is a shortage, blue a surplus. {region} has {value} FTE, the highest "
        "is {top} ({top_value}).",
    },
    "deck_map_all": {"sv": "de fyra nordliga länen", "en": "the four northern counties"},
    "deck_caption_sources": {
        "sv": "Siffrorna är prognosens centralbana för scenariot {name}; samma data, scenario "
        "och slumpfrö ger alltid samma resultat.",
        "en": "The figures are the projection's central path for the scenario {name}; the same "
        "data, scenario and seed always give the same result.",
    },
    "deck_meta_scenario": {
        "sv": "Scenariofil: {name}.toml ({title})",
        "en": "Scenario file: {name}.toml ({title})",
    },
    "deck_meta_run": {
        "sv": "Basår {base}, prognos till {end}, slumpfrö {seed}",
        "en": "Base year {base}, projected to {end}, seed {seed}",
    },
    "deck_main_sources": {"sv": "Huvudsakliga källor:", "en": "Main sources:"},
    "deck_sources_list": {
        "sv": "SCB: befolkningsstatistik (folkmängd, födda, döda, flyttningar) och "
        "sysselsättning (RAMS, AKU)|Socialstyrelsen: äldreomsorg, LSS och individ- och "
        "familjeomsorg|Kolada: kostnad per brukare och elev|SKR: hel- och deltid, metoden "
        '"om inget förändras"|Pensionsmyndigheten: genomsnittlig ålder vid utträde',
        "en": "Statistics Sweden (SCB): population statistics (population, births, deaths, "
        "migration) and employment (RAMS, LFS)|Socialstyrelsen: elderly care, disability "
        "support, individual and family care|Kolada: cost per user and pupil|SKR: full- and "
        'part-time, the "if nothing changes" method|Pensionsmyndigheten: average exit age',
    },
    "deck_methods": {
        "sv": "Metod och alla källor: data/SOURCES.md",
        "en": "Methods and all sources: data/SOURCES.md",
    },
}

UNIT_LABELS: dict[str, dict[str, str]] = {
    "persons": {"sv": "Personer", "en": "Persons"},
    "fte": {"sv": "Heltidsekvivalenter (årsarbetare)", "en": "Full-time equivalents (FTE)"},
    "hours_per_week": {"sv": "Timmar per vecka", "en": "Hours per week"},
    "years": {"sv": "År", "en": "Years"},
}

_LEVEL_PREFIX = {"country": "", "county": "", "municipality": "– "}


def t(key: str, lang: Lang, **fields: object) -> str:
    """The label ``key`` in ``lang``, with ``{name}`` placeholders filled from ``fields``."""
    text = LABELS[key][lang]
    return text.format(**fields) if fields else text


def unit_label(units: str, lang: Lang) -> str:
    """Plain-language name of a unit code from ``attrs["units"]`` (e.g. "fte")."""
    try:
        return UNIT_LABELS[units][lang]
    except KeyError:
        return units


def format_number(value: float, lang: Lang, decimals: int = 0) -> str:
    """``value`` with thousands grouped and ``decimals`` decimals, in ``lang``'s conventions.

    >>> format_number(-12345.5, "sv", 1) == "\u221212\u00a0345,5"
    True
    >>> format_number(-12345.5, "en", 1)
    '-12,345.5'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{abs(value):,.{decimals}f}"
    negative = value < 0 and text.strip("0.,") != ""  # "-0" is shown as "0"
    if lang == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
        return (MINUS if negative else "") + text
    return ("-" if negative else "") + text


def format_percent(value: float, lang: Lang, decimals: int = 1) -> str:
    """``value`` (already in percent) with a percent sign: "12,5 %" (sv) or "12.5%" (en)."""
    number = format_number(value, lang, decimals)
    if number == "–":
        return number
    return f"{number}{NBSP}%" if lang == "sv" else f"{number}%"


def vega_locale(lang: Lang) -> dict[str, object]:
    """A Vega number locale so that chart axes and tooltips format like :func:`format_number`."""
    if lang == "sv":
        return {
            "number": {
                "decimal": ",",
                "thousands": NBSP,
                "grouping": [3],
                "currency": ["", f"{NBSP}kr"],
                "minus": MINUS,
                "percent": f"{NBSP}%",
            }
        }
    return {"number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}}


def region_choices(regions: pd.DataFrame) -> dict[str, str]:
    """Region codes → "name (code)", ordered: the country, then each county and its municipalities.

    ``regions`` is ``Inputs.regions``: columns ``name, level, parent`` and the code either as
    a ``region_code`` column or as the index. Municipalities get a leading dash so the county
    grouping shows in a flat list.
    """
    if "region_code" not in regions.columns:
        regions = regions.rename_axis("region_code").reset_index()
    rows = {str(r.region_code): r for r in regions.itertuples(index=False)}

    def label(code: str) -> str:
        row = rows[code]
        return f"{_LEVEL_PREFIX.get(str(row.level), '')}{row.name} ({code})"

    def children(parent: str, level: str) -> list[str]:
        return sorted(
            code for code, r in rows.items() if str(r.parent) == parent and r.level == level
        )

    ordered: list[str] = sorted(code for code, r in rows.items() if r.level == "country")
    counties = sorted(code for code, r in rows.items() if r.level == "county")
    for county in counties:
        ordered.append(county)
        ordered.extend(children(county, "municipality"))
    # Anything not reached above (e.g. a municipality with an unknown parent) still appears.
    ordered.extend(sorted(set(rows) - set(ordered)))
    return {code: label(code) for code in ordered}


def coverage_note(regions: pd.DataFrame, code: str) -> str:
    """The region's note on thin data coverage ("" when coverage is normal)."""
    if "region_code" in regions.columns:
        regions = regions.set_index("region_code")
    if code not in regions.index or "coverage_note" not in regions.columns:
        return ""
    note = regions.loc[code, "coverage_note"]
    return str(note).strip() if pd.notna(note) else ""


def sector_label(sectors: pd.DataFrame | None, sector: str, lang: Lang) -> str:
    """Plain-language sector name from ``Inputs.sectors`` (indexed by id), else the id itself."""
    column = f"label_{lang}"
    if sectors is not None and sector in sectors.index and column in sectors.columns:
        return str(sectors.loc[sector, column])
    return sector


def check_labels(labels: Mapping[str, Mapping[str, str]] = LABELS) -> list[str]:
    """Keys lacking a non-empty text in some language; empty when the table is complete."""
    return [key for key, texts in labels.items() if any(not texts.get(lang) for lang in LANGUAGES)]
