package sigma

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

// TestNewSourcesOnSamples runs the SigmaHQ Microsoft 365 and Google
// Workspace rules over realistic events in the shape the clouds deliver
// them (internal/logs/testdata/samples, written from the Office 365
// Management Activity API schema and from Workspace audit entries as
// Cloud Logging stores them), read by vigil's own reader: every rule must
// match the events written for it, and only those.
func TestNewSourcesOnSamples(t *testing.T) {
	dir := cloudRulesDir(t)
	samples := filepath.Join("..", "logs", "testdata", "samples")
	var recs []logs.Record
	for _, f := range []string{"m365_audit.json", "m365_audit_alerts.jsonl", "gcp_workspace.jsonl"} {
		err := logs.ReadFile(context.Background(), filepath.Join(samples, f), func(r logs.Record) error {
			recs = append(recs, r)
			return nil
		}, func(e logs.InputError) { t.Errorf("%v", e) })
		if err != nil {
			t.Fatal(err)
		}
	}
	// Expected matches per rule file: "file:line" of the sample events.
	want := map[string][]string{
		"microsoft365_bypass_conditional_access.yml":                         {"m365_audit.json:1"},
		"microsoft365_disabling_mfa.yml":                                     {"m365_audit.json:3"},
		"microsoft365_new_federated_domain_added_audit.yml":                  {"m365_audit.json:4", "m365_audit.json:5"},
		"microsoft365_suspicious_email_delivered.yml":                        {"m365_audit.json:7"},
		"microsoft365_new_federated_domain_added_exchange.yml":               {"m365_audit.json:5"},
		"microsoft365_pst_export_alert_using_new_compliancesearchaction.yml": {"m365_audit.json:6"},
		"microsoft365_impossible_travel_activity.yml":                        {"m365_audit_alerts.jsonl:1"},
		"microsoft365_from_susp_ip_addresses.yml":                            {"m365_audit_alerts.jsonl:2"},
		"microsoft365_activity_from_anonymous_ip_addresses.yml":              {"m365_audit_alerts.jsonl:3"},
		"microsoft365_activity_from_infrequent_country.yml":                  {"m365_audit_alerts.jsonl:4"},
		"microsoft365_activity_by_terminated_user.yml":                       {"m365_audit_alerts.jsonl:5"},
		"microsoft365_data_exfiltration_to_unsanctioned_app.yml":             {"m365_audit_alerts.jsonl:6"},
		"microsoft365_logon_from_risky_ip_address.yml":                       {"m365_audit_alerts.jsonl:7"},
		"microsoft365_potential_ransomware_activity.yml":                     {"m365_audit_alerts.jsonl:8"},
		"microsoft365_susp_inbox_forwarding.yml":                             {"m365_audit_alerts.jsonl:9"},
		"microsoft365_susp_oauth_app_file_download_activities.yml":           {"m365_audit_alerts.jsonl:10"},
		"microsoft365_unusual_volume_of_file_deletion.yml":                   {"m365_audit_alerts.jsonl:11"},
		"microsoft365_pst_export_alert.yml":                                  {"m365_audit_alerts.jsonl:12"},
		"microsoft365_user_restricted_from_sending_email.yml":                {"m365_audit_alerts.jsonl:13"},
		"gcp_gworkspace_application_access_levels_modified.yml":              {"gcp_workspace.jsonl:1"},
		"gcp_gworkspace_application_removed.yml":                             {"gcp_workspace.jsonl:2"},
		"gcp_gworkspace_granted_domain_api_access.yml":                       {"gcp_workspace.jsonl:3"},
		"gcp_gworkspace_mfa_disabled.yml":                                    {"gcp_workspace.jsonl:4"}, // not :5, which enables it
		"gcp_gworkspace_role_modified_or_deleted.yml":                        {"gcp_workspace.jsonl:6"},
		"gcp_gworkspace_role_privilege_deleted.yml":                          {"gcp_workspace.jsonl:7"},
		"gcp_gworkspace_user_granted_admin_privileges.yml":                   {"gcp_workspace.jsonl:8"},
		"gcp_gworkspace_govattack.yml":                                       {"gcp_workspace.jsonl:10"},
		"gcp_gworkspace_out_of_domain_email_forwarding.yml":                  {"gcp_workspace.jsonl:11"},
		"gcp_gworkspace_suspicious_login.yml":                                {"gcp_workspace.jsonl:12"},
	}
	var files []string
	for _, sub := range []string{"m365", filepath.Join("gcp", "gworkspace")} {
		filepath.WalkDir(filepath.Join(dir, sub), func(p string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".yml") {
				files = append(files, p)
			}
			return nil
		})
	}
	if len(files) != len(want) {
		t.Errorf("%d rule files, %d expectations", len(files), len(want))
	}
	ev := NewJSONEvent(nil)
	bySource := map[string][]*Matcher{}
	direct := map[string]bool{} // "rule path|record key" matched one by one
	for _, f := range files {
		rules, _, _, errs := LoadFile(f)
		if len(errs) > 0 || len(rules) != 1 {
			t.Errorf("%s: %v", f, errs)
			continue
		}
		r := rules[0]
		src, _ := r.Source()
		m, err := Compile(r, FieldMapFor(src))
		if err != nil {
			t.Fatal(err)
		}
		bySource[src] = append(bySource[src], m)
		var got []string
		for _, rec := range recs {
			ev.Reset(rec.Raw)
			if m.Match(ev) {
				direct[r.Path+"|"+rec.File+":"+itoa(int(rec.Offset))] = true
				if string(rec.Source) != src {
					t.Errorf("%s matched a %s record, rule source is %s", filepath.Base(f), rec.Source, src)
				}
				got = append(got, filepath.Base(rec.File)+":"+itoa(recordIndex(recs, rec)))
			}
		}
		sort.Strings(got)
		w := want[filepath.Base(f)]
		if strings.Join(got, " ") != strings.Join(w, " ") {
			t.Errorf("%s: matched %v, want %v", filepath.Base(f), got, w)
		}
	}
	// The indexed RuleSet the detect pipeline uses finds the same matches.
	viaSet := map[string]bool{}
	for src, ms := range bySource {
		set := NewRuleSet(ms)
		for _, rec := range recs {
			if string(rec.Source) != src {
				continue
			}
			ev.Reset(rec.Raw)
			set.Match(ev, func(m *Matcher) {
				viaSet[m.Rule().Path+"|"+rec.File+":"+itoa(int(rec.Offset))] = true
			})
		}
	}
	if len(viaSet) != len(direct) {
		t.Errorf("RuleSet found %d matches, matchers one by one %d", len(viaSet), len(direct))
	}
	for k := range direct {
		if !viaSet[k] {
			t.Errorf("RuleSet missed %s", k)
		}
	}
}

