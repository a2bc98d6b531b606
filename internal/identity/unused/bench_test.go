package unused

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/lake"
	"github.com/vigil-sec/vigil/internal/resource"
)

// The synthetic organization of the benchmark: 80% of the principals in
// AWS (20 accounts, users and roles, one AWS managed and one of ten
// customer managed policies each), 10% Entra users with role assignments
// over 200 resource groups, 10% GCP service accounts with bindings over 20
// projects. Four principals in five act in the lake; the rest are unused.
const (
	benchAccounts = 20
	benchProjects = 20
	benchSub      = "00000000-0000-4000-8000-000000000001"
	benchTenant   = "/tenants/t1"
	roleDefs      = "/providers/Microsoft.Authorization/roleDefinitions/"
)

var benchAWSOps = [][2]string{
	{"s3.amazonaws.com", "GetObject"}, {"s3.amazonaws.com", "PutObject"}, {"s3.amazonaws.com", "ListBuckets"},
	{"ec2.amazonaws.com", "DescribeInstances"}, {"ec2.amazonaws.com", "RunInstances"}, {"sts.amazonaws.com", "AssumeRole"},
	{"sts.amazonaws.com", "GetCallerIdentity"}, {"kms.amazonaws.com", "Decrypt"}, {"dynamodb.amazonaws.com", "GetItem"},
	{"dynamodb.amazonaws.com", "PutItem"}, {"lambda.amazonaws.com", "Invoke"}, {"lambda.amazonaws.com", "CreateFunction20150331"},
	{"iam.amazonaws.com", "GetRole"}, {"iam.amazonaws.com", "ListUsers"}, {"logs.amazonaws.com", "PutLogEvents"},
	{"sqs.amazonaws.com", "SendMessage"}, {"monitoring.amazonaws.com", "PutMetricData"}, {"cloudtrail.amazonaws.com", "LookupEvents"},
}

var benchAzureOps = []string{"MICROSOFT.COMPUTE/VIRTUALMACHINES/READ", "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE", "MICROSOFT.COMPUTE/VIRTUALMACHINES/START/ACTION",
	"MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION", "MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WRITE"}

var benchGCPPerms = []string{"storage.objects.get", "storage.objects.create", "compute.instances.get", "compute.instances.list", "bigquery.jobs.create", "iam.serviceAccounts.actAs"}

func benchDoc(tb testing.TB, text string) *resource.PolicyDocument {
	d := awspolicy.ParseText(text)
	if d == nil || d.Error != "" {
		tb.Fatalf("policy %s: %+v", text, d)
	}
	return d
}

