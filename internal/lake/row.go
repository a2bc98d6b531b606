package lake

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
	"unsafe"

	// goccy/go-json encodes the OCSF events about 1.3x faster than
	// encoding/json, with the same output (TestOCSFEncodingMatchesStdlib).
	json "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/logs/cloudtrail"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Row is one event as stored: flat, queryable columns, the original event
// (raw) and the full OCSF event (ocsf). The partition columns source and date
// are not stored in the files; they come from the directory names, as Hive,
// Athena, Trino, Spark and DuckDB expect.
type Row struct {
	Time          time.Time `parquet:"time,timestamp(millisecond)"`
	ClassUID      int32     `parquet:"class_uid"`
	ClassName     string    `parquet:"class_name,dict"`
	ActivityID    int32     `parquet:"activity_id"`
	Activity      string    `parquet:"activity,dict"`
	SeverityID    int32     `parquet:"severity_id"`
	Severity      string    `parquet:"severity,dict"`
	StatusID      int32     `parquet:"status_id"`
	Status        string    `parquet:"status,dict"`
	CloudProvider string    `parquet:"cloud_provider,dict"`
	AccountUID    string    `parquet:"account_uid,optional,dict"`
	Region        string    `parquet:"region,optional,dict"`
	ActorUserUID  string    `parquet:"actor_user_uid,optional,dict"`
	ActorUserName string    `parquet:"actor_user_name,optional,dict"`
	ActorUserType string    `parquet:"actor_user_type,optional,dict"`
	SrcIP         string    `parquet:"src_ip,optional,dict"`
	UserAgent     string    `parquet:"user_agent,optional,dict"`
	APIService    string    `parquet:"api_service,optional,dict"`
	APIOperation  string    `parquet:"api_operation,optional,dict"`
	ResourceUIDs  []string  `parquet:"resource_uids,list"`
	// EventUID is the source's event id (OCSF metadata.uid), or the event
	// hash when the source gives none.
	EventUID string `parquet:"event_uid"`
	// EventHash is the SHA-256 of the raw event (of its canonical form for
	// a source with an Identity, Microsoft 365): the deduplication key.
	EventHash string `parquet:"event_hash"`
	Raw       string `parquet:"raw"`
	// OCSF is the OCSF event's JSON with raw_data, when it is the raw
	// event, stored as the placeholder rawDataRef: the lake's views put the
	// raw event back (OCSFSQL).
	OCSF string `parquet:"ocsf"`

	source logs.Source
	// hash is EventHash's bytes: the deduplication key in memory.
	hash eventKey
}

// eventKey is the binary form of an event hash (EventHash's 128 bits).
type eventKey [16]byte

// Columns lists the queryable columns of the events view, in order, with
// their SQL types (partition columns last).
var Columns = []struct{ Name, Type string }{
	{"time", "TIMESTAMP WITH TIME ZONE"}, {"class_uid", "INTEGER"}, {"class_name", "VARCHAR"},
	{"activity_id", "INTEGER"}, {"activity", "VARCHAR"}, {"severity_id", "INTEGER"}, {"severity", "VARCHAR"},
	{"status_id", "INTEGER"}, {"status", "VARCHAR"}, {"cloud_provider", "VARCHAR"}, {"account_uid", "VARCHAR"},
	{"region", "VARCHAR"}, {"actor_user_uid", "VARCHAR"}, {"actor_user_name", "VARCHAR"},
	{"actor_user_type", "VARCHAR"}, {"src_ip", "VARCHAR"}, {"user_agent", "VARCHAR"}, {"api_service", "VARCHAR"},
	{"api_operation", "VARCHAR"}, {"resource_uids", "VARCHAR[]"}, {"event_uid", "VARCHAR"},
	{"event_hash", "VARCHAR"}, {"raw", "VARCHAR"}, {"ocsf", "VARCHAR"},
	{"source", "VARCHAR"}, {"date", "DATE"},
}

