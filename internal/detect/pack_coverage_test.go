package detect

import (
	"fmt"
	"hash/fnv"
	"io/fs"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/sigma"
)

// ctDenied turns a ctAPI event into the same call refused by IAM.
func ctDenied(ev string) string {
	return strings.Replace(ev, `"eventCategory":"Management"`, `"eventCategory":"Management","errorCode":"AccessDenied","errorMessage":"User: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PowerUser_4c1b/mallory is not authorized to perform this operation"`, 1)
}

// ctRO marks a ctAPI event read-only, as CloudTrail does for List, Get and
// Describe calls.
func ctRO(ev string) string { return strings.Replace(ev, `"readOnly":false`, `"readOnly":true`, 1) }

// ctByService makes a ctAPI event one that an AWS service performed on the
// account's behalf (userIdentity.invokedBy), as AWS Backup and Data
// Lifecycle Manager do.
func ctByService(ev string) string { return invokedBy(ev, "backup.amazonaws.com") }

// TestCoveragePack: every single-event rule of the coverage pack raises
// its alert, at its level, on a matching event (with the default tuning, or
// none for informational rules, which it hides), and on none of its benign
// look-alikes.
func TestCoveragePack(t *testing.T) {
	data, err := fs.ReadFile(BuiltinFS(), "vigil_pack_coverage.yml")
	if err != nil {
		t.Fatal(err)
	}
	cases := coverageCases()
	single := strings.Count(string(data), "\nname: vigil_") - len(coverageCorrelationRules)
	if single != len(cases) {
		t.Fatalf("vigil_pack_coverage.yml has %d single-event rules, %d test cases", single, len(cases))
	}
	// Rules a correlation counts raise no alert of their own (Sigma's
	// correlation semantics): their events are matched against the rule
	// directly.
	rules, corrs, _, _ := LoadBuiltins()
	bases := map[string]*sigma.Rule{}
	for _, c := range corrs {
		for _, ref := range c.Rules {
			for _, r := range rules {
				if r.Name == ref && r.Path == BuiltinPrefix+"vigil_pack_coverage.yml" {
					bases[ref] = r
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if r, ok := bases[c.name]; ok {
			t.Run(c.name, func(t *testing.T) { testBaseRule(t, r, c) })
			seen[c.name] = true
			continue
		}
		if !strings.Contains(string(data), "\nname: "+c.name+"\n") {
			t.Errorf("%s: no such rule", c.name)
		}
		if seen[c.name] {
			t.Errorf("%s: two cases", c.name)
		}
		seen[c.name] = true
		if len(c.benign) == 0 {
			t.Errorf("%s: no benign look-alike", c.name)
		}
		t.Run(c.name, func(t *testing.T) {
			tuning := DefaultTuning()
			if c.level == LevelInformational {
				tuning = NoTuning()
			}
			got := alertsOf(runWithTuning(t, tuning, []string{c.match}), c.title)
			if len(got) != 1 {
				t.Fatalf("%d alerts on the matching event, want 1: %s", len(got), c.match)
			}
			if got[0].Level != c.level {
				t.Errorf("level %v, want %v", got[0].Level, c.level)
			}
			for i, ev := range c.benign {
				if n := len(alertsOf(runWithTuning(t, NoTuning(), []string{ev}), c.title)); n != 0 {
					t.Errorf("benign event %d raised %d alerts: %s", i, n, ev)
				}
			}
		})
	}
}

// ec2Reads are 30 distinct EC2 read calls, a discovery burst's worth.
var ec2Reads = []string{"DescribeInstances", "DescribeVolumes", "DescribeSnapshots", "DescribeImages", "DescribeSecurityGroups", "DescribeSubnets", "DescribeVpcs", "DescribeRouteTables", "DescribeNetworkInterfaces", "DescribeKeyPairs", "DescribeAddresses", "DescribeInternetGateways", "DescribeNatGateways", "DescribeVpcEndpoints", "DescribeLaunchTemplates", "DescribeRegions", "DescribeAvailabilityZones", "DescribeNetworkAcls", "DescribeFlowLogs", "DescribeTags", "DescribeInstanceTypes", "DescribeVpcPeeringConnections", "DescribeTransitGateways", "DescribeCustomerGateways", "DescribeVpnConnections", "DescribePlacementGroups", "DescribeHosts", "DescribeSpotInstanceRequests", "DescribeReservedInstances", "DescribeIamInstanceProfileAssociations"}

// signinToken is a GetSigninToken event (the federation endpoint turning a
// role session into a console session) with result Success or Failure.
func signinToken(min int, result string) string {
	ev := consoleLogin(min, ssoUser, result, "")
	ev = strings.Replace(ev, `"eventName":"ConsoleLogin"`, `"eventName":"GetSigninToken"`, 1)
	ev = strings.Replace(ev, `"responseElements":{"ConsoleLogin":`, `"responseElements":{"GetSigninToken":`, 1)
	return strings.Replace(ev, `"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"No"}`, `"additionalEventData":{"MobileVersion":"No"}`, 1)
}

// fromConsole marks a ctAPI event as made with console session credentials.
func fromConsole(ev string) string {
	return strings.Replace(ev, `"eventCategory":"Management"`, `"eventCategory":"Management","sessionCredentialFromConsole":"true"`, 1)
}

// legacySignIn, deviceCodeSignIn and aadPowerShellSignIn turn a signIn
// record into one over IMAP, through the device code flow, or to the Azure
// AD PowerShell client.
func legacySignIn(ev string) string {
	return strings.Replace(ev, `"clientAppUsed":"Browser"`, `"clientAppUsed":"IMAP4"`, 1)
}

func deviceCodeSignIn(ev string) string {
	return strings.Replace(ev, `"isInteractive":true`, `"isInteractive":true,"authenticationProtocol":"deviceCode"`, 1)
}

func aadPowerShellSignIn(ev string) string {
	ev = strings.Replace(ev, `"appId":"4765445b-32c6-49b0-83e6-1d93765276ca"`, `"appId":"1b730954-1685-4b74-9bfd-dac224a7b894"`, 1)
	return strings.Replace(ev, `"appDisplayName":"OfficeHome"`, `"appDisplayName":"Azure Active Directory PowerShell"`, 1)
}

// fromCountry moves a signIn record to another country.
func fromCountry(ev, city, country string) string {
	return strings.Replace(ev, `"location":{"city":"Amsterdam","countryOrRegion":"NL"}`, fmt.Sprintf(`"location":{"city":%q,"countryOrRegion":%q}`, city, country), 1)
}

// m365Op is an Office 365 Management Activity API record of operation op
// by mallory@contoso.example with cmdlet parameters params (a JSON array)
// and ResultStatus result; SharePoint operations (File*, Sharing*,
// AnonymousLink*) are SharePoint records on objectID.
func m365Op(min int, op, params, result string) string {
	return m365Obj(min, op, params, result, "ceo@contoso.example")
}

func m365Obj(min int, op, params, result, objectID string) string {
	workload, recordType := "Exchange", 1
	if strings.HasPrefix(op, "File") || strings.HasPrefix(op, "Sharing") || strings.HasPrefix(op, "AnonymousLink") {
		workload, recordType = "SharePoint", 6
		objectID = "https://contoso.sharepoint.com/sites/finance/Shared Documents/" + objectID
	}
	// Every record has an Id of its own (Microsoft 365 identifies records
	// by it: see m365.Identity): one per minute, operation and object.
	h := fnv.New64a()
	fmt.Fprintf(h, "%d %s %s", min, op, objectID)
	return fmt.Sprintf(`{"CreationTime":"2024-03-14T09:%02d:10","Id":"5e6f7a8b-9c0d-4e1f-a0b1-%012d","Operation":%q,"OrganizationId":"4b2d7c1e-9f3a-4e8b-a6d5-0c1f2e3d4a5b","RecordType":%d,"ResultStatus":%q,"UserKey":"10032002F5E6D7C8","UserType":0,"Version":1,"Workload":%q,"ClientIP":"203.0.113.45","ObjectId":%q,"UserId":"mallory@contoso.example","Parameters":%s}`,
		min%60, h.Sum64()%1e12, op, recordType, result, workload, objectID, params)
}

// TestCoveragePackCorrelations: each correlation of the coverage pack
// alerts once, at its level, on a burst written from the documented event
// shapes, and not on a benign look-alike burst (below the threshold, or
// spread the other way).
func TestCoveragePackCorrelations(t *testing.T) {
	var burst, fewReads, consoleBurst []string
	for i, n := range ec2Reads {
		ev := ctRO(ctAPI(i%10, "ec2.amazonaws.com", n, `"requestParameters":{}`))
		burst = append(burst, ev)
		consoleBurst = append(consoleBurst, fromConsole(ev))
		if i < 10 {
			fewReads = append(fewReads, ev)
		}
	}
	var denied, deniedOneService []string
	for i, c := range [][2]string{{"iam.amazonaws.com", "ListUsers"}, {"s3.amazonaws.com", "ListBuckets"}, {"ec2.amazonaws.com", "DescribeInstances"}, {"lambda.amazonaws.com", "ListFunctions20150331"}, {"secretsmanager.amazonaws.com", "ListSecrets"}, {"dynamodb.amazonaws.com", "ListTables"}, {"rds.amazonaws.com", "DescribeDBInstances"}, {"kms.amazonaws.com", "ListKeys"}} {
		denied = append(denied, ctDenied(ctRO(ctAPI(i, c[0], c[1], `"requestParameters":null`))))
	}
	for i, n := range []string{"ListUsers", "ListRoles", "ListGroups", "ListPolicies", "GetUser", "ListAccessKeys", "ListMFADevices", "GetAccountSummary"} {
		deniedOneService = append(deniedOneService, ctDenied(ctRO(ctAPI(i, "iam.amazonaws.com", n, `"requestParameters":null`))))
	}
	var buckets, oneBucket []string
	for i := range 12 {
		list := func(bucket string) string {
			return ctRO(ctAPI(i%10, "s3.amazonaws.com", "ListObjectsV2", fmt.Sprintf(`"requestParameters":{"bucketName":%q,"list-type":"2","prefix":""}`, bucket)))
		}
		buckets = append(buckets, list(fmt.Sprintf("acme-data-%02d", i)))
		oneBucket = append(oneBucket, list("acme-exports"))
	}
	var secRecon, secFew []string
	for i, c := range [][2]string{{"guardduty.amazonaws.com", "ListDetectors"}, {"securityhub.amazonaws.com", "DescribeHub"}, {"inspector2.amazonaws.com", "BatchGetAccountStatus"}, {"macie2.amazonaws.com", "GetMacieSession"}, {"access-analyzer.amazonaws.com", "ListAnalyzers"}, {"cloudtrail.amazonaws.com", "DescribeTrails"}} {
		ev := ctRO(ctAPI(i, c[0], c[1], `"requestParameters":{}`))
		secRecon = append(secRecon, ev)
		if c[0] == "guardduty.amazonaws.com" || c[0] == "securityhub.amazonaws.com" {
			secFew = append(secFew, ev, ctRO(ctAPI(i+6, c[0], c[1]+"s", `"requestParameters":{}`)))
		}
	}
	var brute, fewFailures []string
	for i := range 12 {
		brute = append(brute, signIn(i%10, "jdoe@contoso.example", fmt.Sprintf("198.51.100.%d", i+1), 50126))
		if i < 5 {
			fewFailures = append(fewFailures, signIn(i, "jdoe@contoso.example", "198.51.100.1", 50126))
		}
	}
	travel := []string{signIn(1, "jdoe@contoso.example", "203.0.113.77", 0), fromCountry(signIn(40, "jdoe@contoso.example", "198.51.100.200", 0), "São Paulo", "BR")}
	home := []string{signIn(1, "jdoe@contoso.example", "203.0.113.77", 0), signIn(40, "jdoe@contoso.example", "198.51.100.200", 0)}
	var deletions, fewDeletions []string
	for i := range 6 {
		// Each deletion is its own audit record (its own id): identical
		// records are copies of one event, counted once.
		ev := strings.Replace(entraOp("Delete user", "success"), `"id":"Directory_7d2e4f6a"`, fmt.Sprintf(`"id":"Directory_7d2e4f6a_%d"`, i), 1)
		deletions = append(deletions, ev)
		if i < 3 {
			fewDeletions = append(fewDeletions, ev)
		}
	}
	var downloads, fewDownloads []string
	for i := range 60 {
		ev := m365Obj(i%10, "FileDownloaded", "[]", "Succeeded", fmt.Sprintf("report-%03d.xlsx", i))
		downloads = append(downloads, ev)
		if i < 20 {
			fewDownloads = append(fewDownloads, ev)
		}
	}
	cases := []struct {
		name, title    string
		level          Level
		attack, benign []string
	}{
		{"vigil_aws_discovery_burst", "AWS Infrastructure Discovery Burst", LevelMedium, burst, append(fewReads, consoleBurst...)},
		{"vigil_aws_permission_enumeration", "AWS Permission Enumeration Across Services", LevelMedium, denied, deniedOneService},
		{"vigil_aws_s3_bucket_enumeration", "AWS S3 Objects Listed Across Many Buckets", LevelMedium, buckets, oneBucket},
		{"vigil_aws_security_tool_recon", "AWS Security Tooling Reconnaissance", LevelMedium, secRecon, secFew},
		{"vigil_entra_brute_force_user", "Entra ID Brute Force Against One Account", LevelMedium, brute, fewFailures},
		{"vigil_entra_impossible_travel", "Entra ID Successful Sign-Ins From Two Countries Within An Hour", LevelMedium, travel, home},
		{"vigil_entra_mass_user_deletion", "Entra ID Mass User Deletion", LevelHigh, deletions, fewDeletions},
		{"vigil_m365_mass_download", "M365 Mass File Download By One User", LevelMedium, downloads, fewDownloads},
	}
	if len(cases) != len(coverageCorrelationRules) {
		t.Fatalf("%d correlation cases, %d correlations", len(cases), len(coverageCorrelationRules))
	}
	for i, c := range cases {
		if c.name != coverageCorrelationRules[i] {
			t.Fatalf("case %d is %s, want %s", i, c.name, coverageCorrelationRules[i])
		}
		t.Run(c.name, func(t *testing.T) {
			got := alertsOf(runDefault(t, c.attack), c.title)
			if len(got) != 1 {
				t.Fatalf("%d alerts on the attack burst, want 1", len(got))
			}
			if got[0].Level != c.level {
				t.Errorf("level %v, want %v", got[0].Level, c.level)
			}
			if n := len(alertsOf(runWithTuning(t, NoTuning(), c.benign), c.title)); n != 0 {
				t.Errorf("benign look-alikes raised %d alerts", n)
			}
		})
	}
}

// testBaseRule checks a rule that only feeds correlations: it matches the
// case's event, at the case's level, and none of the benign ones.
func testBaseRule(t *testing.T, r *sigma.Rule, c broadCase) {
	t.Helper()
	_, fm, err := sourceOf(r)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sigma.Compile(r, fm)
	if err != nil {
		t.Fatal(err)
	}
	if lv, err := ParseLevel(r.Level); err != nil || lv != c.level {
		t.Errorf("level %q, want %v", r.Level, c.level)
	}
	if !m.Match(sigma.NewJSONEvent([]byte(c.match))) {
		t.Errorf("no match on the matching event: %s", c.match)
	}
	for i, ev := range c.benign {
		if m.Match(sigma.NewJSONEvent([]byte(ev))) {
			t.Errorf("benign event %d matched: %s", i, ev)
		}
	}
}
