package cost

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Rule IDs of the cost findings.
const (
	RuleAnomaly           = "cost-anomaly"
	RuleAnomalyCorrelated = "cost-anomaly-correlated"
)

// Alert is what the correlation needs of a vigil detect alert (an OCSF
// Detection Finding, class 2004, one JSON object per line).
type Alert struct {
	Time      time.Time `json:"time"`
	Rule      string    `json:"rule"` // analytic uid (the Sigma rule id)
	Title     string    `json:"title"`
	Severity  string    `json:"severity"`
	Provider  string    `json:"provider"`
	Account   string    `json:"account"`
	Region    string    `json:"region,omitempty"`
	Operation string    `json:"operation,omitempty"`
	Actor     string    `json:"actor,omitempty"`
	Resources []string  `json:"resources,omitempty"`
}

// ocsfAlert is the part of a Detection Finding read.
type ocsfAlert struct {
	ClassUID    int    `json:"class_uid"`
	Time        int64  `json:"time"`
	Severity    string `json:"severity"`
	FindingInfo struct {
		UID      string `json:"uid"`
		Title    string `json:"title"`
		Analytic *struct {
			UID  string `json:"uid"`
			Name string `json:"name"`
		} `json:"analytic"`
	} `json:"finding_info"`
	Cloud *struct {
		Provider string `json:"provider"`
		Region   string `json:"region"`
		Account  *struct {
			UID string `json:"uid"`
		} `json:"account"`
	} `json:"cloud"`
	Actor *struct {
		User *struct {
			Name    string `json:"name"`
			UID     string `json:"uid"`
			Account *struct {
				UID string `json:"uid"`
			} `json:"account"`
		} `json:"user"`
	} `json:"actor"`
	API *struct {
		Operation string `json:"operation"`
	} `json:"api"`
	Resources []struct {
		UID  string `json:"uid"`
		Name string `json:"name"`
	} `json:"resources"`
}

// LoadAlerts reads the alerts vigil detect writes (JSON lines, or the same
// objects pretty-printed one after another). Objects that are not
// Detection Findings are reported as problems and skipped.
func LoadAlerts(path string, onProblem func(Problem)) ([]Alert, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAlerts(path, f, onProblem)
}

// ReadAlerts is LoadAlerts on a reader.
func ReadAlerts(name string, r io.Reader, onProblem func(Problem)) ([]Alert, error) {
	dec := json.NewDecoder(r)
	var out []Alert
	for n := 1; ; n++ {
		var a ocsfAlert
		err := dec.Decode(&a)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, fmt.Errorf("%s: alert %d: %w", name, n, err)
		}
		if a.ClassUID != 2004 {
			onProblem(Problem{File: name, Line: n, Err: fmt.Errorf("object %d is not an OCSF Detection Finding (class_uid %d)", n, a.ClassUID)})
			continue
		}
		al := Alert{Time: time.UnixMilli(a.Time).UTC(), Title: a.FindingInfo.Title, Severity: a.Severity}
		if an := a.FindingInfo.Analytic; an != nil {
			al.Rule = an.UID
			if al.Rule == "" {
				al.Rule = an.Name
			}
		}
		if c := a.Cloud; c != nil {
			al.Provider, al.Region = normProvider(c.Provider), c.Region
			if c.Account != nil {
				al.Account = c.Account.UID
			}
		}
		if ac := a.Actor; ac != nil && ac.User != nil {
			al.Actor = ac.User.Name
			if al.Actor == "" {
				al.Actor = ac.User.UID
			}
			if al.Account == "" && ac.User.Account != nil {
				al.Account = ac.User.Account.UID
			}
		}
		if a.API != nil {
			al.Operation = a.API.Operation
		}
		for _, r := range a.Resources {
			if r.UID != "" {
				al.Resources = append(al.Resources, r.UID)
			} else if r.Name != "" {
				al.Resources = append(al.Resources, r.Name)
			}
		}
		out = append(out, al)
	}
	return out, nil
}

