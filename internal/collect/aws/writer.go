package awscollect

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/collect"
)

// configItem is an AWS Config configuration item as a configuration
// snapshot delivered to S3 holds it.
type configItem struct {
	RelatedEvents []any             `json:"relatedEvents"`
	Relationships *[]Relationship   `json:"relationships,omitempty"` // left out when unknown
	Configuration any               `json:"configuration"`
	Supplementary map[string]any    `json:"supplementaryConfiguration"`
	Tags          map[string]string `json:"tags"`
	Version       string            `json:"configurationItemVersion"`
	CaptureTime   string            `json:"configurationItemCaptureTime"`
	StateID       int64             `json:"configurationStateId"`
	Account       string            `json:"awsAccountId"`
	Status        string            `json:"configurationItemStatus"`
	ResourceType  string            `json:"resourceType"`
	ResourceID    string            `json:"resourceId"`
	ResourceName  *string           `json:"resourceName"`
	ARN           string            `json:"ARN,omitempty"`
	Region        string            `json:"awsRegion"`
	AZ            string            `json:"availabilityZone"`
	MD5           string            `json:"configurationStateMd5Hash"`
	Created       *string           `json:"resourceCreationTime,omitempty"`
}

type configSnapshot struct {
	FileVersion string       `json:"fileVersion"`
	SnapshotID  string       `json:"configSnapshotId"`
	Items       []configItem `json:"configurationItems"`
}

const configTime = "2006-01-02T15:04:05.000Z"

// writeAccount writes one account's configuration snapshots (one per
// region, global items in the home region's) and CLI outputs.
func (c *collector) writeAccount(ctx context.Context, acct string, out *accountOut) error {
	out.mu.Lock()
	defer out.mu.Unlock()
	c.dropIncomplete(acct, out)
	a := collect.SafeSegment(acct)
	byRegion := map[string][]Item{}
	for region, items := range out.items {
		file := region
		if region == "global" || region == "" {
			file = c.fileGlobalIn
		}
		byRegion[file] = append(byRegion[file], items...)
	}
	for _, region := range sortedKeys(byRegion) {
		items := byRegion[region]
		slices.SortFunc(items, func(x, y Item) int {
			return cmp.Or(cmp.Compare(x.ResourceType, y.ResourceType), cmp.Compare(x.ARN, y.ARN), cmp.Compare(x.ResourceID, y.ResourceID))
		})
		snap := configSnapshot{FileVersion: "1.0", SnapshotID: uuidOf(acct, region, c.now.String())}
		for _, it := range items {
			snap.Items = append(snap.Items, c.configItem(acct, it))
		}
		r := collect.SafeSegment(region)
		name := fmt.Sprintf("aws/%s/AWSLogs/%s/Config/%s/%s/ConfigSnapshot/%s_Config_%s_ConfigSnapshot_%s_%s.json",
			a, a, r, c.now.Format("2006/1/2"), a, r, c.now.Format("20060102T150405Z"), snap.SnapshotID)
		if err := c.writeJSON(ctx, name, snap); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(out.cli) {
		segs := strings.Split(name, "/")
		for i := range segs {
			segs[i] = collect.SafeSegment(segs[i])
		}
		path := "aws/" + a + "/cli/" + strings.Join(segs, "/")
		if raw, ok := out.cli[name].([]byte); ok {
			if err := c.sink.Write(ctx, path, raw); err != nil {
				return err
			}
			continue
		}
		if err := c.writeJSON(ctx, path, cliValue(out.cli[name])); err != nil {
			return err
		}
	}
	return nil
}

func (c *collector) configItem(acct string, it Item) configItem {
	ci := configItem{
		RelatedEvents: []any{}, Configuration: it.Configuration, Supplementary: it.Supplementary, Tags: it.Tags,
		Version: "1.3", CaptureTime: c.now.Format(configTime), StateID: c.now.UnixMilli(), Account: acct,
		Status: "OK", ResourceType: it.ResourceType, ResourceID: it.ResourceID, ARN: it.ARN, Region: it.Region, AZ: it.AZ,
	}
	if !it.RelationshipsUnknown {
		rels := it.Relationships
		if rels == nil {
			rels = []Relationship{}
		}
		slices.SortFunc(rels, func(x, y Relationship) int {
			return cmp.Or(cmp.Compare(x.ResourceType, y.ResourceType), cmp.Compare(x.ResourceID, y.ResourceID), cmp.Compare(x.ResourceName, y.ResourceName))
		})
		ci.Relationships = &rels
	}
	if it.ResourceName != "" {
		ci.ResourceName = &it.ResourceName
	}
	if ci.Supplementary == nil {
		ci.Supplementary = map[string]any{}
	}
	if ci.Tags == nil {
		ci.Tags = map[string]string{}
	}
	if ci.AZ == "" {
		ci.AZ = "Regional"
		if it.Region == "global" {
			ci.AZ = "Not Applicable"
		}
	}
	if it.Created != nil {
		s := it.Created.UTC().Format(configTime)
		ci.Created = &s
	}
	return ci
}

func (c *collector) writeJSON(ctx context.Context, name string, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("aws: encoding %s: %w", name, err)
	}
	return c.sink.Write(ctx, name, b.Bytes())
}

