package report

import (
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

var fixedNow = time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)

var fixtureRules = []finding.RuleInfo{
	{ID: "storage-public-access", Title: "Object storage is publicly accessible", Severity: finding.Critical,
		Description: "Anonymous users can read or list the bucket.", Category: "exposure",
		Providers:   []resource.Provider{resource.AWS, resource.Azure, resource.GCP},
		Remediation: "Enable S3 Block Public Access / set allowBlobPublicAccess=false / enforce public access prevention.",
		Frameworks:  map[string][]string{"cis-aws-7.0": {"3.1.4"}, "soc2": {"CC6.1"}, "iso27001-2022": {"A.8.3"}}},
	{ID: "network-ssh-open", Title: "SSH open to the internet", Severity: finding.High, Category: "network",
		Description: "A firewall rule allows TCP 22 from 0.0.0.0/0 or ::/0.",
		Providers:   []resource.Provider{resource.AWS, resource.Azure, resource.GCP},
		Remediation: "Restrict the source range to known networks or use a bastion.",
		Frameworks:  map[string][]string{"cis-aws-7.0": {"6.3"}, "soc2": {"CC6.6"}}},
	{ID: "keys-rotation", Title: "Key rotation is disabled", Severity: finding.Medium, Category: "encryption",
		Providers:   []resource.Provider{resource.AWS, resource.GCP},
		Remediation: "Enable automatic rotation.",
		Frameworks:  map[string][]string{"cis-aws-7.0": {"3.3"}, "pci-dss-4.0": {"3.7.4"}}},
	{ID: "db-backups", Title: "Database backups are disabled", Severity: finding.Low, Category: "resilience",
		Providers:  []resource.Provider{resource.Azure},
		Frameworks: map[string][]string{"soc2": {"A1.2"}}},
}

func ref(p resource.Provider, acct, region, typ, id, name string) resource.Ref {
	return resource.Ref{ID: id, Type: typ, Provider: p, Account: acct, Region: region, Name: name}
}

