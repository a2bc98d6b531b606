package m365

import (
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
)

// Identity returns the bytes that identify a unified audit log record for
// de-duplication. Every record carries an Id that Microsoft 365 assigns
// once; the same record reaches vigil through the Management Activity
// API, Purview and Search-UnifiedAuditLog exports (the AuditData text:
// other spacing, key order, escapes), Microsoft Graph audit log queries
// (CreationTime with a Z, OData annotations) and Log Analytics /
// Sentinel OfficeActivity rows (the table renames, drops and retypes
// columns, and writes TimeGenerated in its own precision). A record is
// therefore identified by its Id with the time (to the second), the
// operation, the outcome and the user, which every one of those shapes
// keeps: copies are one event whatever shape each came in, and a record
// of the same Id with another outcome or user is another event. A record
// without an Id or a readable time is identified by its canonical JSON
// (norm.Canonical).
func Identity(raw []byte) []byte {
	r := gjson.GetManyBytes(raw, "Id", "CreationTime", "Operation", "ResultStatus", "UserId")
	id := r[0].Str
	if r[0].Type != gjson.String || id == "" {
		return norm.Canonical(raw)
	}
	t, err := norm.ParseTime(r[1].Str)
	if err != nil {
		return norm.Canonical(raw)
	}
	var b strings.Builder
	b.Grow(len(id) + len(r[2].Str) + len(r[3].Str) + len(r[4].Str) + 32)
	b.WriteString("m365 record\x00")
	b.WriteString(strings.ToLower(id))
	b.WriteByte(0)
	b.WriteString(strconv.FormatInt(t.Unix(), 10))
	b.WriteByte(0)
	b.WriteString(r[2].Str)
	b.WriteByte(0)
	b.WriteString(strings.ToLower(r[3].Str))
	b.WriteByte(0)
	b.WriteString(strings.ToLower(r[4].Str))
	return []byte(b.String())
}