// rawDataRef stands in the stored ocsf column for the OCSF raw_data when it
// is the original event, which the raw column holds: each event is stored
// once instead of twice (the second copy, JSON-escaped inside the OCSF
// event, was half the ocsf column and 30% of the lake, and encoding and
// compressing it 13% of ingest's CPU time). No raw_data can be this text
// (an event is a JSON object), so files written before, whose raw_data is
// the event, read the same.
const rawDataRef = "(raw)"

// OCSFSQL is the SQL expression of the full OCSF event over the stored raw
// and ocsf columns: the stored JSON with the placeholder raw_data replaced
// by the raw event as a JSON string. DuckDB's to_json escapes like
// encoding/json but for <, >, &, U+2028 and U+2029, which Go escapes, so
// the text is byte for byte the encoding of the normalized event
// (TestQueryOCSFIsFullEvent).
const OCSFSQL = `replace("ocsf", '"raw_data":"` + rawDataRef + `"', '"raw_data":' || ` +
	`replace(replace(replace(replace(replace(to_json("raw")::VARCHAR, '<', '\u003c'), '>', '\u003e'), '&', '\u0026'), ` +
	`chr(8232), '\u2028'), chr(8233), '\u2029'))`

// EventHash returns the deduplication key of a raw event of a source
// without a de-duplication identity (see EventHashOf).
func EventHash(raw []byte) string {
	_, s := eventHash(raw)
	return s
}

// EventHashOf returns the deduplication key of raw, an event of source
// src, as ingest stores it in event_hash.
func EventHashOf(src logs.Source, raw []byte) string {
	_, s := eventHash(eventIdentity(src, raw))
	return s
}

// eventIdentity returns the bytes of raw (an event of source src) that
// its deduplication key is computed from: the source's canonical form
// when it has one (Microsoft 365 records: the Management Activity API's
// and a Purview export's copy of one record are one event), else raw.
func eventIdentity(src logs.Source, raw []byte) []byte {
	if d, ok := logs.Builtin().Lookup(src); ok {
		return d.Key(raw)
	}
	return raw
}

// eventHash returns the deduplication key of a raw event, binary and as
// EventHash writes it.
func eventHash(raw []byte) (eventKey, string) {
	h := sha256.Sum256(raw)
	k := eventKey(h[:16])
	return k, hex.EncodeToString(k[:])
}

// NewRow flattens a normalized event of source src with its raw JSON
// (ev's raw_data empty or the raw event: the row refers to raw). The
// row's Raw shares raw's memory: raw must not be modified afterwards (a
// logs.Record's Raw never is).
func NewRow(src logs.Source, raw []byte, ev ocsf.Event) (Row, error) {
	b := ev.Common()
	// The raw event is stored once, in raw: raw_data refers to it (left
	// empty by logs.NormalizeWithoutRaw, or a copy of it).
	if rd := b.RawData; rd == "" || rd == unsafe.String(unsafe.SliceData(raw), len(raw)) {
		b.RawData = rawDataRef
		defer func() { b.RawData = rd }()
	}
	full, err := json.Marshal(ev)
	if err != nil {
		return Row{}, fmt.Errorf("encode OCSF: %w", err)
	}
	r := Row{
		Time:       time.UnixMilli(b.Time).UTC(),
		ClassUID:   int32(b.ClassUID),
		ClassName:  b.ClassName,
		ActivityID: int32(b.ActivityID),
		Activity:   b.ActivityName,
		SeverityID: int32(b.SeverityID),
		Severity:   b.Severity,
		StatusID:   int32(b.StatusID),
		Status:     b.Status,
		EventUID:   b.Metadata.UID,
		// The row shares raw and the encoding instead of copying them (a
		// copy of each was 13% of ingest's CPU): json.Marshal's result is
		// ours, and raw is never modified after the call (see NewRow).
		Raw:    unsafe.String(unsafe.SliceData(raw), len(raw)),
		OCSF:   unsafe.String(unsafe.SliceData(full), len(full)),
		source: src,
	}
	r.hash, r.EventHash = eventHash(eventIdentity(src, raw))
	if r.EventUID == "" {
		r.EventUID = "sha256:" + r.EventHash
	}
	if c := b.Cloud; c != nil {
		r.CloudProvider, r.Region = c.Provider, c.Region
		if c.Account != nil {
			r.AccountUID = c.Account.UID
		}
	}
	if a := b.Actor; a != nil && a.User != nil {
		r.ActorUserUID, r.ActorUserName, r.ActorUserType = a.User.UID, a.User.Name, a.User.Type
	}
	if e := b.SrcEndpoint; e != nil {
		r.SrcIP = e.IP
	}
	if h := b.HTTPRequest; h != nil {
		r.UserAgent = h.UserAgent
	}
	if api := b.API; api != nil {
		r.APIOperation = api.Operation
		if api.Service != nil {
			r.APIService = api.Service.Name
		}
	}
	r.ResourceUIDs = ev.ResourceUIDs()
	return r, nil
}

