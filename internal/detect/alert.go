package detect

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	gojson "github.com/goccy/go-json"
	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/jsonenc"
	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// RuleInfo is what an alert says about the rule that raised it. Author and
// References are kept on every alert: SigmaHQ's Detection Rule License
// requires that messages based on matches retain the rule's author.
type RuleInfo struct {
	ID, Name, Title, Description, Author, Status, Path string
	// Level is the rule's own level, before tuning.
	Level          string
	Tags           []string
	References     []string
	FalsePositives []string
	License        string
	// Builtin is set for vigil's own rules; Correlation for correlation rules.
	Builtin     bool
	Correlation bool
	// meta caches, per effective level, the JSON of the alert's
	// unmapped.rule object (the same for every alert of the rule at that
	// level); the fields above must not change once alerts are made.
	meta sync.Map // Level -> []byte
	// attacks caches Attacks(Tags), shared (read-only) by the rule's
	// alerts.
	attacksOnce sync.Once
	attacks     []ocsf.Attack
	attacksEnc  []byte
}

// attackList returns Attacks(r.Tags), worked out once.
func (r *RuleInfo) attackList() []ocsf.Attack {
	r.attacksOnce.Do(r.initAttacks)
	return r.attacks
}

// attacksJSON returns the JSON of attackList() as go-json writes it (nil
// when it cannot be encoded: the caller then encodes the list itself).
func (r *RuleInfo) attacksJSON() []byte {
	r.attacksOnce.Do(r.initAttacks)
	return r.attacksEnc
}

func (r *RuleInfo) initAttacks() {
	r.attacks = Attacks(r.Tags)
	if len(r.attacks) > 0 {
		if b, err := gojson.MarshalWithOption(r.attacks, gojson.DisableHTMLEscape()); err == nil {
			r.attacksEnc = b
		}
	}
}

// metaJSON returns the JSON of ruleMeta(r, level), encoded once per level.
func (r *RuleInfo) metaJSON(level Level) []byte {
	if b, ok := r.meta.Load(level); ok {
		return b.([]byte)
	}
	b, _ := json.Marshal(ruleMeta(r, level))
	r.meta.Store(level, b)
	return b
}

// Key returns the rule's identity for counts and tuning: its id, else its
// name, else its title.
func (r *RuleInfo) Key() string {
	switch {
	case r.ID != "":
		return r.ID
	case r.Name != "":
		return r.Name
	}
	return r.Title
}

// Event is one matched event: the record as read and, when the engine
// normalized it, its OCSF event (Norm) or the JSON of it (OCSF).
type Event struct {
	Record logs.Record
	Norm   ocsf.Event
	OCSF   json.RawMessage
	Time   time.Time
	// validRaw says Record.Raw is known to be valid JSON (the engine's
	// reader validated it): evidence takes it without checking again.
	validRaw bool
	// stableRaw says Record.Raw is the engine's own copy, never written
	// again (a raw arena's, see Engine.own): the finding's raw_data is a
	// string over it rather than a copy.
	stableRaw bool
}

// context returns the OCSF objects an alert and its evidence show.
func (ev Event) context() (cloud *ocsf.Cloud, actor *ocsf.Actor, src *ocsf.Endpoint, api *ocsf.API, res []ocsf.ResourceDetails) {
	if ev.Norm != nil {
		b := ev.Norm.Common()
		if aa, ok := ev.Norm.(*ocsf.APIActivity); ok {
			res = aa.Resources
		}
		return b.Cloud, b.Actor, b.SrcEndpoint, b.API, res
	}
	if len(ev.OCSF) == 0 {
		return nil, nil, nil, nil, nil
	}
	r := gjson.GetManyBytes(ev.OCSF, "cloud", "actor", "src_endpoint", "api", "resources")
	if r[4].IsArray() {
		_ = json.Unmarshal([]byte(r[4].Raw), &res)
	}
	return decodeRes[ocsf.Cloud](r[0]), decodeRes[ocsf.Actor](r[1]), decodeRes[ocsf.Endpoint](r[2]), decodeRes[ocsf.API](r[3]), res
}

// Alert is one detection: the rule, its effective level after tuning, the
// events that matched, and the OCSF Detection Finding written out.
type Alert struct {
	Rule    *RuleInfo
	Level   Level
	Events  []Event
	Finding ocsf.DetectionFinding
	// encoded is the finding's JSON line, when prepared ahead (Encode).
	encoded []byte
	// made is set by NewAlert: the finding's raw JSON values (evidence
	// data, unmapped) are compact valid JSON (see appendFinding).
	made bool
}

// Encode encodes the finding once (so that parallel workers, not the
// writer, pay for it); sinks use the result.
func (a *Alert) Encode() error {
	b, err := MarshalFinding(a)
	if err != nil {
		return err
	}
	a.encoded = b
	return nil
}

// maxScratch bounds the encoding buffer a worker keeps between alerts.
const maxScratch = 1 << 20