// syntheticOrg returns the resources of the synthetic organization.
func syntheticOrg(tb testing.TB, principals int) []*resource.Resource {
	var rs []*resource.Resource
	nAWS, nAz := principals*8/10, principals/10
	nGCP := principals - nAWS - nAz
	managed := []string{"ReadOnlyAccess", "AmazonS3ReadOnlyAccess", "AmazonEC2ReadOnlyAccess", "SecurityAudit", "ViewOnlyAccess", "PowerUserAccess", "AmazonDynamoDBFullAccess", "AWSLambda_FullAccess"}
	custom := []string{"s3:GetObject,s3:PutObject", "ec2:Describe*", "dynamodb:*", "sqs:*,sns:Publish", "kms:Decrypt,kms:Encrypt", "logs:*", "lambda:InvokeFunction", "iam:Get*,iam:List*", "sts:AssumeRole", "cloudwatch:PutMetricData"}
	for a := range benchAccounts {
		acct := fmt.Sprintf("%012d", 100000000000+a)
		rs = append(rs, &resource.Resource{Provider: resource.AWS, Account: acct, Type: "AWS::::Account", ID: "aws-account/" + acct, Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{}}})
		for c, acts := range custom {
			q := `"` + strings.ReplaceAll(acts, ",", `","`) + `"`
			rs = append(rs, &resource.Resource{Provider: resource.AWS, Account: acct, Region: "global", Type: "AWS::IAM::Policy", ID: fmt.Sprintf("arn:aws:iam::%s:policy/c%d", acct, c), Name: fmt.Sprintf("c%d", c),
				Class: resource.ClassIAMPolicy, Facts: resource.Facts{Policy: &resource.Policy{Managed: "customer", Document: benchDoc(tb, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[`+q+`],"Resource":"*"}]}`)}}})
		}
	}
	trust := benchDoc(tb, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	for i := range nAWS {
		acct := fmt.Sprintf("%012d", 100000000000+i%benchAccounts)
		id := &resource.Identity{Kind: "user", AttachedPolicies: []string{"arn:aws:iam::aws:policy/" + managed[i%len(managed)], fmt.Sprintf("arn:aws:iam::%s:policy/c%d", acct, (i/7)%len(custom))}}
		r := &resource.Resource{Provider: resource.AWS, Account: acct, Region: "global", Type: "AWS::IAM::User", ID: fmt.Sprintf("arn:aws:iam::%s:user/u%d", acct, i), Name: fmt.Sprintf("u%d", i), Class: resource.ClassIdentity, Facts: resource.Facts{Identity: id}}
		if i%2 == 1 {
			r.Type, r.ID, r.Name, id.Kind, id.TrustPolicy = "AWS::IAM::Role", fmt.Sprintf("arn:aws:iam::%s:role/r%d", acct, i), fmt.Sprintf("r%d", i), "role", trust
		}
		for _, p := range id.AttachedPolicies {
			r.Relationships = append(r.Relationships, resource.Relationship{Type: resource.RelHasPolicy, TargetID: p})
		}
		rs = append(rs, r)
	}
	rs = append(rs, &resource.Resource{Provider: resource.Azure, Account: benchSub, Type: "Microsoft.Resources/subscriptions", ID: "/subscriptions/" + benchSub, Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{}}})
	roles := []string{"acdd72a7-3385-48ef-bd42-f606fba81ae7", "b24988ac-6180-42a0-ab88-20f7382dd24c", "9980e02c-c2be-4d73-94e8-173b1dc7cf3c", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}
	for i := range nAz {
		oid := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
		rs = append(rs, &resource.Resource{Provider: resource.Azure, Region: "global", Type: "microsoft.graph.user", ID: benchTenant + "/users/" + oid, Name: fmt.Sprintf("az%d@example.com", i), Aliases: []string{oid},
			Class: resource.ClassIdentity, Facts: resource.Facts{Identity: &resource.Identity{Kind: "user"}}})
		for k := range 2 {
			scope := fmt.Sprintf("/subscriptions/%s/resourceGroups/rg%d", benchSub, (i+k*37)%200)
			role := roles[(i+k)%3]
			if i%100 == 0 && k == 1 {
				role, scope = roles[3], "/subscriptions/"+benchSub
			}
			rs = append(rs, &resource.Resource{Provider: resource.Azure, Type: "Microsoft.Authorization/roleAssignments", ID: fmt.Sprintf("%s/providers/Microsoft.Authorization/roleAssignments/a%d-%d", scope, i, k), Class: resource.ClassIAMBinding,
				Facts: resource.Facts{Binding: &resource.Binding{Principal: oid, PrincipalType: "User", Role: "/subscriptions/" + benchSub + roleDefs + role, Scope: scope}}})
		}
	}
	const crm = "//cloudresourcemanager.googleapis.com/"
	rs = append(rs, &resource.Resource{Provider: resource.GCP, Type: "cloudresourcemanager.googleapis.com/Organization", ID: crm + "organizations/1", Aliases: []string{"organizations/1"}, Class: resource.ClassOrgUnit, Facts: resource.Facts{OrgUnit: &resource.OrgUnit{Kind: "organization"}}})
	for p := range benchProjects {
		rs = append(rs, &resource.Resource{Provider: resource.GCP, Account: fmt.Sprintf("proj-%d", p), Type: "cloudresourcemanager.googleapis.com/Project", ID: fmt.Sprintf("%sprojects/%d", crm, 1000+p),
			Aliases: []string{fmt.Sprintf("projects/proj-%d", p), fmt.Sprintf("projects/%d", 1000+p)}, Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{Parent: crm + "organizations/1"}}})
	}
	groles := []string{"roles/storage.objectViewer", "roles/compute.viewer", "roles/bigquery.jobUser", "roles/editor", "roles/iam.serviceAccountUser"}
	for i := range nGCP {
		p := i % benchProjects
		email := fmt.Sprintf("sa%d@proj-%d.iam.gserviceaccount.com", i, p)
		rs = append(rs, &resource.Resource{Provider: resource.GCP, Account: fmt.Sprintf("proj-%d", p), Region: "global", Type: "iam.googleapis.com/ServiceAccount", ID: fmt.Sprintf("//iam.googleapis.com/projects/proj-%d/serviceAccounts/%d", p, 900000+i),
			Aliases: []string{email, "serviceAccount:" + email, strconv.Itoa(900000 + i)}, Class: resource.ClassIdentity, Facts: resource.Facts{Identity: &resource.Identity{Kind: "service_account"}}})
		for k := range 2 {
			scope := fmt.Sprintf("%sprojects/%d", crm, 1000+p)
			role := groles[(i+k)%len(groles)]
			rs = append(rs, &resource.Resource{Provider: resource.GCP, Type: "iam.googleapis.com/Binding", ID: scope + "#iam/" + role + "/serviceAccount:" + email, Class: resource.ClassIAMBinding,
				Facts: resource.Facts{Binding: &resource.Binding{Principal: "serviceAccount:" + email, Role: role, Scope: scope}}})
		}
	}
	return rs
}

// syntheticLake writes n events of the synthetic organization's
// principals (the first four in five of each cloud's act) over the 30
// days before end into a lake at dir, in the lake's layout and schema,
// with DuckDB: CloudTrail events with their access key, Azure Activity Log
// operations on VMs of the 200 resource groups, GCP events with
// authorizationInfo. 70% AWS, 15% Azure, 15% GCP; 4% failures.
func syntheticLake(ctx context.Context, dir string, n, principals int, end time.Time) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	nAWS, nAz := principals*8/10, principals/10
	nGCP := principals - nAWS - nAz
	awsOps := make([]string, len(benchAWSOps))
	for i, o := range benchAWSOps {
		awsOps[i] = fmt.Sprintf("['%s','%s']", o[0], o[1])
	}
	q := fmt.Sprintf(`
COPY (
WITH base AS (
  SELECT i, CAST(hash(i) %% 1000000007 AS BIGINT) AS h, CAST(hash(i * 7 + 3) %% 1000000007 AS BIGINT) AS h2,
    CASE WHEN i %% 20 < 14 THEN 'AWS' WHEN i %% 20 < 17 THEN 'Azure' ELSE 'GCP' END AS cloud,
    to_timestamp(%d - CAST(hash(i * 13) %% 2592000000 AS BIGINT) / 1000.0) AS t
  FROM range(%d) r(i)
), ev AS (
  SELECT *,
    CASE cloud WHEN 'AWS' THEN h %% %d WHEN 'Azure' THEN h %% %d ELSE h %% %d END AS p,
    CASE WHEN h2 %% 25 = 0 THEN 2 ELSE 1 END AS st
  FROM base
), aws AS (
  SELECT *, lpad(CAST(100000000000 + p %% %d AS VARCHAR), 12, '0') AS acct, %s[1 + h2 %% %d] AS op FROM ev WHERE cloud = 'AWS'
)
SELECT t AS time, 6003 AS class_uid, 'API Activity' AS class_name, 3 AS activity_id, 'Update' AS activity, 1 AS severity_id, 'Informational' AS severity,
  st AS status_id, CASE st WHEN 1 THEN 'Success' ELSE 'Failure' END AS status, 'AWS' AS cloud_provider, acct AS account_uid, 'us-east-1' AS region,
  CASE WHEN p %% 2 = 0 THEN 'arn:aws:iam::' || acct || ':user/u' || p ELSE 'arn:aws:sts::' || acct || ':assumed-role/r' || p || '/s' || (i %% 100) END AS actor_user_uid,
  CASE WHEN p %% 2 = 0 THEN 'u' || p ELSE 'r' || p || '/s' || (i %% 100) END AS actor_user_name,
  CASE WHEN p %% 2 = 0 THEN 'IAMUser' ELSE 'AssumedRole' END AS actor_user_type, '198.51.100.' || (p %% 250) AS src_ip, 'aws-cli/2.15.0' AS user_agent,
  op[1] AS api_service, op[2] AS api_operation, CAST([] AS VARCHAR[]) AS resource_uids, 'e' || i AS event_uid, md5(CAST(i AS VARCHAR)) AS event_hash,
  '{"eventVersion":"1.09","userIdentity":{"type":"' || CASE WHEN p %% 2 = 0 THEN 'IAMUser' ELSE 'AssumedRole' END || '","principalId":"AIDA' || p || '","arn":"arn:aws:iam::' || acct || ':user/u' || p ||
    '","accountId":"' || acct || '","accessKeyId":"AKIA' || lpad(CAST(p AS VARCHAR), 16, '0') || '"},"eventTime":"' || strftime(t, '%%Y-%%m-%%dT%%H:%%M:%%SZ') || '","eventSource":"' || op[1] ||
    '","eventName":"' || op[2] || '","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1","userAgent":"aws-cli/2.15.0","requestParameters":{"bucketName":"b' || (i %% 50) ||
    '"},"responseElements":null,"requestID":"' || md5(CAST(i AS VARCHAR)) || '","eventID":"e' || i || '","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"' || acct || '"}' AS raw,
  '{}' AS ocsf, 'aws_cloudtrail' AS source, CAST(t AS DATE) AS date
FROM aws
UNION ALL
SELECT t, 6003, 'API Activity', 3, 'Update', 1, 'Informational', st, CASE st WHEN 1 THEN 'Success' ELSE 'Failure' END, 'Azure', '%s', 'westeurope',
  printf('%%08x-0000-4000-8000-%%012x', p, p), 'az' || p || '@example.com', 'User', '203.0.113.' || (p %% 250), NULL,
  'MICROSOFT.COMPUTE', %s[1 + h2 %% %d], ['/SUBSCRIPTIONS/%s/RESOURCEGROUPS/RG' || ((p + (h2 %% 2) * 37) %% 200) || '/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM' || (h2 %% 3)],
  'e' || i, md5(CAST(i AS VARCHAR)), '{"synthetic":true}', '{}', 'azure_activitylogs', CAST(t AS DATE)
FROM ev WHERE cloud = 'Azure'
UNION ALL
SELECT t, 6003, 'API Activity', 3, 'Update', 1, 'Informational', st, CASE st WHEN 1 THEN 'Success' ELSE 'Failure' END, 'GCP', 'proj-' || (p %% %d), 'us-central1',
  'sa' || p || '@proj-' || (p %% %d) || '.iam.gserviceaccount.com', 'sa' || p || '@proj-' || (p %% %d) || '.iam.gserviceaccount.com', 'ServiceAccount', '203.0.113.' || (p %% 250), NULL,
  'storage.googleapis.com', %s[1 + h2 %% %d], ['projects/proj-' || (p %% %d)], 'e' || i, md5(CAST(i AS VARCHAR)),
  '{"protoPayload":{"methodName":"m","authorizationInfo":[{"resource":"projects/proj-' || (p %% %d) || '","permission":"' || %s[1 + h2 %% %d] || '","granted":true}]},"timestamp":"' || strftime(t, '%%Y-%%m-%%dT%%H:%%M:%%SZ') || '"}',
  '{}', 'gcp_audit', CAST(t AS DATE)
FROM ev WHERE cloud = 'GCP'
) TO '%s' (FORMAT parquet, PARTITION_BY (source, date), COMPRESSION zstd, ROW_GROUP_SIZE 131072)`,
		end.Unix(), n, nAWS*4/5, nAz*4/5, nGCP*4/5,
		benchAccounts, "["+strings.Join(awsOps, ",")+"]", len(awsOps),
		benchSub, sqlList(benchAzureOps), len(benchAzureOps), strings.ToUpper(benchSub),
		benchProjects, benchProjects, benchProjects, sqlList(benchGCPPerms), len(benchGCPPerms), benchProjects, benchProjects, sqlList(benchGCPPerms), len(benchGCPPerms),
		dir)
	_, err = db.ExecContext(ctx, q)
	return err
}

func sqlList(s []string) string { return "['" + strings.Join(s, "','") + "']" }

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkUnused reads a synthetic lake of 10,000,000 events
// (VIGIL_BENCH_EVENTS) of an organization of 50,000 principals
// (VIGIL_BENCH_PRINCIPALS) and maps it onto the organization's
// entitlement graph: the lake's aggregation (ReadUsage) and the analysis
// (Analyze) are timed; building the lake and the graph is not.
func BenchmarkUnused(b *testing.B) {
	events, principals := 10_000_000, 50_000
	if v, err := strconv.Atoi(os.Getenv("VIGIL_BENCH_EVENTS")); err == nil && v > 0 {
		events = v
	}
	if v, err := strconv.Atoi(os.Getenv("VIGIL_BENCH_PRINCIPALS")); err == nil && v > 0 {
		principals = v
	}
	ctx := context.Background()
	end := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	dir := filepath.Join(b.TempDir(), "lake")
	t0 := time.Now()
	if err := syntheticLake(ctx, dir, events, principals, end); err != nil {
		b.Fatal(err)
	}
	b.Logf("synthetic lake: %d events in %s", events, time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	g, err := graph.Build(ctx, syntheticOrg(b, principals), graph.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("graph: %d nodes in %s", len(g.Nodes()), time.Since(t0).Round(time.Millisecond))
	l, err := lake.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	o := Options{Now: end}
	runtime.GC()
	b.ResetTimer()
	for range b.N {
		c0, w0 := cpuTime(), time.Now()
		rows, err := ReadUsage(ctx, l, QueryOptions{Window: o.Window(), AccessKeys: true})
		if err != nil {
			b.Fatal(err)
		}
		c1, w1 := cpuTime(), time.Now()
		r, err := Analyze(ctx, g, rows, o)
		if err != nil {
			b.Fatal(err)
		}
		c2, w2 := cpuTime(), time.Now()
		count := map[string]int{}
		for _, p := range r.Principals {
			count[p.Status]++
		}
		b.Logf("read %d aggregates in %s (%s CPU); analysis in %s (%s CPU); %d principals: %v",
			len(rows), w1.Sub(w0).Round(time.Millisecond), (c1 - c0).Round(time.Millisecond), w2.Sub(w1).Round(time.Millisecond), (c2 - c1).Round(time.Millisecond), len(r.Principals), count)
		b.ReportMetric(w1.Sub(w0).Seconds(), "read-s")
		b.ReportMetric(w2.Sub(w1).Seconds(), "analyze-s")
		b.ReportMetric((c2 - c0).Seconds(), "cpu-s")
	}
}
