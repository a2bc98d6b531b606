package awsorg

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

func parse(t *testing.T, text string) *attr.Result {
	t.Helper()
	var doc any
	if err := attr.Decode([]byte(text), &doc); err != nil {
		t.Fatalf("test input: %v", err)
	}
	if Detect(doc) != Format {
		t.Fatalf("not detected: %s", text)
	}
	return Parse(context.Background(), "org.json", doc)
}

func find(rs []*resource.Resource, id string) *resource.Resource {
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// levels renders a chain as "r-1[A,B] ou-1[C] 222222222222[]" (targets by
// their last path element).
func levels(ch *resource.OrgPolicies) string {
	if ch == nil {
		return "<nil>"
	}
	var parts []string
	for _, l := range ch.Levels {
		var names []string
		for _, p := range l.Policies {
			names = append(names, p.Name)
		}
		parts = append(parts, l.Target[strings.LastIndexAny(l.Target, "/")+1:]+"["+strings.Join(names, ",")+"]")
	}
	return strings.Join(parts, " ")
}

func applies(ch *resource.OrgPolicies) string {
	switch {
	case ch == nil || ch.Applies == nil:
		return "unknown"
	case *ch.Applies:
		return "true"
	}
	return "false"
}

const orgHead = `"Organization":{"Id":"o-exampleorg1","Arn":"arn:aws:organizations::111111111111:organization/o-exampleorg1","FeatureSet":"ALL","MasterAccountId":"111111111111"}`

const rootEnabled = `"Roots":[{"Id":"r-1","Name":"Root","PolicyTypes":[{"Type":"SERVICE_CONTROL_POLICY","Status":"ENABLED"}]}]`

func scp(id, name, content, targets string) string {
	return `{"PolicySummary":{"Id":"` + id + `","Name":"` + name + `","Type":"SERVICE_CONTROL_POLICY","AwsManaged":false},"Content":` + content + targets + `}`
}

const allowAll = `"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"`
const denyLeave = `"{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"organizations:LeaveOrganization\",\"Resource\":\"*\"}}"`

func targets(ids ...string) string {
	var ts []string
	for _, id := range ids {
		ts = append(ts, `{"TargetId":"`+id+`"}`)
	}
	return `,"Targets":[` + strings.Join(ts, ",") + `]`
}

func TestChains(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		account string
		applies string
		levels  string
		// incomplete is a substring of the chain's Incomplete reasons, "" for none.
		incomplete string
		problem    string // a substring of a problem, "" for none
	}{
		{
			name: "member account two OUs down",
			doc: `{` + orgHead + `,` + rootEnabled + `,
				"OrganizationalUnits":[{"Id":"ou-1","Name":"Workloads","ParentId":"r-1"},{"Id":"ou-2","Name":"Prod","ParentId":"ou-1"}],
				"Accounts":[{"Id":"222222222222","Name":"prod","ParentId":"ou-2"}],
				"Policies":[` + scp("p-full", "Full", allowAll, targets("r-1", "ou-1", "ou-2", "222222222222")) + `,` +
				scp("p-leave", "DenyLeave", denyLeave, targets("ou-1")) + `]}`,
			account: "222222222222", applies: "true",
			levels: "r-1[Full] ou-1[Full,DenyLeave] ou-2[Full] 222222222222[Full]",
		},
		{
			name: "the management account is exempt",
			doc: `{` + orgHead + `,` + rootEnabled + `,
				"Accounts":[{"Id":"111111111111","Name":"mgmt","ParentId":"r-1"}],
				"Policies":[` + scp("p-leave", "DenyLeave", denyLeave, targets("r-1")) + `]}`,
			account: "111111111111", applies: "false", levels: "r-1[DenyLeave] 111111111111[]",
		},
		{
			name: "SCPs not enabled on the root",
			doc: `{` + orgHead + `,"Roots":[{"Id":"r-1","PolicyTypes":[{"Type":"TAG_POLICY","Status":"ENABLED"}]}],
				"Accounts":[{"Id":"222222222222","ParentId":"r-1"}],"Policies":[]}`,
			account: "222222222222", applies: "false", levels: "r-1[] 222222222222[]",
		},
		{
			name: "consolidated billing only",
			doc: `{"Organization":{"Id":"o-x","FeatureSet":"CONSOLIDATED_BILLING","MasterAccountId":"111111111111"},"Roots":[{"Id":"r-1"}],
				"Accounts":[{"Id":"222222222222","ParentId":"r-1"}],"Policies":[]}`,
			account: "222222222222", applies: "false", levels: "r-1[] 222222222222[]",
		},
		{
			name: "policy types unknown",
			doc: `{"Roots":[{"Id":"r-1"}],"Accounts":[{"Id":"222222222222","ParentId":"r-1"}],
				"Policies":[` + scp("p-full", "Full", allowAll, targets("r-1", "222222222222")) + `]}`,
			account: "222222222222", applies: "unknown", levels: "r-1[Full] 222222222222[Full]",
		},
		{
			name: "management account learnt from an ARN",
			doc: `{"Roots":[{"Id":"r-1","Arn":"arn:aws:organizations::111111111111:root/o-exampleorg1/r-1","PolicyTypes":[{"Type":"SERVICE_CONTROL_POLICY","Status":"ENABLED"}]}],
				"Accounts":[{"Id":"111111111111","ParentId":"r-1"}],"Policies":[]}`,
			account: "111111111111", applies: "false", levels: "r-1[] 111111111111[]",
		},
		{
			name: "management account unknown: whether SCPs restrict an account is unknown",
			doc: `{"Roots":[{"Id":"r-1","PolicyTypes":[{"Type":"SERVICE_CONTROL_POLICY","Status":"ENABLED"}]}],
				"Accounts":[{"Id":"222222222222","ParentId":"r-1"}],"Policies":[]}`,
			account: "222222222222", applies: "unknown", levels: "r-1[] 222222222222[]",
			incomplete: "no service control policy attached to 222222222222 in the input",
		},
		{
			name: "parent OU missing: the root still applies, the chain is incomplete",
			doc: `{` + orgHead + `,` + rootEnabled + `,"Accounts":[{"Id":"222222222222","ParentId":"ou-gone"}],
				"Policies":[` + scp("p-leave", "DenyLeave", denyLeave, targets("r-1")) + `]}`,
			account: "222222222222", applies: "true", levels: "r-1[DenyLeave] 222222222222[]",
			incomplete: "ou-gone, the parent of 222222222222, is not in the input",
		},
		{
			name:    "no ParentId",
			doc:     `{` + orgHead + `,` + rootEnabled + `,"Accounts":[{"Id":"222222222222"}],"Policies":[]}`,
			account: "222222222222", applies: "true", levels: "r-1[] 222222222222[]",
			incomplete: "the parent of 222222222222 is not in the input",
		},
		{
			name: "a node without any policy of an enabled type: a policy is missing",
			doc: `{` + orgHead + `,` + rootEnabled + `,"Accounts":[{"Id":"222222222222","ParentId":"r-1"}],
				"Policies":[` + scp("p-full", "Full", allowAll, targets("222222222222")) + `]}`,
			account: "222222222222", applies: "true", levels: "r-1[] 222222222222[Full]",
			incomplete: "no service control policy attached to r-1 in the input",
		},
		{
			name: "targets of a policy not collected",
			doc: `{` + orgHead + `,` + rootEnabled + `,"Accounts":[{"Id":"222222222222","ParentId":"r-1"}],
				"Policies":[` + scp("p-leave", "DenyLeave", denyLeave, "") + `]}`,
			account: "222222222222", applies: "true", levels: "r-1[] 222222222222[]",
			incomplete: "the targets of policy DenyLeave are not in the input",
		},
		{
			name:    "policies not collected",
			doc:     `{` + orgHead + `,` + rootEnabled + `,"Accounts":[{"Id":"222222222222","ParentId":"r-1"}]}`,
			account: "222222222222", applies: "true", levels: "r-1[] 222222222222[]",
			incomplete: "policies are not in the input",
		},
		{
			name: "a loop of parents ends",
			doc: `{` + orgHead + `,` + rootEnabled + `,"OrganizationalUnits":[{"Id":"ou-a","ParentId":"ou-b"},{"Id":"ou-b","ParentId":"ou-a"}],
				"Accounts":[{"Id":"222222222222","ParentId":"ou-a"}],"Policies":[]}`,
			account: "222222222222", applies: "true", incomplete: "loop",
		},
		{
			name: "CLI outputs kept whole",
			doc: `{"Organization":{"Organization":{"Id":"o-exampleorg1","MasterAccountId":"111111111111"}},
				"Roots":{"Roots":[{"Id":"r-1","PolicyTypes":[{"Type":"SERVICE_CONTROL_POLICY","Status":"ENABLED"}]}]},
				"OrganizationalUnits":[{"OrganizationalUnit":{"Id":"ou-1","Name":"Sec"},"ParentId":"r-1"}],
				"Accounts":{"Accounts":[{"Id":"222222222222","ParentId":"ou-1"}]},
				"Policies":[{"Policy":{"PolicySummary":{"Id":"p-1","Name":"DenyLeave","Type":"SERVICE_CONTROL_POLICY"},"Content":` + denyLeave + `},
					"Targets":{"Targets":[{"TargetId":"ou-1","Type":"ORGANIZATIONAL_UNIT"}]}}]}`,
			account: "222222222222", applies: "true", levels: "r-1[] ou-1[DenyLeave] 222222222222[]",
			incomplete: "no service control policy attached to 222222222222 in the input",
		},
		{
			name: "a policy that does not parse is kept and reported",
			doc: `{` + orgHead + `,` + rootEnabled + `,"Accounts":[{"Id":"222222222222","ParentId":"r-1"}],
				"Policies":[` + scp("p-bad", "Broken", `"{not json"`, targets("r-1")) + `]}`,
			account: "222222222222", applies: "true", levels: "r-1[Broken] 222222222222[]",
			incomplete: "no service control policy attached to 222222222222 in the input",
			problem:    `Policies[0].Content: policy "Broken" (p-bad) does not parse`,
		},
		{
			name: "wrong types are reported, the rest read",
			doc: `{` + orgHead + `,` + rootEnabled + `,"OrganizationalUnits":"oops",
				"Accounts":[{"Id":"222222222222","ParentId":"r-1","Name":42},7,{"Name":"no id"},{"Id":"12"}],"Policies":[]}`,
			account: "222222222222", applies: "true", levels: "r-1[] 222222222222[]",
			incomplete: "no service control policy attached to 222222222222 in the input",
			problem:    "OrganizationalUnits: want array, got string",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := parse(t, tc.doc)
			a := find(res.Resources, "aws-account/"+tc.account)
			if a == nil || a.Facts.Account == nil {
				t.Fatalf("account %s not imported: %+v", tc.account, res.Resources)
			}
			ch := a.Facts.Account.SCPs
			if got := applies(ch); got != tc.applies {
				t.Errorf("applies = %s, want %s", got, tc.applies)
			}
			if got := levels(ch); tc.levels != "" && got != tc.levels {
				t.Errorf("levels\n got %s\nwant %s", got, tc.levels)
			}
			inc := strings.Join(ch.Incomplete, "; ")
			if (tc.incomplete == "") != (inc == "") || !strings.Contains(inc, tc.incomplete) {
				t.Errorf("incomplete = %q, want %q", inc, tc.incomplete)
			}
			var probs []string
			for _, p := range res.Problems {
				probs = append(probs, p.Error())
			}
			all := strings.Join(probs, "\n")
			if tc.problem == "" && len(probs) > 0 {
				t.Errorf("unexpected problems:\n%s", all)
			}
			if !strings.Contains(all, tc.problem) {
				t.Errorf("problems\n%s\nlack %q", all, tc.problem)
			}
		})
	}
}

