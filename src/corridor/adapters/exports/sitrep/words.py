"""The situation report's words in English and Arabic.

Sentences are templates with named figures, so both editions say the same
thing with the same numbers. Ids, site names and the deal's terms come from
the scenario and the agreement files, which are in English; the Arabic
edition quotes them as they are and says so.
"""

from __future__ import annotations

LANGUAGES = ("en", "ar")

EN: dict[str, str] = {
    "title": "Situation report",
    "report_day": "Report for {day}",
    "as_of": "Figures as of the end of {day} ({zone} time).",
    "source_line": (
        "Source: corridor ledger, operation {operation}, events up to #{sequence} "
        "(hash {hash}); generated {generated}."
    ),
    "highlights": "Highlights",
    "figures": "Key figures",
    "movements": "Movements and halts",
    "incidents": "Incidents",
    "custody": "Custody and protection",
    "reception": "Reception and needs",
    "deal": "The deal today",
    "claims": "Figures stated by others",
    "gaps": "Gaps",
    "map": "Map",
    "chart": "People arrived per day, by movement",
    "map_legend": (
        "Sites (grey), corridors (blue), trips on the road (orange), incidents (red); "
        "from the scenario's coordinates."
    ),
    "arrived_today": "People arrived on {day}",
    "arrived_total": "People arrived to date",
    "waiting": "People still waiting",
    "in_transit": "People in transit",
    "trips_today": "Trips boarded on {day}",
    "halts_today": "Halts on {day}",
    "missing_today": "People missing at a count on {day}",
    "incidents_today": "Incidents reported on {day}",
    "source": "Source",
    "as_of_short": "As of",
    "hl_arrived": "{n} people arrived on {day}; {total} have arrived since the operation began.",
    "hl_halted": (
        "{movement} is halted under term {term} after incident {incident} ({kind}, severity "
        "{severity}): {needed} of {lifted_by} must record a resume; {resumed} so far."
    ),
    "hl_moving": "{movement}: no halt stands; the deal lets it move within its terms.",
    "hl_alerts": "{n} protection alerts are open: {missing} people missing between two counts.",
    "hl_no_alerts": "No protection alert is open: every count since boarding matches.",
    "hl_claims": "Figures stated by parties or others that differ from the ledger's count: {n}.",
    "nobody": "none",
    "movement": "Movement",
    "boarded": "Boarded",
    "arrived": "Arrived",
    "arrived_to_date": "Arrived to date",
    "waiting_col": "Waiting",
    "in_transit_col": "In transit",
    "halts": "Halts",
    "registered": "Registered",
    "exits": "Exits on the record",
    "balanced": "Balanced",
    "yes": "yes",
    "no": "no",
    "incident": "Incident",
    "kind": "Kind",
    "severity": "Severity",
    "status": "Status",
    "time": "Time",
    "site": "Site",
    "note": "Note",
    "reported": "reported",
    "verified": "verified",
    "refuted": "refuted",
    "no_incidents": "No incident has been recorded.",
    "places": "Places",
    "reception_seam": (
        "The scenario declares no reception site, so there is no occupancy or need "
        "to show: places are the sites' capacities, arrivals the custody record's counts."
    ),
    "reception_source": (
        "From the live ledger forecast as of {at}: people counted on arrival at each "
        "reception site, and trips on the road at the day they are expected; needs are "
        "occupancy x the Sphere standards (cold climate) against declared stocks."
    ),
    "pcode": "P-code",
    "checked_in": "Checked in",
    "on_the_road": "On the road to it",
    "present_by": "Present by {day}",
    "occupancy_pct": "Occupancy",
    "all_sites": "All reception sites",
    "needs_today": "Needs on {day}, all reception sites",
    "supply": "Supply",
    "need": "Need",
    "available": "Declared stock",
    "short": "Short",
    "short_from": "Short from",
    "water-litres": "Water (litres)",
    "food-kcal": "Food (kcal)",
    "covered-m2": "Covered space (m2)",
    "latrines": "Latrines",
    "blankets": "Blankets",
    "winter-kits": "Winter kits",
    "not_declared": "not declared",
    "gap_shortfall": "Declared stock falls short: {subject}.",
    "gap_over_capacity": "{value} people above the places of the reception sites.",
    "gap_undeclared_stocks": (
        "{value} site supplies have people to serve and no declared stock: needs are "
        "known, availability is not."
    ),
    "custody_line": (
        "{open} protection alerts open ({missing} people unaccounted for). "
        "Registered = waiting + in transit + arrived + exits holds for {balanced} of "
        "{movements} movements."
    ),
    "claimed_by": "Stated by",
    "figure": "Figure",
    "claimed": "Stated",
    "ledger": "Ledger",
    "difference": "Difference",
    "stated_at": "Stated at",
    "no_claims": "No figure has been stated by others.",
    "terms": "Terms of the deal",
    "terms_note": "",
    "gap_unbalanced": "{subject}: the custody balance does not hold.",
    "gap_halt_standing": "{subject}: halted; {value} guarantor resumes still needed.",
    "gap_open_alerts": "{value} people unaccounted for under open protection alerts.",
    "gap_claim_differs": "{subject}'s figure differs from the ledger's by {value}.",
    "gap_unverified_incidents": "{value} incidents not yet verified or refuted.",
    "gap_approximate_positions": (
        "{value} sites are placed approximately; map positions are indicative."
    ),
    "gap_no_reception_figures": (
        "Reception: the scenario declares no reception site, so no occupancy or needs."
    ),
    "aggregates": "Aggregates only: this edition is for the {role} role and names nobody.",
    "neutral": "Neutral edition ({role}): incident notes included; do not share with parties.",
    "page": "Page",
}

