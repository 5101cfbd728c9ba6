#!/usr/bin/env python3
"""Build the OrgGraph seed: a real slice of the NHS England Midlands region (ODS Y60).

Reads only official ONS / ODS / NHS Digital files and writes the project's CSV import format
(docs/csv-format.md) into seed/: sources.csv, nodes.csv, names.csv, roles.csv, aliases.csv,
relationships.csv, plus seed/README.md. Every fact is taken from a row of one of the files listed
in SOURCES below and cites it. Nothing is typed in by hand except the source metadata.

Usage (from anywhere; standard library only):

    python3 seed/tools/build_midlands_slice.py                 # reads ../shared/data (relative to the repo root)
    python3 seed/tools/build_midlands_slice.py seed/official   # reads the byte-for-byte copies kept in the seed
    python3 seed/tools/build_midlands_slice.py DATA_DIR --check-only   # build and validate, write nothing

When DATA_DIR is not seed/official, each file read is copied into seed/official/ under its
original file name, byte for byte (the copy is verified by SHA-256). A file is looked up as
DATA_DIR/<subdir>/<name> first (the shared/data layout) and then as DATA_DIR/<name> (the flat
seed/official layout), so both runs produce identical output.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sys
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

RETRIEVED = "2026-11-26"
LICENCE = "OGL-3.0"
REGION_CODE = "Y60"  # NHS England Midlands: the running example
PRACTICE_CCG = "52R"  # NHS Nottingham and Nottinghamshire CCG: the one CCG whose practices are included
NHS_ENGLAND_ID = "nhs-england"  # no ODS code for NHS England appears in any official file here (X24 was checked)

ERA_ICB = dt.date(2022, 7, 1)  # ICBs and sub-ICB locations replace STPs and CCGs (ONS July 2022 lookup)

# --------------------------------------------------------------------------------------------------
# Source files. Metadata is from /work/shared/data/SOURCES.md. `url` is the publisher's URL where
# SOURCES.md gives one; otherwise it is the permalink of the public copy that was taken (repo, path
# and commit as recorded in SOURCES.md) and `url_kind` says so.
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceFile:
    id: str
    relpath: str  # path under shared/data
    title: str
    publisher: str
    published: str  # ISO reference date of the product, or "" when the edition date is not recorded
    period: str  # human description of the period the file describes
    url: str  # publisher URL, or "" to use the copy's permalink
    repo: str
    repo_path: str
    commit: str
    header: bool
    notes: str = ""

    @property
    def name(self) -> str:
        return os.path.basename(self.relpath)

    @property
    def permalink(self) -> str:
        return f"https://github.com/{self.repo}/blob/{self.commit}/{urllib.parse.quote(self.repo_path)}"

    @property
    def cited_url(self) -> str:
        return self.url or self.permalink


ONS = "Office for National Statistics"
JTRIM = ("jtrim-ons/ons-lookups", "e01854390e5a365d04ba5eff46246e42b320e2cf")
OPENCYBER = ("nhsx/open-cyber", "7d9f4303ae17facd1a85e6651df43026994067c2")
DFE = "dfe-analytical-services/SEND-AP-Inclusion-Dashboard"
JHAU = ("jhau/nhs-spend", "e602ea98154e694e9afddca87e50caef0b8488b9")

SOURCES = [
    SourceFile("ons-ccg18-nhser18", "ons/ccg18_nhser_local_office_region_apr2018.csv",
               "Clinical Commissioning Group to NHS England (Region, Local Office) and NHS England (Region) (April 2018) Lookup in England",
               ONS, "2018-04-01", "1 April 2018",
               "https://data.gov.uk/dataset/5e8da5a5-76a5-4fa2-8ce0-735e4e8f0630/clinical-commissioning-group-to-nhs-england-region-local-office-and-nhs-england-region-april-2018-lookup-in-england",
               JTRIM[0], "csv/202.csv", JTRIM[1], True),
    SourceFile("ons-ccg19-stp19", "ons/ccg19_stp19_apr2019.csv",
               "Clinical Commissioning Group to STPs (April 2019) Lookup in England",
               ONS, "2019-04-01", "1 April 2019",
               "https://data.gov.uk/dataset/49d94d94-9028-4fcd-8b68-46257fa7b282/clinical-commissioning-group-to-stps-april-2019-lookup-in-england",
               JTRIM[0], "csv/028.csv", JTRIM[1], True, "STPs by ONS code only (no ODS code)"),
    SourceFile("ons-ccg19-stp19-cal19", "ons/ccg19_stp19_cancer_alliance_jul2019.csv",
               "Clinical Commissioning Group to STPs to Cancer Alliances (July 2019) Lookup in England",
               ONS, "2019-07-01", "July 2019",
               "https://data.gov.uk/dataset/5c3bef8a-e82e-4291-b6f8-aeb46bd83a56/clinical-commissioning-group-to-stps-to-cancer-alliances-july-2019-lookup-in-england",
               JTRIM[0], "csv/075.csv", JTRIM[1], True, "STPs by ONS code only (no ODS code)"),
    SourceFile("ons-ccg20-stp20", "ons/ccg20_stp20_apr2020.csv",
               "Clinical Commissioning Group to STPs (April 2020) Lookup in England",
               ONS, "2020-04-01", "1 April 2020",
               "https://data.gov.uk/dataset/ac521809-92cf-4128-9414-79fc57d4e49d/clinical-commissioning-group-to-stps-april-2020-lookup-in-england",
               JTRIM[0], "csv/031.csv", JTRIM[1], True),
    SourceFile("ons-stp20-names", "ons/stp20_names_codes_apr2020.csv",
               "Sustainability and Transformation Partnerships (April 2020) Names and Codes in England",
               ONS, "2020-04-01", "1 April 2020",
               "https://data.gov.uk/dataset/2f8a616d-1aa1-4457-b05d-b75081975394/sustainability-and-transformation-partnerships-april-2020-names-and-codes-in-england",
               JTRIM[0], "csv/268.csv", JTRIM[1], True, "links each STP ONS code (E54) to its ODS code"),
    SourceFile("ons-nhser19-names", "ons/nhser19_names_codes_apr2019.csv",
               "NHS England (Region) (April 2019) Names and Codes in England",
               ONS, "2019-04-01", "April 2019",
               "https://data.gov.uk/dataset/d4c071dd-f0f1-4617-b767-f6a81bcce1c1/nhs-england-region-april-2019-names-and-codes-in-england",
               JTRIM[0], "csv/246.csv", JTRIM[1], True),
    SourceFile("ons-ccg21-stp21-nhser21", "ons/ccg21_stp21_nhser21_apr2021.csv",
               "Clinical Commissioning Group to STP and NHS England (Region) (April 2021) Lookup in England",
               ONS, "2021-04-01", "1 April 2021", "",
               OPENCYBER[0], "data/auxiliary/21_22/Clinical_Commissioning_Group_to_STP_and_NHS_England_(Region)_(April_2021)_Lookup_in_England.csv",
               OPENCYBER[1], True, "UTF-8 BOM"),
    SourceFile("ons-sicbl22-icb22-nhser22", "ons/sicbl22_icb22_nhser22_jul2022.csv",
               "Sub ICB Locations to Integrated Care Boards to NHS England (Region) (July 2022) Lookup in England",
               ONS, "2022-07-01", "1 July 2022",
               "https://geoportal.statistics.gov.uk/datasets/ons::sub-icb-locations-to-integrated-care-boards-to-nhs-england-region-july-2022-lookup-in-england/explore",
               DFE, "data/lookups/Sub_ICB_Locations_to_Integrated_Care_Boards_to_NHS_England_(Region)_(July_2022)_Lookup_in_England.csv",
               "c95d4c018da61e2aa112af1fbf6a6d116f70e729", True, "UTF-8 BOM"),
    SourceFile("ons-sicbl23-icb23-nhser23", "ons/sicbl23_icb23_nhser23_apr2023.csv",
               "Sub ICB Locations to Integrated Care Boards to NHS England (Region) (April 2023) Lookup in England",
               ONS, "2023-04-01", "1 April 2023", "",
               OPENCYBER[0], "data/auxiliary/22_23/Sub_ICB_Locations_to_Integrated_Care_Boards_to_NHS_England_(Region)_(April_2023)_Lookup_in_England (1).csv",
               OPENCYBER[1], True, "UTF-8 BOM"),
    SourceFile("ons-icb24-names", "ons/icb24_names_codes_dec2024.csv",
               "Integrated Care Boards (December 2024) Names and Codes in EN",
               ONS, "2024-12-01", "December 2024", "",
               JHAU[0], "data/icb_names_codes_dec_2024.csv", JHAU[1], True,
               "the copying repository does not name its source; the layout is the ONS product's. Used only to corroborate ICB names and codes"),
    SourceFile("ods-eccg-2025-12", "ods/eccg_2025-12.csv",
               "ODS CSV download eccg: Clinical Commissioning Groups and Sub ICB Locations",
               "NHS England (Organisation Data Service)", "", "snapshot about December 2025 (includes closed CCGs with close dates)", "",
               JHAU[0], "data/eccg.csv", JHAU[1], False,
               "the copying repository does not name its source; format and contents are those of ODS eccg.csv"),
    SourceFile("ods-etr-2025-12", "ods/etr_2025-12.csv",
               "ODS CSV download etr: NHS Trusts",
               "NHS England (Organisation Data Service)", "", "snapshot about December 2025",
               "https://digital.nhs.uk/services/organisation-data-service/export-data-files/csv-downloads/other-nhs-organisations",
               JHAU[0], "data/etr.csv", JHAU[1], False,
               "the copying repository does not name its source; format and contents are those of ODS etr.csv"),
    SourceFile("ods-ect-2023-10", "ods/ect_2023-10.csv",
               "ODS CSV download ect: Care Trusts",
               "NHS England (Organisation Data Service)", "", "snapshot about October 2023",
               "https://files.digital.nhs.uk/assets/ods/current/ect.zip",
               DFE, "data/lookups/ect.csv", "3a80b0d8c227574d6b0bc6c4a556e174c3f78609", False),
    SourceFile("ods-epraccur-2019-12", "gp/epraccur_2019-12.csv",
               "ODS CSV download epraccur: GP Practices",
               "NHS Digital (Organisation Data Service)", "", "edition about December 2019 (latest open date in the file 2020-01-01)", "",
               "psychty/primary-care-geographies", "epraccur.csv", "abc5ff0de635a97c9d611a6ec07396abf11db80a", False),
    SourceFile("nhsd-gp-prac-map-2022-01", "gp/gp_reg_pat_prac_map_2022-01.csv",
               "Patients Registered at a GP Practice, January 2022: GP practice mapping file (gp-reg-pat-prac-map.csv)",
               "NHS Digital", "2022-01-01", "extract date 1 January 2022 (EXTRACT_DATE 01Jan2022)", "",
               "nhsx-mirror/SystemHierarchies", "data/gp-reg-pat-prac-map.csv", "c4d6cff5a8ca65ee287814ee312d0cdfa0c35833", True),
]
SRC = {s.id: s for s in SOURCES}

# Dated snapshots used to date edges, names and aliases (the reference date of each file).
D = dt.date
S18, S19, S19J, S20, S21, SGP, S22, S23 = (D(2018, 4, 1), D(2019, 4, 1), D(2019, 7, 1), D(2020, 4, 1),
                                           D(2021, 4, 1), D(2022, 1, 1), D(2022, 7, 1), D(2023, 4, 1))
LATEST = S23  # the latest dated lookup; a value still shown there is left open-ended


def iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def ods_date(text: str) -> dt.date | None:
    text = text.strip()
    return dt.datetime.strptime(text, "%Y%m%d").date() if text else None


def day_before(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=1)


class BuildError(Exception):
    pass


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------


class Data:
    def __init__(self, data_dir: Path):
        self.dir = data_dir
        self.paths: dict[str, Path] = {}
        self.rows: dict[str, int] = {}

    def path(self, sid: str) -> Path:
        s = SRC[sid]
        for p in (self.dir / s.relpath, self.dir / s.name):
            if p.is_file():
                self.paths[sid] = p
                return p
        raise BuildError(f"{s.name} not found under {self.dir} (looked for {s.relpath} and {s.name})")

    def table(self, sid: str) -> list[dict[str, str]]:
        with open(self.path(sid), encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        self.rows[sid] = len(rows)
        return rows

    def ods(self, sid: str) -> list[list[str]]:
        with open(self.path(sid), encoding="utf-8-sig", newline="") as f:
            rows = [r for r in csv.reader(f) if r]
        bad = [r[0] for r in rows if len(r) != 27]
        if bad:
            raise BuildError(f"{SRC[sid].name}: rows without 27 columns: {bad[:5]}")
        self.rows[sid] = len(rows)
        return rows


# --------------------------------------------------------------------------------------------------
# Observations -> dated runs
# --------------------------------------------------------------------------------------------------


@dataclass
class Run:
    value: str
    first: dt.date
    last: dt.date
    sources: set[str]
    next: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class Series:
    """Values of one attribute of one entity as seen in dated snapshots (e.g. the ICS a CCG is part of)."""

    def __init__(self, what: str):
        self.what = what
        self.obs: dict[dt.date, tuple[str, set[str]]] = {}

    def add(self, date: dt.date, value: str, *sources: str) -> None:
        if date in self.obs:
            old, srcs = self.obs[date]
            if old != value:
                raise BuildError(f"{self.what}: conflicting values on {date}: {old!r} and {value!r}")
            srcs.update(sources)
        else:
            self.obs[date] = (value, set(sources))

    def __bool__(self) -> bool:
        return bool(self.obs)

    def runs(self, *, era_break: dt.date | None = None, opened: dt.date | None = None,
             closed: dt.date | None = None) -> list[Run]:
        """Consecutive equal values form a run. A run starts on the date of the first file that shows it
        (not before the entity opened) and ends the day before the first later file that shows another
        value (or the day before `era_break` when the next file is in the next era), on the entity's close
        date, or is left open when the latest file still shows it."""
        runs: list[Run] = []
        for date in sorted(self.obs):
            value, srcs = self.obs[date]
            cur = runs[-1] if runs else None
            crosses = era_break is not None and cur is not None and cur.first < era_break <= date
            if cur and cur.value == value and not crosses:
                cur.last = date
                cur.sources |= srcs
            else:
                if cur:
                    cur.next = date
                runs.append(Run(value, date, date, set(srcs)))
        for r in runs:
            r.valid_from = max(r.first, opened) if opened else r.first
            if r.next:
                end = day_before(r.next)
                if era_break and r.first < era_break <= r.next:
                    end = min(end, day_before(era_break))
                r.valid_to = end
            elif closed:
                if closed < r.last:
                    raise BuildError(f"{self.what}: shown on {r.last} but closed on {closed}")
                r.valid_to = closed
            elif r.last == LATEST:
                r.valid_to = None
            else:
                raise BuildError(f"{self.what}: last shown on {r.last}, not in the latest file and no close date")
            if closed and r.valid_to and r.valid_to > closed:
                r.valid_to = closed
        return runs


# --------------------------------------------------------------------------------------------------
# Output model
# --------------------------------------------------------------------------------------------------


@dataclass
class Graph:
    nodes: dict[str, dict] = field(default_factory=dict)
    names: list[dict] = field(default_factory=list)
    roles: list[dict] = field(default_factory=list)
    aliases: list[dict] = field(default_factory=list)
    rels: list[dict] = field(default_factory=list)

    def node(self, id_: str, name: str, kind: str, sector: str, sources, *, valid_from=None, valid_to=None,
             properties: dict | None = None) -> None:
        if id_ in self.nodes:
            raise BuildError(f"duplicate node {id_}")
        self.nodes[id_] = dict(id=id_, name=name, kind=kind, sector=sector, valid_from=iso(valid_from),
                               valid_to=iso(valid_to), confidence="OFFICIAL", sources=join(sources),
                               properties=json.dumps(properties, ensure_ascii=False, separators=(",", ":")) if properties else "")

    def name(self, node_id, name, valid_from, valid_to, sources):
        self.names.append(dict(node_id=node_id, name=name, valid_from=iso(valid_from), valid_to=iso(valid_to), sources=join(sources)))

    def role(self, node_id, role, valid_from, valid_to, sources):
        self.roles.append(dict(node_id=node_id, role=role, valid_from=iso(valid_from), valid_to=iso(valid_to), sources=join(sources)))

    def alias(self, node_id, alias, scheme, valid_from, valid_to, sources):
        self.aliases.append(dict(node_id=node_id, alias=alias, scheme=scheme, valid_from=iso(valid_from),
                                 valid_to=iso(valid_to), sources=join(sources)))

    def rel(self, type_, from_, to, valid_from, valid_to, sources, properties: dict | None = None):
        self.rels.append({"type": type_, "from": from_, "to": to, "valid_from": iso(valid_from), "valid_to": iso(valid_to),
                          "confidence": "OFFICIAL", "sources": join(sources),
                          "properties": json.dumps(properties, ensure_ascii=False, separators=(",", ":")) if properties else ""})


SOURCE_ORDER = {s.id: i for i, s in enumerate(SOURCES)}


def join(sources) -> str:
    return ";".join(sorted(set(sources), key=lambda s: SOURCE_ORDER[s]))


# --------------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------------


def build(data: Data) -> tuple[Graph, dict]:
    g = Graph()
    facts: dict = {}  # numbers and decisions reported in the README

    # ---- read ----
    ccg18 = data.table("ons-ccg18-nhser18")
    ccg19 = data.table("ons-ccg19-stp19")
    ccg19j = data.table("ons-ccg19-stp19-cal19")
    ccg20 = data.table("ons-ccg20-stp20")
    stp20 = data.table("ons-stp20-names")
    nhser19 = data.table("ons-nhser19-names")
    ccg21 = data.table("ons-ccg21-stp21-nhser21")
    sicbl22 = data.table("ons-sicbl22-icb22-nhser22")
    sicbl23 = data.table("ons-sicbl23-icb23-nhser23")
    icb24 = data.table("ons-icb24-names")
    eccg = {r[0]: r for r in data.ods("ods-eccg-2025-12")}
    etr = data.ods("ods-etr-2025-12")
    ect = data.ods("ods-ect-2023-10")
    epraccur = {r[0]: r for r in data.ods("ods-epraccur-2019-12")}
    gpmap = data.table("nhsd-gp-prac-map-2022-01")

    stp_e54_to_ods = {r["STP20CD"]: r["STP20CDH"] for r in stp20}

    # ---- scope ----
    midlands_ics = sorted({r["STP21CDH"] for r in ccg21 if r["NHSER21CDH"] == REGION_CODE})
    midlands_icb22 = sorted({r["ICB22CDH"] for r in sicbl22 if r["NHSER22CDH"] == REGION_CODE})
    if midlands_ics != midlands_icb22 or len(midlands_ics) != 11:
        raise BuildError(f"Midlands ICS sets differ or are not 11: {midlands_ics} / {midlands_icb22}")
    midlands_ccg = sorted({r["CCG21CDH"] for r in ccg21 if r["NHSER21CDH"] == REGION_CODE}
                          | {r["SICBL22CDH"] for r in sicbl22 if r["NHSER22CDH"] == REGION_CODE}
                          | {r["SICBL23CDH"] for r in sicbl23 if r["NHSER23CDH"] == REGION_CODE})

    practices = sorted((r for r in gpmap if r["CCG_CODE"] == PRACTICE_CCG), key=lambda r: r["PRACTICE_CODE"])
    if {r["EXTRACT_DATE"] for r in gpmap} != {"01Jan2022"}:
        raise BuildError("unexpected EXTRACT_DATE in the GP practice mapping file")
    predecessor_ccg = sorted({epraccur[r["PRACTICE_CODE"]][14] for r in practices if r["PRACTICE_CODE"] in epraccur})
    ccgs = sorted(set(midlands_ccg) | set(predecessor_ccg))
    facts.update(midlands_ics=midlands_ics, midlands_ccg=midlands_ccg, predecessor_ccg=predecessor_ccg)

    # ---- observations: CCGs ----
    ccg_ics = {c: Series(f"PART_OF {c}->ICS") for c in ccgs}
    ccg_ons = {c: Series(f"ONS code of {c}") for c in ccgs}
    ccg_name = {c: Series(f"name of {c}") for c in ccgs}
    ccg_seen_ccg_era: dict[str, set[str]] = defaultdict(set)
    ccg_seen_icb_era: dict[str, set[str]] = defaultdict(set)

    for r in ccg18:
        c = r["CCG18CDH"]
        if c in ccg_ons:
            ccg_ons[c].add(S18, r["CCG18CD"], "ons-ccg18-nhser18")
            ccg_name[c].add(S18, r["CCG18NM"], "ons-ccg18-nhser18")
            ccg_seen_ccg_era[c].add("ons-ccg18-nhser18")
    for rows, date, sid in ((ccg19, S19, "ons-ccg19-stp19"), (ccg19j, S19J, "ons-ccg19-stp19-cal19")):
        for r in rows:
            c = r["CCG19CDH"]
            if c in ccg_ons:
                ccg_ons[c].add(date, r["CCG19CD"], sid)
                ccg_name[c].add(date, r["CCG19NM"], sid)
                if r["STP19CD"] not in stp_e54_to_ods:
                    raise BuildError(f"{c}: STP {r['STP19CD']} of {sid} has no ODS code in the April 2020 STP file")
                ccg_ics[c].add(date, stp_e54_to_ods[r["STP19CD"]], sid, "ons-stp20-names")
                ccg_seen_ccg_era[c].add(sid)
    for r in ccg20:
        c = r["CCG20CDH"]
        if c in ccg_ons:
            ccg_ons[c].add(S20, r["CCG20CD"], "ons-ccg20-stp20")
            ccg_name[c].add(S20, r["CCG20NM"], "ons-ccg20-stp20")
            ccg_ics[c].add(S20, r["STP20CDH"], "ons-ccg20-stp20")
            ccg_seen_ccg_era[c].add("ons-ccg20-stp20")
    for r in ccg21:
        c = r["CCG21CDH"]
        if c in ccg_ons:
            ccg_ons[c].add(S21, r["CCG21CD"], "ons-ccg21-stp21-nhser21")
            ccg_name[c].add(S21, r["CCG21NM"], "ons-ccg21-stp21-nhser21")
            ccg_ics[c].add(S21, r["STP21CDH"], "ons-ccg21-stp21-nhser21")
            ccg_seen_ccg_era[c].add("ons-ccg21-stp21-nhser21")
    for r in gpmap:  # NHS Digital's CCG names differ from ONS's (e.g. 18C), so only codes are taken from it
        c = r["CCG_CODE"]
        if c in ccg_ons:
            ccg_ons[c].add(SGP, r["ONS_CCG_CODE"], "nhsd-gp-prac-map-2022-01")
            ccg_ics[c].add(SGP, r["STP_CODE"], "nhsd-gp-prac-map-2022-01")
            ccg_seen_ccg_era[c].add("nhsd-gp-prac-map-2022-01")
    for rows, date, sid, p in ((sicbl22, S22, "ons-sicbl22-icb22-nhser22", "22"), (sicbl23, S23, "ons-sicbl23-icb23-nhser23", "23")):
        for r in rows:
            c = r[f"SICBL{p}CDH"]
            if c in ccg_ons:
                ccg_ons[c].add(date, r[f"SICBL{p}CD"], sid)
                ccg_name[c].add(date, r[f"SICBL{p}NM"], sid)
                ccg_ics[c].add(date, r[f"ICB{p}CDH"], sid)
                ccg_seen_icb_era[c].add(sid)

    ics_set = sorted(set(midlands_ics) | {r.value for c in ccgs for r in ccg_ics[c].runs(era_break=ERA_ICB,
                                                                                         closed=ods_date(eccg[c][11]))})
    facts["extra_ics"] = [i for i in ics_set if i not in midlands_ics]

    # ---- observations: ICSs ----
    ics_ons = {i: Series(f"ONS code of {i}") for i in ics_set}
    ics_name = {i: Series(f"name of {i}") for i in ics_set}
    ics_region = {i: Series(f"PART_OF {i}->region") for i in ics_set}
    ics_seen_stp: dict[str, set[str]] = defaultdict(set)
    ics_seen_icb: dict[str, set[str]] = defaultdict(set)
    for rows, date, sid in ((ccg19, S19, "ons-ccg19-stp19"), (ccg19j, S19J, "ons-ccg19-stp19-cal19")):
        for r in rows:
            i = stp_e54_to_ods.get(r["STP19CD"])  # 2019 codes absent from the 2020 file are STPs outside the slice
            if i in ics_ons:
                ics_ons[i].add(date, r["STP19CD"], sid, "ons-stp20-names")
                ics_name[i].add(date, r["STP19NM"], sid)
                ics_seen_stp[i] |= {sid, "ons-stp20-names"}
    for r in ccg20:
        i = r["STP20CDH"]
        if i in ics_ons:
            ics_ons[i].add(S20, r["STP20CD"], "ons-ccg20-stp20")
            ics_name[i].add(S20, r["STP20NM"], "ons-ccg20-stp20")
            ics_seen_stp[i].add("ons-ccg20-stp20")
    for r in stp20:
        i = r["STP20CDH"]
        if i in ics_ons:
            ics_ons[i].add(S20, r["STP20CD"], "ons-stp20-names")
            ics_name[i].add(S20, r["STP20NM"], "ons-stp20-names")
            ics_seen_stp[i].add("ons-stp20-names")
    for r in ccg21:
        i = r["STP21CDH"]
        if i in ics_ons:
            ics_ons[i].add(S21, r["STP21CD"], "ons-ccg21-stp21-nhser21")
            ics_name[i].add(S21, r["STP21NM"], "ons-ccg21-stp21-nhser21")
            ics_region[i].add(S21, r["NHSER21CDH"], "ons-ccg21-stp21-nhser21")
            ics_seen_stp[i].add("ons-ccg21-stp21-nhser21")
    for r in gpmap:
        i = r["STP_CODE"]
        if i in ics_ons:
            ics_ons[i].add(SGP, r["ONS_STP_CODE"], "nhsd-gp-prac-map-2022-01")
            ics_region[i].add(SGP, r["COMM_REGION_CODE"], "nhsd-gp-prac-map-2022-01")
            ics_seen_stp[i].add("nhsd-gp-prac-map-2022-01")
    for rows, date, sid, p in ((sicbl22, S22, "ons-sicbl22-icb22-nhser22", "22"), (sicbl23, S23, "ons-sicbl23-icb23-nhser23", "23")):
        for r in rows:
            i = r[f"ICB{p}CDH"]
            if i in ics_ons:
                ics_ons[i].add(date, r[f"ICB{p}CD"], sid)
                ics_name[i].add(date, r[f"ICB{p}NM"], sid)
                ics_region[i].add(date, r[f"NHSER{p}CDH"], sid)
                ics_seen_icb[i].add(sid)
    icb24_by_ods = {r["ICB24CDH"]: r for r in icb24}

    # ---- observations: regions ----
    region_set = sorted({r["NHSER19CDH"] for r in nhser19})
    regions18 = sorted({(r["NHSER18CDH"], r["NHSER18NM"]) for r in ccg18})
    facts["regions18_in"] = [x for x in regions18 if x[0] in region_set]
    facts["regions18_out"] = [x for x in regions18 if x[0] not in region_set]
    if len(region_set) != 7:
        raise BuildError(f"expected 7 NHS England regions in the April 2019 file, got {region_set}")
    reg_ons = {y: Series(f"ONS code of {y}") for y in region_set}
    reg_name = {y: Series(f"name of {y}") for y in region_set}
    reg_parent = {y: Series(f"PART_OF {y}->NHS England") for y in region_set}

    def see_region(date, code, ons, name, sid):
        if code in reg_ons:
            reg_ons[code].add(date, ons, sid)
            reg_name[code].add(date, name, sid)
            reg_parent[code].add(date, NHS_ENGLAND_ID, sid)

    for r in ccg18:
        see_region(S18, r["NHSER18CDH"], r["NHSER18CD"], r["NHSER18NM"], "ons-ccg18-nhser18")
    for r in nhser19:
        see_region(S19, r["NHSER19CDH"], r["NHSER19CD"], r["NHSER19NM"], "ons-nhser19-names")
    for r in ccg21:
        see_region(S21, r["NHSER21CDH"], r["NHSER21CD"], r["NHSER21NM"], "ons-ccg21-stp21-nhser21")
    for r in sicbl22:
        see_region(S22, r["NHSER22CDH"], r["NHSER22CD"], r["NHSER22NM"], "ons-sicbl22-icb22-nhser22")
    for r in sicbl23:
        see_region(S23, r["NHSER23CDH"], r["NHSER23CD"], r["NHSER23NM"], "ons-sicbl23-icb23-nhser23")
    for r in gpmap:  # NHS England commissioning region (same Y-codes); ONS code only, names not used
        if r["COMM_REGION_CODE"] in reg_ons:
            reg_ons[r["COMM_REGION_CODE"]].add(SGP, r["ONS_COMM_REGION_CODE"], "nhsd-gp-prac-map-2022-01")

    # ================================= nodes and facts =================================
    nhse_sources = {"ons-ccg18-nhser18", "ons-nhser19-names", "ons-ccg21-stp21-nhser21",
                    "ons-sicbl22-icb22-nhser22", "ons-sicbl23-icb23-nhser23"}
    g.node(NHS_ENGLAND_ID, "NHS England", "NATIONAL_BODY", "PUBLIC", nhse_sources)

    # Regions
    for y in region_set:
        names = reg_name[y].runs()
        all_src = set().union(*(r.sources for r in reg_ons[y].runs())) | set().union(*(r.sources for r in names))
        g.node(y, names[-1].value, "REGION", "PUBLIC", all_src)
        if len(names) > 1:
            for r in names:
                g.name(y, r.value, r.valid_from, r.valid_to, r.sources)
        for r in reg_ons[y].runs():
            g.alias(y, r.value, "ONS", r.valid_from, r.valid_to, r.sources)
        for r in reg_parent[y].runs():
            g.rel("PART_OF", y, r.value, r.valid_from, r.valid_to, r.sources)

    # ICSs (STP, then ICB)
    for i in ics_set:
        names = ics_name[i].runs(era_break=ERA_ICB)
        last = names[-1]
        if last.valid_to is not None:
            raise BuildError(f"{i} is not in the latest lookup")
        corroborate = set()
        if i in icb24_by_ods and icb24_by_ods[i]["ICB24NM"] == last.value:
            corroborate.add("ons-icb24-names")
        all_src = ics_seen_stp[i] | ics_seen_icb[i] | corroborate
        g.node(i, last.value, "ICS", "PUBLIC", all_src)
        for r in names:
            extra = corroborate if r is last else set()
            g.name(i, r.value, r.valid_from, r.valid_to, r.sources | extra)
        for r in ics_ons[i].runs():
            extra = {"ons-icb24-names"} if (r.valid_to is None and i in icb24_by_ods
                                            and icb24_by_ods[i]["ICB24CD"] == r.value) else set()
            g.alias(i, r.value, "ONS", r.valid_from, r.valid_to, r.sources | extra)
        if ics_seen_stp[i]:
            first_stp = min(d for d in ics_name[i].obs if d < ERA_ICB)
            g.role(i, "STP", first_stp, day_before(ERA_ICB) if ics_seen_icb[i] else None, ics_seen_stp[i])
        if ics_seen_icb[i]:
            if S23 not in ics_name[i].obs:
                raise BuildError(f"ICB {i} missing from the April 2023 lookup")
            g.role(i, "ICB", ERA_ICB, None, ics_seen_icb[i] | corroborate)
        for r in ics_region[i].runs(era_break=ERA_ICB):
            g.rel("PART_OF", i, r.value, r.valid_from, r.valid_to, r.sources)

    # CCGs / sub-ICB locations
    for c in ccgs:
        e = eccg.get(c)
        if e is None:
            raise BuildError(f"CCG {c} is not in eccg")
        opened, closed = ods_date(e[10]), ods_date(e[11])
        names = ccg_name[c].runs(era_break=ERA_ICB, opened=opened, closed=closed)
        node_src = {"ods-eccg-2025-12"} | ccg_seen_ccg_era[c] | ccg_seen_icb_era[c]
        g.node(c, names[-1].value, "CCG", "PUBLIC", node_src, valid_from=opened, valid_to=closed)
        for r in names:
            g.name(c, r.value, r.valid_from, r.valid_to, r.sources)
        for r in ccg_ons[c].runs(opened=opened, closed=closed):
            g.alias(c, r.value, "ONS", r.valid_from, r.valid_to, r.sources)
        # roles
        ccg_role_end = closed if closed and closed < ERA_ICB else day_before(ERA_ICB)
        if not ccg_seen_icb_era[c] and not closed:
            raise BuildError(f"{c}: neither closed nor a sub-ICB location")
        g.role(c, "CCG", opened, ccg_role_end, {"ods-eccg-2025-12"} | ccg_seen_ccg_era[c])
        if ccg_seen_icb_era[c]:
            if S23 not in ccg_name[c].obs:
                raise BuildError(f"sub-ICB location {c} missing from the April 2023 lookup")
            g.role(c, "SUB_ICB_LOCATION", ERA_ICB, None, {"ods-eccg-2025-12"} | ccg_seen_icb_era[c])
        # PART_OF ICS
        for r in ccg_ics[c].runs(era_break=ERA_ICB, opened=opened, closed=closed):
            extra = set()
            if r.valid_to is None and not closed and e[3] == r.value:
                extra.add("ods-eccg-2025-12")  # eccg col 4 (high level health geography) still shows this ICB
            g.rel("PART_OF", c, r.value, r.valid_from, r.valid_to, r.sources | extra)

    # CCG succession (April 2020 mergers into the practice CCG), only where the files support it
    successions = []
    succ_open = ods_date(eccg[PRACTICE_CCG][10])
    in_ccg19 = {r["CCG19CDH"] for r in ccg19}
    in_ccg20 = {r["CCG20CDH"] for r in ccg20}
    gp_by_code = {r["PRACTICE_CODE"]: r for r in gpmap}
    for p in predecessor_ccg:
        if p == PRACTICE_CCG:
            continue
        closed = ods_date(eccg[p][11])
        moved = [code for code, e in epraccur.items() if e[14] == p and e[12] == "A" and code in gp_by_code]
        to = Counter(gp_by_code[code]["CCG_CODE"] for code in moved)
        ok = (closed is not None and succ_open == closed + dt.timedelta(days=1)
              and p in in_ccg19 and p not in in_ccg20 and PRACTICE_CCG in in_ccg20 and PRACTICE_CCG not in in_ccg19
              and moved and set(to) == {PRACTICE_CCG})
        successions.append((p, closed, len(moved), dict(to), ok))
        if not ok:
            print(f"warning: no SUCCEEDED_BY {p} -> {PRACTICE_CCG}: not supported ({closed}, {dict(to)})", file=sys.stderr)
            continue
        g.rel("SUCCEEDED_BY", p, PRACTICE_CCG, succ_open, None,
              {"ods-eccg-2025-12", "ons-ccg19-stp19", "ons-ccg20-stp20", "ods-epraccur-2019-12", "nhsd-gp-prac-map-2022-01"},
              {"basis": f"{p} closed {closed.isoformat()} and {PRACTICE_CCG} opened {succ_open.isoformat()} (eccg); "
                        f"{p} is in the April 2019 lookup and not in April 2020, {PRACTICE_CCG} the reverse; "
                        f"all {len(moved)} active {p} practices in epraccur (Dec 2019) that are in the Jan 2022 "
                        f"practice mapping are in {PRACTICE_CCG}"})
    facts["successions"] = successions

    # Trusts
    trust_rows = [(r, "ods-etr-2025-12") for r in etr] + [(r, "ods-ect-2023-10") for r in ect]
    trusts = []
    for r, sid in trust_rows:
        if r[3] not in midlands_ics or r[11].strip():
            continue
        if r[2] != REGION_CODE:
            raise BuildError(f"trust {r[0]} in {r[3]} has region {r[2]}")
        opened = ods_date(r[10])
        ft = r[1].endswith("NHS FOUNDATION TRUST")
        g.node(r[0], r[1], "TRUST", "PUBLIC", {sid}, valid_from=opened,
               properties={"postcode": r[9], "foundationTrust": ft})
        g.rel("PART_OF", r[0], r[3], max(ERA_ICB, opened), None, {sid},
              {"basis": "ODS snapshot (col 4, ICB ODS code); dated from the start of the ICB era, earlier periods not covered"})
        trusts.append((r[0], sid, ft))
    facts["trusts"] = trusts
    facts["closed_trusts_skipped"] = sorted(r[0] for r, _ in trust_rows if r[3] in midlands_ics and r[11].strip())

    # PCNs and GP practices
    pcns = {}
    for r in practices:
        if r["PCN_CODE"] != "U":
            pcns.setdefault(r["PCN_CODE"], r["PCN_NAME"])
    for code, name in sorted(pcns.items()):
        g.node(code, name, "PCN", "PUBLIC", {"nhsd-gp-prac-map-2022-01"})
    unallocated, renamed, no_epraccur = [], [], []
    for r in practices:
        code = r["PRACTICE_CODE"]
        e = epraccur.get(code)
        src = {"nhsd-gp-prac-map-2022-01"} | ({"ods-epraccur-2019-12"} if e else set())
        opened = ods_date(e[10]) if e else None
        if e and e[11].strip():
            raise BuildError(f"practice {code} closed in epraccur but listed in Jan 2022")
        g.node(code, r["PRACTICE_NAME"], "GP_PRACTICE", "PUBLIC", src, valid_from=opened,
               properties={"postcode": r["PRACTICE_POSTCODE"]})
        if e and e[1] != r["PRACTICE_NAME"]:
            g.name(code, e[1], None, day_before(SGP), {"ods-epraccur-2019-12"})
            g.name(code, r["PRACTICE_NAME"], SGP, None, {"nhsd-gp-prac-map-2022-01"})
            renamed.append((code, e[1], r["PRACTICE_NAME"]))
        if not e:
            no_epraccur.append((code, r["PRACTICE_NAME"]))
        if r["PCN_CODE"] == "U":
            unallocated.append((code, r["PRACTICE_NAME"]))
        else:
            g.rel("MEMBER_OF", code, r["PCN_CODE"], SGP, None, {"nhsd-gp-prac-map-2022-01"})
        g.rel("COMMISSIONED_BY", code, PRACTICE_CCG, SGP, None, {"nhsd-gp-prac-map-2022-01"})
        if e:
            commissioner = e[14]
            joined, left = ods_date(e[15]), ods_date(e[16])
            c_closed = ods_date(eccg[commissioner][11])
            end = left or c_closed
            g.rel("COMMISSIONED_BY", code, commissioner, joined, end, {"ods-epraccur-2019-12", "ods-eccg-2025-12"})
    facts.update(pcns=pcns, unallocated=unallocated, renamed=renamed, no_epraccur=no_epraccur, practices=len(practices))
    return g, facts


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------

KINDS = "NATIONAL_BODY REGION ICS CCG TRUST LOCAL_AUTHORITY PCN GP_PRACTICE CSU COMPANY CHARITY FRAMEWORK CONTRACT OTHER".split()
SECTORS = "PUBLIC PRIVATE THIRD_SECTOR".split()
REL_TYPES = "PART_OF MEMBER_OF COMMISSIONED_BY OPERATED_BY OWNED_BY SUCCEEDED_BY ACCOUNTABLE_TO SUPPLIER_ON RUNS AWARDED_TO BID_FOR".split()
SCHEMES = "ODS ONS COMPANIES_HOUSE OTHER".split()
CONFIDENCES = ["", "OFFICIAL", "REPORTED", "ALLEGED"]


def overlaps(spans):
    """Pairs of overlapping (from, to, value) spans; `spans` sorted by start."""
    out, latest = [], None
    for f, t, v in spans:
        if latest and f <= latest[1]:
            out.append((f"{latest[2]} ({latest[0]}..{latest[1]})", f"{v} ({f}..{t})"))
        if latest is None or t > latest[1]:
            latest = (f, t, v)
    return out


def validate(g: Graph, source_ids: set[str]) -> list[str]:
    problems: list[str] = []
    used: set[str] = set()

    def date(what, text):
        if not text:
            return None
        try:
            d = dt.date.fromisoformat(text)
        except ValueError:
            problems.append(f"{what}: '{text}' is not an ISO date")
            return None
        if d.isoformat() != text:
            problems.append(f"{what}: '{text}' is not yyyy-mm-dd")
        return d

    def period(what, row):
        f, t = date(what, row["valid_from"]), date(what, row["valid_to"])
        if f and t and f > t:
            problems.append(f"{what}: valid_from {f} is after valid_to {t}")
        return f, t

    def sources(what, text):
        ids = [s for s in text.split(";") if s]
        if not ids:
            problems.append(f"{what}: no source")
        for s in ids:
            if s not in source_ids:
                problems.append(f"{what}: unknown source {s}")
            used.add(s)

    def ident(what, text):
        if not text or text != text.strip() or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
            problems.append(f"{what}: bad id {text!r}")

    def props(what, text):
        if not text:
            return
        try:
            obj = json.loads(text)
        except ValueError as e:
            problems.append(f"{what}: properties not JSON ({e})")
            return
        if not isinstance(obj, dict) or any(isinstance(v, (dict, list)) for v in obj.values()):
            problems.append(f"{what}: properties must be an object of scalars")

    for n in g.nodes.values():
        w = f"node {n['id']}"
        ident(w, n["id"])
        if not n["name"].strip():
            problems.append(f"{w}: empty name")
        if n["kind"] not in KINDS:
            problems.append(f"{w}: bad kind {n['kind']}")
        if n["sector"] not in SECTORS:
            problems.append(f"{w}: bad sector {n['sector']}")
        if n["confidence"] not in CONFIDENCES:
            problems.append(f"{w}: bad confidence")
        period(w, n)
        sources(w, n["sources"])
        props(w, n["properties"])

    node_period = {i: (date("", n["valid_from"]), date("", n["valid_to"])) for i, n in g.nodes.items()}

    def inside(what, node_id, f, t):
        nf, nt = node_period[node_id]
        if nf and f is not None and f < nf:  # an empty valid_from means "since before our sources begin"
            problems.append(f"{what}: starts {f} before {node_id} opened {nf}")
        if nt and (t is None or t > nt):
            problems.append(f"{what}: ends {t} after {node_id} closed {nt}")

    for kind, rows, col in (("name", g.names, "name"), ("role", g.roles, "role"), ("alias", g.aliases, "alias")):
        seen = set()
        for r in rows:
            w = f"{kind} {r['node_id']} {r[col]}"
            if r["node_id"] not in g.nodes:
                problems.append(f"{w}: unknown node")
                continue
            if not r[col].strip():
                problems.append(f"{w}: empty value")
            if kind == "alias" and r["scheme"] not in SCHEMES:
                problems.append(f"{w}: bad scheme")
            f, t = period(w, r)
            sources(w, r["sources"])
            inside(w, r["node_id"], f, t)
            key = (r["node_id"], r[col], r["valid_from"])
            if key in seen:
                problems.append(f"{w}: duplicate")
            seen.add(key)
        # the periods of one node's names (and roles of one kind, aliases of one scheme) must not overlap
        groups = defaultdict(list)
        for r in rows:
            groups[(r["node_id"], r["role"] if kind == "role" else r.get("scheme"))].append(r)
        for key, rs in groups.items():
            spans = sorted((date("", r["valid_from"]) or dt.date.min, date("", r["valid_to"]) or dt.date.max, r[col]) for r in rs)
            for a_, b_ in overlaps(spans):
                problems.append(f"{kind}s of {key[0]} overlap: {a_} and {b_}")

    seen = set()
    part_of = defaultdict(list)
    for r in g.rels:
        w = f"{r['type']} {r['from']}->{r['to']} from {r['valid_from']}"
        if r["type"] not in REL_TYPES:
            problems.append(f"{w}: bad type")
        if r["confidence"] not in CONFIDENCES:
            problems.append(f"{w}: bad confidence")
        for end in ("from", "to"):
            ident(w, r[end])
            if r[end] not in g.nodes:
                problems.append(f"{w}: unknown node {r[end]}")
        if r["from"] == r["to"]:
            problems.append(f"{w}: self loop")
        f, t = period(w, r)
        sources(w, r["sources"])
        props(w, r["properties"])
        key = (r["type"], r["from"], r["to"], r["valid_from"])
        if key in seen:
            problems.append(f"{w}: duplicate (type, from, to, valid_from)")
        seen.add(key)
        if r["type"] != "SUCCEEDED_BY":
            for end in ("from", "to"):
                if r[end] in g.nodes:
                    inside(w, r[end], f, t)
        if r["type"] == "PART_OF":
            part_of[r["from"]].append((f or dt.date.min, t or dt.date.max, r["to"]))
    for node_id, spans in part_of.items():  # a node is part of one parent at a time
        for a_, b_ in overlaps(sorted(spans)):
            problems.append(f"PART_OF periods of {node_id} overlap: {a_} and {b_}")
    unused = source_ids - used
    if unused:
        problems.append(f"sources never cited: {sorted(unused)}")
    return problems


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------

COLUMNS = {
    "sources.csv": ["id", "title", "publisher", "url", "published", "retrieved", "licence"],
    "nodes.csv": ["id", "name", "kind", "sector", "valid_from", "valid_to", "confidence", "sources", "properties"],
    "names.csv": ["node_id", "name", "valid_from", "valid_to", "sources"],
    "roles.csv": ["node_id", "role", "valid_from", "valid_to", "sources"],
    "aliases.csv": ["node_id", "alias", "scheme", "valid_from", "valid_to", "sources"],
    "relationships.csv": ["type", "from", "to", "valid_from", "valid_to", "confidence", "sources", "properties"],
}
KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


def csv_text(name: str, rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS[name], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def outputs(g: Graph) -> dict[str, str]:
    src_rows = [dict(id=s.id, title=s.title, publisher=s.publisher, url=s.cited_url, published=s.published,
                     retrieved=RETRIEVED, licence=LICENCE) for s in SOURCES]
    nodes = sorted(g.nodes.values(), key=lambda n: (KIND_ORDER[n["kind"]], n["id"]))
    fact_key = lambda r: (KIND_ORDER[g.nodes[r["node_id"]]["kind"]], r["node_id"], r["valid_from"] or "0000", r["valid_to"] or "9999")
    rel_key = lambda r: (r["type"], KIND_ORDER[g.nodes[r["from"]]["kind"]], r["from"], r["valid_from"] or "0000", r["to"])
    return {
        "sources.csv": csv_text("sources.csv", src_rows),
        "nodes.csv": csv_text("nodes.csv", nodes),
        "names.csv": csv_text("names.csv", sorted(g.names, key=fact_key)),
        "roles.csv": csv_text("roles.csv", sorted(g.roles, key=fact_key)),
        "aliases.csv": csv_text("aliases.csv", sorted(g.aliases, key=fact_key)),
        "relationships.csv": csv_text("relationships.csv", sorted(g.rels, key=rel_key)),
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------------------


def readme(g: Graph, facts: dict, data: Data) -> str:
    kinds = Counter(n["kind"] for n in g.nodes.values())
    rel_kinds = Counter((r["type"], g.nodes[r["from"]]["kind"], g.nodes[r["to"]]["kind"]) for r in g.rels)
    rel_types = Counter(r["type"] for r in g.rels)
    roles = Counter(r["role"] for r in g.roles)
    schemes = Counter(r["scheme"] for r in g.aliases)
    open_rels = Counter(r["type"] for r in g.rels if not r["valid_to"])
    ft = sum(1 for _, _, f in facts["trusts"] if f)
    trust_src = Counter(s for _, s, _ in facts["trusts"])
    L = []
    a = L.append
    a("# OrgGraph seed: NHS England Midlands slice")
    a("")
    a("<!-- Generated by seed/tools/build_midlands_slice.py. Do not edit by hand: change the script and regenerate. -->")
    a("")
    a("A real slice of England's NHS organisational structure, built only from official ONS, ODS and NHS Digital")
    a("files, in the project's CSV import format (`docs/csv-format.md`). The embedded store loads this directory")
    a("on first start; `dotnet run --project src/OrgGraph.Api -- import seed` loads it into any store.")
    a("Every node, name, role, alias and relationship cites at least one row of `sources.csv`, one row per")
    a("official file, and each of those files is kept byte for byte in `official/`.")
    a("")
    a("Contains public sector information licensed under the Open Government Licence v3.0.")
    a("")
    a("Source: Office for National Statistics licensed under the Open Government Licence v3.0.")
    a("")
    a("## What the slice holds")
    a("")
    a("- **NHS England** (`nhs-england`, NATIONAL_BODY) and all **7 NHS England regions**, keyed on their ODS Y-codes.")
    a(f"- The **Midlands region (Y60)** in depth: its {len(facts['midlands_ics'])} STPs/ICSs "
      f"({', '.join(facts['midlands_ics'])}), every Midlands CCG of April 2021 and sub-ICB location of July 2022 / April 2023 "
      f"({len(facts['midlands_ccg'])}: {', '.join(facts['midlands_ccg'])}), and the open NHS trusts whose ODS record places them in those ICSs.")
    a(f"- Outside the Midlands only what the Midlands needs: {', '.join(facts['extra_ics'])} (South Yorkshire, region Y63), "
      "because Bassetlaw (02Q) was part of it until 30 June 2022 before moving to Nottingham and Nottinghamshire (QT1).")
    a(f"- One CCG at practice level: **{PRACTICE_CCG}** (NHS Nottingham and Nottinghamshire CCG, later sub-ICB location): its "
      f"{facts['practices']} GP practices and {len(facts['pcns'])} PCNs as at 1 January 2022, and the "
      f"{len([p for p in facts['predecessor_ccg'] if p != PRACTICE_CCG])} CCGs that commissioned those practices before the April 2020 merger "
      f"({', '.join(p for p in facts['predecessor_ccg'] if p != PRACTICE_CCG)}).")
    a("")
    a("| nodes by kind | count |")
    a("|---|---:|")
    for k in KINDS:
        if kinds[k]:
            a(f"| {k} | {kinds[k]} |")
    a(f"| **total** | **{len(g.nodes)}** |")
    a("")
    a(f"Trusts: {len(facts['trusts'])} ({ft} foundation trusts); {trust_src.get('ods-etr-2025-12', 0)} from etr and "
      f"{trust_src.get('ods-ect-2023-10', 0)} from ect (care trusts file).")
    a("")
    a("| relationships by type | from → to | count | open-ended |")
    a("|---|---|---:|---:|")
    for (t, fk, tk), n in sorted(rel_kinds.items()):
        a(f"| {t} | {fk} → {tk} | {n} | {sum(1 for r in g.rels if r['type'] == t and g.nodes[r['from']]['kind'] == fk and g.nodes[r['to']]['kind'] == tk and not r['valid_to'])} |")
    for t in sorted(rel_types):
        a(f"| **{t} total** | | **{rel_types[t]}** | {open_rels[t]} |")
    a(f"| **all** | | **{len(g.rels)}** | {sum(open_rels.values())} |")
    a("")
    a(f"Names over time: {len(g.names)} rows. Roles: {len(g.roles)} rows ("
      + ", ".join(f"{k} {v}" for k, v in sorted(roles.items())) + "). Aliases: "
      f"{len(g.aliases)} rows (" + ", ".join(f"{k} {v}" for k, v in sorted(schemes.items())) + ").")
    a("")
    a("## Official files used")
    a("")
    a("Retrieved 2026-11-26 from the public copies named in `/work/shared/data/SOURCES.md` (repository, path, commit).")
    a("All are published by their publishers under the Open Government Licence v3.0 (`OGL-3.0`). The `url` in")
    a("`sources.csv` is the publisher's page where SOURCES.md records one; otherwise it is the permalink of the public")
    a("copy that was taken (marked *copy* below). `published` holds the product's reference date (ONS lookups, the GP")
    a("mapping extract date); it is empty for ODS snapshots whose edition date is not recorded.")
    a("")
    a("| source id | file in `official/` | title | publisher | period | data rows | url | sha256 |")
    a("|---|---|---|---|---|---:|---|---|")
    for s in SOURCES:
        p = data.paths[s.id]
        kind = "" if s.url else " (*copy*)"
        a(f"| `{s.id}` | `{s.name}` | {s.title} | {s.publisher} | {s.period} | {data.rows[s.id]:,} | {s.cited_url}{kind} | `{sha256(p)[:16]}…` |")
    a("")
    a("Copy provenance and notes:")
    a("")
    for s in SOURCES:
        note = f" {s.notes[0].upper() + s.notes[1:]}." if s.notes else ""
        hdr = "" if s.header else " No header row (standard ODS 27-column layout)."
        a(f"- `{s.name}`: `{s.repo}` `{s.repo_path}` at `{s.commit}`.{hdr}{note}")
    a("")
    a("## How the facts are dated")
    a("")
    a("The ONS lookups are snapshots (1 Apr 2018, 1 Apr 2019, 1 Jul 2019, 1 Apr 2020, 1 Apr 2021, 1 Jul 2022,")
    a("1 Apr 2023), and so is the GP practice mapping file (1 Jan 2022). A name, alias or edge seen in consecutive")
    a("snapshots is one row:")
    a("")
    a("- `valid_from` is the date of the **earliest file that shows it** (not before the organisation's ODS open date).")
    a("  It may be older than that: the files do not say when it began.")
    a("- `valid_to` is the day before the first later file that shows something else, the ODS close date of the")
    a("  organisation, or empty when the latest lookup (April 2023) still shows it. A change between two snapshots is")
    a("  therefore dated at the later snapshot.")
    a("- The STP era and the ICB era are kept apart at **1 July 2022** (the ONS July 2022 lookup): STP-era rows end")
    a("  2022-06-30 and ICB-era rows start 2022-07-01, even when the parent is the same body (same ODS code).")
    a("")
    a("| fact | period covered | evidence |")
    a("|---|---|---|")
    a("| region PART_OF NHS England | from 2018-04-01 (" + ", ".join(n for _, n in facts["regions18_in"]) + ") or 2019-04-01 (others), open | ONS region lookups 2018, 2019, 2021, 2022, 2023 (the products are \"NHS England (Region)\" lookups) |")
    a("| ICS PART_OF region | 2021-04-01 – 2022-06-30, then 2022-07-01 – open | 2021 lookup and Jan 2022 GP mapping; July 2022 and April 2023 lookups. No earlier file gives STP → region (the April 2020 lookup has no region column) |")
    a("| CCG PART_OF ICS | from 2019-04-01 (or the CCG's open date) – 2022-06-30 (or the CCG's close date), then 2022-07-01 – open | 2019, July 2019, 2020, 2021 lookups, Jan 2022 GP mapping; July 2022 and April 2023 lookups, eccg column 4 |")
    a("| roles STP / ICB | STP 2019-04-01 – 2022-06-30, ICB 2022-07-01 – open | STP and ICB lookups as above; `ons-icb24-names` corroborates the ICB names and codes in December 2024 |")
    a("| roles CCG / SUB_ICB_LOCATION | CCG from the eccg open date to 2022-06-30 (or the close date), SUB_ICB_LOCATION 2022-07-01 – open | eccg open/close dates; 2018–2021 lookups list them as CCGs, 2022–2023 as sub-ICB locations |")
    a("| trust PART_OF ICS | 2022-07-01 (or the trust's later open date) – open | ODS etr (and ect) snapshot about Dec 2025 / Oct 2023, column 4 = ICB ODS code. **Earlier periods are not covered by this file**, so no trust → STP edge is given before July 2022 |")
    a("| practice MEMBER_OF PCN, practice COMMISSIONED_BY 52R | 2022-01-01 – open | GP practice mapping, a snapshot at 1 Jan 2022. The file does not say how long either held before or after; `valid_to` is left empty because no later file contradicts it. 52R continued as the sub-ICB location with the same code from 1 July 2022 |")
    a("| practice COMMISSIONED_BY pre-2020 CCG | epraccur \"join provider/purchaser\" date (column 16) – the CCG's eccg close date 2020-03-31 | epraccur (Dec 2019) column 15 and eccg. Between 2020-04-01 and 2021-12-31 no practice-level file is available; follow SUCCEEDED_BY |")
    a("| CCG SUCCEEDED_BY 52R | on 2020-04-01 | derived, see below |")
    a("")
    a("## Decisions and caveats")
    a("")
    a("- **NHS England's id is the slug `nhs-england`**: no ODS code for NHS England (X24) appears in any ONS/ODS file")
    a("  here (the only `X24` is inside a supplier-name string of a spend reconciliation file, not an ODS record).")
    a("  DHSC is not included: no file here supports it.")
    a("- **Regions** are keyed on ODS Y-codes; their ONS E40 codes are dated aliases. Midlands changed E40000008 →")
    a("  E40000011 and North East and Yorkshire E40000009 → E40000012 in the July 2022 lookup. The April 2018 lookup's")
    a("  former regions (" + ", ".join(f"{c} {n}" for c, n in facts["regions18_out"]) + ") are not in the slice;")
    a("  " + ", ".join(f"{n} ({c})" for c, n in facts["regions18_in"]) + " appear in it with the same ODS and ONS codes as")
    a("  later, so their evidence starts on 2018-04-01.")
    a("- **ICS nodes** carry both eras: the STP name from the ONS STP lookups (e.g. \"Nottingham and Nottinghamshire")
    a("  Health and Care\") and the ICB name from July 2022 (e.g. \"NHS Nottingham and Nottinghamshire Integrated Care")
    a("  Board\"), each in names.csv with its dates. The 2019 lookups give STPs by ONS code only; the ODS code is taken from")
    a("  the April 2020 STP names-and-codes file (cited on those rows). STP/ICS nodes have no open date in any file, so")
    a("  `valid_from` is empty.")
    a("- **CCG nodes** use the ODS code as id and the ONS E38 code as alias (four Midlands codes changed in July 2022:")
    a("  15E, D2P2L, 15M, 78H). Names come from the ONS files only: NHS Digital's GP mapping spells some CCG names")
    a("  differently (e.g. 18C as \"NHS Herefordshire CCG\"), which is a different publisher's label, not a rename.")
    a("  eccg's ODS names are upper case and not repeated in names.csv. `valid_from`/`valid_to` are the eccg open/close")
    a("  dates. eccg columns 3–4 of closed CCGs are as ODS holds them now, so they are not used.")
    a("- **Bassetlaw (02Q)**: PART_OF QF7 until 2022-06-30 and PART_OF QT1 from 2022-07-01, both from the lookups.")
    a("- **Trusts**: open trusts of etr_2025-12 whose column 4 is a Midlands ICB code, plus")
    a("  Black Country Healthcare NHS Foundation Trust (TAJ), which ODS lists in the care-trusts file ect (Oct 2023) and not in etr.")
    a("  Names are kept exactly as ODS has them (upper case). `foundationTrust` is true when the ODS name ends")
    a("  \"NHS FOUNDATION TRUST\" (SOURCES.md: no structured flag exists). `valid_from` is the ODS open date.")
    a("  ODS column 4 is the trust's \"high level health geography\", ODS's geographic grouping; it does not say which")
    a("  ICB hosts, funds or commissions the trust. For example ODS places East Midlands Ambulance Service (RX9) in QT1,")
    a("  while NHS England's August 2023 ICB financial apportionment (`icb/`, not used here) assigns it to QJ2; the other")
    a("  38 etr trusts of the slice agree between the two files.")
    if facts["closed_trusts_skipped"]:
        a(f"  Closed trusts in those ICSs are not included: {', '.join(facts['closed_trusts_skipped'])}.")
    a("- **GP practices and PCNs** come from the January 2022 GP practice mapping file (NHS Digital). Their sector is")
    a("  `PUBLIC`: this is the NHS-commissioned default; ownership is not stated in these files (practices are")
    a("  independent contractors, and no file here says who runs them). PCN sector is `PUBLIC` on the same basis.")
    a("  Practice names are the 2022 ones; where epraccur (Dec 2019) has another name, both are in names.csv (the old")
    a("  name ends 2021-12-31 and the new one starts 2022-01-01, the snapshot dates; the change happened in between):")
    for code, old, new in facts["renamed"]:
        a(f"  {code} \"{old}\" → \"{new}\";")
    a(f"  `valid_from` of a practice is its epraccur open date; `postcode` is the 2022 postcode.")
    if facts["unallocated"]:
        a(f"  {len(facts['unallocated'])} practices have PCN code `U` (\"Unallocated\") and get no MEMBER_OF edge: "
          + ", ".join(f"{c} {n}" for c, n in facts["unallocated"]) + ".")
    if facts["no_epraccur"]:
        a(f"  Not in epraccur (Dec 2019), so no open date and no pre-2020 commissioner: "
          + ", ".join(f"{c} {n}" for c, n in facts["no_epraccur"]) + ".")
    a("  No PCN → CCG edge is given (DESIGN.md defines none).")
    a("- **SUCCEEDED_BY** (no ODS successor file is available): each pre-2020 CCG → 52R edge, dated 2020-04-01, is")
    a("  emitted only when all of these hold, and the check is re-run on every build: the CCG closed on 2020-03-31 and 52R")
    a("  opened on 2020-04-01 (eccg); the CCG is in the April 2019 lookup and not in April 2020, 52R the reverse; every")
    a("  active practice of the CCG in epraccur (Dec 2019) that is in the January 2022 mapping is in 52R. The edge's")
    a("  `basis` property states the counts:")
    for p, closed, n, to, ok in facts["successions"]:
        a(f"  {p}: closed {closed}, {n} practices moved to {', '.join(f'{k} ({v})' for k, v in to.items())}" + ("" if ok else " — NOT supported, no edge") + ";")
    a("  The LSOA lookups (2020, 2021) cannot support these April 2020 mergers (there is no 2019 LSOA lookup here), so they are not used.")
    a("- **Not covered**: local authorities and ICB partners, CSUs, the predecessor CCGs of Midlands CCGs other than")
    a("  52R, practices outside 52R, trust → STP before July 2022 (`ods/etr_2022-03.csv` could give a ~March 2022")
    a("  snapshot but has no exact edition date), trusts closed before the snapshot, and anything about private ownership.")
    a("")
    a("## How to regenerate")
    a("")
    a("```sh")
    a("python3 seed/tools/build_midlands_slice.py                 # from ../shared/data; refreshes official/ copies")
    a("python3 seed/tools/build_midlands_slice.py seed/official   # from the copies kept here (same output)")
    a("python3 seed/tools/build_midlands_slice.py --check-only     # build and validate without writing")
    a("```")
    a("")
    a("Python 3 standard library only (written and run with Python 3.11). The script validates before it writes: every referenced node exists, every")
    a("node/name/role/alias/relationship has at least one known source, every source is cited, dates are ISO with")
    a("`valid_from <= valid_to`, enums are valid, properties are flat JSON objects, node ids and")
    a("(type, from, to, valid_from) are unique, facts lie within their nodes' open/close dates, a node's names (and")
    a("aliases of one scheme) do not overlap in time, and a node is PART_OF one parent at a time. It then checks that")
    a("each copy in `official/` is byte-identical (SHA-256) to the file it read.")
    a("")
    return "\n".join(L)


# --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    script = Path(__file__).resolve()
    seed_dir = script.parent.parent
    repo_root = seed_dir.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", nargs="?", default=str(repo_root.parent / "shared" / "data"),
                    help="directory with the official files (default: ../shared/data relative to the repo root)")
    ap.add_argument("--out", default=str(seed_dir), help="seed directory to write (default: the seed/ this script is in)")
    ap.add_argument("--check-only", action="store_true", help="build and validate, write nothing")
    args = ap.parse_args(argv)

    data_dir = Path(args.data_dir).resolve()
    out = Path(args.out).resolve()
    data = Data(data_dir)
    try:
        g, facts = build(data)
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    problems = validate(g, {s.id for s in SOURCES})
    if problems:
        for p in problems[:100]:
            print(f"invalid: {p}", file=sys.stderr)
        print(f"{len(problems)} problems; nothing written", file=sys.stderr)
        return 1

    files = outputs(g)
    text = readme(g, facts, data)
    summary = (f"{len(g.nodes)} nodes, {len(g.rels)} relationships, {len(g.names)} names, {len(g.roles)} roles, "
               f"{len(g.aliases)} aliases, {len(SOURCES)} sources")
    if args.check_only:
        print(f"ok (not written): {summary}")
        return 0

    official = out / "official"
    official.mkdir(parents=True, exist_ok=True)
    for sid, src in sorted(data.paths.items()):
        dst = official / SRC[sid].name
        if src.resolve() != dst.resolve():
            shutil.copyfile(src, dst)
        if sha256(dst) != sha256(src):
            print(f"error: copy of {src} differs", file=sys.stderr)
            return 1
    for name, content in files.items():
        (out / name).write_text(content, encoding="utf-8", newline="")
    (out / "README.md").write_text(text, encoding="utf-8", newline="")
    print(f"wrote {out}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
