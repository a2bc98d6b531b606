"""Shared helpers for the Northwind Analytics sample-organization generator.

Everything here is deterministic: identifiers are derived from names with
uuid5/sha256, and all times are fixed relative to NOW (the day the exports
were collected), so re-running the generator reproduces the committed files
byte for byte.
"""

import datetime as dt
import gzip
import hashlib
import json
import os
import uuid

# The day the exports were collected. Credential ages in the sample are
# relative to this instant.
NOW = dt.datetime(2026, 11, 24, 6, 0, 0, tzinfo=dt.timezone.utc)

NS = uuid.UUID("6f1c2a4e-93d0-4b6e-8a57-1e0c9b3d7f21")

# Filled by the cloud modules; written to expected.json / EXPECTED.md.
PLANTED = []  # {"rule_id","resource_id","why", "provider"}
CLEAN = []  # {"resource_id","note", "provider", "class"}


def plant(provider, rule_id, resource_id, why):
    PLANTED.append({"rule_id": rule_id, "resource_id": resource_id, "why": why, "provider": provider})


INCIDENTAL = []  # {"rule_id","resource_id_contains","why","provider"}: may FAIL as a side effect


def incidental(provider, rule_id, id_contains, why):
    INCIDENTAL.append({"rule_id": rule_id, "resource_id_contains": id_contains, "why": why, "provider": provider})


def clean(provider, cls, resource_id, note, planted=()):
    """Documents a clean resource: no rule fails on it, except the rules of planted (a per-rule mark), each of
    which must be planted on it (gen_org.py checks both)."""
    c = {"resource_id": resource_id, "note": note, "provider": provider, "class": cls}
    if planted:
        c["planted_rules"] = sorted(planted)
    CLEAN.append(c)


def uid(*parts):
    """Deterministic UUID for the given name parts."""
    return str(uuid.uuid5(NS, "/".join(str(p) for p in parts)))


def hexid(n, *parts):
    """Deterministic lowercase hex string of length n."""
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()[:n]


def upper_id(prefix, n, *parts):
    """AWS-style unique id such as AIDA + 17 base32-ish upper chars."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    h = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return prefix + "".join(alphabet[b % 32] for b in h[:n])


def digits(n, *parts):
    h = hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()
    return str(int(h, 16))[:n]


def ago(days, hours=0, minutes=0):
    return NOW - dt.timedelta(days=days, hours=hours, minutes=minutes)


def iso(t, ms=True):
    """2026-11-24T06:00:00.000Z"""
    if ms:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_offset(t):
    """2026-11-24T06:00:00+00:00 (credential report style)"""
    return t.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def epoch_ms(t):
    return int(t.timestamp() * 1000)


def write_json(path, obj, indent=2, compress=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = json.dumps(obj, indent=indent, ensure_ascii=False)
    if indent is not None:
        data += "\n"
    if compress:
        # mtime=0 keeps the gzip bytes reproducible.
        with open(path, "wb") as f:
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as gz:
                gz.write(data.encode())
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(data)


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def write_ndjson(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, separators=(",", ":"), ensure_ascii=False))
            f.write("\n")
