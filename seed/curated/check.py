#!/usr/bin/env python3
"""Checks seed/curated/ against docs/csv-format.md before it is imported.

Run from anywhere: python3 seed/curated/check.py   (Python 3 standard library only).

- every file has exactly the columns the format allows, with the required ones present;
- every node/relationship/name/alias id it references exists in curated nodes.csv or in the
  "External ids referenced" table of this directory's README.md (nodes created by the official import);
- every cited source id exists in curated sources.csv, and every source row is cited;
- dates are ISO yyyy-mm-dd and valid_from <= valid_to;
- kind, sector, confidence, type and scheme are values listed in docs/csv-format.md;
- properties are JSON objects of scalar values; ids are unique; (type, from, to, valid_from) is unique;
- source rows that reuse an id of seed/sources.csv are identical to it (an upsert must not change them);
- iapt_providers.csv: columns, kinds/sectors, bases and source ids.
Exits 1 and lists every problem if anything fails.
"""
import csv
import datetime
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMAT = HERE.parent.parent / "docs" / "csv-format.md"
problems = []


def problem(file, line, msg):
    problems.append(f"{file}:{line}: {msg}")


def enums_from_format():
    """Reads the allowed values from the format document, so the check follows the document."""
    text = FORMAT.read_text(encoding="utf-8")

    def row_values(label):
        m = re.search(r"^\|\s*`" + label + r"`\s*\|[^|]*\|[^|]*`([A-Z_ ]+)`", text, re.M)
        if not m:
            sys.exit(f"cannot find the allowed values of '{label}' in {FORMAT}")
        return set(m.group(1).split())

    scheme = re.search(r"`scheme` is ((?:`[A-Z_]+`(?:, | or )?)+)", text)
    confidence = re.search(r"`confidence` is `([A-Z]+)`.*?`([A-Z]+)`.*?`([A-Z]+)`", text)
    return {
        "kind": row_values("kind"),
        "sector": row_values("sector"),
        "type": row_values("type"),
        "scheme": set(re.findall(r"`([A-Z_]+)`", scheme.group(1))),
        "confidence": set(confidence.groups()),
    }


def read(name, required, allowed, must_exist=True):
    path = HERE / name
    if not path.exists():
        if must_exist:
            problem(name, 0, "file is missing")
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        for col in header:
            if col not in allowed:
                problem(name, 1, f"unknown column '{col}'")
        for col in required:
            if col not in header:
                problem(name, 1, f"required column '{col}' is missing")
        if len(set(header)) != len(header):
            problem(name, 1, "duplicate column")
        rows = []
        for row in reader:
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}))
        return rows