// newCloudTrailRow is NewRow for a CloudTrail event, its OCSF event
// written by cloudtrail.AppendOCSF straight from raw (half the CPU time
// of normalizing and encoding it) into ar, which the row then shares;
// members locates raw's members (Record.Members) or is nil. ok is false
// when the encoder leaves the event to Normalize (sign-ins, IAM account
// changes, shapes it does not decode): the caller then uses NewRow.
// TestCloudTrailRowMatchesNewRow holds the two to the same row.
func newCloudTrailRow(raw []byte, members []int32, ar *arena) (Row, bool) {
	ar.reserve(2*len(raw) + 1024)
	a := ar.cur
	out, f, ok := cloudtrail.AppendOCSF(a, raw, members, rawDataRef)
	if !ok {
		return Row{}, false
	}
	ar.appended(out)
	full := out[len(a):]
	// The event hash's text goes into the arena too (one allocation less
	// per event).
	sum := sha256.Sum256(raw)
	ar.reserve(2 * len(eventKey{}))
	n := len(ar.cur)
	ar.cur = hex.AppendEncode(ar.cur, sum[:len(eventKey{})])
	hash := ar.cur[n:]
	r := Row{
		Time:          time.UnixMilli(f.Time).UTC(),
		ClassUID:      int32(f.ClassUID),
		ClassName:     f.ClassName,
		ActivityID:    int32(f.ActivityID),
		Activity:      f.ActivityName,
		SeverityID:    int32(f.SeverityID),
		Severity:      f.Severity,
		StatusID:      int32(f.StatusID),
		Status:        f.Status,
		CloudProvider: "AWS",
		AccountUID:    f.AccountUID,
		Region:        f.Region,
		ActorUserUID:  f.UserUID,
		ActorUserName: f.UserName,
		ActorUserType: f.UserType,
		SrcIP:         f.SrcIP,
		UserAgent:     f.UserAgent,
		APIService:    f.Service,
		APIOperation:  f.Operation,
		ResourceUIDs:  f.ResourceUIDs,
		EventUID:      f.UID,
		Raw:           unsafe.String(unsafe.SliceData(raw), len(raw)),
		OCSF:          unsafe.String(unsafe.SliceData(full), len(full)),
		source:        logs.AWSCloudTrail,
		hash:          eventKey(sum[:len(eventKey{})]),
		EventHash:     unsafe.String(unsafe.SliceData(hash), len(hash)),
	}
	if r.EventUID == "" {
		r.EventUID = "sha256:" + r.EventHash
	}
	return r, true
}

// partition is the directory of a row relative to the lake root.
func (r *Row) partition() string {
	return partitionDir(r.source, r.Time)
}

func partitionDir(src logs.Source, t time.Time) string {
	return "source=" + string(src) + "/date=" + t.UTC().Format("2006-01-02")
}