// TestBadInput: every problem names its field; the elements beside a bad
// one are still imported.
func TestBadInput(t *testing.T) {
	res := parse(t, `{`+orgHead+`,`+rootEnabled+`,"OrganizationalUnits":[{"Id":"ou-1","ParentId":5},"x"],
		"Accounts":[{"Id":"222222222222","ParentId":"r-1","Name":42},7,{"Name":"no id"},{"Id":"12"}],
		"Policies":[{"PolicySummary":"x"},{"Content":"{}"},`+scp("p-ok", "Ok", allowAll, `,"Targets":[{"TargetId":3},"y"]`)+`]}`)
	want := []string{
		"OrganizationalUnits[0].ParentId: want string, got number",
		"OrganizationalUnits[1]: want object, got string",
		"Accounts[0].Name: want string, got number",
		"Accounts[1]: want object, got number",
		"Accounts[2].Id: missing",
		`Accounts[3].Id: "12" is not a 12-digit account ID`,
		"Policies[0].PolicySummary: want object, got string",
		"Policies[1].PolicySummary: missing",
		"Policies[2].Targets[0].TargetId: want string, got number",
		"Policies[2].Targets[1]: want object, got string",
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.Error())
	}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("no problem %q in\n%s", w, all)
		}
	}
	for _, p := range res.Problems {
		if p.Field == "" {
			t.Errorf("problem without a field: %v", p)
		}
	}
	if find(res.Resources, "aws-account/222222222222") == nil || find(res.Resources, "arn:aws:organizations::111111111111:ou/o-exampleorg1/ou-1") == nil {
		t.Errorf("the good elements were not imported: %d resources", len(res.Resources))
	}
	// A policy whose targets could not all be read: its attachment is
	// known (it has one), the chains say they may lack it.
	p := find(res.Resources, "arn:aws:organizations::111111111111:policy/o-exampleorg1/service_control_policy/p-ok")
	if p == nil || p.Facts.OrgPolicy == nil || p.Facts.OrgPolicy.Attached != nil {
		t.Fatalf("p-ok: %+v", p)
	}
	a := find(res.Resources, "aws-account/222222222222")
	if inc := a.Facts.Account.SCPs.Incomplete; len(inc) == 0 {
		t.Errorf("chain complete despite unreadable targets")
	}
}

