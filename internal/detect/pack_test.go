package detect

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

// ctAPI is a CloudTrail management event as CloudTrail records it for an
// IAM Identity Center (SSO) assumed-role session; extra holds further
// top-level members ("requestParameters":{...}, "errorCode":"...").
func ctAPI(min int, source, name, extra string) string {
	if extra != "" {
		extra = "," + extra
	}
	return fmt.Sprintf(`{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROA3EXAMPLE7OPS:mallory","arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PowerUser_4c1b/mallory","accountId":"111122223333","accessKeyId":"ASIA3EXAMPLEKEY0001","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA3EXAMPLE7OPS","arn":"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PowerUser_4c1b","accountId":"111122223333","userName":"AWSReservedSSO_PowerUser_4c1b"},"attributes":{"creationDate":"2024-03-14T08:55:00Z","mfaAuthenticated":"false"}}},"eventTime":"2024-03-14T09:%02d:11Z","eventSource":%q,"eventName":%q,"awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64","eventID":"0d6f1a2b-%04d-4c3d-9e8f-%s","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"%s}`,
		min, source, name, min, strings.ToLower(fmt.Sprintf("%012x", len(name)*7919+min)), extra)
}

// gcpEvent is a Cloud Audit Logs admin-activity LogEntry; pp holds further
// protoPayload members.
func gcpEvent(min int, service, method, resource, pp string) string {
	if pp != "" {
		pp = "," + pp
	}
	return fmt.Sprintf(`{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","status":{},"authenticationInfo":{"principalEmail":"ops@acme.example"},"requestMetadata":{"callerIp":"203.0.113.88","callerSuppliedUserAgent":"google-cloud-sdk gcloud/460.0.0"},"serviceName":%q,"methodName":%q,"resourceName":%q%s},"insertId":"-4kq1x2e%04d","resource":{"type":"project","labels":{"project_id":"acme-prod-4821"}},"timestamp":"2024-03-14T09:%02d:07.412Z","severity":"NOTICE","logName":"projects/acme-prod-4821/logs/cloudaudit.googleapis.com%%2Factivity","receiveTimestamp":"2024-03-14T09:%02d:08Z"}`,
		service, method, resource, pp, min, min, min)
}

// azureRoleAssign is an Activity Log role assignment write (diagnostic
// settings export) at scope, for role definition roleID.
func azureRoleAssign(scope, roleID, result string) string {
	body := fmt.Sprintf(`{\"Id\":\"0d1e2f3a-4b5c-6d7e-8f9a-0b1c2d3e4f5a\",\"Properties\":{\"PrincipalId\":\"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a\",\"PrincipalType\":\"User\",\"RoleDefinitionId\":\"/subscriptions/6b3f0c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c/providers/Microsoft.Authorization/roleDefinitions/%s\",\"Scope\":\"%s\"}}`, roleID, scope)
	return fmt.Sprintf(`{"time":"2024-03-14T09:20:00.1234567Z","resourceId":"%s/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/0D1E2F3A-4B5C-6D7E-8F9A-0B1C2D3E4F5A","operationName":"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE","category":"Administrative","resultType":%q,"resultSignature":"Created","durationMs":"812","callerIpAddress":"203.0.113.45","correlationId":"5a7c1e9b-3d2f-4b6a-8c0e-0123456789ab","level":"Information","identity":{"claims":{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"admin@contoso.example","name":"admin@contoso.example"}},"properties":{"requestbody":"%s","statusCode":"Created","entity":"%s/providers/Microsoft.Authorization/roleAssignments/0d1e2f3a-4b5c-6d7e-8f9a-0b1c2d3e4f5a","message":"Microsoft.Authorization/roleAssignments/write","hierarchy":""}}`,
		strings.ToUpper(scope), result, body, scope)
}

