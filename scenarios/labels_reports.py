"""Swedish and English labels of the council report, the map and the slide deck."""

from __future__ import annotations

REPORT_LABELS: dict[str, dict[str, str]] = {
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