func TestDetect(t *testing.T) {
	for doc, want := range map[string]string{
		`{"Organization":{"Id":"o-1"}}`:                                Format,
		`{"Accounts":[],"Policies":[]}`:                                Format,
		`{"Accounts":[{"Id":"222222222222"}]}`:                         "",
		`{"Organization":"o-1"}`:                                       "",
		`{"tenantId":"t","responses":{}}`:                              "",
		`[{"Organization":{}}]`:                                        "",
		`{"configurationItems":[],"Accounts":[]}`:                      "",
		`{"OrganizationalUnits":[],"Roots":[],"configSnapshotId":"x"}`: Format,
		`{"organization":{"id":"o"},"accounts":[],"policies":[]} `:     "",
	} {
		var v any
		if err := attr.Decode([]byte(doc), &v); err != nil {
			t.Fatal(err)
		}
		if got := Detect(v); got != want {
			t.Errorf("Detect(%s) = %q, want %q", doc, got, want)
		}
	}
}

// TestTreeFacts: parents, kinds, policy facts and relationships.
func TestTreeFacts(t *testing.T) {
	res := parse(t, `{`+orgHead+`,`+rootEnabled+`,
		"OrganizationalUnits":[{"Id":"ou-1","Arn":"arn:aws:organizations::111111111111:ou/o-exampleorg1/ou-1","Name":"Sec","ParentId":"r-1"}],
		"Accounts":[{"Id":"222222222222","Arn":"arn:aws:organizations::111111111111:account/o-exampleorg1/222222222222","Name":"sec","ParentId":"ou-1"}],
		"Policies":[`+scp("p-leave", "DenyLeave", denyLeave, targets("ou-1", "999999999999"))+`,
			{"PolicySummary":{"Id":"p-tag","Name":"Tags","Type":"TAG_POLICY"},"Content":"{\"tags\":{}}","Targets":[{"TargetId":"r-1"}]}]}`)
	ou := find(res.Resources, "arn:aws:organizations::111111111111:ou/o-exampleorg1/ou-1")
	if ou == nil || ou.Class != resource.ClassOrgUnit || ou.Facts.OrgUnit.Kind != "organizational_unit" ||
		ou.Facts.OrgUnit.Parent != "arn:aws:organizations::111111111111:root/o-exampleorg1/r-1" {
		t.Fatalf("OU: %+v", ou)
	}
	acct := find(res.Resources, "aws-account/222222222222")
	if acct.Facts.Account.Parent != ou.ID || acct.Name != "sec" || acct.Aliases[0] != "arn:aws:organizations::111111111111:account/o-exampleorg1/222222222222" {
		t.Errorf("account: %+v %+v", acct, acct.Facts.Account)
	}
	pol := find(res.Resources, "arn:aws:organizations::111111111111:policy/o-exampleorg1/service_control_policy/p-leave")
	if pol == nil || pol.Class != resource.ClassOrgPolicy {
		t.Fatalf("policy: %+v", pol)
	}
	op := pol.Facts.OrgPolicy
	if op.Kind != "service_control_policy" || op.Managed != "customer" || op.Document == nil || op.Document.Error != "" ||
		len(op.Document.Statements) != 1 || op.Document.Statements[0].Effect != "Deny" || op.Attached == nil || !*op.Attached {
		t.Errorf("policy facts: %+v", op)
	}
	if strings.Join(op.Targets, " ") != ou.ID+" aws-account/999999999999" {
		t.Errorf("targets: %v", op.Targets)
	}
	rels := 0
	for _, rel := range pol.Relationships {
		if rel.Type == resource.RelAttachedTo {
			rels++
		}
	}
	if rels != 2 {
		t.Errorf("attached_to relationships: %+v", pol.Relationships)
	}
	tag := find(res.Resources, "arn:aws:organizations::111111111111:policy/o-exampleorg1/tag_policy/p-tag")
	if tag == nil || tag.Class != resource.ClassOther || res.Unsupported[tag.ID] != TypePolicy {
		t.Errorf("tag policy: %+v, unsupported %v", tag, res.Unsupported)
	}
	if len(res.Problems) != 0 {
		t.Errorf("problems: %v", res.Problems)
	}
}

// TestOrgSettings: CIS AWS 7.0 2.1.1 and 2.1.6 on the organization, from
// aws iam list-organizations-features and aws organizations
// list-delegated-administrators as the CLI prints them (the list alone is
// read too); unknown without them or when they are of the wrong type; a
// suspended delegated administrator does not count.
func TestOrgSettings(t *testing.T) {
	const org = `"Organization":{"Id":"o-a1b2c3d4e5","Arn":"arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5","FeatureSet":"ALL","MasterAccountId":"111111111111"}`
	admin := func(id, status string) string {
		return `{"Id":"` + id + `","Arn":"arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/` + id + `","Email":"sec@example.com","Name":"security",` +
			`"Status":"` + status + `","JoinedMethod":"CREATED","JoinedTimestamp":"2024-01-10T10:00:00Z","DelegationEnabledDate":"2024-02-01T10:00:00Z"}`
	}
	for _, tc := range []struct{ name, extra, want string }{
		{"none given", ``, `{"kind":"organization"}`},
		{"root credentials management on, one delegated admin",
			`,"OrganizationsFeatures":{"OrganizationId":"o-a1b2c3d4e5","EnabledFeatures":["RootCredentialsManagement","RootSessions"]}` +
				`,"DelegatedAdministrators":{"DelegatedAdministrators":[` + admin("222222222222", "ACTIVE") + `]}`,
			`{"kind":"organization","root_credentials_management":true,"delegated_administration":true,"delegated_administrators":["222222222222"]}`},
		{"root sessions only, no delegated admin (the bare list)",
			`,"OrganizationsFeatures":{"OrganizationId":"o-a1b2c3d4e5","EnabledFeatures":["RootSessions"]},"DelegatedAdministrators":[]`,
			`{"kind":"organization","root_credentials_management":false,"delegated_administration":false}`},
		{"suspended admin only", `,"DelegatedAdministrators":[` + admin("333333333333", "SUSPENDED") + `]`,
			`{"kind":"organization","delegated_administration":false}`},
		{"wrong types", `,"OrganizationsFeatures":{"EnabledFeatures":"RootCredentialsManagement"},"DelegatedAdministrators":[{"Id":5}]`,
			`{"kind":"organization"}`},
	} {
		res := parse(t, `{`+org+tc.extra+`}`)
		r := find(res.Resources, "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5")
		if r == nil || r.Facts.OrgUnit == nil {
			t.Fatalf("%s: no organization", tc.name)
		}
		got, _ := json.Marshal(r.Facts.OrgUnit)
		if string(got) != tc.want {
			t.Errorf("%s: org_unit %s, want %s", tc.name, got, tc.want)
		}
		if wrong := strings.HasPrefix(tc.name, "wrong"); wrong != (len(res.Problems) >= 2) {
			t.Errorf("%s: problems %v", tc.name, res.Problems)
		}
	}
}

// TestOrgPolicyDelegation: CIS AWS 7.0 2.1.5 from aws organizations
// describe-resource-policy's ResourcePolicy (the Content a policy text):
// delegated when an Allow to a principal grants a policy-management
// action (a wildcard covering one counts); not when it grants only
// describe/list actions or when the organization has none (null);
// unknown without it, and a problem when it does not read.
func TestOrgPolicyDelegation(t *testing.T) {
	const org = `"Organization":{"Id":"o-a1b2c3d4e5","Arn":"arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5","FeatureSet":"ALL","MasterAccountId":"111111111111"}`
	rp := func(actions string) string {
		content := `{"Version":"2012-10-17","Statement":[{"Sid":"Delegate","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},` +
			`"Action":` + actions + `,"Resource":"*"}]}`
		c, _ := json.Marshal(content)
		return `,"ResourcePolicy":{"ResourcePolicySummary":{"Id":"rp-abc12345","Arn":"arn:aws:organizations::111111111111:resourcepolicy/o-a1b2c3d4e5/rp/rp-abc12345"},"Content":` + string(c) + `}`
	}
	for _, tc := range []struct{ name, extra, want string }{
		{"absent", ``, "unknown"},
		{"none (null)", `,"ResourcePolicy":null`, "false"},
		{"policy management delegated", rp(`["organizations:DescribeOrganization","organizations:CreatePolicy","organizations:UpdatePolicy","organizations:AttachPolicy"]`), "true"},
		{"by a wildcard", rp(`"organizations:*Policy"`), "true"},
		{"read-only delegation", rp(`["organizations:Describe*","organizations:List*"]`), "false"},
		{"wrong type", `,"ResourcePolicy":"rp-abc12345"`, "unknown"},
		{"wrong content", `,"ResourcePolicy":{"Content":"not a policy"}`, "unknown"},
	} {
		res := parse(t, `{`+org+tc.extra+`}`)
		r := find(res.Resources, "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5")
		if r == nil || r.Facts.OrgUnit == nil {
			t.Fatalf("%s: no organization", tc.name)
		}
		got := "unknown"
		if d := r.Facts.OrgUnit.PolicyDelegation; d != nil {
			got = strconv.FormatBool(*d)
		}
		if got != tc.want {
			t.Errorf("%s: policy_delegation %s, want %s (problems %v)", tc.name, got, tc.want, res.Problems)
		}
		if wrong := strings.HasPrefix(tc.name, "wrong"); wrong != (len(res.Problems) > 0) {
			t.Errorf("%s: problems %v", tc.name, res.Problems)
		}
	}
}