const (
	adminDoc    = `"policyDocument":"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]\n}"`
	readOnlyDoc = `"policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::reports/*\"}]}"`
	s3LoggingOn = `"requestParameters":{"bucketName":"acme-exports","BucketLoggingStatus":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/","LoggingEnabled":{"TargetBucket":"acme-access-logs","TargetPrefix":"acme-exports/"}},"logging":"","Host":"acme-exports.s3.amazonaws.com"}`
	subScope    = "/subscriptions/6b3f0c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c"
	ownerRole   = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	readerRole  = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
)

// passwordDataDenied is n GetPasswordData calls refused, a second apart
// from minute min, over the first `instances` of a set of instance ids.
func passwordDataDenied(min, n, instances int) []string {
	evs := make([]string, n)
	for i := range n {
		ev := ctAPI(min, "ec2.amazonaws.com", "GetPasswordData", fmt.Sprintf(`"requestParameters":{"instanceId":"i-0a1b2c3d4e5f6%04d"},"responseElements":null,"errorCode":"Client.UnauthorizedOperation","errorMessage":"You are not authorized to perform this operation."`, i%instances))
		evs[i] = strings.Replace(ev, ":11Z", fmt.Sprintf(":%02dZ", 11+i), 1)
	}
	return evs
}

func ssmDecrypt(min int, name string) string {
	return ctAPI(min, "ssm.amazonaws.com", "GetParameter", fmt.Sprintf(`"requestParameters":{"name":%q,"withDecryption":true},"responseElements":null,"readOnly":true`, name))
}

// packCase is one scenario of issue 7: events that must raise the rule's
// alert at its level with the default tuning, and a benign look-alike that
// must not raise it.
type packCase struct {
	title  string
	level  Level
	attack []string
	benign []string
}

