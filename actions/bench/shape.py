"""The shape of the synthetic register: its size constants, fixed day and vocabulary."""

from __future__ import annotations

import calendar
import datetime

from parties.models import PartyKind

# Bump when the shape of the data changes: a reused benchmark database must be rebuilt.
GENERATOR_VERSION = 5
# The day the data set is "as of": statuses, overdue and reminders are computed against it.
TODAY = datetime.date(2025, 6, 2)
FEED_PARTY = "TR"
FEED_SHARE = 0.05
COMMITMENTS_PER_MEETING = 50
BIG_MEETING = 1000
MAX_SERIES = 40
CHUNK = 20_000
BENCH_PASSWORD = "!bench-unusable"  # an unusable hash: bench users only ever force_login

EXTRA_PARTIES = [  # code, name, adjective, kind
    ("TJ", "Tajikistan", "Tajik", PartyKind.OTHER),
    ("MN", "Mongolia", "Mongolian", PartyKind.OTHER),
    ("CN", "China", "Chinese", PartyKind.OTHER),
    ("RU", "Russia", "Russian", PartyKind.OTHER),
    ("IR", "Iran", "Iranian", PartyKind.OTHER),
    ("PK", "Pakistan", "Pakistani", PartyKind.OTHER),
    ("AF", "Afghanistan", "Afghan", PartyKind.OTHER),
    ("UA", "Ukraine", "Ukrainian", PartyKind.OTHER),
    ("BY", "Belarus", "Belarusian", PartyKind.OTHER),
    ("AM", "Armenia", "Armenian", PartyKind.OTHER),
    ("MD", "Moldova", "Moldovan", PartyKind.OTHER),
    ("RO", "Romania", "Romanian", PartyKind.OTHER),
    ("BG", "Bulgaria", "Bulgarian", PartyKind.OTHER),
    ("PL", "Poland", "Polish", PartyKind.OTHER),
    ("DE", "Germany", "German", PartyKind.OTHER),
    ("KR", "Korea", "Korean", PartyKind.OTHER),
    ("JP", "Japan", "Japanese", PartyKind.OTHER),
    ("IN", "India", "Indian", PartyKind.OTHER),
    ("WCO", "World Customs Organization", "WCO", PartyKind.OTHER),
    ("EU", "European Union", "EU", PartyKind.OTHER),
]

TOPICS = [
    ("RM", "Risk Management"),
    ("ECOM", "E-Commerce"),
    ("AEO", "Authorized Economic Operators"),
    ("TRAN", "Transit Facilitation"),
    ("VAL", "Customs Valuation"),
    ("ORIG", "Rules of Origin"),
    ("IPR", "Intellectual Property Rights Enforcement"),
    ("ENF", "Customs Enforcement"),
    ("HR", "Human Resources and Training"),
    ("IT", "Information Technology"),
    ("DATA", "Data Exchange"),
    ("SW", "Single Window"),
    ("CARA", "Caravanserai Project"),
    ("SR", "Silk Road Cooperation"),
    ("LAB", "Customs Laboratories"),
    ("PCA", "Post-Clearance Audit"),
    ("TIR", "TIR and Road Transport"),
    ("RAIL", "Rail Freight"),
    ("BCP", "Border Crossing Points"),
    ("DRUG", "Drug Trafficking"),
    ("CASH", "Cash Couriers"),
    ("ENV", "Environmental Crime"),
    ("HS", "Harmonized System"),
    ("STAT", "Trade Statistics"),
    ("INT", "Integrity"),
    ("CB", "Capacity Building"),
    ("LEG", "Legal Affairs"),
    ("FIN", "Finance and Budget"),
    ("COM", "Communication"),
    ("ECO", "Economic Operators Dialogue"),
    ("GEN", "Gender Equality"),
    ("AIR", "Air Cargo"),
    ("SEA", "Maritime Ports"),
    ("PHY", "Phytosanitary Control"),
    ("EXC", "Excise Goods"),
    ("SEC", "Supply Chain Security"),
    ("RES", "Research and Analysis"),
]
FORMATS = [("WG", "Working Group on"), ("EG", "Expert Group on"), ("CM", "Committee on")]
CITIES = [
    "Baku",
    "Astana",
    "Bishkek",
    "Ankara",
    "Istanbul",
    "Tashkent",
    "Samarkand",
    "Budapest",
    "Ashgabat",
    "Turkistan",
    "Almaty",
    "Shusha",
    "Cholpon-Ata",
    "Bukhara",
    "Antalya",
]
VERBS = [
    "submit",
    "prepare",
    "organise",
    "host",
    "share",
    "finalise",
    "draft",
    "coordinate",
    "present",
    "study",
    "exchange",
    "conduct",
]
OBJECTS = [
    "a report on the implementation of the pilot project",
    "proposals on the simplification of transit procedures",
    "the draft Memorandum of Understanding",
    "a training programme for customs officers",
    "statistical data on mutual trade",
    "a joint operation against smuggling of excise goods",
    "the list of contact points",
    "comments on the draft Action Plan",
    "a workshop on risk management",
    "best practices on e-commerce clearance",
    "the technical specifications of the data exchange system",
    "a study visit for experts",
]
PURPOSES = [
    "to the Secretariat",
    "to the Parties",
    "for consideration at the next meeting",
    "in cooperation with the relevant agencies",
    "within the framework of the Caravanserai project",
    "",
]
NOTES = [
    "Work is ongoing; the draft has been circulated internally.",
    "The relevant agencies have been consulted.",
    "Submitted through diplomatic channels.",
    "Expert group formed; first meeting held.",
    "Data compiled for the reporting period.",
]


def _end_of_month(d: datetime.date) -> datetime.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _aware(d: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(d.year, d.month, d.day, hour, minute, tzinfo=datetime.UTC)