// FindingRef names a posture finding that correlates with an anomaly.
type FindingRef struct {
	RuleID   string           `json:"rule_id"`
	Title    string           `json:"title"`
	Severity finding.Severity `json:"severity"`
	Resource string           `json:"resource"`
	// Why: "resource" when the resource is one whose spend grew, "service"
	// when it is of the anomaly's service category in the same account.
	Why string `json:"why"`
}

// CostFinding is a finding about spend: the finding fields every vigil
// report and playbook reads, plus the anomaly and what it correlates with.
type CostFinding struct {
	finding.Finding
	Anomaly        Anomaly      `json:"anomaly"`
	Alerts         []Alert      `json:"alerts,omitempty"`
	PostureFinding []FindingRef `json:"posture_findings,omitempty"`
	// PostureMore counts matching posture findings beyond those listed.
	PostureMore int `json:"posture_findings_more,omitempty"`
}

// maxPosture bounds the posture findings listed per anomaly.
const maxPosture = 10

// Correlate turns each anomaly into one finding: alerts of the same
// provider and account raised from the day before the anomaly day to the
// day after (whole UTC days), and failed posture findings on resources of
// that account that either are among the anomaly's grown resources or are
// of the anomaly's service (typeOfService), all go into that one finding.
//
// Severity: MEDIUM for an anomaly alone or with posture findings only
// (rule cost-anomaly, or cost-anomaly-correlated when findings match);
// HIGH when an alert correlates, CRITICAL when that alert is itself
// critical (rule cost-anomaly-correlated).
func Correlate(anoms []Anomaly, alerts []Alert, inv *Inventory) []CostFinding {
	var out []CostFinding
	for _, a := range anoms {
		cf := CostFinding{Anomaly: a}
		day, _ := time.Parse("2006-01-02", a.Day)
		lo, hi := day.AddDate(0, 0, -1), day.AddDate(0, 0, 2)
		for _, al := range alerts {
			if al.Provider == a.Provider && strings.EqualFold(al.Account, a.Account) && !al.Time.Before(lo) && al.Time.Before(hi) {
				cf.Alerts = append(cf.Alerts, al)
			}
		}
		sort.SliceStable(cf.Alerts, func(i, j int) bool { return cf.Alerts[i].Time.Before(cf.Alerts[j].Time) })
		if inv != nil {
			grown := map[string]bool{}
			for _, r := range a.Resources {
				if ref, ok := inv.Match(a.Provider, a.Account, r.ID); ok {
					grown[strings.ToLower(ref.ID)] = true
				}
			}
			var refs []FindingRef
			for _, f := range inv.Findings {
				r := f.Resource
				if f.Status != finding.Fail || f.Suppressed != nil || string(r.Provider) != a.Provider || !strings.EqualFold(r.Account, a.Account) {
					continue
				}
				why := ""
				switch {
				case grown[strings.ToLower(r.ID)]:
					why = "resource"
				case typeOfService(a.Provider, a.Service, r.Type):
					why = "service"
				default:
					continue
				}
				refs = append(refs, FindingRef{RuleID: f.RuleID, Title: f.Title, Severity: f.Severity, Resource: r.ID, Why: why})
			}
			sort.SliceStable(refs, func(i, j int) bool {
				if (refs[i].Why == "resource") != (refs[j].Why == "resource") {
					return refs[i].Why == "resource"
				}
				if refs[i].Severity.Rank() != refs[j].Severity.Rank() {
					return refs[i].Severity.Rank() > refs[j].Severity.Rank()
				}
				return refs[i].RuleID+refs[i].Resource < refs[j].RuleID+refs[j].Resource
			})
			if len(refs) > maxPosture {
				cf.PostureMore = len(refs) - maxPosture
				refs = refs[:maxPosture]
			}
			cf.PostureFinding = refs
		}
		cf.Finding = anomalyFinding(&cf)
		out = append(out, cf)
	}
	return out
}