// encodeIn is Encode through *scratch, a buffer the calling goroutine
// reuses from alert to alert: the finding is written into memory already
// in the cache (a fresh buffer sized by findingSizeHint, twice the event
// and more, was written once and mostly touched for the first time) and
// copied out at its exact size.
func (a *Alert) encodeIn(scratch *[]byte) error {
	b, err := marshalFinding((*scratch)[:0], a)
	if err != nil {
		return err
	}
	a.encoded = append(make([]byte, 0, len(b)), b...)
	if cap(b) <= maxScratch {
		*scratch = b[:0]
	}
	return nil
}

// AlertID returns the deterministic id of an alert raised by rule over
// events: the same rule on the same events always has the same id, which is
// what lets a resumed follow run recognise alerts it already wrote. An
// event counts by its source's de-duplication identity (Descriptor.Key:
// its raw JSON, or for Microsoft 365 its canonical form), so whichever
// copy of a record a run kept, the alert has one id.
func AlertID(rule string, group string, events []Event) string {
	h := sha256.New()
	h.Write([]byte(rule))
	h.Write([]byte{0})
	h.Write([]byte(group))
	for _, ev := range events {
		h.Write([]byte{0})
		id := ev.Record.Raw
		if d, ok := logs.DescriptorOf(ev.Record); ok {
			id = d.Key(id)
		}
		sum := sha256.Sum256(id)
		h.Write(sum[:])
	}
	s := hex.EncodeToString(h.Sum(nil)[:16])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// NewAlert builds the alert and its OCSF Detection Finding. group names the
// correlation group ("" for single-event rules); version is vigil's version
// for metadata.product.
func NewAlert(rule *RuleInfo, level Level, group string, events []Event, version string) Alert {
	id := AlertID(rule.Key(), group, events)
	f := ocsf.DetectionFinding{
		FindingHeader: ocsf.FindingHeader{
			ActivityID:   1,
			ActivityName: "Create",
			CategoryUID:  ocsf.FindingsCategoryUID,
			CategoryName: "Findings",
			ClassUID:     ocsf.DetectionFindingClassUID,
			ClassName:    "Detection Finding",
			TypeUID:      ocsf.DetectionFindingCreate,
			TypeName:     "Detection Finding: Create",
			SeverityID:   level.SeverityID(),
			Severity:     ocsf.SeverityName(level.SeverityID()),
			StatusID:     1,
			Status:       "New",
		},
		IsAlert: true,
		Metadata: ocsf.Metadata{
			Version: ocsf.Version,
			Product: ocsf.VigilProduct(version),
			UID:     id,
			Labels:  []string{"sigma"},
		},
		FindingInfo: ocsf.FindingInfo{
			UID:   id,
			Title: rule.Title,
			Desc:  rule.Description,
			Analytic: &ocsf.Analytic{
				UID:    rule.ID,
				Name:   firstNonEmpty(rule.Name, rule.Title),
				Type:   "Rule",
				TypeID: 1,
				Desc:   rule.Description,
			},
			Attacks: rule.attackList(),
		},
	}
	if rule.Correlation {
		f.FindingInfo.Types = []string{"Sigma Correlation"}
	} else {
		f.FindingInfo.Types = []string{"Sigma"}
	}
	for i, ev := range events {
		ms := ev.Time.UnixMilli()
		if ev.Time.IsZero() {
			ms = 0
		}
		if i == 0 || (ms != 0 && ms < f.FindingInfo.FirstSeenTime) {
			f.FindingInfo.FirstSeenTime = ms
		}
		if ms > f.FindingInfo.LastSeenTime {
			f.FindingInfo.LastSeenTime = ms
		}
		f.Evidences = append(f.Evidences, evidenceOf(ev))
	}
	f.Time = f.FindingInfo.LastSeenTime
	if len(events) > 0 {
		// The last event completed the detection (for a correlation, the
		// others are in Evidences, oldest first).
		last := events[len(events)-1]
		if last.stableRaw {
			f.RawData = unsafe.String(unsafe.SliceData(last.Record.Raw), len(last.Record.Raw))
		} else {
			f.RawData = string(last.Record.Raw)
		}
		f.Cloud, f.Actor, f.SrcEndpoint, f.API, f.Resources = last.context()
	}
	// cloud and api belong to the cloud profile, actor (on findings) to
	// the host profile: name the profiles used (OCSF metadata.profiles).
	if f.Cloud != nil || f.API != nil {
		f.Metadata.Profiles = append(f.Metadata.Profiles, "cloud")
	}
	if f.Actor != nil {
		f.Metadata.Profiles = append(f.Metadata.Profiles, "host")
	}
	f.Message = message(rule, level, f.Actor, f.SrcEndpoint, len(events))
	// What json.Marshal of {"rule": ruleMeta(...), "correlation_group":
	// group} writes (keys sorted), with the rule's part encoded once.
	meta := rule.metaJSON(level)
	u := make([]byte, 0, len(meta)+len(group)+40)
	u = append(u, '{')
	if group != "" {
		g, _ := json.Marshal(group)
		u = append(append(append(u, `"correlation_group":`...), g...), ',')
	}
	u = append(append(append(u, `"rule":`...), meta...), '}')
	f.Unmapped = u
	return Alert{Rule: rule, Level: level, Events: events, Finding: f, made: true}
}

func ruleMeta(r *RuleInfo, level Level) map[string]any {
	m := map[string]any{
		"id":     r.ID,
		"title":  r.Title,
		"author": r.Author,
		"level":  r.Level,
	}
	if level.String() != strings.ToLower(r.Level) {
		m["tuned_level"] = level.String()
	}
	add := func(k string, v any, ok bool) {
		if ok {
			m[k] = v
		}
	}
	add("name", r.Name, r.Name != "")
	add("status", r.Status, r.Status != "")
	add("references", r.References, len(r.References) > 0)
	add("tags", r.Tags, len(r.Tags) > 0)
	add("falsepositives", r.FalsePositives, len(r.FalsePositives) > 0)
	add("path", r.Path, r.Path != "")
	add("license", r.License, r.License != "")
	add("builtin", true, r.Builtin)
	return m
}

// evidenceData is the data of one evidence: where the event was read and
// the event itself.
type evidenceData struct {
	Source string          `json:"source"`
	File   string          `json:"file"`
	Line   int             `json:"line,omitempty"`
	Offset int64           `json:"offset"`
	Event  json.RawMessage `json:"event"`
}

func evidenceOf(ev Event) ocsf.Evidence {
	var e ocsf.Evidence
	_, e.Actor, e.SrcEndpoint, e.API, _ = ev.context()
	raw := ev.Record.Raw
	if !ev.validRaw && !logs.ValidJSON(raw) {
		raw, _ = json.Marshal(string(raw))
	}
	// What json.Marshal(evidenceData{...}) writes, without its two passes
	// of encoding/json's scanner over the event (validating, then
	// compacting the RawMessage).
	d := make([]byte, 0, len(raw)+len(ev.Record.File)+96)
	d = append(d, `{"source":`...)
	d, _ = appendJSONString(d, string(ev.Record.Source))
	d = append(d, `,"file":`...)
	d, _ = appendJSONString(d, ev.Record.File)
	if ev.Record.Line != 0 {
		d = append(d, `,"line":`...)
		d = strconv.AppendInt(d, int64(ev.Record.Line), 10)
	}
	d = append(d, `,"offset":`...)
	d = strconv.AppendInt(d, ev.Record.Offset, 10)
	d = append(d, `,"event":`...)
	d = appendCompactHTML(d, raw)
	e.Data = append(d, '}')
	return e
}

// appendJSONString appends s as json.Marshal encodes a string (HTML
// characters escaped, invalid UTF-8 replaced).
func appendJSONString(dst []byte, s string) ([]byte, error) { return jsonenc.AppendHTML(dst, s), nil }

// appendCompactHTML appends the valid JSON src as encoding/json writes a
// json.RawMessage: insignificant whitespace dropped, '<', '>', '&',
// U+2028 and U+2029 escaped.
func appendCompactHTML(dst, src []byte) []byte {
	const hex = "0123456789abcdef"
	start := 0
	flush := func(i int) {
		if start < i {
			dst = append(dst, src[start:i]...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c != '"' {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				flush(i)
				start = i + 1
			}
			continue
		}
		// A string: runs of ordinary bytes are copied as they are.
		for i++; i < len(src); i++ {
			for i < len(src) && !strStop[src[i]] {
				i++
			}
			if i >= len(src) {
				break
			}
			c := src[i]
			if c == '"' {
				break
			}
			switch {
			case c == '\\':
				i++
			case c == '<' || c == '>' || c == '&':
				flush(i)
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
				start = i + 1
			case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
				flush(i)
				dst = append(dst, '\\', 'u', '2', '0', '2', hex[src[i+2]&0xF])
				start = i + 3
				i += 2
			}
		}
	}
	flush(len(src))
	return dst
}

// strStop marks the bytes appendCompactHTML looks at inside a string.
var strStop = [256]bool{'"': true, '\\': true, '<': true, '>': true, '&': true, 0xE2: true}

func decodeRes[T any](v gjson.Result) *T {
	if !v.IsObject() {
		return nil
	}
	var t T
	if err := json.Unmarshal([]byte(v.Raw), &t); err != nil {
		return nil
	}
	return &t
}

func message(r *RuleInfo, level Level, actor *ocsf.Actor, src *ocsf.Endpoint, n int) string {
	var b strings.Builder
	b.WriteString(r.Title)
	b.WriteString(" [")
	b.WriteString(level.String())
	b.WriteString("]")
	if actor != nil && actor.User != nil {
		who := firstNonEmpty(actor.User.Name, actor.User.EmailAddr, actor.User.UID)
		if who != "" {
			b.WriteString(" by ")
			b.WriteString(who)
		}
	}
	if src != nil && src.IP != "" {
		b.WriteString(" from ")
		b.WriteString(src.IP)
	}
	if n > 1 {
		b.WriteString(" (")
		b.WriteString(itoa(n))
		b.WriteString(" events)")
	}
	return b.String()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }
