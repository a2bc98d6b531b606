package unused

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/resource"
)

// The two rules of the findings.
const (
	PrincipalRuleID   = "identity-unused-principal"
	PermissionsRuleID = "identity-unused-permissions"
	Category          = "identity"
)

var (
	clouds        = []resource.Provider{resource.AWS, resource.Azure, resource.GCP}
	principalRule = finding.RuleInfo{
		ID: PrincipalRuleID, Title: "Principal not seen in the audit logs of the window", Severity: finding.Medium, Category: Category, Providers: clouds,
		Description: "A user, role, service principal, managed identity or service account holds grants but did not act in the audit logs of " +
			"the window (vigil identity unused; default 90 days). FAIL when its accounts have logs in the window and it is not in " +
			"them (HIGH for an administrator); PASS when it acted; UNKNOWN when none of its accounts has logs: absence of logs is " +
			"not absence of use.",
		Remediation: "Remove the principal, or its grants and credentials, if nothing needs it; otherwise record why it is kept (break-glass).",
		Frameworks:  map[string][]string{"nist-800-53-r5": {"AC-2(3)", "AC-6(7)"}, "soc2": {"CC6.2"}, "iso27001-2022": {"A.5.18"}},
	}
	permissionsRule = finding.RuleInfo{
		ID: PermissionsRuleID, Title: "Permissions granted but not used in the window", Severity: finding.Low, Category: Category, Providers: clouds,
		Description: "A principal that acted in the window holds permissions the audit logs show unused: AWS services whose actions its " +
			"identity policies grant and it called none of, Azure role assignments and GCP bindings no logged call needed, or " +
			"administrator rights used only to read (MEDIUM).",
		Remediation: "Narrow the principal's policies, assignments or bindings to what the logs show it uses (the message names them).",
		Frameworks:  map[string][]string{"nist-800-53-r5": {"AC-6(7)"}, "soc2": {"CC6.3"}, "iso27001-2022": {"A.8.2"}},
	}
)

// Rules describes the two rules whose findings Findings returns.
func Rules() []finding.RuleInfo { return []finding.RuleInfo{principalRule, permissionsRule} }

// Findings turns a report into findings: identity-unused-principal for
// every principal (FAIL unused, PASS used, UNKNOWN without logs) and
// identity-unused-permissions for each principal seen that left
// permissions unused (FAIL) or used all it holds (PASS). The resource is
// the principal's in the inventory.
func Findings(g *graph.Graph, r *Report) []finding.Finding {
	byID := make(map[string]*resource.Resource)
	for _, res := range g.Resources {
		if res.Class == resource.ClassIdentity {
			byID[res.ID] = res
		}
	}
	window := fmt.Sprintf("%s .. %s", r.Window.Start.Format(time.DateOnly), r.Window.End.Format(time.DateOnly))
	var out []finding.Finding
	for i := range r.Principals {
		p := &r.Principals[i]
		ref := resource.Ref{ID: p.ID, Type: string(p.Kind), Provider: p.Provider, Account: p.Account, Region: "global", Name: p.Name}
		if res := byID[nodeResource(g, p.ID)]; res != nil {
			ref = res.Ref()
		}
		if notJudged(p) {
			continue
		}
		switch p.Status {
		case NoLogs:
			out = append(out, principalRule.New(ref, finding.Unknown, "none of the accounts it could act in has audit logs in the lake for "+window, nil))
			continue
		case Unused:
			f := principalRule.New(ref, finding.Fail, fmt.Sprintf("not seen in the audit logs of %s (%s); holds %s", window, lastUse(p), holds(p)), nil)
			if p.Admin {
				f.Severity = finding.High
			}
			out = append(out, f)
			continue
		}
		out = append(out, principalRule.New(ref, finding.Pass, fmt.Sprintf("%d call(s) in %s, the last %s", p.Events, window, stamp(*p.LastUsed)), nil))
		msg := unusedPerms(p)
		if p.AdminUse == AdminReadOnly {
			msg = strings.TrimPrefix(msg+"; administrator of "+strings.Join(p.AdminOf, ", ")+" who only read in the window", "; ")
		}
		if msg == "" {
			out = append(out, permissionsRule.New(ref, finding.Pass, "every permission it holds that the logs can show was used in "+window, nil))
			continue
		}
		f := permissionsRule.New(ref, finding.Fail, msg, nil)
		if p.AdminUse == AdminReadOnly {
			f.Severity = finding.Medium
		}
		out = append(out, f)
	}
	return out
}

// notJudged says whether a principal gets no finding: an AWS root user
// left unused is what CIS AWS asks for (its use is aws-root-used-recently's
// concern), and a service-linked role is the service's to use and delete,
// as IAM Access Analyzer's unused-access findings leave both out. The
// command's report still lists them.
func notJudged(p *Principal) bool {
	return p.Kind == graph.AWSRoot || (p.Kind == graph.AWSRole && strings.Contains(p.ID, ":role/aws-service-role/"))
}

func nodeResource(g *graph.Graph, id string) string {
	if n := g.Node(id); n != nil {
		return n.Resource
	}
	return ""
}
