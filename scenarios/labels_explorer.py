"""Swedish and English labels of the explorer's pages, charts and downloads."""

from __future__ import annotations

EXPLORER_LABELS: dict[str, dict[str, str]] = {
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
}
