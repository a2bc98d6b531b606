package gcp

import (
	"bytes"
	"encoding/base64"
	"fmt"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// PubSubMessage is the shape of audit log entries routed by a Cloud
// Logging sink to a Pub/Sub topic: each LogEntry is the base64 data of one
// PubsubMessage. A push subscription POSTs
// {"message":{"data":...,"messageId":...,"publishTime":...,"attributes":{...}},"subscription":"projects/p/subscriptions/s"}
// (Eventarc and Cloud Functions hand over the same object); a pull
// (subscriptions.pull, gcloud pubsub subscriptions pull --format=json)
// returns {"ackId":...,"message":{...}} items, in a receivedMessages
// array for the API. The converted event is the LogEntry itself, so its
// bytes and its de-duplication key are those of the entry delivered any
// other way. A message whose data is not a Cloud Audit Logs entry (a sink
// routing other logs too) is passed over as an event of an unknown kind
// (logsource.ErrNotAudit), with what it holds.
func PubSubMessage() logsource.Shape {
	return logsource.Shape{
		Name:      "Pub/Sub message",
		Recognise: recognisePubSub,
		Convert:   convertPubSub,
	}
}

// recognisePubSub knows a push body or a pulled message by its message
// object: data beside the id or publish time Pub/Sub sets (in the JSON
// API's camelCase or the push payload's snake_case copies).
func recognisePubSub(p logsource.Probe) bool {
	m, ok := p.Member("message")
	if !ok || len(m) == 0 || m[0] != '{' {
		return false
	}
	data, stamped := false, false
	p.Members(m, func(k, v []byte) bool {
		switch string(k) {
		case "data":
			data = len(v) > 0 && v[0] == '"'
		case "messageId", "message_id", "publishTime", "publish_time":
			stamped = true
		}
		return !(data && stamped)
	})
	return data && stamped
}

func convertPubSub(raw []byte) ([]byte, error) {
	m := gjson.GetBytes(raw, "message")
	data := m.Get("data")
	if data.Type != gjson.String {
		return nil, fmt.Errorf("%w: message.data", norm.ErrMissing)
	}
	entry, err := decodeData(data.Str)
	if err != nil {
		return nil, fmt.Errorf("message.data: %w", err)
	}
	entry = bytes.TrimSpace(entry)
	if len(entry) == 0 || entry[0] != '{' || !gjson.ValidBytes(entry) {
		return nil, fmt.Errorf("message %s: data is not a JSON log entry: %w", m.Get("messageId").Str, logsource.ErrNotAudit)
	}
	if !isAuditEntry(entry) {
		what := gjson.GetBytes(entry, "logName").Str
		if what == "" {
			what = "no logName"
		}
		return nil, fmt.Errorf("message data is a log entry of %s, not a Cloud Audit Logs entry: %w", what, logsource.ErrNotAudit)
	}
	return entry, nil
}

// decodeData decodes a message's data: base64 as the JSON API writes
// bytes (padded standard alphabet), or the URL-safe and unpadded forms
// some collectors re-encode it in.
func decodeData(s string) ([]byte, error) {
	var firstErr error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(s)
		if err == nil {
			return b, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, fmt.Errorf("not base64: %w", firstErr)
}

// isAuditEntry is Recognise for a decoded LogEntry's text.
func isAuditEntry(entry []byte) bool {
	r := gjson.GetManyBytes(entry, "protoPayload.@type", "logName", "protoPayload.serviceName", "protoPayload.methodName")
	if !gjson.GetBytes(entry, "protoPayload").IsObject() {
		return false
	}
	if r[0].Str == auditLogType || bytes.Contains([]byte(r[1].Str), []byte("cloudaudit.googleapis.com")) {
		return true
	}
	return r[0].Str == "" && r[2].Type == gjson.String && r[2].Str != "" && r[3].Type == gjson.String && r[3].Str != ""
}
