package detect

import (
	"encoding/json"
	"strconv"

	gojson "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/internal/jsonenc"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// appendFinding appends f as gojson.MarshalWithOption(f,
// gojson.DisableHTMLEscape()) writes it, byte for byte
// (TestAppendFindingSameAsGoJSON): the finding's own members and its
// largest values (raw_data, a whole event as a JSON string; each
// evidence's data, the event again) written here, the nested OCSF objects
// (cloud, actor, api, resources, the evidences' actor, api and
// src_endpoint; attacks, when attacks is nil) through go-json. attacks,
// when not nil, is the JSON of f.FindingInfo.Attacks (a rule's, encoded
// once). compact says the finding's raw JSON values (evidence data,
// unmapped) are valid compact JSON, as NewAlert makes them: they are
// copied as they are; otherwise go-json compacts (or rejects) them.
// go-json encoded the whole finding, escaping a 1.3 KB raw_data through
// its generic string path, at about a third of an alert's cost.
func appendFinding(b []byte, f *ocsf.DetectionFinding, attacks []byte, compact bool) ([]byte, error) {
	h := &f.FindingHeader
	b = append(b, `{"activity_id":`...)
	b = strconv.AppendInt(b, int64(h.ActivityID), 10)
	b = optString(b, `,"activity_name":`, h.ActivityName)
	b = append(b, `,"category_uid":`...)
	b = strconv.AppendInt(b, int64(h.CategoryUID), 10)
	b = optString(b, `,"category_name":`, h.CategoryName)
	b = append(b, `,"class_uid":`...)
	b = strconv.AppendInt(b, int64(h.ClassUID), 10)
	b = optString(b, `,"class_name":`, h.ClassName)
	b = append(b, `,"type_uid":`...)
	b = strconv.AppendInt(b, int64(h.TypeUID), 10)
	b = optString(b, `,"type_name":`, h.TypeName)
	b = append(b, `,"time":`...)
	b = strconv.AppendInt(b, h.Time, 10)
	b = optString(b, `,"message":`, h.Message)
	b = append(b, `,"severity_id":`...)
	b = strconv.AppendInt(b, int64(h.SeverityID), 10)
	b = optString(b, `,"severity":`, h.Severity)
	if h.StatusID != 0 {
		b = append(b, `,"status_id":`...)
		b = strconv.AppendInt(b, int64(h.StatusID), 10)
	}
	b = optString(b, `,"status":`, h.Status)
	b = append(b, `,"is_alert":`...)
	b = strconv.AppendBool(b, f.IsAlert)

	m := &f.Metadata
	b = append(b, `,"metadata":{"version":`...)
	b = jsonenc.Append(b, m.Version)
	b = append(b, `,"product":{"name":`...)
	b = jsonenc.Append(b, m.Product.Name)
	b = append(b, `,"vendor_name":`...)
	b = jsonenc.Append(b, m.Product.VendorName)
	b = optString(b, `,"version":`, m.Product.Version)
	b = optString(b, `,"uid":`, m.Product.UID)
	b = append(b, '}')
	b = optString(b, `,"uid":`, m.UID)
	b = optString(b, `,"correlation_uid":`, m.CorrelationUID)
	b = optString(b, `,"log_name":`, m.LogName)
	b = optString(b, `,"log_provider":`, m.LogProvider)
	b = optString(b, `,"original_time":`, m.OriginalTime)
	b = optString(b, `,"event_code":`, m.EventCode)
	b = optStrings(b, `,"profiles":`, m.Profiles)
	b = optStrings(b, `,"labels":`, m.Labels)
	b = append(b, '}')

	fi := &f.FindingInfo
	b = append(b, `,"finding_info":{"uid":`...)
	b = jsonenc.Append(b, fi.UID)
	b = append(b, `,"title":`...)
	b = jsonenc.Append(b, fi.Title)
	b = optString(b, `,"desc":`, fi.Desc)
	b = optStrings(b, `,"types":`, fi.Types)
	b = optInt(b, `,"created_time":`, fi.CreatedTime)
	b = optInt(b, `,"first_seen_time":`, fi.FirstSeenTime)
	b = optInt(b, `,"last_seen_time":`, fi.LastSeenTime)
	if a := fi.Analytic; a != nil {
		b = append(b, `,"analytic":{`...)
		n := len(b)
		b = optString(b, `,"uid":`, a.UID)
		b = optString(b, `,"name":`, a.Name)
		b = optString(b, `,"type":`, a.Type)
		b = append(b, `,"type_id":`...)
		b = strconv.AppendInt(b, int64(a.TypeID), 10)
		b = optString(b, `,"desc":`, a.Desc)
		b = endObject(b, n)
	}
	if len(fi.Attacks) > 0 {
		b = append(b, `,"attacks":`...)
		if attacks == nil {
			var err error
			if b, err = appendGoJSON(b, fi.Attacks); err != nil {
				return nil, err
			}
		} else {
			b = append(b, attacks...)
		}
	}
	b = append(b, '}')

	// The finding's actor and api, written by go-json once: an evidence
	// showing the same objects (a single-event alert's) copies them.
	var err error
	b = appendCloud(b, f.Cloud)
	aa := len(b)
	if b, err = appendMembers(b, &actorAPI{Actor: f.Actor, API: f.API}); err != nil {
		return nil, err
	}
	actorAPIJSON := b[aa:len(b):len(b)]
	if len(f.Resources) > 0 {
		if b, err = appendMembers(b, &findingResources{Resources: f.Resources}); err != nil {
			return nil, err
		}
	}
	if len(f.Evidences) > 0 {
		b = append(b, `,"evidences":[`...)
		for i := range f.Evidences {
			ev := &f.Evidences[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			n := len(b)
			if ev.Actor == f.Actor && ev.API == f.API {
				// actorAPIJSON is in b, before what is appended here; b
				// may move as it grows, the bytes stay the same.
				b = append(b, actorAPIJSON...)
			} else if b, err = appendMembers(b, &actorAPI{Actor: ev.Actor, API: ev.API}); err != nil {
				return nil, err
			}
			b = appendEndpoint(b, `,"src_endpoint":`, ev.SrcEndpoint)
			if len(ev.Data) > 0 {
				b = append(b, `,"data":`...)
				if b, err = appendRaw(b, ev.Data, compact); err != nil {
					return nil, err
				}
			}
			b = endObject(b, n)
		}
		b = append(b, ']')
	}
	b = optString(b, `,"raw_data":`, f.RawData)
	if len(f.Unmapped) > 0 {
		b = append(b, `,"unmapped":`...)
		if b, err = appendRaw(b, f.Unmapped, compact); err != nil {
			return nil, err
		}
	}
	b = optString(b, `,"confidence":`, f.Confidence)
	return append(b, '}'), nil
}

// actorAPI and findingResources are the nested objects of a finding and
// of an evidence that go-json writes (actor, api, resources: their
// request and resource data are maps), in the finding's member order; the
// cloud and the evidences' src_endpoint are written here (appendCloud,
// appendEndpoint).
type actorAPI struct {
	Actor *ocsf.Actor `json:"actor,omitempty"`
	API   *ocsf.API   `json:"api,omitempty"`
}

type findingResources struct {
	Resources []ocsf.ResourceDetails `json:"resources,omitempty"`
}

// appendCloud appends `,"cloud":` and c as go-json writes an *ocsf.Cloud
// (nothing when c is nil).
func appendCloud(b []byte, c *ocsf.Cloud) []byte {
	if c == nil {
		return b
	}
	b = append(b, `,"cloud":{"provider":`...)
	b = jsonenc.Append(b, c.Provider)
	b = optString(b, `,"region":`, c.Region)
	if a := c.Account; a != nil {
		b = append(b, `,"account":{`...)
		n := len(b)
		b = optString(b, `,"uid":`, a.UID)
		b = optString(b, `,"name":`, a.Name)
		b = optString(b, `,"type":`, a.Type)
		b = optInt(b, `,"type_id":`, int64(a.TypeID))
		b = endObject(b, n)
	}
	return append(b, '}')
}

// appendEndpoint appends key and e as go-json writes an *ocsf.Endpoint
// (nothing when e is nil).
func appendEndpoint(b []byte, key string, e *ocsf.Endpoint) []byte {
	if e == nil {
		return b
	}
	b = append(b, key...)
	b = append(b, '{')
	n := len(b)
	b = optString(b, `,"ip":`, e.IP)
	b = optString(b, `,"domain":`, e.Domain)
	b = optString(b, `,"hostname":`, e.Hostname)
	if l := e.Location; l != nil {
		b = append(b, `,"location":{`...)
		m := len(b)
		b = optString(b, `,"city":`, l.City)
		b = optString(b, `,"country":`, l.Country)
		b = optString(b, `,"region":`, l.Region)
		b = endObject(b, m)
	}
	return endObject(b, n)
}

// endObject closes the object whose members, each written after a comma,
// start at b[n]: the first member's comma dropped.
func endObject(b []byte, n int) []byte {
	if len(b) > n {
		b = append(b[:n], b[n+1:]...)
	}
	return append(b, '}')
}

// appendMembers appends the members go-json writes for v (a struct), each
// after a comma; nothing when it writes none.
func appendMembers(b []byte, v any) ([]byte, error) {
	enc, err := gojson.MarshalWithOption(v, gojson.DisableHTMLEscape())
	if err != nil {
		return nil, err
	}
	if len(enc) <= 2 {
		return b, nil
	}
	b = append(b, ',')
	return append(b, enc[1:len(enc)-1]...), nil
}

func appendGoJSON(b []byte, v any) ([]byte, error) {
	enc, err := gojson.MarshalWithOption(v, gojson.DisableHTMLEscape())
	if err != nil {
		return nil, err
	}
	return append(b, enc...), nil
}

// appendRaw appends a json.RawMessage as go-json writes one: as it is
// when it is known to be compact valid JSON, else through go-json (which
// compacts or rejects it).
func appendRaw(b []byte, raw json.RawMessage, compact bool) ([]byte, error) {
	if compact {
		return append(b, raw...), nil
	}
	return appendGoJSON(b, raw)
}

func optString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return jsonenc.Append(append(b, key...), s)
}

func optInt(b []byte, key string, n int64) []byte {
	if n == 0 {
		return b
	}
	return strconv.AppendInt(append(b, key...), n, 10)
}

func optStrings(b []byte, key string, ss []string) []byte {
	if len(ss) == 0 {
		return b
	}
	b = append(append(b, key...), '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonenc.Append(b, s)
	}
	return append(b, ']')
}