// TestGuardrails: CIS AWS 7.0 2.1.2's org_guardrails from an account's
// policy chains: a policy other than the AWS-managed defaults anywhere in
// an applying chain is a guardrail; only defaults over a complete chain is
// false; an incomplete chain without one, or no applying chain (the
// management account), is unknown.
func TestGuardrails(t *testing.T) {
	full := resource.NamedPolicy{ID: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess", Name: "FullAWSAccess"}
	rcpFull := resource.NamedPolicy{ID: "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess", Name: "RCPFullAWSAccess"}
	deny := resource.NamedPolicy{ID: "arn:aws:organizations::111111111111:policy/o-a1b2c3d4e5/service_control_policy/p-abcd1234", Name: "DenyLeaveOrg"}
	chain := func(applies *bool, incomplete bool, levels ...[]resource.NamedPolicy) *resource.OrgPolicies {
		ch := &resource.OrgPolicies{Applies: applies}
		for i, l := range levels {
			ch.Levels = append(ch.Levels, resource.OrgPolicyLevel{Target: fmt.Sprint("level", i), Policies: l})
		}
		if incomplete {
			ch.Incomplete = []string{"the parent of ou-x is not in the input"}
		}
		return ch
	}
	yes, no := resource.Bool(true), resource.Bool(false)
	show := func(b *bool) string {
		if b == nil {
			return "unknown"
		}
		return fmt.Sprint(*b)
	}
	for _, tc := range []struct {
		name       string
		scps, rcps *resource.OrgPolicies
		want       string
	}{
		{"defaults only", chain(yes, false, []resource.NamedPolicy{full}, []resource.NamedPolicy{full}), chain(no, false), "false"},
		{"a deny SCP on an OU", chain(yes, false, []resource.NamedPolicy{full}, []resource.NamedPolicy{full, deny}), chain(no, false), "true"},
		{"an RCP of its own", chain(yes, false, []resource.NamedPolicy{full}), chain(yes, false, []resource.NamedPolicy{rcpFull, {ID: "arn:aws:organizations::111111111111:policy/o-a1b2c3d4e5/resource_control_policy/p-rcp0001"}}), "true"},
		{"defaults, RCPs enabled", chain(yes, false, []resource.NamedPolicy{full}), chain(yes, false, []resource.NamedPolicy{rcpFull}), "false"},
		{"defaults over an incomplete chain", chain(yes, true, []resource.NamedPolicy{full}), chain(no, false), "unknown"},
		{"a guardrail found on an incomplete chain", chain(yes, true, []resource.NamedPolicy{deny}), nil, "true"},
		{"management account", chain(no, false, []resource.NamedPolicy{full}), chain(no, false), "unknown"},
		{"whether SCPs apply unknown", chain(nil, false, []resource.NamedPolicy{full}), nil, "unknown"},
	} {
		if got := show(guardrails(tc.scps, tc.rcps)); got != tc.want {
			t.Errorf("%s: org_guardrails %s, want %s", tc.name, got, tc.want)
		}
	}
}