AR: dict[str, str] = {
    "title": "تقرير عن الوضع",
    "report_day": "تقرير يوم {day}",
    "as_of": "الأرقام حتى نهاية يوم {day} (بتوقيت {zone}).",
    "source_line": (
        "المصدر: سجل corridor، العملية {operation}، الأحداث حتى الرقم {sequence} "
        "(البصمة {hash})؛ أُعدّ في {generated}."
    ),
    "highlights": "أبرز النقاط",
    "figures": "الأرقام الرئيسية",
    "movements": "التحركات والتوقفات",
    "incidents": "الحوادث",
    "custody": "سلسلة العهدة والحماية",
    "reception": "الاستقبال والاحتياجات",
    "deal": "حالة الاتفاق اليوم",
    "claims": "أرقام أعلنتها جهات أخرى",
    "gaps": "الثغرات",
    "map": "الخريطة",
    "chart": "عدد الواصلين يومياً حسب التحرك",
    "map_legend": (
        "المواقع (رمادي)، الممرات (أزرق)، الرحلات على الطريق (برتقالي)، الحوادث (أحمر)؛ "
        "وفق إحداثيات السيناريو."
    ),
    "arrived_today": "الواصلون في {day}",
    "arrived_total": "مجموع الواصلين حتى الآن",
    "waiting": "المنتظرون",
    "in_transit": "في الطريق",
    "trips_today": "الرحلات التي صعد إليها الركاب في {day}",
    "halts_today": "حالات التوقف في {day}",
    "missing_today": "أشخاص نقصوا عند العدّ في {day}",
    "incidents_today": "الحوادث المبلّغ عنها في {day}",
    "source": "المصدر",
    "as_of_short": "حتى",
    "hl_arrived": "وصل {n} شخصاً في {day}؛ ووصل {total} شخصاً منذ بدء العملية.",
    "hl_halted": (
        "{movement} متوقفة بموجب البند {term} إثر الحادثة {incident} ({kind}، الخطورة "
        "{severity}): يجب أن يسجّل {needed} من {lifted_by} استئنافاً؛ وسُجّل {resumed} حتى الآن."
    ),
    "hl_moving": "{movement}: لا يوجد توقف قائم؛ يسمح الاتفاق بالتحرك ضمن بنوده.",
    "hl_alerts": "{n} من تنبيهات الحماية مفتوحة: {missing} شخصاً نقصوا بين عدّين.",
    "hl_no_alerts": "لا يوجد تنبيه حماية مفتوح: كل الأعداد منذ الصعود متطابقة.",
    "hl_claims": "أرقام أعلنتها الأطراف أو غيرها وتختلف عن عدّ السجل: {n}.",
    "nobody": "لا أحد",
    "movement": "التحرك",
    "boarded": "صعدوا",
    "arrived": "وصلوا",
    "arrived_to_date": "الواصلون حتى الآن",
    "waiting_col": "المنتظرون",
    "in_transit_col": "في الطريق",
    "halts": "التوقفات",
    "registered": "المسجّلون",
    "exits": "الخروج المسجّل",
    "balanced": "متوازن",
    "yes": "نعم",
    "no": "لا",
    "incident": "الحادثة",
    "kind": "النوع",
    "severity": "الخطورة",
    "status": "الحالة",
    "time": "الوقت",
    "site": "الموقع",
    "note": "ملاحظة",
    "reported": "مبلّغ عنها",
    "verified": "مؤكَّدة",
    "refuted": "منفيّة",
    "no_incidents": "لم تُسجَّل أي حادثة.",
    "places": "الأماكن",
    "reception_seam": (
        "لا يعلن السيناريو أي موقع استقبال، فلا إشغال ولا احتياجات للعرض: الأماكن هي "
        "سعة المواقع، والواصلون من أعداد سجل العهدة."
    ),
    "reception_source": (
        "من توقّع السجل الحي حتى {at}: الأشخاص المعدودون عند وصولهم إلى كل موقع استقبال، "
        "والرحلات التي ما زالت في الطريق في اليوم المتوقع لوصولها؛ الاحتياجات هي الإشغال "
        "مضروباً بمعايير اسفير (مناخ بارد) مقابل المخزون المعلَن."
    ),
    "pcode": "الرمز الإداري",
    "checked_in": "سُجّل وصولهم",
    "on_the_road": "في الطريق إليه",
    "present_by": "الموجودون بحلول {day}",
    "occupancy_pct": "نسبة الإشغال",
    "all_sites": "جميع مواقع الاستقبال",
    "needs_today": "الاحتياجات في {day}، جميع مواقع الاستقبال",
    "supply": "المادة",
    "need": "الحاجة",
    "available": "المخزون المعلَن",
    "short": "النقص",
    "short_from": "النقص ابتداءً من",
    "water-litres": "المياه (لتر)",
    "food-kcal": "الغذاء (سعرة حرارية)",
    "covered-m2": "المساحة المسقوفة (م2)",
    "latrines": "المراحيض",
    "blankets": "البطانيات",
    "winter-kits": "مستلزمات الشتاء",
    "not_declared": "غير معلَن",
    "gap_shortfall": "مخزون معلَن يقصر عن الحاجة: {subject}.",
    "gap_over_capacity": "{value} شخصاً فوق عدد أماكن مواقع الاستقبال.",
    "gap_undeclared_stocks": (
        "{value} من مواد المواقع لها من يحتاجها ولا مخزون معلَن لها: الحاجة معروفة "
        "والمتاح غير معروف."
    ),
    "custody_line": (
        "{open} من تنبيهات الحماية مفتوحة ({missing} شخصاً غير معروفي المصير). "
        "المعادلة: المسجّلون = المنتظرون + في الطريق + الواصلون + الخروج المسجّل، "
        "متحققة في {balanced} من {movements} تحركات."
    ),
    "claimed_by": "الجهة المعلِنة",
    "figure": "الرقم",
    "claimed": "المُعلَن",
    "ledger": "السجل",
    "difference": "الفرق",
    "stated_at": "تاريخ الإعلان",
    "no_claims": "لم تُعلن أي جهة أخرى أرقاماً.",
    "terms": "بنود الاتفاق",
    "terms_note": "تُعرض البنود بالإنجليزية كما يصوغها محرك الاتفاق.",
    "gap_unbalanced": "{subject}: معادلة العهدة غير متحققة.",
    "gap_halt_standing": "{subject}: متوقفة؛ ما زال يلزم {value} من استئنافات الضامنين.",
    "gap_open_alerts": "{value} شخصاً غير معروفي المصير بموجب تنبيهات حماية مفتوحة.",
    "gap_claim_differs": "رقم {subject} يختلف عن رقم السجل بمقدار {value}.",
    "gap_unverified_incidents": "{value} من الحوادث لم تُؤكَّد ولم تُنفَ بعد.",
    "gap_approximate_positions": "{value} من المواقع محددة تقريبياً؛ مواقع الخريطة إرشادية.",
    "gap_no_reception_figures": (
        "الاستقبال: لا يعلن السيناريو أي موقع استقبال، فلا إشغال ولا احتياجات."
    ),
    "aggregates": "أرقام إجمالية فقط: هذه النسخة لدور {role} ولا تذكر أحداً بالاسم.",
    "neutral": "نسخة الجهات المحايدة ({role}): تتضمن ملاحظات الحوادث؛ لا تُشارك مع الأطراف.",
    "page": "صفحة",
}

WORDS = {"en": EN, "ar": AR}