func refsOf(rule string) []finding.Reference {
	for _, r := range fixtureRules {
		if r.ID != rule {
			continue
		}
		keys := make([]string, 0, len(r.Frameworks))
		for k := range r.Frameworks {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []finding.Reference
		for _, k := range keys {
			for _, c := range r.Frameworks[k] {
				out = append(out, finding.Reference{Framework: k, Control: c})
			}
		}
		return out
	}
	return nil
}

func mk(rule string, st finding.Status, r resource.Ref, msg string) finding.Finding {
	for _, ri := range fixtureRules {
		if ri.ID == rule {
			return finding.Finding{RuleID: rule, Title: ri.Title, Category: ri.Category, Severity: ri.Severity,
				Status: st, Message: msg, Resource: r, Frameworks: refsOf(rule), Remediation: ri.Remediation}
		}
	}
	panic(rule)
}

const fixtureCatalogue = "control_id\ttitle\tassessment\tprowler_checks\tprofile\tsection\n" +
	"3.1.4\tEnsure that S3 is configured with 'Block Public Access' enabled\tAutomated\t\tLevel 1\t3 Storage\n" +
	"3.3\tEnsure rotation for customer-created symmetric CMKs is enabled\tAutomated\t\tLevel 2\t3 Storage\n" +
	"5.1\tEnsure no root account access key exists\tAutomated\t\tLevel 1\t5 Identity\n" +
	"6.3\tEnsure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports\tAutomated\t\tLevel 1\t6 Networking\n"

// fixture is a fixed small scan: three clouds, every status, a muted
// finding, an expired suppression, an input error and unsupported types.
func fixture() *Report {
	s3legacy := ref(resource.AWS, "111122223333", "us-east-1", "AWS::S3::Bucket", "arn:aws:s3:::legacy-site", "legacy-site")
	s3data := ref(resource.AWS, "111122223333", "us-east-1", "AWS::S3::Bucket", "arn:aws:s3:::acme-data", "acme-data")
	s3logs := ref(resource.AWS, "444455556666", "eu-west-1", "AWS::S3::Bucket", "arn:aws:s3:::acme-logs", "acme-logs")
	sg := ref(resource.AWS, "111122223333", "us-east-1", "AWS::EC2::SecurityGroup", "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d", "web-sg")
	kms := ref(resource.AWS, "444455556666", "eu-west-1", "AWS::KMS::Key", "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab", "")
	nsg := ref(resource.Azure, "0b1f6471-1bf0-4dda-aec3-cb9272f09590", "westeurope", "Microsoft.Network/networkSecurityGroups",
		"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/app/providers/Microsoft.Network/networkSecurityGroups/app-nsg", "app-nsg")
	sa := ref(resource.Azure, "0b1f6471-1bf0-4dda-aec3-cb9272f09590", "westeurope", "Microsoft.Storage/storageAccounts",
		"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/app/providers/Microsoft.Storage/storageAccounts/acmeapp", "acmeapp")
	sql := ref(resource.Azure, "0b1f6471-1bf0-4dda-aec3-cb9272f09590", "westeurope", "Microsoft.Sql/servers",
		"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/app/providers/Microsoft.Sql/servers/acme-sql", "acme-sql")
	gcs := ref(resource.GCP, "acme-prod", "us-central1", "storage.googleapis.com/Bucket",
		"//storage.googleapis.com/acme-public-assets", "acme-public-assets")
	fw := ref(resource.GCP, "acme-prod", "global", "compute.googleapis.com/Firewall",
		"//compute.googleapis.com/projects/acme-prod/global/firewalls/allow-ssh", "allow-ssh")
	ckey := ref(resource.GCP, "acme-prod", "global", "cloudkms.googleapis.com/CryptoKey",
		"//cloudkms.googleapis.com/projects/acme-prod/locations/global/keyRings/app/cryptoKeys/data", "data")

	muted := mk("storage-public-access", finding.Fail, s3legacy, "bucket policy grants s3:GetObject to *")
	muted.Suppressed = &finding.Suppression{Reason: "Static website, approved in SEC-101", Expires: "2026-12-31"}
	fs := []finding.Finding{
		mk("db-backups", finding.Fail, sql, "automated backups retention is 0 days"),
		mk("storage-public-access", finding.Pass, s3data, ""),
		mk("keys-rotation", finding.Fail, kms, "rotation is disabled"),
		mk("network-ssh-open", finding.Fail, sg, "ingress tcp/22 from 0.0.0.0/0"),
		mk("storage-public-access", finding.Fail, gcs, "allUsers has roles/storage.objectViewer"),
		muted,
		mk("storage-public-access", finding.Unknown, s3logs, ""),
		mk("network-ssh-open", finding.Fail, fw, "=HYPERLINK(\"x\") tcp/22 from 0.0.0.0/0"),
		mk("network-ssh-open", finding.Pass, nsg, ""),
		mk("storage-public-access", finding.Pass, sa, ""),
		mk("keys-rotation", finding.Pass, ckey, ""),
		mk("keys-rotation", finding.Unknown, ref(resource.AWS, "111122223333", "us-east-1", "AWS::KMS::Key",
			"arn:aws:kms:us-east-1:111122223333:key/<script>alert(1)</script>", "weird"), "key <b>metadata</b> absent"),
	}
	cat, err := compliance.ReadCatalogue("cis-aws-7.0", "fixture.tsv", strings.NewReader(fixtureCatalogue))
	if err != nil {
		panic(err)
	}
	r := Build(fs, fixtureRules, fixedNow, cat)
	r.Version = "0.1.0-test"
	r.Inputs = []string{"examples/org"}
	r.Sources = map[string]string{"arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d": "examples/org/aws/111122223333/config-snapshot.json"}
	r.Summary.Inventory = &finding.InventorySummary{
		Resources: 11, Files: map[string]int{"aws-config-snapshot": 2, "azure-resource-graph": 1, "gcp-cloud-asset": 1},
		Unsupported: map[string]int{"AWS::Lambda::Function": 3},
		Skipped:     []finding.SkippedInput{{Path: "examples/org/README.md", Reason: "not JSON"}},
		Errors:      []finding.InputError{{Path: "examples/org/gcp/broken.ndjson", Line: 7, Err: "invalid character '}'"}},
	}
	r.Summary.Suppressions = &finding.SuppressionReport{
		File: "suppressions.yaml",
		Muted: []finding.SuppressionUse{{Entry: 1, Line: 2, Rule: "storage-public-access", Resource: "arn:aws:s3:::legacy-*",
			Reason: "Static website, approved in SEC-101", Expires: "2026-12-31", Findings: 1,
			Resources: []string{"arn:aws:s3:::legacy-site"},
			Message:   "suppression for storage-public-access on arn:aws:s3:::legacy-* muted 1 failing finding(s): Static website, approved in SEC-101"}},
		Expired: []finding.SuppressionUse{{Entry: 2, Line: 6, Rule: "keys-rotation", Resource: "*", Reason: "rotation planned",
			Expires: "2026-06-30", Findings: 1, Resources: []string{"arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
			Message: "suppression for keys-rotation on * expired on 2026-06-30; findings are active again (1 failing)"}},
		Unused: []finding.SuppressionUse{},
	}
	return r
}
