package awsconfig

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// credentialReportHeader is how the decoded report returned by
// `aws iam get-credential-report` starts.
const credentialReportHeader = "user,arn,user_creation_time,"

// IsCredentialReport reports whether data (with any BOM and leading blank
// space removed) is an IAM credential report.
func IsCredentialReport(data []byte) bool {
	return bytes.HasPrefix(data, []byte(credentialReportHeader))
}

// RootName is the user column of the root account's row.
const RootName = "<root_account>"

// ParseCredentialReport imports an IAM credential report: one identity per
// row, the root account's row as an identity of kind root. Rows that cannot
// be read are reported with their line and the rest is still imported.
func ParseCredentialReport(path string, data []byte) *attr.Result {
	res := &attr.Result{Format: FormatCredentialReport}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		res.Problems = append(res.Problems, attr.Problemf(1, 0, "reading header: %v", err))
		return res
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line := 0
		if err == nil && len(rec) > 0 {
			line, _ = cr.FieldPos(0)
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				res.Problems = append(res.Problems, attr.Problemf(pe.Line, 0, "%v", pe.Err))
			} else {
				res.Problems = append(res.Problems, attr.Problemf(line, 0, "%v", err))
			}
			if rec == nil || !errors.Is(err, csv.ErrFieldCount) {
				continue
			}
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if r := credentialRow(path, get, header, rec); r != nil {
			res.Resources = append(res.Resources, r)
		} else {
			res.Problems = append(res.Problems, attr.Problemf(line, 0, "row has no user ARN"))
		}
	}
	return res
}

func credentialRow(path string, get func(string) string, header, rec []string) *resource.Resource {
	arn := get("arn")
	if arn == "" {
		return nil
	}
	user := get("user")
	raw := make(attr.M, len(header))
	for i, h := range header {
		if i < len(rec) {
			raw[h] = rec[i]
		}
	}
	acct := accountOf(arn)
	id := &resource.Identity{Kind: "user", AccessKeysKnown: resource.Bool(true)}
	r := &resource.Resource{
		Provider: resource.AWS, Account: acct, Region: "global", Type: "AWS::IAM::User", ID: arn, Name: user,
		Raw: raw, Source: path, Class: resource.ClassIdentity, Facts: resource.Facts{Identity: id},
	}
	if user == RootName || strings.HasSuffix(arn, ":root") {
		id.Kind = "root"
		r.Type = TypeRoot
		r.ID = "arn:aws:iam::" + acct + ":root"
	}
	id.ConsoleAccess = reportBool(get("password_enabled"))
	id.MFAEnabled = reportBool(get("mfa_active"))
	id.PasswordLastUsed = reportTime(get("password_last_used"))
	last := id.PasswordLastUsed
	for _, n := range []string{"1", "2"} {
		active := reportBool(get("access_key_" + n + "_active"))
		created := reportTime(get("access_key_" + n + "_last_rotated"))
		if active == nil || (!*active && created == "") {
			continue // the slot was never used
		}
		used := reportTime(get("access_key_" + n + "_last_used_date"))
		id.AccessKeys = append(id.AccessKeys, resource.AccessKey{
			ID: "access_key_" + n, Active: *active, Created: created, LastUsed: used,
		})
		if used > last {
			last = used
		}
	}
	id.LastActivity = last
	return r
}

// reportBool reads "true"/"false"; "not_supported", "N/A" and the like are unknown.
func reportBool(s string) *bool {
	switch strings.ToLower(s) {
	case "true":
		return resource.Bool(true)
	case "false":
		return resource.Bool(false)
	}
	return nil
}

// reportTime converts an ISO 8601 report time to RFC 3339 UTC; "N/A",
// "no_information" and anything unparseable give "".
func reportTime(s string) string {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05-07:00", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format(time.RFC3339)
		}
	}
	return ""
}
