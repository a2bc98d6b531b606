package detect

import (
	"fmt"
	"strings"
	"testing"
)

// Recall cases: the attack techniques of public labelled cloud attack sets
// (Stratus Red Team's AWS, GCP, Azure and Entra ID techniques) that no
// built-in raised, written from the event shapes their documentation
// records, each beside benign look-alikes; and false alarms on routine
// automation (infrastructure as code, Azure Policy's managed identities).

// terraformUA is the user agent of the Terraform AWS provider.
const terraformUA = `"userAgent":"APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.50.30 (go1.21.8; linux; amd64)"`

// withUA replaces the user agent of a ctAPI event.
func withUA(ev, ua string) string {
	return strings.Replace(ev, `"userAgent":"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64"`, ua, 1)
}

// ctUnauthorized is a ctAPI event refused the way EC2 records it.
func ctUnauthorized(ev string) string {
	return strings.Replace(ev, "{", `{"errorCode":"Client.UnauthorizedOperation","errorMessage":"You are not authorized to perform this operation.",`, 1)
}

// inRegion moves a ctAPI event to region.
func inRegion(ev, region string) string {
	return strings.Replace(ev, `"awsRegion":"us-east-1"`, `"awsRegion":"`+region+`"`, 1)
}

// gcpAs makes a gcpEvent entry principal's, in zone (a gce_instance
// resource) when zone is not empty.
func gcpAs(ev, principal, zone string) string {
	ev = strings.Replace(ev, `"principalEmail":"ops@acme.example"`, `"principalEmail":"`+principal+`"`, 1)
	if zone != "" {
		ev = strings.Replace(ev, `"resource":{"type":"project","labels":{"project_id":"acme-prod-4821"}}`,
			`"resource":{"type":"gce_instance","labels":{"project_id":"acme-prod-4821","zone":"`+zone+`","instance_id":"4518326190582216732"}}`, 1)
	}
	return ev
}

// byPolicyIdentity makes an Activity Log record (azureOp) one written by
// the system-assigned managed identity of an Azure Policy assignment (a
// DeployIfNotExists or Modify remediation).
func byPolicyIdentity(ev string) string {
	return strings.Replace(ev, `"identity":{"claims":{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"admin@contoso.example","name":"admin@contoso.example"}}`,
		`"identity":{"claims":{"appid":"3c1b2a4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d","idtyp":"app","xms_mirid":"/subscriptions/6b3f0c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c/providers/Microsoft.Authorization/policyAssignments/deploy-ama-linux","http://schemas.microsoft.com/identity/claims/objectidentifier":"0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f"}}`, 1)
}

// m365Login is a unified audit log record of an Entra ID sign-in
// (AzureActiveDirectoryStsLogon) by user from ip: UserLoggedIn when
// logonError is empty, else UserLoginFailed with that error and its
// number.
func m365Login(min int, user, ip, logonError, errorNumber string) string {
	op, result, failure := "UserLoggedIn", "Success", ""
	if logonError != "" {
		op, result = "UserLoginFailed", "Failed"
		failure = fmt.Sprintf(`,"LogonError":%q,"ErrorNumber":%q`, logonError, errorNumber)
	}
	return fmt.Sprintf(`{"CreationTime":"2024-03-14T10:%02d:%02d","Id":"8c9d0e1f-2a3b-4c5d-9e6f-%012d","Operation":%q,"OrganizationId":"4b2d7c1e-9f3a-4e8b-a6d5-0c1f2e3d4a5b","RecordType":15,"ResultStatus":%q,"UserKey":"10032002F5E6D7C8@contoso.example","UserType":0,"Version":1,"Workload":"AzureActiveDirectory","ClientIP":%q,"ObjectId":"00000002-0000-0ff1-ce00-000000000000","UserId":%q,"AzureActiveDirectoryEventType":1,"ExtendedProperties":[{"Name":"ResultStatusDetail","Value":"Success"},{"Name":"UserAgent","Value":"python-requests/2.31.0"},{"Name":"RequestType","Value":"OAuth2:Token"}],"ModifiedProperties":[],"ActorIpAddress":%q,"ApplicationId":"1b730954-1685-4b74-9bfd-dac224a7b894"%s}`,
		min%60, min%60, min, op, result, ip, user, ip, failure)
}

// entraAppUpdate is an "Update application" audit record whose target's
// Included Updated Properties name props.
func entraAppUpdate(props string) string {
	mod := fmt.Sprintf(`"modifiedProperties":[{"displayName":"Included Updated Properties","oldValue":null,"newValue":"\"%s\""}]`, props)
	return strings.Replace(entraOp("Update application", "success"), `"type":"ServicePrincipal"`, `"type":"Application",`+mod, 1)
}