def external_ids():
    """Ids in the README table under '## External ids referenced' (first cell, in backticks)."""
    text = (HERE / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^## External ids referenced.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not m:
        problem("README.md", 0, "no '## External ids referenced' section")
        return set()
    ids = set()
    for line in m.group(1).splitlines():
        cell = re.match(r"^\|\s*`([^`]+)`\s*\|", line)
        if cell:
            ids.add(cell.group(1))
    return ids


def date(file, line, value, column):
    if not value:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        problem(file, line, f"{column} '{value}' is not a date in the form yyyy-mm-dd")
        return None


def period(file, line, row):
    start = date(file, line, row.get("valid_from", ""), "valid_from")
    end = date(file, line, row.get("valid_to", ""), "valid_to")
    if start and end and start > end:
        problem(file, line, f"valid_from {start} is after valid_to {end}")


def properties(file, line, text):
    if not text:
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        problem(file, line, f"properties are not valid JSON: {e}")
        return
    if not isinstance(value, dict):
        problem(file, line, "properties must be a JSON object")
    elif any(isinstance(v, (dict, list)) for v in value.values()):
        problem(file, line, "property values must be strings, numbers, booleans or null")


def key(file, line, value, column):
    if not value:
        problem(file, line, f"{column} is empty")
    elif any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        problem(file, line, f"{column} has control characters")


def main():
    enums = enums_from_format()
    sources = read("sources.csv", ["id", "title"], ["id", "title", "publisher", "url", "published", "retrieved", "licence"])
    nodes = read("nodes.csv", ["id", "name", "kind", "sector", "sources"],
                 ["id", "name", "kind", "sector", "valid_from", "valid_to", "confidence", "sources", "properties"])
    names = read("names.csv", ["node_id", "name", "sources"], ["node_id", "name", "sources", "valid_from", "valid_to"], False)
    aliases = read("aliases.csv", ["node_id", "alias", "scheme", "sources"],
                   ["node_id", "alias", "scheme", "sources", "valid_from", "valid_to"], False)
    rels = read("relationships.csv", ["type", "from", "to", "sources"],
                ["type", "from", "to", "valid_from", "valid_to", "confidence", "sources", "properties"], False)
    iapt = read("iapt_providers.csv", ["provider_code", "name", "kind", "sector", "basis", "sources"],
                ["provider_code", "name", "kind", "sector", "basis", "sources"], False)

    source_ids = {}
    for line, s in sources:
        key("sources.csv", line, s["id"], "id")
        if s["id"] in source_ids:
            problem("sources.csv", line, f"duplicate source id '{s['id']}'")
        source_ids[s["id"]] = s
        if not s.get("title"):
            problem("sources.csv", line, "title is empty")
        for col in ("published", "retrieved"):
            date("sources.csv", line, s.get(col, ""), col)

    # A reused id must carry the same content as in seed/sources.csv, or importing would rewrite that source.
    root = HERE.parent / "sources.csv"
    if root.exists():
        with root.open(encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh):
                mine = source_ids.get(r["id"])
                if mine and any((mine.get(c) or "") != (r.get(c) or "") for c in r):
                    problem("sources.csv", 0, f"source '{r['id']}' differs from seed/sources.csv")

    cited = set()

    def cite(file, line, text):
        ids = [i.strip() for i in text.split(";") if i.strip()]
        if not ids:
            problem(file, line, "at least one source id is required")
        for i in ids:
            cited.add(i)
            if i not in source_ids:
                problem(file, line, f"source '{i}' is not in sources.csv")

    def enum(file, line, column, value, allowed, empty_ok=False):
        if value == "" and empty_ok:
            return
        if value not in allowed:
            problem(file, line, f"{column} '{value}' is not one of {' '.join(sorted(allowed))}")

    node_ids = set()
    for line, n in nodes:
        key("nodes.csv", line, n["id"], "id")
        if n["id"] in node_ids:
            problem("nodes.csv", line, f"duplicate node id '{n['id']}'")
        node_ids.add(n["id"])
        if not n.get("name"):
            problem("nodes.csv", line, "name is empty")
        enum("nodes.csv", line, "kind", n["kind"], enums["kind"])
        enum("nodes.csv", line, "sector", n["sector"], enums["sector"])
        enum("nodes.csv", line, "confidence", n.get("confidence", ""), enums["confidence"], empty_ok=True)
        period("nodes.csv", line, n)
        cite("nodes.csv", line, n["sources"])
        properties("nodes.csv", line, n.get("properties", ""))

    external = external_ids()
    clash = external & node_ids
    if clash:
        problem("README.md", 0, f"ids both created here and listed as external: {sorted(clash)}")
    known = node_ids | external
    used_external = set()

    def ref(file, line, value, column):
        key(file, line, value, column)
        if value and value not in known:
            problem(file, line, f"{column} '{value}' is neither in nodes.csv nor in README's external ids")
        if value in external:
            used_external.add(value)

    for file, rows, value_col in (("names.csv", names, "name"), ("aliases.csv", aliases, "alias")):
        for line, r in rows:
            ref(file, line, r["node_id"], "node_id")
            if not r.get(value_col):
                problem(file, line, f"{value_col} is empty")
            if file == "aliases.csv":
                enum(file, line, "scheme", r["scheme"], enums["scheme"])
            period(file, line, r)
            cite(file, line, r["sources"])

    seen = set()
    for line, r in rels:
        enum("relationships.csv", line, "type", r["type"], enums["type"])
        ref("relationships.csv", line, r["from"], "from")
        ref("relationships.csv", line, r["to"], "to")
        if r["from"] == r["to"]:
            problem("relationships.csv", line, "relationship from a node to itself")
        identity = (r["type"], r["from"], r["to"], r.get("valid_from", ""))
        if identity in seen:
            problem("relationships.csv", line, f"duplicate relationship {identity}")
        seen.add(identity)
        enum("relationships.csv", line, "confidence", r.get("confidence", ""), enums["confidence"], empty_ok=True)
        period("relationships.csv", line, r)
        cite("relationships.csv", line, r["sources"])
        properties("relationships.csv", line, r.get("properties", ""))

    unused = external - used_external
    if unused:
        problem("README.md", 0, f"external ids listed but never referenced: {sorted(unused)}")

    codes = set()
    for line, r in iapt:
        key("iapt_providers.csv", line, r["provider_code"], "provider_code")
        if r["provider_code"] in codes:
            problem("iapt_providers.csv", line, f"duplicate provider_code '{r['provider_code']}'")
        codes.add(r["provider_code"])
        enum("iapt_providers.csv", line, "kind", r["kind"], {"COMPANY", "CHARITY", "OTHER"})
        if r["kind"] == "OTHER":
            if r["sector"] or not r["basis"].startswith("unclassified"):
                problem("iapt_providers.csv", line, "kind OTHER must have an empty sector and an 'unclassified' basis")
        else:
            enum("iapt_providers.csv", line, "sector", r["sector"], {"PRIVATE", "THIRD_SECTOR"})
            if not r["basis"] or r["basis"].startswith("unclassified"):
                problem("iapt_providers.csv", line, "a classified provider needs a basis")
        if r["kind"] == "CHARITY" and r["sector"] != "THIRD_SECTOR":
            problem("iapt_providers.csv", line, "a CHARITY must be THIRD_SECTOR")
        cite("iapt_providers.csv", line, r["sources"])

    for s in sorted(set(source_ids) - cited):
        problem("sources.csv", 0, f"source '{s}' is never cited")

    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} problem(s)")
        return 1
    print(f"ok: {len(sources)} sources, {len(nodes)} nodes, {len(names)} names, {len(aliases)} aliases, "
          f"{len(rels)} relationships ({len(used_external)} external ids), {len(iapt)} IAPT providers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
