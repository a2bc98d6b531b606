// Package trail is the audit trail of vigil's response layer: every plan,
// approval, action, API call and result appended to a hash-chained,
// append-only JSON-lines file that Verify re-checks, and written as OCSF
// events (OCSF, ExportOCSF).
//
// # Format
//
// One entry per line, a JSON object whose members come in this order:
// seq (1, 2, ...), time (RFC 3339, UTC, up to nanoseconds), kind, actor,
// host, run, plan, action, tactic, resource, status, error, data (any JSON
// the caller gives), prev and hash; empty optional members are left out.
//
// The canonical encoding of an entry is the line without its newline and
// without its last member, `,"hash":"..."`: what encoding/json writes for
// the Entry with Hash empty, without HTML escaping. hash is the SHA-256 of
// the canonical encoding in lowercase hex, and a line is the canonical
// encoding with `,"hash":"<hash>"` inserted before its final `}`. prev is
// the hash of the entry before; the first entry's prev is the SHA-256 of
// the text "vigil respond audit trail v1" (Genesis). Nothing is re-encoded
// to check a line: an auditor's script needs only the bytes. In Python:
//
//	import hashlib, json, sys
//	prev = hashlib.sha256(b"vigil respond audit trail v1").hexdigest()
//	for n, line in enumerate(open(sys.argv[1], "rb"), 1):
//	    assert line.endswith(b"\n"), f"line {n}: incomplete"
//	    body, _, h = line[:-1].rpartition(b',"hash":"')
//	    h, e = h[:-2].decode(), json.loads(line)
//	    assert hashlib.sha256(body + b"}").hexdigest() == h == e["hash"], f"line {n}: modified"
//	    assert e["seq"] == n and e["prev"] == prev, f"line {n}: removed, reordered or inserted before"
//	    prev = h
//	print(n, "entries, head", prev)
//
// # What the chain proves
//
// Changing, removing, reordering or inserting an entry breaks the chain
// at that line, unless every later entry is re-hashed too: the chain has
// no secret key. To detect that, and entries removed from the end, record
// the head (the last hash, printed by verify) somewhere else and verify
// against it later (VerifyOptions.ExpectHead).
//
// # Secrets
//
// The trail holds what callers pass. Data and Error must carry secret
// references ("env:NAME", "file:PATH"), never a secret's value: a
// trail is read by auditors and exported as events.
//
// # Concurrency and crashes
//
// Each append takes an exclusive lock on the file (flock), re-reads the
// last entry if another process appended, writes whole lines and fsyncs.
// A crash can leave an incomplete last line: Open and Verify report it,
// and Recover removes it, recording the removed bytes in a "recover"
// entry.
package trail