const (
	stratusGmail = "user:stratusredteam@gmail.com"
	attackerSA   = "recon-sa@acme-prod-4821.iam.gserviceaccount.com"
	migAgent     = "123456789012@cloudservices.gserviceaccount.com"
)

func recallCases() []accCase {
	var userData, userDataOne []string
	for i := range 6 {
		ev := ctRO(ctAPI(10+i, "ec2.amazonaws.com", "DescribeInstanceAttribute", fmt.Sprintf(`"requestParameters":{"attribute":"userData","instanceId":"i-%08x"},"responseElements":null`, 0x95b86090+i)))
		// As the Stratus technique records them: all refused.
		userData = append(userData, ctUnauthorized(ev))
		// The console's settings page for one instance, read again and
		// again, and other attributes of many instances.
		userDataOne = append(userDataOne,
			ctRO(ctAPI(10+i, "ec2.amazonaws.com", "DescribeInstanceAttribute", `"requestParameters":{"attribute":"userData","instanceId":"i-0a1b2c3d4e5f60718"},"responseElements":null`)),
			ctRO(ctAPI(10+i, "ec2.amazonaws.com", "DescribeInstanceAttribute", fmt.Sprintf(`"requestParameters":{"attribute":"instanceType","instanceId":"i-%08x"},"responseElements":null`, 0x95b86090+i))),
			// terraform plan refreshing the instances it manages.
			withUA(ctRO(ctAPI(10+i, "ec2.amazonaws.com", "DescribeInstanceAttribute", fmt.Sprintf(`"requestParameters":{"attribute":"userData","instanceId":"i-%08x"},"responseElements":null`, 0x95b86090+i))), terraformUA))
	}
	var ses, sesApp []string
	for i, n := range []string{"GetAccountSendingEnabled", "GetSendQuota", "ListIdentities", "GetIdentityVerificationAttributes"} {
		ev := ctRO(ctAPI(20+i, "ses.amazonaws.com", n, `"requestParameters":null,"responseElements":null`))
		ses = append(ses, ev)
		// The SES console page making the same reads.
		sesApp = append(sesApp, strings.Replace(ev, `"eventCategory":"Management"`, `"eventCategory":"Management","sessionCredentialFromConsole":"true"`, 1))
	}
	for i := range 5 {
		// A mailer checking its quota before each batch.
		sesApp = append(sesApp, ctRO(ctAPI(30+i, "ses.amazonaws.com", "GetSendQuota", `"requestParameters":null,"responseElements":null`)))
	}
	var bedrockProbe, bedrockApp []string
	for i, r := range []string{"us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1"} {
		ev := inRegion(ctAPI(40+i, "bedrock.amazonaws.com", "InvokeModel", `"requestParameters":{"modelId":"anthropic.claude-3-5-sonnet-20241022-v2:0"},"responseElements":null,"readOnly":true`), r)
		bedrockProbe = append(bedrockProbe, strings.Replace(ev, "{", `{"errorCode":"ValidationException","errorMessage":"max_tokens: range: 1..8192",`, 1))
	}
	for i := range 8 {
		bedrockApp = append(bedrockApp, inRegion(ctAPI(40+i, "bedrock.amazonaws.com", "InvokeModel", `"requestParameters":{"modelId":"anthropic.claude-3-5-sonnet-20241022-v2:0"},"responseElements":null,"readOnly":true`), []string{"us-east-1", "us-west-2"}[i%2]))
	}
	var secretsBulk, secretOne []string
	for i := range 10 {
		name := fmt.Sprintf("projects/acme-prod-4821/secrets/stratus-red-team-retrieve-secret-%d/versions/latest", i)
		ev := gcpEvent(10+i, "secretmanager.googleapis.com", "google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion", name,
			`"request":{"name":"`+name+`","@type":"type.googleapis.com/google.cloud.secretmanager.v1.AccessSecretVersionRequest"}`)
		secretsBulk = append(secretsBulk, ev)
		// A workload restarting ten times reads its one secret; Cloud Run's
		// service agent resolving secrets for a deployment.
		one := "projects/acme-prod-4821/secrets/db-password/versions/latest"
		secretOne = append(secretOne,
			gcpEvent(10+i, "secretmanager.googleapis.com", "google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion", one, `"request":{"name":"`+one+`"}`),
			gcpAs(ev, "service-123456789012@serverless-robot-prod.iam.gserviceaccount.com", ""))
	}
	var testPerms, consoleTests []string
	for i := range 12 {
		ev := gcpEvent(10+i, "cloudresourcemanager.googleapis.com", "TestIamPermissions", "projects/acme-prod-4821",
			`"request":{"@type":"type.googleapis.com/google.iam.v1.TestIamPermissionsRequest","resource":"projects/acme-prod-4821","permissions":["compute.instances.list","storage.buckets.list"]}`)
		testPerms = append(testPerms, gcpAs(ev, attackerSA, ""))
		consoleTests = append(consoleTests, ev)
	}
	testPerms = testPerms[:10]
	var zones, migZones, twoZones []string
	for i, z := range []string{"us-central1-a", "us-east1-b", "europe-west1-c", "asia-east1-a", "us-west1-b", "southamerica-east1-a"} {
		ev := gcpEvent(10+i, "compute.googleapis.com", "v1.compute.instances.insert", "projects/acme-prod-4821/zones/"+z+"/instances/worker-"+fmt.Sprint(i),
			`"request":{"@type":"type.googleapis.com/compute.instances.insert","machineType":"zones/`+z+`/machineTypes/e2-micro"}`)
		zones = append(zones, gcpAs(ev, attackerSA, z))
		// A regional managed instance group scaling out, and a deployment in
		// two zones.
		migZones = append(migZones, strings.Replace(gcpAs(ev, migAgent, z), `"callerSuppliedUserAgent":"google-cloud-sdk gcloud/460.0.0"`, `"callerSuppliedUserAgent":"GCE Managed Instance Group"`, 1))
		twoZones = append(twoZones, gcpAs(ev, attackerSA, []string{"us-central1-a", "us-central1-b"}[i%2]))
	}
	var wipe, fewDeletes []string
	for i := range 30 {
		ev := gcpEvent(10+i/5, "storage.googleapis.com", "storage.objects.delete", fmt.Sprintf("projects/_/buckets/acme-finance/objects/report-%03d.csv", i), "")
		wipe = append(wipe, ev)
		if i < 29 {
			fewDeletes = append(fewDeletes, ev)
		}
	}
	var secretReads, terraformReads []string
	for i := range 20 {
		ev := ctAPI(20+i/4, "secretsmanager.amazonaws.com", "GetSecretValue", fmt.Sprintf(`"requestParameters":{"secretId":"prod/db/%02d"},"responseElements":null,"readOnly":true`, i))
		secretReads = append(secretReads, ev)
		// terraform plan refreshing the secrets it manages.
		terraformReads = append(terraformReads, withUA(ev, terraformUA))
	}
	var params, terraformParams []string
	for i := range 6 {
		ev := ssmDecrypt(30+i, fmt.Sprintf("/prod/app/key%d", i))
		params = append(params, ev)
		terraformParams = append(terraformParams, withUA(ev, terraformUA))
	}
	var spray, sprayFew, guess, guessFew []string
	for i := range 10 {
		ev := m365Login(i, fmt.Sprintf("user%02d@contoso.example", i), "185.220.101.4", "InvalidUserNameOrPassword", "50126")
		spray = append(spray, ev)
		// The same ten accounts from ten addresses (each person mistyping
		// once), and an MFA interrupt that is no credential failure.
		sprayFew = append(sprayFew, m365Login(i, fmt.Sprintf("user%02d@contoso.example", i), fmt.Sprintf("198.51.100.%d", 10+i), "InvalidUserNameOrPassword", "50126"),
			m365Login(i, fmt.Sprintf("user%02d@contoso.example", i+10), "185.220.101.4", "UserStrongAuthClientAuthNRequiredInterrupt", "50074"))
		guess = append(guess, m365Login(i*2, "cfo@contoso.example", fmt.Sprintf("198.51.100.%d", 10+i), "InvalidUserNameOrPassword", "50126"))
		if i < 9 {
			guessFew = append(guessFew, m365Login(i*2, "cfo@contoso.example", "198.51.100.10", "InvalidUserNameOrPassword", "50126"))
		}
	}
	guessFew = append(guessFew, m365Login(20, "cfo@contoso.example", "198.51.100.10", "", ""))
	gmailDelta := func(action, role string) string { return "[" + delta(action, role, stratusGmail) + "]" }
	return []accCase{
		{
			title: "AWS Bedrock Guardrail Deleted", level: LevelMedium,
			attack: []string{
				ctAPI(1, "bedrock.amazonaws.com", "DeleteGuardrail", `"requestParameters":{"guardrailIdentifier":"gr3x9k2m1p7q"},"responseElements":null`),
				ctAPI(2, "bedrock.amazonaws.com", "DeleteModelGuardrail", `"requestParameters":{"guardrailIdentifier":"gr3x9k2m1p7q"},"responseElements":null`),
			},
			benign: []string{
				ctAPI(3, "bedrock.amazonaws.com", "UpdateGuardrail", `"requestParameters":{"guardrailIdentifier":"gr3x9k2m1p7q","name":"support-bot"},"responseElements":null`),
				ctAPI(4, "bedrock.amazonaws.com", "CreateGuardrailVersion", `"requestParameters":{"guardrailIdentifier":"gr3x9k2m1p7q"},"responseElements":null`),
				ctDenied(ctAPI(5, "bedrock.amazonaws.com", "DeleteGuardrail", `"requestParameters":{"guardrailIdentifier":"gr3x9k2m1p7q"},"responseElements":null`)),
			},
		},
		{
			title: "AWS EC2 User Data Enumeration Across Instances", level: LevelMedium,
			sequence:       userData,
			benign:         []string{userData[0]},
			benignSequence: userDataOne,
		},
		{
			title: "AWS SES Enumeration", level: LevelMedium,
			sequence:       ses,
			benign:         []string{ses[1]},
			benignSequence: sesApp,
		},
		{
			title: "AWS SageMaker Notebook Lifecycle Configuration Changed", level: LevelMedium,
			attack: []string{
				ctAPI(1, "sagemaker.amazonaws.com", "UpdateNotebookInstance", `"requestParameters":{"notebookInstanceName":"ml-research","lifecycleConfigName":"stratus-lifecycle"},"responseElements":null`),
				ctAPI(2, "sagemaker.amazonaws.com", "CreateNotebookInstanceLifecycleConfig", `"requestParameters":{"notebookInstanceLifecycleConfigName":"stratus-lifecycle","onStart":[{"content":"HIDDEN_DUE_TO_SECURITY_REASONS"}]},"responseElements":{"notebookInstanceLifecycleConfigArn":"arn:aws:sagemaker:us-east-1:111122223333:notebook-instance-lifecycle-config/stratus-lifecycle"}`),
			},
			benign: []string{
				ctAPI(3, "sagemaker.amazonaws.com", "UpdateNotebookInstance", `"requestParameters":{"notebookInstanceName":"ml-research","instanceType":"ml.t3.large"},"responseElements":null`),
				ctAPI(4, "sagemaker.amazonaws.com", "StopNotebookInstance", `"requestParameters":{"notebookInstanceName":"ml-research"},"responseElements":null`),
			},
		},
		{
			title: "AWS EC2 AMI Deregistered", level: LevelLow,
			attack: []string{ctAPI(1, "ec2.amazonaws.com", "DeregisterImage", `"requestParameters":{"imageId":"ami-0b87ea1d007078d18","deleteAssociatedSnapshots":false},"responseElements":{"_return":true}`)},
			benign: []string{
				// AWS Backup and Data Lifecycle Manager retiring their AMIs.
				ctByService(ctAPI(2, "ec2.amazonaws.com", "DeregisterImage", `"requestParameters":{"imageId":"ami-0c1d2e3f4a5b6c7d8"},"responseElements":{"_return":true}`)),
				strings.Replace(ctAPI(3, "ec2.amazonaws.com", "DeregisterImage", `"requestParameters":{"imageId":"ami-0c1d2e3f4a5b6c7d9"},"responseElements":{"_return":true}`),
					`"arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PowerUser_4c1b/mallory"`, `"arn":"arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForEC2DataLifecycleManager/DataLifecycleManager"`, 1),
				ctDenied(ctAPI(4, "ec2.amazonaws.com", "DeregisterImage", `"requestParameters":{"imageId":"ami-0b87ea1d007078d18"},"responseElements":null`)),
			},
		},
		{
			title: "AWS EC2 Key Pair Created", level: LevelLow,
			attack: []string{ctAPI(1, "ec2.amazonaws.com", "CreateKeyPair", `"requestParameters":{"keyName":"xg1","keyType":"rsa","keyFormat":"pem"},"responseElements":{"keyName":"xg1","keyFingerprint":"1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca:9f:f5:f1:6f","keyPairId":"key-0a1b2c3d4e5f60718"}`)},
			benign: []string{
				ctRO(ctAPI(2, "ec2.amazonaws.com", "DescribeKeyPairs", `"requestParameters":{"keySet":{"items":[{"keyName":"xg1"}]}},"responseElements":null`)),
				ctRO(ctAPI(3, "ec2.amazonaws.com", "DescribeInstances", `"requestParameters":{"instancesSet":{},"filterSet":{"items":[{"name":"key-name","valueSet":{"items":[{"value":"xg1"}]}}]}},"responseElements":null`)),
			},
		},
		{
			title: "AWS Bedrock Model Enumeration Across Regions", level: LevelMedium,
			sequence:       bedrockProbe,
			benign:         []string{bedrockProbe[0]},
			benignSequence: bedrockApp,
		},
		{
			title: "AWS Mass Secret Retrieval", level: LevelHigh,
			sequence:       secretReads,
			benign:         []string{secretReads[0]},
			benignSequence: terraformReads,
		},
		{
			title: "AWS SSM Parameters Decrypted In Bulk", level: LevelHigh,
			sequence:       params,
			benign:         []string{params[0]},
			benignSequence: terraformParams,
		},
		{
			title: "GCP Cloud DNS Logging Policy Deleted Or Disabled", level: LevelMedium,
			attack: []string{
				gcpEvent(1, "dns.googleapis.com", "dns.policies.delete", "projects/acme-prod-4821/policies/dns-query-logging", `"request":{"@type":"type.googleapis.com/cloud.dns.api.PoliciesDeleteRequest","project":"acme-prod-4821","policy":"dns-query-logging"}`),
				gcpEvent(2, "dns.googleapis.com", "dns.policies.patch", "projects/acme-prod-4821/policies/dns-query-logging", `"request":{"@type":"type.googleapis.com/cloud.dns.api.PoliciesPatchRequest","project":"acme-prod-4821","policy":{"name":"dns-query-logging","enableLogging":false}}`),
			},
			benign: []string{
				gcpEvent(3, "dns.googleapis.com", "dns.policies.patch", "projects/acme-prod-4821/policies/dns-query-logging", `"request":{"@type":"type.googleapis.com/cloud.dns.api.PoliciesPatchRequest","project":"acme-prod-4821","policy":{"name":"dns-query-logging","enableLogging":true}}`),
				gcpEvent(4, "dns.googleapis.com", "dns.policies.create", "projects/acme-prod-4821/policies/dns-query-logging", `"request":{"@type":"type.googleapis.com/cloud.dns.api.PoliciesCreateRequest","project":"acme-prod-4821","policy":{"name":"dns-query-logging","enableLogging":true}}`),
				gcpFailed(gcpEvent(5, "dns.googleapis.com", "dns.policies.delete", "projects/acme-prod-4821/policies/dns-query-logging", "")),
			},
		},
		{
			title: "GCP Project Ownership Invitation Sent", level: LevelHigh,
			attack: []string{gcpEvent(1, "cloudresourcemanager.googleapis.com", "InsertProjectOwnershipInvite", "projects/acme-prod-4821",
				`"request":{"member":"user:attacker@gmail.com","projectId":"acme-prod-4821","@type":"type.googleapis.com/google.internal.cloud.resourcemanager.InsertProjectOwnershipInviteRequest"},"response":{"@type":"type.googleapis.com/google.internal.cloud.resourcemanager.InsertProjectOwnershipInviteResponse"}`)},
			benign: []string{
				gcpIAM(2, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", "["+delta("ADD", "roles/viewer", "user:dev@acme.example")+"]"),
				gcpFailed(gcpEvent(3, "cloudresourcemanager.googleapis.com", "InsertProjectOwnershipInvite", "projects/acme-prod-4821", `"request":{"member":"user:attacker@gmail.com","projectId":"acme-prod-4821"}`)),
			},
		},
		{
			title: "GCP Role Granted To A Consumer Google Account", level: LevelHigh,
			attack: []string{
				gcpIAM(1, "storage.googleapis.com", "storage.setIamPermissions", "projects/_/buckets/acme-exports", gmailDelta("ADD", "roles/storage.objectAdmin")),
				gcpIAM(2, "iam.googleapis.com", "google.iam.admin.v1.SetIAMPolicy", "projects/-/serviceAccounts/104532771928358213841", gmailDelta("ADD", "roles/iam.serviceAccountTokenCreator")),
				gcpIAM(3, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", gmailDelta("ADD", "roles/viewer")),
			},
			benign: []string{
				gcpIAM(4, "storage.googleapis.com", "storage.setIamPermissions", "projects/_/buckets/acme-exports", gmailDelta("REMOVE", "roles/storage.objectAdmin")),
				gcpIAM(5, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821",
					"["+delta("ADD", "roles/viewer", "user:dev@acme.example")+","+delta("REMOVE", "roles/viewer", stratusGmail)+"]"),
				gcpIAM(6, "iam.googleapis.com", "google.iam.admin.v1.SetIAMPolicy", "projects/-/serviceAccounts/104532771928358213841", "["+delta("ADD", "roles/iam.serviceAccountUser", "group:platform@acme.example")+"]"),
			},
		},
		{
			title: "GCP Windows Account Password Reset Through Instance Metadata", level: LevelMedium,
			attack: []string{
				gcpEvent(1, "compute.googleapis.com", "v1.compute.instances.setMetadata", "projects/acme-prod-4821/zones/us-central1-a/instances/win-dc-1", `"metadata":{"@type":"type.googleapis.com/google.cloud.audit.GceInstanceAuditMetadata","instanceMetadataDelta":{"addedMetadataKeys":["windows-keys"]}}`),
				gcpEvent(2, "compute.googleapis.com", "v1.compute.instances.setMetadata", "projects/acme-prod-4821/zones/us-central1-a/instances/win-dc-1", `"metadata":{"instanceMetadataDelta":{"modifiedMetadataKeys":["windows-keys"]}}`),
			},
			benign: []string{
				gcpEvent(3, "compute.googleapis.com", "v1.compute.instances.setMetadata", "projects/acme-prod-4821/zones/us-central1-a/instances/win-dc-1", `"metadata":{"instanceMetadataDelta":{"addedMetadataKeys":["enable-oslogin"]}}`),
				gcpEvent(4, "compute.googleapis.com", "v1.compute.instances.setMetadata", "projects/acme-prod-4821/zones/us-central1-a/instances/win-dc-1", `"metadata":{"instanceMetadataDelta":{"deletedMetadataKeys":["windows-keys"]}}`),
			},
		},
		{
			title: "GCP Secret Manager Secrets Read In Bulk", level: LevelHigh,
			sequence:       secretsBulk,
			benign:         []string{secretsBulk[0]},
			benignSequence: secretOne,
		},
		{
			title: "GCP Permission Enumeration By A Service Account", level: LevelMedium,
			sequence:       testPerms,
			benign:         []string{testPerms[0]},
			benignSequence: consoleTests,
		},
		{
			title: "GCP Instances Created In Many Zones", level: LevelMedium,
			sequence:       zones[:5],
			benign:         []string{zones[0]},
			benignSequence: append(migZones, twoZones...),
		},
		{
			title: "GCP Storage Mass Object Deletion", level: LevelMedium,
			sequence:       wipe,
			benign:         []string{wipe[0]},
			benignSequence: fewDeletes,
		},
		{
			title: "GCP Vertex AI Workbench Startup Script Changed", level: LevelMedium,
			attack: []string{gcpEvent(1, "notebooks.googleapis.com", "google.cloud.notebooks.v2.NotebookService.UpdateInstance", "projects/acme-prod-4821/locations/us-central1-a/instances/research-nb",
				`"request":{"@type":"type.googleapis.com/google.cloud.notebooks.v2.UpdateInstanceRequest","instance":{"gceSetup":{"metadata":{"post-startup-script":"gs://evil-attacker-acme-prod-4821-x7k2/malicious.sh"}}},"updateMask":"gce_setup.metadata"}`)},
			benign: []string{gcpEvent(2, "notebooks.googleapis.com", "google.cloud.notebooks.v2.NotebookService.UpdateInstance", "projects/acme-prod-4821/locations/us-central1-a/instances/research-nb",
				`"request":{"@type":"type.googleapis.com/google.cloud.notebooks.v2.UpdateInstanceRequest","instance":{"gceSetup":{"machineType":"e2-standard-4"}},"updateMask":"gce_setup.machine_type"}`)},
		},
		{
			title: "GCP OS Config Policy Assignment Or Patch Job Created", level: LevelMedium,
			attack: []string{gcpEvent(1, "osconfig.googleapis.com", "google.cloud.osconfig.v1.OsConfigZonalService.CreateOSPolicyAssignment", "projects/acme-prod-4821/locations/us-central1-a/osPolicyAssignments/stratus-exec",
				`"request":{"@type":"type.googleapis.com/google.cloud.osconfig.v1.CreateOSPolicyAssignmentRequest","osPolicyAssignmentId":"stratus-exec"}`)},
			benign: []string{gcpEvent(2, "osconfig.googleapis.com", "google.cloud.osconfig.v1.OsConfigZonalService.ListOSPolicyAssignments", "projects/acme-prod-4821/locations/us-central1-a", "")},
		},
		{
			title: "GCP Cloud Function Or Cloud Run Service Made Publicly Invocable", level: LevelLow,
			attack: []string{
				gcpIAM(1, "cloudfunctions.googleapis.com", "google.cloud.functions.v2.FunctionService.SetIamPolicy", "projects/acme-prod-4821/locations/us-central1/functions/hello",
					"["+delta("ADD", "roles/cloudfunctions.invoker", "allUsers")+"]"),
				gcpIAM(2, "run.googleapis.com", "google.cloud.run.v2.Services.SetIamPolicy", "projects/acme-prod-4821/locations/us-central1/services/hello",
					"["+delta("ADD", "roles/run.invoker", "allUsers")+"]"),
			},
			benign: []string{
				gcpIAM(3, "run.googleapis.com", "google.cloud.run.v2.Services.SetIamPolicy", "projects/acme-prod-4821/locations/us-central1/services/hello",
					"["+delta("REMOVE", "roles/run.invoker", "allUsers")+"]"),
				gcpIAM(4, "run.googleapis.com", "google.cloud.run.v2.Services.SetIamPolicy", "projects/acme-prod-4821/locations/us-central1/services/hello",
					"["+delta("ADD", "roles/run.invoker", "serviceAccount:scheduler@acme-prod-4821.iam.gserviceaccount.com")+"]"),
			},
		},
		{
			title: "Azure Storage Encryption Scope Created Or Changed", level: LevelMedium,
			attack: []string{azureOp("MICROSOFT.STORAGE/STORAGEACCOUNTS/ENCRYPTIONSCOPES/WRITE", "Success")},
			benign: []string{
				azureOp("MICROSOFT.STORAGE/STORAGEACCOUNTS/ENCRYPTIONSCOPES/READ", "Success"),
				azureOp("MICROSOFT.STORAGE/STORAGEACCOUNTS/ENCRYPTIONSCOPES/WRITE", "Failure"),
			},
		},
		{
			title: "Azure AI Services Account Keys Listed Or Local Authentication Enabled", level: LevelMedium,
			attack: []string{
				azureOp("MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION", "Success"),
				azureBody("MICROSOFT.COGNITIVESERVICES/ACCOUNTS/WRITE", "Start", "requestbody", `{"location":"eastus","kind":"AIServices","properties":{"disableLocalAuth":false}}`),
			},
			benign: []string{
				azureBody("MICROSOFT.COGNITIVESERVICES/ACCOUNTS/WRITE", "Start", "requestbody", `{"location":"eastus","kind":"AIServices","properties":{"disableLocalAuth":true}}`),
				// Event Grid listing an Event Hubs namespace's keys (the
				// Elastic sample's record).
				azureOp("MICROSOFT.EVENTHUB/NAMESPACES/AUTHORIZATIONRULES/LISTKEYS/ACTION", "Start"),
				azureOp("MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION", "Failure"),
			},
		},
		{
			title: "Entra ID Administrative Unit Created Or Member Added", level: LevelMedium,
			attack: []string{
				entraOp("Add administrative unit", "success"),
				entraOp("Add member to restricted management administrative unit", "success"),
				entraOp("Add member to administrative unit", "success"),
			},
			benign: []string{
				entraOp("Remove member from administrative unit", "success"),
				entraOp("Add member to restricted management administrative unit", "failure"),
			},
		},
		{
			// The scoped role assignment of the hidden administrative unit
			// technique.
			title: "Entra ID Member Added To A Directory Role", level: LevelMedium,
			attack: []string{entraOp("Add scoped member to role", "success")},
			benign: []string{entraOp("Remove scoped member from role", "success")},
		},
		{
			title: "Entra ID Federated Identity Credential Added To An Application", level: LevelHigh,
			attack: []string{entraAppUpdate("FederatedIdentityCredentials")},
			benign: []string{entraAppUpdate("DisplayName"), entraAppUpdate("RequiredResourceAccess")},
		},
		{
			// The activity name as the audit log writes it, trailing space
			// included.
			title: "Entra ID Service Principal Or Application Credentials Added", level: LevelMedium,
			attack: []string{entraOp("Update application – Certificates and secrets management ", "success")},
			benign: []string{entraOp("Update application", "success")},
		},
		{
			title: "M365 Password Spray From One Address", level: LevelHigh,
			sequence:       spray,
			benign:         []string{spray[0]},
			benignSequence: sprayFew,
		},
		{
			title: "M365 Brute Force Against One Account", level: LevelMedium,
			sequence:       guess,
			benign:         []string{guess[0]},
			benignSequence: guessFew,
		},
		{
			title: "M365 Consent Granted To An Application", level: LevelMedium,
			attack: []string{m365AAD(1, "Consent to application.", "Success"), m365AAD(2, "Consent to application", "Success")},
			benign: []string{m365AAD(3, "Remove delegated permission grant.", "Success")},
		},
		{
			title: "M365 Application Or Service Principal Credentials Added", level: LevelMedium,
			attack: []string{m365AAD(1, "Add service principal credentials.", "Success"), m365AAD(2, "Update application – Certificates and secrets management ", "Success")},
			benign: []string{m365AAD(3, "Remove service principal credentials.", "Success"), m365AAD(4, "Update application.", "Success")},
		},
		{
			title: "M365 Member Added To A Directory Role", level: LevelMedium,
			attack: []string{m365AAD(1, "Add member to role.", "Success"), m365AAD(2, "Add scoped member to role.", "Success")},
			benign: []string{m365AAD(3, "Remove member from role.", "Success")},
		},
		{
			title: "M365 Domain Federation Settings Changed", level: LevelHigh,
			attack: []string{m365AAD(1, "Set federation settings on domain.", "Success"), m365AAD(2, "Set domain authentication.", "Success")},
			benign: []string{m365AAD(3, "Verify domain.", "Success"), m365AAD(4, "Add domain to company.", "Success")},
		},
		{
			title: "Azure VM Extension Installed", level: LevelLow,
			attack: []string{azureOp("MICROSOFT.COMPUTE/VIRTUALMACHINES/EXTENSIONS/WRITE", "Success")},
			// Azure Policy installing the monitoring agent (DeployIfNotExists).
			benign: []string{byPolicyIdentity(azureOp("MICROSOFT.COMPUTE/VIRTUALMACHINES/EXTENSIONS/WRITE", "Success"))},
		},
		{
			title: "Azure Diagnostic Setting Changed", level: LevelLow,
			attack: []string{azureOp("MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/WRITE", "Success")},
			// Azure Policy deploying diagnostic settings to new resources.
			benign: []string{byPolicyIdentity(azureOp("MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/WRITE", "Success"))},
		},
	}
}

// TestRecallPack: every rule of vigil_pack_recall.yml has a case and every
// recall case holds (checkAccCase).
func TestRecallPack(t *testing.T) {
	checkPackFile(t, "vigil_pack_recall.yml", recallCases(), 36)
}

// TestDefaultTuningGCPServiceAgents: firewall rules and snapshots that
// Google's service agents make for the project (GKE, the Compute Engine
// agent, Cloud Run) raise no alert with the default tuning, though the
// rules match them; the same change made by a person still alerts.
func TestDefaultTuningGCPServiceAgents(t *testing.T) {
	const title = "GCP Firewall Rule Created, Modified Or Deleted"
	fw := gcpEvent(1, "compute.googleapis.com", "v1.compute.firewalls.insert", "projects/acme-prod-4821/global/firewalls/k8s-fw-a1b2c3", `"request":{"@type":"type.googleapis.com/compute.firewalls.insert","name":"k8s-fw-a1b2c3"}`)
	for _, agent := range []string{
		"service-123456789012@container-engine-robot.iam.gserviceaccount.com",
		"service-123456789012@compute-system.iam.gserviceaccount.com",
		"service-123456789012@serverless-robot-prod.iam.gserviceaccount.com",
		"service-123456789012@gcp-sa-vpcaccess.iam.gserviceaccount.com",
		"service-123456789012@gs-project-accounts.iam.gserviceaccount.com",
		"service-org-998877665544@security-center-api.iam.gserviceaccount.com",
		"service-123456789012@container-analysis.iam.gserviceaccount.com",
		"service-123456789012@dlp-api.iam.gserviceaccount.com",
		"bq-123456789012@bigquery-encryption.iam.gserviceaccount.com",
	} {
		ev := gcpAs(fw, agent, "")
		if n := len(alertsOf(runWithTuning(t, NoTuning(), []string{ev}), title)); n != 1 {
			t.Fatalf("%s: %d alerts without tuning, want 1 (the rule matches)", agent, n)
		}
		if n := len(alertsOf(runWithTuning(t, DefaultTuning(), []string{ev}), title)); n != 0 {
			t.Errorf("%s: %d alerts with the default tuning, want 0", agent, n)
		}
	}
	// A user-managed service account named like an agent is not one.
	// Nor are the accounts that run the project's own code (default
	// compute, App Engine, legacy Cloud Build).
	for _, who := range []string{"ops@acme.example", "service-ops@acme-prod-4821.iam.gserviceaccount.com",
		"123456789012-compute@developer.gserviceaccount.com", "acme-prod-4821@appspot.gserviceaccount.com", "123456789012@cloudbuild.gserviceaccount.com"} {
		if n := len(alertsOf(runWithTuning(t, DefaultTuning(), []string{gcpAs(fw, who, "")}), title)); n != 1 {
			t.Errorf("%s: %d alerts with the default tuning, want 1", who, n)
		}
	}
}