// recordIndex is the 1-based position of rec among the records of its file.
func recordIndex(recs []logs.Record, rec logs.Record) int {
	n := 0
	for _, r := range recs {
		if r.File == rec.File {
			n++
			if r.Offset == rec.Offset {
				return n
			}
		}
	}
	return 0
}

// TestSelectorPaths: key[field=value] segments and @raw resolve the same on
// JSONEvent and MapEvent.
func TestSelectorPaths(t *testing.T) {
	raw := `{"ExtendedProperties":[{"Name":"UserAgent","Value":"curl/8"},{"Name":"RequestType","Value":"Cmsi:Cmsi"},7,null],
	"p":{"event":[{"eventName":"A","parameter":[{"name":"NEW_VALUE","value":"false"},{"name":"OLD_VALUE","value":"true"}]},
	              {"eventName":"B","parameter":[{"name":"NEW_VALUE","value":"x"}]}]},
	"one":{"name":"k","value":"v"},
	"ModifiedProperties":[{"Name":"ConsentContext.IsAdminConsent","NewValue":"True","OldValue":""},
	                      {"Name":"ConsentAction.Permissions","NewValue":"[] => [[Scope: Mail.Read User.Read]]; ","OldValue":""}]}`
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path string
		want []string // nil: absent
	}{
		{"ExtendedProperties[Name=RequestType].Value", []string{"Cmsi:Cmsi"}},
		{"extendedproperties[name=requesttype].value", []string{"Cmsi:Cmsi"}},
		{"ExtendedProperties[Name=Missing].Value", nil},
		{"p.event.parameter[name=NEW_VALUE].value", []string{"false", "x"}},
		{"p.event.parameter[name=OLD_VALUE].value", []string{"true"}},
		{"one[name=k].value", []string{"v"}},
		{"one[name=other].value", nil},
		{"p[name=x]", nil},
		// Dots inside a selector's value belong to the value.
		{"ModifiedProperties[Name=ConsentAction.Permissions].NewValue", []string{"[] => [[Scope: Mail.Read User.Read]]; "}},
		{"ModifiedProperties[Name=ConsentContext.IsAdminConsent].NewValue", []string{"True"}},
		{"modifiedproperties[name=consentaction.permissions].newvalue", []string{"[] => [[Scope: Mail.Read User.Read]]; "}},
		{"ModifiedProperties[Name=ConsentAction].NewValue", nil},
	}
	for _, ev := range []Event{NewJSONEvent([]byte(raw)), MapEvent(m)} {
		for _, c := range cases {
			v, ok := ev.Field(c.path)
			var got []string
			if ok {
				if v.Kind == KindArray {
					for _, e := range v.Elems {
						got = append(got, e.Str)
					}
				} else {
					got = []string{v.Str}
				}
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") || ok != (c.want != nil) {
				t.Errorf("%T %s: got %v (%v), want %v", ev, c.path, got, ok, c.want)
			}
		}
		if v, ok := ev.Field(RawPath); !ok || !strings.Contains(v.Str, "Cmsi:Cmsi") {
			t.Errorf("%T @raw: %v %v", ev, v, ok)
		}
	}
}

// TestCutPath: a path is cut at its first dot outside a selector's
// brackets.
func TestCutPath(t *testing.T) {
	for _, c := range []struct{ path, head, rest string }{
		{"a.b.c", "a", "b.c"},
		{"a", "a", ""},
		{"M[Name=C.P].NewValue", "M[Name=C.P]", "NewValue"},
		{"M[Name=C.P]", "M[Name=C.P]", ""},
		{"x.M[Name=C.P].v", "x", "M[Name=C.P].v"},
		{"M[Name=a.b.c].v.w", "M[Name=a.b.c]", "v.w"},
	} {
		head, rest, _ := cutPath(c.path)
		if head != c.head || rest != c.rest {
			t.Errorf("cutPath(%q) = %q, %q; want %q, %q", c.path, head, rest, c.head, c.rest)
		}
	}
}
