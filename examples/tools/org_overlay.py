"""Resources added to the sample organization after its scenario scripts, kept as data.

The data-residency (issue 12) and reachability (issue 13) work planted resources by editing
examples/org directly. They live here now, in org_overlay.json, so that gen_org.py writes exactly
the committed examples/org again: apply() runs last and

- inserts the added items into an export (a Config snapshot's configurationItems, a Resource Graph
  table's data, a Cloud Asset export's lines) after the item they follow,
- replaces changed items (same key) and top-level fields of a JSON object,
- writes whole files that no scenario script makes.

To change one of these resources, edit org_overlay.json (or move it into an org_*.py scenario and
drop it here). `python3 examples/tools/org_overlay.py capture GENERATED_ORG` rebuilds the overlay from
the difference between a freshly generated tree (without the overlay) and examples/org.
"""

import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "org_overlay.json")


def _read(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        text = f.read().decode("utf-8")
    try:
        return "json", json.loads(text), text
    except ValueError:
        return "lines", [line for line in text.splitlines() if line.strip()], text


def _indent(text):
    """The json.dumps indent a JSON file was written with (2 or None)."""
    return 2 if text.startswith("{\n") or text.startswith("[\n") else None


def _items(doc):
    if isinstance(doc, dict) and "configurationItems" in doc:
        return doc["configurationItems"]
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        return doc["data"]
    if isinstance(doc, list):
        return doc
    return None


def _key(item):
    if isinstance(item, str):  # a Cloud Asset export line
        d = json.loads(item)
        return d.get("asset_type", "") + " " + d.get("name", "")
    if "resourceType" in item:
        return item["resourceType"] + " " + item["resourceId"]
    return item.get("id") or item.get("name") or json.dumps(item, sort_keys=True)


def _write(path, fmt, doc, indent, gz):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if fmt == "lines":
        data = "".join(line + "\n" for line in doc)
    else:
        data = json.dumps(doc, indent=indent, ensure_ascii=False)
        if indent is not None:
            data += "\n"
    raw = data.encode("utf-8")
    with open(path, "wb") as f:
        if gz:
            # mtime=0 keeps the gzip bytes reproducible (as orglib.write_json).
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as z:
                z.write(raw)
        else:
            f.write(raw)


def apply(out):
    """Apply org_overlay.json to the generated tree under out (examples/org).

    Returns the number of records added per file (relative path)."""
    with open(DATA, encoding="utf-8") as f:
        overlay = json.load(f)
    added = {}
    for rel, content in sorted(overlay.get("files", {}).items()):
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(content)
        items = _items(json.loads(content))
        added[rel] = len(items) if items is not None else 0
    for rel, ops in sorted(overlay.get("edits", {}).items()):
        path = os.path.join(out, rel)
        fmt, doc, text = _read(path)
        indent = _indent(text)
        for k, v in ops.get("set", {}).items():
            doc[k] = v
        items = doc if fmt == "lines" else _items(doc)
        for item in ops.get("replace", []):
            k = _key(item)
            at = [i for i, x in enumerate(items) if _key(x) == k]
            if len(at) != 1:
                sys.exit("org_overlay: %s: %d items with key %s" % (rel, len(at), k))
            items[at[0]] = item
        for ins in ops.get("insert", []):
            pos = 0
            if ins["after"] is not None:
                at = [i for i, x in enumerate(items) if _key(x) == ins["after"]]
                if len(at) != 1:
                    sys.exit("org_overlay: %s: %d items with key %s" % (rel, len(at), ins["after"]))
                pos = at[0] + 1
            items[pos:pos] = ins["items"]
            added[rel] = added.get(rel, 0) + len(ins["items"])
        _write(path, fmt, doc, indent, rel.endswith(".gz"))
    return added


def _previous():
    try:
        with open(DATA, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def expected_md():
    """The EXPECTED.md sections describing the overlay's resources."""
    return _previous().get("expected_md", "")


def capture(generated, committed):
    """Rebuild org_overlay.json from generated (without the overlay) against committed."""
    overlay = {"expected_md": _previous().get("expected_md", ""), "files": {}, "edits": {}}
    for root, _, files in os.walk(committed):
        for name in sorted(files):
            want = os.path.join(root, name)
            rel = os.path.relpath(want, committed)
            got = os.path.join(generated, rel)
            if not os.path.exists(got):
                with open(want, encoding="utf-8") as f:
                    overlay["files"][rel] = f.read()
                continue
            with open(want, "rb") as a, open(got, "rb") as b:
                if a.read() == b.read():
                    continue
            fmt, doc, _ = _read(want)
            _, gdoc, _ = _read(got)
            ops = {}
            if fmt == "json" and isinstance(doc, dict):
                ops["set"] = {k: v for k, v in doc.items()
                              if k not in ("configurationItems", "data") and gdoc.get(k) != v}
            items = doc if fmt == "lines" else _items(doc)
            gitems = gdoc if fmt == "lines" else _items(gdoc)
            if items is not None:
                gkeys = {_key(x): x for x in gitems}
                ops["replace"] = [x for x in items if _key(x) in gkeys and gkeys[_key(x)] != x]
                inserts, prev = [], None
                for x in items:
                    if _key(x) in gkeys:
                        prev = _key(x)
                        continue
                    if inserts and inserts[-1]["after"] == prev and inserts[-1].get("_open"):
                        inserts[-1]["items"].append(x)
                    else:
                        inserts.append({"after": prev, "items": [x], "_open": True})
                    # keep appending while added items follow each other
                for ins in inserts:
                    ins.pop("_open", None)
                ops["insert"] = inserts
            overlay["edits"][rel] = {k: v for k, v in ops.items() if v}
    with open(DATA, "w", encoding="utf-8") as f:
        json.dump(overlay, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "capture":
        capture(sys.argv[2], os.path.join(os.path.dirname(os.path.dirname(HERE)), "examples", "org"))
    else:
        sys.exit("usage: org_overlay.py capture GENERATED_ORG")