// cliValue is v as the AWS CLI prints an SDK output: members that are
// not set (null) left out, and no SDK result metadata.
func cliValue(v any) any { return dropNulls(generic(v)) }

// dropIncomplete leaves out the per-region outputs that would decide an
// account fact needing every region when one region's call failed: the
// account has GuardDuty off only when every region lists no detector, and
// encrypts EBS by default only when every region says so. The outputs that
// decide the fact whatever the failed region says (a listed detector, a
// region not encrypting by default) are kept.
func (c *collector) dropIncomplete(acct string, out *accountOut) {
	failed := map[string]bool{}
	for _, f := range c.rec.Failures() {
		if f.Account == acct {
			failed[f.Call] = true
		}
	}
	if failed["guardduty:ListDetectors"] {
		for name, v := range out.cli {
			if m, ok := generic(v).(map[string]any); ok && strings.HasPrefix(name, "guardduty-list-detectors.") {
				if ids, _ := m["DetectorIds"].([]any); len(ids) == 0 {
					delete(out.cli, name)
				}
			}
		}
	}
	if failed["access-analyzer:ListAnalyzers"] {
		// IAM Access Analyzer in every region in use: a region whose list
		// failed could be the one missing it, so the lists read decide
		// only when one of them has no active external access analyzer.
		var lists []string
		allOn := true
		for name, v := range out.cli {
			if strings.HasPrefix(name, "accessanalyzer-list-analyzers.") {
				lists = append(lists, name)
				allOn = allOn && externalAnalyzerActive(generic(v))
			}
		}
		if allOn {
			for _, name := range lists {
				delete(out.cli, name)
			}
		}
	}
	if failed["ec2:GetEbsEncryptionByDefault"] {
		var ebs []string
		allOn := true
		for name, v := range out.cli {
			if m, ok := generic(v).(map[string]any); ok && strings.HasPrefix(name, "ebs-encryption-by-default.") {
				ebs = append(ebs, name)
				allOn = allOn && m["EbsEncryptionByDefault"] == true
			}
		}
		if allOn {
			for _, name := range ebs {
				delete(out.cli, name)
			}
		}
	}
}

// generic is v as JSON values (maps, slices, json.Number): the SDK
// structures are marshalled with their members' Go names, which are the
// API's.
func generic(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return nil
	}
	return x
}

func dropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil || k == "ResultMetadata" {
				delete(x, k)
				continue
			}
			x[k] = dropNulls(e)
		}
	case []any:
		for i := range x {
			x[i] = dropNulls(x[i])
		}
	}
	return v
}

// camel is v (an SDK structure) as AWS Config records it in a
// configuration item: the same members, named in lower camel case
// (VpcId: vpcId), unset members as null.
func camel(v any) any { return lowerKeys(generic(v)) }

func lowerKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			if k == "ResultMetadata" {
				continue
			}
			m[lowerFirst(k)] = lowerKeys(e)
		}
		return m
	case []any:
		for i := range x {
			x[i] = lowerKeys(x[i])
		}
	}
	return v
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// uuidOf is a stable UUID (version 5 layout) for a snapshot ID.
func uuidOf(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func timeStr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(configTime)
}