func packCases() []packCase {
	var bulk, fewReads []string
	for i := range 6 {
		bulk = append(bulk, ssmDecrypt(10+i, fmt.Sprintf("/prod/db/password-%d", i)))
	}
	for i := range 3 {
		fewReads = append(fewReads, ssmDecrypt(10+i*7, "/prod/app/config"))
	}
	bindings := func(role, member string) string {
		return fmt.Sprintf(`"serviceData":{"@type":"type.googleapis.com/google.iam.v1.logging.AuditData","policyDelta":{"bindingDeltas":[{"action":"ADD","role":%q,"member":%q}]}},"request":{"@type":"type.googleapis.com/google.iam.v1.SetIamPolicyRequest","resource":"acme-prod-4821"}`, role, member)
	}
	return []packCase{
		{
			title: "AWS Administrator Policy Attached To An Identity", level: LevelHigh,
			attack: []string{
				ctAPI(1, "iam.amazonaws.com", "CreateUser", `"requestParameters":{"userName":"svc-backup2"},"responseElements":{"user":{"userName":"svc-backup2","arn":"arn:aws:iam::111122223333:user/svc-backup2"}}`),
				ctAPI(2, "iam.amazonaws.com", "AttachUserPolicy", `"requestParameters":{"userName":"svc-backup2","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"},"responseElements":null`),
			},
			benign: []string{
				ctAPI(2, "iam.amazonaws.com", "AttachUserPolicy", `"requestParameters":{"userName":"svc-backup2","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"},"responseElements":null`),
				ctAPI(3, "iam.amazonaws.com", "AttachUserPolicy", `"requestParameters":{"userName":"svc-backup2","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"},"errorCode":"AccessDenied","errorMessage":"User is not authorized to perform: iam:AttachUserPolicy"`),
			},
		},
		{
			title: "AWS IAM Policy Version With Full Administrator Rights Set As Default", level: LevelHigh,
			attack: []string{ctAPI(4, "iam.amazonaws.com", "CreatePolicyVersion", `"requestParameters":{"policyArn":"arn:aws:iam::111122223333:policy/dev-boundary",`+adminDoc+`,"setAsDefault":true}`)},
			benign: []string{
				ctAPI(4, "iam.amazonaws.com", "CreatePolicyVersion", `"requestParameters":{"policyArn":"arn:aws:iam::111122223333:policy/dev-boundary",`+readOnlyDoc+`,"setAsDefault":true}`),
				ctAPI(5, "iam.amazonaws.com", "CreatePolicyVersion", `"requestParameters":{"policyArn":"arn:aws:iam::111122223333:policy/dev-boundary",`+adminDoc+`,"setAsDefault":false}`),
			},
		},
		{
			title: "AWS EC2 Traffic Mirroring Configured", level: LevelMedium,
			attack: []string{ctAPI(6, "ec2.amazonaws.com", "CreateTrafficMirrorSession", `"requestParameters":{"CreateTrafficMirrorSessionRequest":{"NetworkInterfaceId":"eni-0a1b2c3d4e5f67890","TrafficMirrorTargetId":"tmt-0123456789abcdef0","TrafficMirrorFilterId":"tmf-0123456789abcdef0","SessionNumber":1}}`)},
			benign: []string{ctAPI(6, "ec2.amazonaws.com", "DescribeTrafficMirrorSessions", `"requestParameters":{"DescribeTrafficMirrorSessionsRequest":{}},"readOnly":true`)},
		},
		{
			title: "AWS Lambda Function Code Or Configuration Updated", level: LevelLow,
			attack: []string{ctAPI(7, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", `"requestParameters":{"functionName":"invoice-processor","zipFile":"HIDDEN_DUE_TO_SECURITY_REASONS","publish":true}`)},
			benign: []string{ctAPI(7, "lambda.amazonaws.com", "GetFunction20150331v2", `"requestParameters":{"functionName":"invoice-processor"},"readOnly":true`)},
		},
		{
			title: "AWS SSM Parameters Decrypted In Bulk", level: LevelHigh,
			attack: bulk, benign: fewReads,
		},
		{
			title: "AWS KMS Key Scheduled For Deletion Or Disabled", level: LevelHigh,
			attack: []string{ctAPI(20, "kms.amazonaws.com", "ScheduleKeyDeletion", `"requestParameters":{"keyId":"arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d","pendingWindowInDays":7},"responseElements":{"keyId":"arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d","keyState":"PendingDeletion","deletionDate":"Mar 21, 2024, 12:00:00 AM"}`)},
			benign: []string{ctAPI(20, "kms.amazonaws.com", "CancelKeyDeletion", `"requestParameters":{"keyId":"1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"}`)},
		},
		{
			title: "AWS S3 Bucket Made Public", level: LevelHigh,
			attack: []string{
				ctAPI(21, "s3.amazonaws.com", "PutBucketPolicy", `"requestParameters":{"bucketName":"acme-exports","bucketPolicy":{"Version":"2012-10-17","Statement":[{"Sid":"x","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-exports/*"}]},"policy":"","Host":"acme-exports.s3.amazonaws.com"}`),
				ctAPI(23, "s3.amazonaws.com", "PutBucketPolicy", `"requestParameters":{"bucketName":"acme-logs","bucketPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"arn:aws:s3:::acme-logs/*"}]},"Host":"acme-logs.s3.amazonaws.com"}`),
				ctAPI(22, "s3.amazonaws.com", "DeleteBucketPublicAccessBlock", `"requestParameters":{"bucketName":"acme-exports","publicAccessBlock":"","Host":"acme-exports.s3.amazonaws.com"}`),
			},
			benign: []string{ctAPI(21, "s3.amazonaws.com", "PutBucketPolicy", `"requestParameters":{"bucketName":"acme-exports","bucketPolicy":{"Version":"2012-10-17","Statement":[{"Sid":"x","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/reporting"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-exports/*"}]},"policy":"","Host":"acme-exports.s3.amazonaws.com"}`)},
		},
		{
			title: "GCP Owner Or Editor Role Granted To An External Account", level: LevelCritical,
			attack: []string{
				gcpEvent(30, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", bindings("roles/editor", "user:helpful.contractor@gmail.com")),
				gcpEvent(31, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", bindings("roles/owner", "user:attacker@gmail.com")),
			},
			benign: []string{
				gcpEvent(30, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", bindings("roles/editor", "user:dev@acme.example")),
				gcpEvent(31, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", bindings("roles/viewer", "user:auditor@gmail.com")),
			},
		},
		{
			title: "GCP Storage Bucket Made Public", level: LevelHigh,
			attack: []string{gcpEvent(32, "storage.googleapis.com", "storage.setIamPermissions", "projects/_/buckets/acme-exports", `"serviceData":{"@type":"type.googleapis.com/google.iam.v1.logging.AuditData","policyDelta":{"bindingDeltas":[{"action":"ADD","role":"roles/storage.objectViewer","member":"allUsers"}]}}`)},
			benign: []string{gcpEvent(32, "storage.googleapis.com", "storage.setIamPermissions", "projects/_/buckets/acme-exports", `"serviceData":{"@type":"type.googleapis.com/google.iam.v1.logging.AuditData","policyDelta":{"bindingDeltas":[{"action":"REMOVE","role":"roles/storage.objectViewer","member":"allUsers"},{"action":"ADD","role":"roles/storage.objectViewer","member":"group:analysts@acme.example"}]}}`)},
		},
		{
			title: "GCP Firewall Rule Created, Modified Or Deleted", level: LevelMedium,
			attack: []string{
				gcpEvent(33, "compute.googleapis.com", "v1.compute.firewalls.insert", "projects/acme-prod-4821/global/firewalls/allow-ssh-all", `"request":{"@type":"type.googleapis.com/compute.firewalls.insert","sourceRanges":["0.0.0.0/0"]}`),
				gcpEvent(34, "compute.googleapis.com", "v1.compute.firewalls.delete", "projects/acme-prod-4821/global/firewalls/deny-egress", ""),
				gcpEvent(35, "compute.googleapis.com", "beta.compute.firewalls.patch", "projects/acme-prod-4821/global/firewalls/web", ""),
			},
			benign: []string{gcpEvent(33, "compute.googleapis.com", "v1.compute.instances.insert", "projects/acme-prod-4821/zones/us-central1-a/instances/web-1", "")},
		},
		{
			title: "GCP SSH Access To A Compute Instance", level: LevelMedium,
			attack: []string{gcpEvent(36, "compute.googleapis.com", "v1.compute.projects.setCommonInstanceMetadata", "projects/acme-prod-4821", `"metadata":{"@type":"type.googleapis.com/google.cloud.audit.GceProjectAuditMetadata","projectMetadataDelta":{"modifiedMetadataKeys":["ssh-keys"]}}`)},
			benign: []string{gcpEvent(36, "compute.googleapis.com", "v1.compute.projects.setCommonInstanceMetadata", "projects/acme-prod-4821", `"metadata":{"@type":"type.googleapis.com/google.cloud.audit.GceProjectAuditMetadata","projectMetadataDelta":{"addedMetadataKeys":["enable-oslogin"]}}`)},
		},
		{
			title: "AWS S3 Server Access Logging Disabled", level: LevelMedium,
			attack: []string{ctAPI(40, "s3.amazonaws.com", "PutBucketLogging", `"requestParameters":{"bucketName":"acme-exports","BucketLoggingStatus":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/"},"logging":"","Host":"acme-exports.s3.amazonaws.com"}`)},
			benign: []string{
				ctAPI(40, "s3.amazonaws.com", "PutBucketLogging", s3LoggingOn),
				ctAPI(41, "s3.amazonaws.com", "PutBucketLogging", `"requestParameters":{"bucketName":"acme-exports","BucketLoggingStatus":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/"},"logging":"","Host":"acme-exports.s3.amazonaws.com"},"errorCode":"AccessDenied","errorMessage":"Access Denied"`),
			},
		},
		{
			title: "AWS Snapshot Or Image Shared With Another Account", level: LevelHigh,
			attack: []string{ctAPI(42, "rds.amazonaws.com", "ModifyDBSnapshotAttribute", `"requestParameters":{"dBSnapshotIdentifier":"prod-db-2024-03-14","attributeName":"restore","valuesToAdd":["444455556666"]}`)},
			// valuesToAdd: [] when only sharing is removed (an exists
			// check fired on it).
			benign: []string{ctAPI(42, "rds.amazonaws.com", "ModifyDBSnapshotAttribute", `"requestParameters":{"dBSnapshotIdentifier":"prod-db-2024-03-14","attributeName":"restore","valuesToAdd":[],"valuesToRemove":["444455556666"]}`)},
		},
		{
			title: "AWS Account Leaves Organization", level: LevelHigh,
			attack: []string{ctAPI(44, "organizations.amazonaws.com", "LeaveOrganization", `"requestParameters":null,"responseElements":null`)},
			benign: []string{ctAPI(44, "organizations.amazonaws.com", "LeaveOrganization", `"requestParameters":null,"responseElements":null,"errorCode":"AccessDenied","errorMessage":"You don't have permissions to access this resource."`)},
		},
		{
			// Failed attempts alert, at low.
			title: "AWS Account Leave Organization Attempt Failed", level: LevelLow,
			attack: []string{ctAPI(45, "organizations.amazonaws.com", "LeaveOrganization", `"requestParameters":null,"responseElements":null,"errorCode":"AccessDenied","errorMessage":"You don't have permissions to access this resource."`)},
			benign: []string{ctAPI(45, "organizations.amazonaws.com", "LeaveOrganization", `"requestParameters":null,"responseElements":null`)},
		},
		{
			title: "AWS EC2 Windows Password Data Retrieved", level: LevelMedium,
			attack: []string{ctAPI(46, "ec2.amazonaws.com", "GetPasswordData", `"requestParameters":{"instanceId":"i-0123456789abcdef0"},"responseElements":null`)},
			benign: []string{ctAPI(46, "ec2.amazonaws.com", "GetPasswordData", `"requestParameters":{"instanceId":"i-0123456789abcdef0"},"responseElements":null,"errorCode":"Client.UnauthorizedOperation","errorMessage":"You are not authorized to perform this operation."`)},
		},
		{
			// A harvest refused on five instances alerts once, at low; the
			// same instance asked again and again (a console page polling)
			// and four refusals do not alert at all.
			title: "AWS EC2 Windows Password Data Requests Denied Across Instances", level: LevelLow,
			attack: passwordDataDenied(47, 5, 5),
			benign: append(passwordDataDenied(47, 12, 1), ctAPI(47, "ec2.amazonaws.com", "GetPasswordData", `"requestParameters":{"instanceId":"i-0123456789abcdef0"},"responseElements":null`)),
		},
		{
			title: "AWS EC2 Windows Password Data Requests Denied Across Instances", level: LevelLow,
			attack: passwordDataDenied(40, 30, 30),
			benign: passwordDataDenied(40, 4, 4),
		},
		{
			// Matched, then suppressed by the default tuning before issue 7.
			title: "Azure Owner Role Assigned At Subscription Scope", level: LevelHigh,
			attack: []string{azureRoleAssign(subScope, ownerRole, "Success")},
			benign: []string{
				azureRoleAssign(subScope, readerRole, "Success"),
				azureRoleAssign(subScope+"/resourceGroups/sandbox", ownerRole, "Success"),
				azureRoleAssign(subScope, ownerRole, "Failure"),
			},
		},
	}
}

// runDefault runs the built-ins with the default tuning over events (JSON
// lines, one file).
func runDefault(t *testing.T, events []string) []*Alert {
	t.Helper()
	return runWith(t, nil, events)
}

// runWith is runDefault with rule folders (--rules) too.
func runWith(t *testing.T, ruleDirs []string, events []string) []*Alert {
	t.Helper()
	return runCfg(t, Config{Version: "test", RuleDirs: ruleDirs}, events)
}

// runWithTuning is runDefault with another tuning.
func runWithTuning(t *testing.T, tuning *Tuning, events []string) []*Alert {
	t.Helper()
	return runCfg(t, Config{Version: "test", Tuning: tuning}, events)
}

func runCfg(t *testing.T, cfg Config, events []string) []*Alert {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "events.jsonl"), []byte(strings.Join(events, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	eng, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, le := range eng.LoadErrors {
		if strings.HasPrefix(le.Path, BuiltinPrefix) {
			t.Errorf("built-in not loaded: %v", le)
		}
	}
	sink := &collectSink{}
	var inErrs []string
	if err := eng.Run(context.Background(), []string{dir}, sink, RunOptions{Workers: 1, OnInputError: func(ie logs.InputError) {
		inErrs = append(inErrs, ie.Error())
	}}); err != nil {
		t.Fatal(err)
	}
	if len(inErrs) > 0 {
		t.Errorf("input errors: %v", inErrs)
	}
	return sink.alerts
}

// TestPackScenarios: every missed attack of issue 7 alerts at its rule's
// level through the default tuning, and its benign look-alike does not.
func TestPackScenarios(t *testing.T) {
	for _, c := range packCases() {
		t.Run(c.title, func(t *testing.T) {
			got := alertsOf(runDefault(t, c.attack), c.title)
			if len(got) == 0 {
				t.Fatalf("no alert on the attack events")
			}
			for _, a := range got {
				if a.Level != c.level {
					t.Errorf("alert level %v, want %v", a.Level, c.level)
				}
			}
			for i, ev := range c.benign {
				if n := len(alertsOf(runDefault(t, []string{ev}), c.title)); n != 0 {
					t.Errorf("benign look-alike %d raised %d alerts: %s", i, n, ev)
				}
			}
			if len(c.benign) > 1 {
				// Together too (the bulk correlation counts across events).
				if n := len(alertsOf(runDefault(t, c.benign), c.title)); n != 0 {
					t.Errorf("benign look-alikes together raised %d alerts", n)
				}
			}
		})
	}
}

// consoleLogin is a ConsoleLogin event of identity (a userIdentity object).
func consoleLogin(min int, identity, result, extra string) string {
	if extra != "" {
		extra = "," + extra
	}
	return fmt.Sprintf(`{"eventVersion":"1.09","userIdentity":%s,"eventTime":"2024-03-14T09:%02d:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0","requestParameters":null,"responseElements":{"ConsoleLogin":%q},"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"No"},"eventID":"7e1c%04d-aaaa-4bbb-8ccc-0123456789ab","readOnly":false,"eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"%s}`,
		identity, min, result, min, extra)
}

const (
	rootIdentity = `{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","accessKeyId":""}`
	iamUser      = `{"type":"IAMUser","principalId":"AIDA3EXAMPLEUSER01","arn":"arn:aws:iam::111122223333:user/jdoe","accountId":"111122223333","userName":"jdoe"}`
	ssoUser      = `{"type":"AssumedRole","principalId":"AROA3EXAMPLE7OPS:jdoe@acme.example","arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_4c1b/jdoe@acme.example","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA3EXAMPLE7OPS","arn":"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_4c1b","accountId":"111122223333","userName":"AWSReservedSSO_Admin_4c1b"}}}`
)

// TestSigmaHQFalseAlarmsFiltered: the false alarms issue 7 names for
// SigmaHQ cloud rules are removed by vigil's built-in Sigma filters, and
// the same rules still fire on the real thing.
func TestSigmaHQFalseAlarmsFiltered(t *testing.T) {
	rules := corpus(t, "sigma-cloud")
	rootReadOnly := strings.Replace(ctAPI(5, "ec2.amazonaws.com", "DescribeInstances", `"requestParameters":{"instancesSet":{},"filterSet":{}}`), `"readOnly":false`, `"readOnly":true`, 1)
	rootReadOnly = strings.Replace(rootReadOnly, ctUserIdentity(), rootIdentity, 1)
	rootChange := strings.Replace(ctAPI(6, "iam.amazonaws.com", "CreateAccessKey", `"requestParameters":{}`), ctUserIdentity(), rootIdentity, 1)
	for _, c := range []struct {
		title          string
		attack, benign []string
	}{
		{
			title:  "AWS Successful Console Login Without MFA",
			attack: []string{consoleLogin(1, iamUser, "Success", "")},
			benign: []string{
				consoleLogin(1, ssoUser, "Success", ""),
				consoleLogin(2, `{"type":"AssumedRole","principalId":"AROA3EXAMPLESAML:jdoe","arn":"arn:aws:sts::111122223333:assumed-role/OktaAdmin/jdoe","accountId":"111122223333"}`, "Success", `"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/","MobileVersion":"No","MFAUsed":"No","SamlProviderArn":"arn:aws:iam::111122223333:saml-provider/Okta"}`),
			},
		},
		{
			title:  "AWS Root Credentials",
			attack: []string{consoleLogin(3, rootIdentity, "Success", ""), rootChange},
			benign: []string{
				consoleLogin(4, rootIdentity, "Failure", `"errorMessage":"Failed authentication"`),
				rootReadOnly,
			},
		},
		{
			title:  "AWS S3 Data Management Tampering",
			attack: []string{ctAPI(7, "s3.amazonaws.com", "PutBucketLogging", `"requestParameters":{"bucketName":"acme-exports","BucketLoggingStatus":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/"},"logging":"","Host":"acme-exports.s3.amazonaws.com"}`)},
			benign: []string{
				ctAPI(8, "s3.amazonaws.com", "PutBucketLogging", s3LoggingOn),
				ctAPI(9, "s3.amazonaws.com", "PutBucketLogging", `"requestParameters":{"bucketName":"acme-exports","BucketLoggingStatus":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/"},"logging":"","Host":"acme-exports.s3.amazonaws.com"},"errorCode":"AccessDenied","errorMessage":"Access Denied"`),
			},
		},
	} {
		t.Run(c.title, func(t *testing.T) {
			for i, ev := range c.attack {
				if len(alertsOf(runWith(t, []string{rules}, []string{ev}), c.title)) == 0 {
					t.Errorf("attack event %d raised no alert: %s", i, ev)
				}
			}
			for i, ev := range c.benign {
				if n := len(alertsOf(runWith(t, []string{rules}, []string{ev}), c.title)); n != 0 {
					t.Errorf("benign event %d raised %d alerts: %s", i, n, ev)
				}
			}
		})
	}
}

// ctUserIdentity is the userIdentity object ctAPI writes.
func ctUserIdentity() string {
	s := ctAPI(0, "x", "y", "")
	i := strings.Index(s, `"userIdentity":`) + len(`"userIdentity":`)
	j := strings.Index(s, `,"eventTime"`)
	return s[i:j]
}

// TestAzurePascalCaseRecords: Azure records whose field names are
// capitalised (as some exports write them: ResourceId, OperationName,
// Properties.RequestBody) match the same rules (issue 7, format tolerance).
func TestAzurePascalCaseRecords(t *testing.T) {
	const title = "Azure Owner Role Assigned At Subscription Scope"
	ev := azureRoleAssign(subScope, ownerRole, "Success")
	for _, k := range []string{"time", "resourceId", "operationName", "category", "resultType", "resultSignature", "durationMs", "callerIpAddress", "correlationId", "level", "identity", "properties", "requestbody", "statusCode", "entity", "message", "hierarchy"} {
		ev = strings.Replace(ev, `"`+k+`":`, `"`+strings.ToUpper(k[:1])+k[1:]+`":`, 1)
	}
	if !strings.Contains(ev, `"ResourceId":`) || !strings.Contains(ev, `"Requestbody":`) {
		t.Fatalf("event not rewritten: %s", ev)
	}
	if got := alertsOf(runDefault(t, []string{ev}), title); len(got) != 1 || got[0].Level != LevelHigh {
		t.Errorf("PascalCase record: %d alerts", len(got))
	}
	failed := strings.Replace(ev, `"ResultType":"Success"`, `"ResultType":"Failure"`, 1)
	if got := alertsOf(runDefault(t, []string{failed}), title); len(got) != 0 {
		t.Errorf("failed PascalCase record raised %d alerts", len(got))
	}
}

// signIn is an Entra ID interactive sign-in record (SignInLogs category,
// diagnostic settings export) of upn from ip failing with errorCode (0 =
// success).
func signIn(min int, upn, ip string, errorCode int) string {
	return fmt.Sprintf(`{"time":"2024-03-14T09:%02d:30.0000000Z","resourceId":"/tenants/5b1a9f6e-2c3d-4e5f-8a9b-0c1d2e3f4a5b/providers/Microsoft.aadiam","operationName":"Sign-in activity","operationVersion":"1.0","category":"SignInLogs","tenantId":"5b1a9f6e-2c3d-4e5f-8a9b-0c1d2e3f4a5b","resultType":"%d","resultSignature":"None","durationMs":0,"callerIpAddress":%q,"correlationId":"c0ffee00-0000-4000-8000-%012d","identity":%q,"Level":4,"location":"NL","properties":{"id":"c0ffee00-1111-4000-8000-%012d","createdDateTime":"2024-03-14T09:%02d:30.0000000+00:00","userDisplayName":%q,"userPrincipalName":%q,"userId":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d","appId":"4765445b-32c6-49b0-83e6-1d93765276ca","appDisplayName":"OfficeHome","ipAddress":%q,"clientAppUsed":"Browser","isInteractive":true,"status":{"errorCode":%d,"failureReason":"x"},"location":{"city":"Amsterdam","countryOrRegion":"NL"}}}`,
		min%60, errorCode, ip, min, upn, min, min%60, upn, upn, ip, errorCode)
}

// TestEntraSignInCorrelations: password spray (many users, one address)
// and MFA fatigue (many denied prompts, one user) alert high; the same
// failures spread the other way do not.
func TestEntraSignInCorrelations(t *testing.T) {
	var spray, typos, fatigue, fewPrompts []string
	for i := range 12 {
		spray = append(spray, signIn(i, fmt.Sprintf("user%02d@contoso.example", i), "203.0.113.99", 50126))
		typos = append(typos, signIn(i, "jdoe@contoso.example", fmt.Sprintf("198.51.100.%d", i+1), 50126))
	}
	for i := range 6 {
		fatigue = append(fatigue, signIn(i*2, "ceo@contoso.example", "203.0.113.99", 500121))
	}
	for i := range 3 {
		fewPrompts = append(fewPrompts, signIn(i*5, "ceo@contoso.example", "203.0.113.99", 500121))
	}
	fewPrompts = append(fewPrompts, signIn(20, "ceo@contoso.example", "203.0.113.99", 0))
	for _, c := range []struct {
		title          string
		attack, benign []string
	}{
		{"Entra ID Password Spray From One Address", spray, typos},
		{"Entra ID MFA Fatigue", fatigue, fewPrompts},
	} {
		if got := alertsOf(runDefault(t, c.attack), c.title); len(got) != 1 || got[0].Level != LevelHigh {
			t.Errorf("%s: %d alerts on the attack", c.title, len(got))
		}
		if got := alertsOf(runDefault(t, c.benign), c.title); len(got) != 0 {
			t.Errorf("%s: %d alerts on the benign events", c.title, len(got))
		}
	}
}