func anomalyFinding(cf *CostFinding) finding.Finding {
	a := &cf.Anomaly
	f := finding.Finding{
		RuleID:   RuleAnomaly,
		Title:    "Daily spend departs from its baseline",
		Category: "cost",
		Severity: finding.Medium,
		Status:   finding.Fail,
		Resource: resource.Ref{
			ID:       "cost:" + a.Provider + "/" + a.Account + "/" + a.Service,
			Type:     "cost.service",
			Provider: resource.Provider(a.Provider),
			Account:  a.Account,
			Name:     a.Service,
		},
		Remediation: "Find what started the spend (the resources listed, the account's audit logs for that day) and stop it if it is not expected.",
	}
	pct := "new spend"
	if a.Baseline > 0 {
		pct = fmt.Sprintf("%+.0f%%", (a.Cost/a.Baseline-1)*100)
	}
	msg := fmt.Sprintf("%s spend of %s %s on %s was %.2f %s against a baseline of %.2f (%s)",
		a.Service, a.Provider, a.Account, a.Day, a.Cost, a.Currency, a.Baseline, pct)
	if len(a.Resources) > 0 {
		ids := make([]string, 0, len(a.Resources))
		for _, r := range a.Resources {
			ids = append(ids, r.ID)
		}
		msg += "; grown: " + strings.Join(ids, ", ")
	}
	if len(cf.Alerts) > 0 || len(cf.PostureFinding) > 0 {
		f.RuleID = RuleAnomalyCorrelated
		f.Title = "Spend anomaly coincides with security signals"
	}
	if len(cf.Alerts) > 0 {
		f.Severity = finding.High
		var parts []string
		for _, al := range cf.Alerts {
			if strings.EqualFold(al.Severity, "critical") || strings.EqualFold(al.Severity, "fatal") {
				f.Severity = finding.Critical
			}
			p := fmt.Sprintf("%q at %s", al.Title, al.Time.Format(time.RFC3339))
			if al.Actor != "" {
				p += " by " + al.Actor
			}
			parts = append(parts, p)
		}
		msg += fmt.Sprintf("; %d detection alert(s) the same days: %s", len(cf.Alerts), strings.Join(parts, "; "))
	}
	if n := len(cf.PostureFinding) + cf.PostureMore; n > 0 {
		msg += fmt.Sprintf("; %d failed posture finding(s) on the account's %s resources", n, a.Service)
	}
	f.Message = msg
	return f
}

// serviceTypes maps normalized billing service names (CUR product codes,
// FOCUS ServiceName, Azure MeterCategory, GCP service description) to a
// fragment of the lowercased resource types of that service in the
// inventory. First match wins.
var serviceTypes = []struct{ service, typ string }{
	{"elasticcomputecloud", "::ec2::"}, {"amazonec2", "::ec2::"}, {"simplestorageservice", "::s3::"},
	{"amazons3", "::s3::"}, {"relationaldatabase", "::rds::"}, {"amazonrds", "::rds::"},
	{"lambda", "::lambda::"}, {"elastickubernetes", "::eks::"}, {"amazoneks", "::eks::"}, {"elasticcontainerregistry", "::ecr::"}, {"amazonecr", "::ecr::"},
	{"secretsmanager", "::secretsmanager::"}, {"cloudfront", "::cloudfront::"},
	{"virtualmachines", "microsoft.compute/virtualmachines"}, {"storage", "microsoft.storage/"},
	{"sqldatabase", "microsoft.sql/"}, {"kubernetes", "microsoft.containerservice/"}, {"keyvault", "microsoft.keyvault/"},
	{"computeengine", "compute.googleapis.com/"}, {"cloudstorage", "storage.googleapis.com/"},
	{"cloudsql", "sqladmin.googleapis.com/"}, {"kubernetesengine", "container.googleapis.com/"},
	{"cloudfunctions", "cloudfunctions.googleapis.com/"}, {"bigquery", "bigquery.googleapis.com/"},
}

// typeOfService reports whether an inventory resource type belongs to a
// billing service.
func typeOfService(provider, service, typ string) bool {
	n := norm(service)
	t := strings.ToLower(typ)
	for _, st := range serviceTypes {
		if strings.Contains(n, st.service) {
			if provider == "azure" && !strings.HasPrefix(st.typ, "microsoft.") || provider == "gcp" && !strings.Contains(st.typ, "googleapis") || provider == "aws" && !strings.HasPrefix(st.typ, "::") {
				continue
			}
			return strings.Contains(t, st.typ)
		}
	}
	return false
}
