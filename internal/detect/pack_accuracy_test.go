package detect

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

// Accuracy cases: events written from the documented shapes that the
// built-ins missed (a second API or request form for the same action, a
// log source's own spelling) or alerted on though benign, each asserted
// event by event.

// flowLogs is a subnetworks.patch request turning VPC flow logs on or off.
func flowLogs(enable bool) string {
	return fmt.Sprintf(`"request":{"@type":"type.googleapis.com/compute.subnetworks.patch","logConfig":{"enable":%t},"fingerprint":"x4Vd3v0S2Ck="}`, enable)
}

// PutEventSelectors requests: management events off and data events only
// (the Stratus Red Team technique), and a trail set up to log everything.
const (
	selectorsNarrowed = `"requestParameters":{"trailName":"org-trail","eventSelectors":[{"readWriteType":"ReadOnly","includeManagementEvents":false,"dataResources":[{"type":"AWS::S3::Object","values":[]}],"excludeManagementEventSources":[]}]}`
	selectorsAll      = `"requestParameters":{"trailName":"org-trail","eventSelectors":[{"readWriteType":"All","includeManagementEvents":true,"dataResources":[],"excludeManagementEventSources":[]}]}`
)

// sgIngress is an AuthorizeSecurityGroupIngress event with request rp.
func sgIngress(min int, rp string) string {
	return ctAPI(min, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", `"requestParameters":{"groupId":"sg-0123456789abcdef0",`+rp+`}`)
}

// sgPerm is the ipPermissions form of one ingress permission.
func sgPerm(proto string, from, to int, ranges string) string {
	return fmt.Sprintf(`"ipPermissions":{"items":[{"ipProtocol":%q,"fromPort":%d,"toPort":%d,"groups":{},%s,"prefixListIds":{}}]}`, proto, from, to, ranges)
}

// sgModify is a ModifySecurityGroupRules event editing one rule to rule.
func sgModify(min int, rule string) string {
	return ctAPI(min, "ec2.amazonaws.com", "ModifySecurityGroupRules", `"requestParameters":{"ModifySecurityGroupRulesRequest":{"GroupId":"sg-0123456789abcdef0","SecurityGroupRule":{"tag":1,"SecurityGroupRuleId":"sgr-0a1b2c3d4e5f60718","SecurityGroupRule":`+rule+`}}}`)
}

// pab is a PutPublicAccessBlock request with the four settings.
func pab(min int, name string, acls, ignore, policy, restrict bool) string {
	return ctAPI(min, "s3.amazonaws.com", name, fmt.Sprintf(`"requestParameters":{"publicAccessBlock":"","bucketName":"acme-exports","PublicAccessBlockConfiguration":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/","BlockPublicAcls":%t,"IgnorePublicAcls":%t,"BlockPublicPolicy":%t,"RestrictPublicBuckets":%t},"Host":"acme-exports.s3.amazonaws.com"}`, acls, ignore, policy, restrict))
}

// gcpIAM is a SetIamPolicy audit entry (method) on resource whose policy
// delta holds deltas (a JSON array of bindingDeltas).
func gcpIAM(min int, service, method, resource, deltas string) string {
	return gcpEvent(min, service, method, resource,
		`"serviceData":{"@type":"type.googleapis.com/google.iam.v1.logging.AuditData","policyDelta":{"bindingDeltas":`+deltas+`}}`)
}

// delta is one binding delta.
func delta(action, role, member string) string {
	return fmt.Sprintf(`{"action":%q,"role":%q,"member":%q}`, action, role, member)
}

// risky rates a signIn record's risk during sign-in and sets its risk state.
func risky(ev, level, state string) string {
	return strings.Replace(ev, `"isInteractive":true`, fmt.Sprintf(`"isInteractive":true,"riskLevelDuringSignIn":%q,"riskLevelAggregated":"none","riskState":%q,"riskEventTypes_v2":["anonymizedIPAddress"]`, level, state), 1)
}

// graphSignIn is a sign-in record with the Microsoft Graph signIn
// resource's fields at the top level (no properties wrapper), as SIEM
// forwarders flatten them, keeping category and time so that the reader
// recognises it (a bare Graph object is not recognised yet: an engine
// matter).
func graphSignIn(level, state string, errorCode int) string {
	return fmt.Sprintf(`{"id":"66ea54eb-6301-4ee5-be62-ff5a759b0100","createdDateTime":"2024-03-14T09:41:30Z","userDisplayName":"CFO","userPrincipalName":"cfo@contoso.example","userId":"d7e2a1b0-1c2d-4e3f-8a9b-0c1d2e3f4a5b","appId":"4765445b-32c6-49b0-83e6-1d93765276ca","appDisplayName":"OfficeHome","ipAddress":"185.220.101.4","clientAppUsed":"Browser","isInteractive":true,"riskLevelDuringSignIn":%q,"riskLevelAggregated":"none","riskState":%q,"status":{"errorCode":%d,"failureReason":"Other."},"location":{"city":"Frankfurt","countryOrRegion":"DE"},"category":"SignInLogs","operationName":"Sign-in activity","time":"2024-03-14T09:41:30Z"}`,
		level, state, errorCode)
}

// m365AAD is a unified audit log record of the Azure AD workload.
func m365AAD(min int, op, result string) string {
	return fmt.Sprintf(`{"CreationTime":"2024-03-14T09:%02d:40","Id":"1f2e3d4c-5b6a-4798-8a9b-%012d","Operation":%q,"OrganizationId":"4b2d7c1e-9f3a-4e8b-a6d5-0c1f2e3d4a5b","RecordType":8,"ResultStatus":%q,"UserKey":"10032002F5E6D7C8@contoso.example","UserType":0,"Version":1,"Workload":"AzureActiveDirectory","ClientIP":"203.0.113.45","ObjectId":"cfo@contoso.example","UserId":"mallory@contoso.example","AzureActiveDirectoryEventType":1,"Actor":[{"ID":"mallory@contoso.example","Type":5}],"Target":[{"ID":"User_d7e2a1b0-1c2d-4e3f-8a9b-0c1d2e3f4a5b","Type":2},{"ID":"cfo@contoso.example","Type":5}]}`,
		min%60, min, op, result)
}

// instanceRole is the userIdentity of an EC2 instance profile session
// (named after the instance, credentials from the metadata service).
const instanceRole = `{"type":"AssumedRole","principalId":"AROA3EXAMPLEINSTRL:i-0dbc91f429e48eeed","arn":"arn:aws:sts::111122223333:assumed-role/app-instance-role/i-0dbc91f429e48eeed","accountId":"111122223333","accessKeyId":"ASIA3EXAMPLEINST001","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA3EXAMPLEINSTRL","arn":"arn:aws:iam::111122223333:role/app-instance-role","accountId":"111122223333","userName":"app-instance-role"},"attributes":{"creationDate":"2024-03-14T08:55:22Z","mfaAuthenticated":"false"},"ec2RoleDelivery":"2.0"}}`

// invokedBy makes a ctAPI event one that service made on the identity's
// behalf (userIdentity.invokedBy).
func invokedBy(ev, service string) string {
	return strings.Replace(ev, `"accessKeyId":"ASIA3EXAMPLEKEY0001",`, `"accessKeyId":"ASIA3EXAMPLEKEY0001","invokedBy":"`+service+`",`, 1)
}

// azureRoleAssignSucceeded is the Success record of a role assignment
// write, which carries the response body (not the request body).
func azureRoleAssignSucceeded(scope, roleID string) string {
	return strings.Replace(azureRoleAssign(scope, roleID, "Success"), `"requestbody":`, `"responseBody":`, 1)
}

// azureBody is an Activity Log record of op with result whose properties
// carry body (JSON text) under key: "requestbody" on Start records,
// "responseBody" on Success records.
func azureBody(op, result, key, body string) string {
	q, _ := json.Marshal(body)
	return strings.Replace(azureOp(op, result), `"properties":{"statusCode":"OK",`, `"properties":{"statusCode":"OK","`+key+`":`+string(q)+`,`, 1)
}

// nsgRule is the body of a securityRules/write.
func nsgRule(source, port, access string) string {
	return fmt.Sprintf(`{"properties":{"protocol":"Tcp","sourcePortRange":"*","destinationPortRange":%q,"sourceAddressPrefix":%q,"destinationAddressPrefix":"*","access":%q,"priority":100,"direction":"Inbound"}}`, port, source, access)
}

// entraUserUpdate is an "Update user" audit record whose target has
// UserType changed from old to new.
func entraUserUpdate(old, new string) string {
	mod := fmt.Sprintf(`"modifiedProperties":[{"displayName":"UserType","oldValue":"[\"%s\"]","newValue":"[\"%s\"]"},{"displayName":"Included Updated Properties","oldValue":null,"newValue":"\"UserType\""}]`, old, new)
	ev := strings.Replace(entraOp("Update user", "success"), `"displayName":"payroll-sync","type":"ServicePrincipal"`, `"displayName":null,"type":"User","userPrincipalName":"partner_fabrikam.example#EXT#@contoso.onmicrosoft.com",`+mod, 1)
	return strings.Replace(ev, `"category":"ApplicationManagement"`, `"category":"UserManagement"`, 1)
}

// accCase is one accuracy scenario: each attack event alone raises the
// rule's alert at level (default tuning); the events of sequence together
// do too (correlations); no benign event alone, nor benignSequence
// together, raises it (no tuning).
type accCase struct {
	title                  string
	level                  Level
	attack, sequence       []string
	benign, benignSequence []string
}

func accuracyCases() []accCase {
	sg22 := sgPerm("tcp", 22, 22, `"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]},"ipv6Ranges":{}`)
	var brute, bruteOnly, fewThenSuccess []string
	for i := range 10 {
		ev := signIn(i, "cfo@contoso.example", fmt.Sprintf("198.51.100.%d", 10+i), 50126)
		brute = append(brute, ev)
		bruteOnly = append(bruteOnly, ev)
		if i < 9 {
			fewThenSuccess = append(fewThenSuccess, ev)
		}
	}
	success := signIn(25, "cfo@contoso.example", "198.51.100.77", 0)
	brute = append(brute, success)
	fewThenSuccess = append(fewThenSuccess, success)
	otherUser := append(append([]string{}, bruteOnly...), signIn(25, "ceo@contoso.example", "198.51.100.77", 0))
	succeeded := signIn(41, "cfo@contoso.example", "185.220.101.4", 0)
	var fatigue, interrupts, secrets, ecsSecrets, params, cfnParams []string
	for i := range 6 {
		fatigue = append(fatigue, signIn(i*2, "ceo@contoso.example", "203.0.113.99", 500121))
		// MFA required (the interrupt before each prompt) and expired
		// assertions (token refresh) are not denied prompts.
		interrupts = append(interrupts, signIn(i*2, "ceo@contoso.example", "203.0.113.99", 50074), signIn(i*2+1, "ceo@contoso.example", "203.0.113.99", 500133))
	}
	for i := range 20 {
		ev := ctAPI(20+i/4, "secretsmanager.amazonaws.com", "GetSecretValue", fmt.Sprintf(`"requestParameters":{"secretId":"prod/db/%02d"},"responseElements":null,"readOnly":true`, i))
		secrets = append(secrets, ev)
		// ECS fetching the secrets of 20 starting tasks.
		ecsSecrets = append(ecsSecrets, invokedBy(ev, "ecs-tasks.amazonaws.com"))
	}
	for i := range 6 {
		ev := ssmDecrypt(30+i, fmt.Sprintf("/prod/app/key%d", i))
		params = append(params, ev)
		// CloudFormation resolving {{resolve:ssm-secure:...}} references.
		cfnParams = append(cfnParams, invokedBy(ev, "cloudformation.amazonaws.com"))
	}
	var stolen, instanceAlone []string
	for i, ip := range []string{"3.225.16.109", "3.225.16.109", "192.0.2.200"} {
		ev := strings.Replace(ctRO(ctAPI(10+i, "ec2.amazonaws.com", "DescribeInstances", `"requestParameters":{"instancesSet":{},"filterSet":{}}`)), ctUserIdentity(), instanceRole, 1)
		ev = strings.Replace(ev, `"sourceIPAddress":"198.51.100.23"`, `"sourceIPAddress":"`+ip+`"`, 1)
		stolen = append(stolen, ev)
		if i < 2 {
			instanceAlone = append(instanceAlone, ev)
		}
	}
	// The same instance through an S3 gateway endpoint (private address)
	// and from AWS itself.
	viaEndpoint := strings.Replace(stolen[0], `"sourceIPAddress":"3.225.16.109"`, `"sourceIPAddress":"10.0.1.17","vpcEndpointId":"vpce-0a1b2c3d4e5f67890"`, 1)
	viaAWS := strings.Replace(stolen[0], `"sourceIPAddress":"3.225.16.109"`, `"sourceIPAddress":"AWS Internal"`, 1)
	// The second address's call refused (a failed attempt is at most low).
	refusedElsewhere := strings.Replace(stolen[2], "{", `{"errorCode":"Client.UnauthorizedOperation","errorMessage":"You are not authorized to perform this operation.",`, 1)
	instanceAlone = append(instanceAlone, viaEndpoint, viaAWS, refusedElsewhere)
	var wipe, fewDeletes []string
	for i := range 30 {
		ev := ctAPI(40+i/5, "s3.amazonaws.com", "DeleteObjects", fmt.Sprintf(`"requestParameters":{"bucketName":"acme-finance","delete":"","Host":"acme-finance.s3.us-east-1.amazonaws.com"},"additionalEventData":{"bytesTransferredIn":%d},"resources":[{"type":"AWS::S3::Object","ARNPrefix":"arn:aws:s3:::acme-finance/"}],"eventCategory":"Data"`, 1200+i))
		ev = strings.Replace(ev, `"managementEvent":true`, `"managementEvent":false`, 1)
		ev = strings.Replace(ev, `,"eventCategory":"Management"`, ``, 1)
		wipe = append(wipe, ev)
		if i < 29 {
			fewDeletes = append(fewDeletes, ev)
		}
	}
	var guesses, fewGuesses []string
	for i := range 10 {
		ev := consoleLogin(i, iamUser, "Failure", `"errorMessage":"Failed authentication"`)
		guesses = append(guesses, ev)
		if i < 9 {
			fewGuesses = append(fewGuesses, ev)
		}
	}
	fewGuesses = append(fewGuesses, consoleLogin(9, iamUser, "Success", ""))
	var recon, terraformRefresh []string
	for i, n := range ec2Reads {
		ev := ctRO(ctAPI(i%10, "ec2.amazonaws.com", n, `"requestParameters":{}`))
		recon = append(recon, ev)
		// terraform plan refreshing the state it manages.
		terraformRefresh = append(terraformRefresh, strings.Replace(ev, `"userAgent":"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64"`, `"userAgent":"APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.50.30 (go1.21.8; linux; amd64)"`, 1))
	}
	return []accCase{
		{
			title: "AWS Security Group Ingress From Any Address On An Admin Port", level: LevelHigh,
			attack: []string{
				// The flat form (CLI --protocol tcp --port 22 --cidr), as the
				// Stratus Red Team trail records it.
				sgIngress(1, `"ipPermissions":{},"ipProtocol":"tcp","fromPort":22,"toPort":22,"cidrIp":"0.0.0.0/0"`),
				sgIngress(2, sgPerm("tcp", 3389, 3389, `"ipRanges":{},"ipv6Ranges":{"items":[{"cidrIpv6":"::/0"}]}`)),
				sgIngress(3, sgPerm("tcp", 0, 65535, `"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]},"ipv6Ranges":{}`)),
				sgIngress(4, `"ipPermissions":{"items":[{"ipProtocol":"-1","groups":{},"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]},"ipv6Ranges":{},"prefixListIds":{}}]}`),
				sgModify(5, `{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIpv4":"0.0.0.0/0","Description":"temp"}`),
				sgModify(6, `{"IpProtocol":"-1","CidrIpv4":"0.0.0.0/0"}`),
			},
			benign: []string{
				sgIngress(7, `"ipPermissions":{},"ipProtocol":"tcp","fromPort":443,"toPort":443,"cidrIp":"0.0.0.0/0"`),
				sgIngress(8, `"ipPermissions":{},"ipProtocol":"tcp","fromPort":22,"toPort":22,"cidrIp":"10.20.0.0/16"`),
				sgIngress(9, sgPerm("tcp", 8000, 9000, `"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]},"ipv6Ranges":{}`)),
				sgIngress(10, sgPerm("icmp", -1, -1, `"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]},"ipv6Ranges":{}`)),
				sgModify(11, `{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIpv4":"10.0.0.0/8"}`),
				sgModify(12, `{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"CidrIpv4":"0.0.0.0/0"}`),
				ctDenied(sgIngress(13, sg22)),
			},
		},
		{
			title: "AWS GuardDuty Detector Deleted Or Suspended", level: LevelHigh,
			attack: []string{ctAPI(1, "guardduty.amazonaws.com", "UpdateDetector", `"requestParameters":{"detectorId":"12abc34d567e8fa901bc2d34e56789f0","enable":false}`)},
			benign: []string{
				ctAPI(2, "guardduty.amazonaws.com", "UpdateDetector", `"requestParameters":{"detectorId":"12abc34d567e8fa901bc2d34e56789f0","enable":true}`),
				ctAPI(3, "guardduty.amazonaws.com", "UpdateDetector", `"requestParameters":{"detectorId":"12abc34d567e8fa901bc2d34e56789f0","findingPublishingFrequency":"FIFTEEN_MINUTES"}`),
				ctDenied(ctAPI(4, "guardduty.amazonaws.com", "UpdateDetector", `"requestParameters":{"detectorId":"12abc34d567e8fa901bc2d34e56789f0","enable":false}`)),
			},
		},
		{
			title: "AWS RDS Instance Made Publicly Accessible", level: LevelHigh,
			attack: []string{
				ctAPI(1, "rds.amazonaws.com", "RestoreDBInstanceFromDBSnapshot", `"requestParameters":{"dBInstanceIdentifier":"restored","dBSnapshotIdentifier":"exfiltration","publiclyAccessible":true}`),
				ctAPI(2, "rds.amazonaws.com", "ModifyDBCluster", `"requestParameters":{"dBClusterIdentifier":"prod-aurora","publiclyAccessible":true,"applyImmediately":true}`),
			},
			benign: []string{
				ctAPI(3, "rds.amazonaws.com", "RestoreDBInstanceFromDBSnapshot", `"requestParameters":{"dBInstanceIdentifier":"restored","dBSnapshotIdentifier":"nightly","publiclyAccessible":false}`),
				ctDenied(ctAPI(4, "rds.amazonaws.com", "RestoreDBInstanceFromDBSnapshot", `"requestParameters":{"dBInstanceIdentifier":"restored","dBSnapshotIdentifier":"exfiltration","publiclyAccessible":true}`)),
			},
		},
		{
			title: "AWS IAM Identity Center Identity Source Or External IdP Changed", level: LevelHigh,
			attack: []string{ctAPI(1, "sso.amazonaws.com", "DisableExternalIdPConfigurationForDirectory", `"requestParameters":{"directoryId":"d-9067a1b2c3"}`)},
			benign: []string{ctRO(ctAPI(2, "sso.amazonaws.com", "DescribeDirectory", `"requestParameters":{"directoryId":"d-9067a1b2c3"}`))},
		},
		{
			title: "AWS CloudTrail Event Selectors Changed", level: LevelMedium,
			attack: []string{
				ctAPI(1, "cloudtrail.amazonaws.com", "PutEventSelectors", selectorsNarrowed),
				ctAPI(2, "cloudtrail.amazonaws.com", "PutEventSelectors", `"requestParameters":{"trailName":"org-trail","eventSelectors":[{"readWriteType":"All","includeManagementEvents":true,"dataResources":[],"excludeManagementEventSources":["kms.amazonaws.com","rdsdata.amazonaws.com"]}]}`),
				ctAPI(3, "cloudtrail.amazonaws.com", "PutInsightSelectors", `"requestParameters":{"trailName":"org-trail","insightSelectors":[]}`),
			},
			benign: []string{
				// The selectors a trail is created with (also in the Stratus set).
				ctAPI(4, "cloudtrail.amazonaws.com", "PutEventSelectors", selectorsAll),
				ctAPI(5, "cloudtrail.amazonaws.com", "PutInsightSelectors", `"requestParameters":{"trailName":"org-trail","insightSelectors":[{"insightType":"ApiCallRateInsight"}]}`),
			},
		},
		{
			title: "AWS S3 Object Lock Or Versioning Weakened", level: LevelLow,
			attack: []string{
				// The name CloudTrail writes (the corpus's trail has
				// GetBucketObjectLockConfiguration).
				ctAPI(1, "s3.amazonaws.com", "PutBucketObjectLockConfiguration", `"requestParameters":{"bucketName":"acme-backups","objectLock":"","ObjectLockConfiguration":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/","ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":1}}},"Host":"acme-backups.s3.amazonaws.com"}`),
				ctAPI(2, "s3.amazonaws.com", "PutBucketVersioning", `"requestParameters":{"bucketName":"acme-backups","versioning":"","VersioningConfiguration":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/","Status":"Suspended"},"Host":"acme-backups.s3.amazonaws.com"}`),
				ctAPI(3, "s3.amazonaws.com", "PutBucketVersioning", `"requestParameters":{"bucketName":"acme-backups","versioning":"","VersioningConfiguration":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/","Status":"Enabled","MfaDelete":"Disabled"},"Host":"acme-backups.s3.amazonaws.com"}`),
			},
			benign: []string{
				// Versioning turned on: the protection added, not removed.
				ctAPI(4, "s3.amazonaws.com", "PutBucketVersioning", `"requestParameters":{"bucketName":"acme-backups","versioning":"","VersioningConfiguration":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/","Status":"Enabled"},"Host":"acme-backups.s3.amazonaws.com"}`),
				ctRO(ctAPI(5, "s3.amazonaws.com", "GetBucketObjectLockConfiguration", `"requestParameters":{"bucketName":"acme-backups","object-lock":""}`)),
				ctDenied(ctAPI(6, "s3.amazonaws.com", "PutBucketVersioning", `"requestParameters":{"bucketName":"acme-backups","versioning":"","VersioningConfiguration":{"Status":"Suspended"}}`)),
			},
		},
		{
			title: "AWS S3 Account Or Bucket Public Access Block Removed", level: LevelHigh,
			attack: []string{
				pab(1, "PutPublicAccessBlock", false, false, false, false),
				pab(2, "PutPublicAccessBlock", true, true, false, true),
				pab(3, "PutAccountPublicAccessBlock", false, false, true, true),
				// The names CloudTrail writes for the bucket-level calls (the
				// corpus's trail has GetBucketPublicAccessBlock): the console
				// switching "Block all public access" off, the CLI's delete.
				pab(7, "PutBucketPublicAccessBlock", false, false, false, false),
				pab(8, "PutBucketPublicAccessBlock", true, true, false, true),
				ctAPI(9, "s3.amazonaws.com", "DeleteBucketPublicAccessBlock", `"requestParameters":{"bucketName":"acme-exports","publicAccessBlock":"","Host":"acme-exports.s3.amazonaws.com"}`),
			},
			benign: []string{
				pab(4, "PutPublicAccessBlock", true, true, true, true),
				pab(10, "PutBucketPublicAccessBlock", true, true, true, true),
				ctDenied(pab(11, "PutBucketPublicAccessBlock", false, false, false, false)),
				ctRO(ctAPI(12, "s3.amazonaws.com", "GetBucketPublicAccessBlock", `"requestParameters":{"bucketName":"acme-exports","publicAccessBlock":""}`)),
				// Only new ACLs blocked off, existing ones still ignored.
				pab(5, "PutPublicAccessBlock", false, true, true, true),
				ctDenied(pab(6, "PutPublicAccessBlock", false, false, false, false)),
			},
		},
		{
			title: "AWS Inline Policy Grants Full Administrator Access", level: LevelHigh,
			attack: []string{
				ctAPI(1, "iam.amazonaws.com", "PutUserPolicy", `"requestParameters":{"userName":"malicious-iam-user","policyName":"x",`+adminDoc+`}`),
				ctAPI(2, "iam.amazonaws.com", "PutRolePolicy", `"requestParameters":{"roleName":"app-role","policyName":"x","policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"*\"],\"Resource\":\"*\"}]}"}`),
			},
			benign: []string{
				ctAPI(3, "iam.amazonaws.com", "PutRolePolicy", `"requestParameters":{"roleName":"app-role","policyName":"x",`+readOnlyDoc+`}`),
				ctAPI(4, "iam.amazonaws.com", "PutRolePolicy", `"requestParameters":{"roleName":"app-role","policyName":"x","policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"}`),
				ctDenied(ctAPI(5, "iam.amazonaws.com", "PutUserPolicy", `"requestParameters":{"userName":"malicious-iam-user","policyName":"x",`+adminDoc+`}`)),
			},
		},
		{
			title: "AWS CloudTrail Trail Narrowed Or Lake Ingestion Stopped", level: LevelHigh,
			attack: []string{
				ctAPI(1, "cloudtrail.amazonaws.com", "UpdateTrail", `"requestParameters":{"name":"org-trail","isMultiRegionTrail":false}`),
				ctAPI(2, "cloudtrail.amazonaws.com", "UpdateTrail", `"requestParameters":{"name":"org-trail","includeGlobalServiceEvents":false}`),
				ctAPI(3, "cloudtrail.amazonaws.com", "StopEventDataStoreIngestion", `"requestParameters":{"eventDataStore":"arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE"}`),
			},
			benign: []string{
				ctAPI(4, "cloudtrail.amazonaws.com", "UpdateTrail", `"requestParameters":{"name":"org-trail","isMultiRegionTrail":true,"includeGlobalServiceEvents":true}`),
				ctAPI(5, "cloudtrail.amazonaws.com", "StartEventDataStoreIngestion", `"requestParameters":{"eventDataStore":"arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE"}`),
				ctDenied(ctAPI(6, "cloudtrail.amazonaws.com", "DeleteEventDataStore", `"requestParameters":{"eventDataStore":"EXAMPLE"}`)),
			},
		},
		{
			title: "AWS KMS Key Material Imported Or Deleted", level: LevelMedium,
			attack: []string{ctAPI(1, "kms.amazonaws.com", "ImportKeyMaterial", `"requestParameters":{"keyId":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","expirationModel":"KEY_MATERIAL_DOES_NOT_EXPIRE"}`)},
			benign: []string{ctRO(ctAPI(2, "kms.amazonaws.com", "GetParametersForImport", `"requestParameters":{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab","wrappingAlgorithm":"RSAES_OAEP_SHA_256","wrappingKeySpec":"RSA_2048"}`))},
		},
		{
			title: "AWS Lambda Function Invocable By Anyone", level: LevelMedium,
			// As the Stratus Red Team trail records it.
			attack: []string{ctAPI(1, "lambda.amazonaws.com", "AddPermission20150331v2", `"requestParameters":{"functionName":"billing-export","statementId":"backdoor","action":"lambda:InvokeFunction","principal":"*"}`)},
			benign: []string{
				ctAPI(2, "lambda.amazonaws.com", "AddPermission20150331v2", `"requestParameters":{"functionName":"billing-export","statementId":"s3","action":"lambda:InvokeFunction","principal":"s3.amazonaws.com","sourceArn":"arn:aws:s3:::acme-uploads","sourceAccount":"111122223333"}`),
				ctAPI(3, "lambda.amazonaws.com", "AddPermission20150331v2", `"requestParameters":{"functionName":"billing-export","statementId":"org","action":"lambda:InvokeFunction","principal":"*","principalOrgID":"o-a1b2c3d4e5"}`),
				// Another account, not anyone: '*' in the rule is the literal
				// principal, not a wildcard (it matched every principal before).
				ctAPI(4, "lambda.amazonaws.com", "AddPermission20150331v2", `"requestParameters":{"functionName":"billing-export","statementId":"partner","action":"lambda:InvokeFunction","principal":"444455556666"}`),
			},
		},
		{
			title: "GCP Subnetwork Changed (Flow Logs)", level: LevelLow,
			attack: []string{gcpEvent(1, "compute.googleapis.com", "beta.compute.subnetworks.patch", "projects/acme-prod-4821/regions/us-central1/subnetworks/prod", flowLogs(false))},
			benign: []string{gcpEvent(2, "compute.googleapis.com", "beta.compute.subnetworks.patch", "projects/acme-prod-4821/regions/us-central1/subnetworks/prod", flowLogs(true))},
		},
		{
			title: "GCP KMS Key Version Destroyed Or Disabled", level: LevelHigh,
			attack: []string{
				gcpEvent(1, "cloudkms.googleapis.com", "UpdateCryptoKeyVersion", "projects/acme-prod-4821/locations/global/keyRings/prod/cryptoKeys/data/cryptoKeyVersions/1", `"request":{"@type":"type.googleapis.com/google.cloud.kms.v1.UpdateCryptoKeyVersionRequest","cryptoKeyVersion":{"name":"projects/acme-prod-4821/locations/global/keyRings/prod/cryptoKeys/data/cryptoKeyVersions/1","state":"DISABLED"},"updateMask":"state"}`),
				gcpEvent(2, "cloudkms.googleapis.com", "google.cloud.kms.v1.KeyManagementService.DestroyCryptoKeyVersion", "projects/acme-prod-4821/locations/global/keyRings/prod/cryptoKeys/data/cryptoKeyVersions/1", ""),
			},
			benign: []string{gcpEvent(3, "cloudkms.googleapis.com", "UpdateCryptoKeyVersion", "projects/acme-prod-4821/locations/global/keyRings/prod/cryptoKeys/data/cryptoKeyVersions/1", `"request":{"@type":"type.googleapis.com/google.cloud.kms.v1.UpdateCryptoKeyVersionRequest","cryptoKeyVersion":{"name":"projects/acme-prod-4821/locations/global/keyRings/prod/cryptoKeys/data/cryptoKeyVersions/1","state":"ENABLED"},"updateMask":"state"}`)},
		},
		{
			title: "GCP Instance Metadata Changed (Startup Script)", level: LevelLow,
			attack: []string{gcpEvent(1, "compute.googleapis.com", "beta.compute.instances.setMetadata", "projects/acme-prod-4821/zones/us-central1-a/instances/web-1", "")},
			benign: []string{gcpEvent(2, "compute.googleapis.com", "beta.compute.instances.get", "projects/acme-prod-4821/zones/us-central1-a/instances/web-1", "")},
		},
		{
			title: "GCP Service Account Token Generated (Impersonation)", level: LevelLow,
			attack: []string{gcpEvent(1, "iamcredentials.googleapis.com", "google.iam.credentials.v1.IAMCredentials.GenerateAccessToken", "projects/-/serviceAccounts/deployer@acme-prod-4821.iam.gserviceaccount.com", "")},
			benign: []string{gcpEvent(2, "iamcredentials.googleapis.com", "google.iam.credentials.v1.IAMCredentials.GetServiceAccount", "projects/-/serviceAccounts/deployer@acme-prod-4821.iam.gserviceaccount.com", "")},
		},
		{
			title: "GCP Privileged IAM Role Granted", level: LevelMedium,
			attack: []string{
				gcpIAM(1, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", "["+delta("ADD", "roles/owner", "user:contractor@acme.example")+"]"),
				gcpIAM(2, "cloudresourcemanager.googleapis.com", "google.cloud.resourcemanager.v3.Folders.SetIamPolicy", "folders/461823759201", "["+delta("ADD", "roles/resourcemanager.folderAdmin", "user:contractor@acme.example")+"]"),
				gcpIAM(3, "iam.googleapis.com", "google.iam.admin.v1.SetIAMPolicy", "projects/-/serviceAccounts/1077583465198290162", "["+delta("ADD", "roles/iam.serviceAccountTokenCreator", "user:contractor@acme.example")+"]"),
			},
			benign: []string{
				gcpIAM(4, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", "["+delta("REMOVE", "roles/owner", "user:leaver@acme.example")+","+delta("ADD", "roles/viewer", "user:auditor@acme.example")+"]"),
				gcpFailed(gcpIAM(5, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", "["+delta("ADD", "roles/owner", "user:contractor@acme.example")+"]")),
			},
		},
		{
			title: "GCP IAM Role Granted To allUsers Or allAuthenticatedUsers", level: LevelHigh,
			attack: []string{
				gcpIAM(1, "bigquery.googleapis.com", "google.iam.v1.IAMPolicy.SetIamPolicy", "projects/acme-prod-4821/datasets/billing", "["+delta("ADD", "roles/bigquery.dataViewer", "allAuthenticatedUsers")+"]"),
				gcpIAM(2, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", "["+delta("ADD", "roles/viewer", "allUsers")+"]"),
			},
			benign: []string{
				gcpIAM(3, "run.googleapis.com", "google.cloud.run.v1.Services.SetIamPolicy", "namespaces/acme-prod-4821/services/website", "["+delta("ADD", "roles/run.invoker", "allUsers")+"]"),
				gcpIAM(4, "bigquery.googleapis.com", "google.iam.v1.IAMPolicy.SetIamPolicy", "projects/acme-prod-4821/datasets/billing", "["+delta("REMOVE", "roles/bigquery.dataViewer", "allAuthenticatedUsers")+"]"),
				gcpIAM(5, "bigquery.googleapis.com", "google.iam.v1.IAMPolicy.SetIamPolicy", "projects/acme-prod-4821/datasets/billing", "["+delta("ADD", "roles/bigquery.dataViewer", "group:analysts@acme.example")+"]"),
			},
		},
		{
			title: "GCP Owner Or Editor Role Granted To An External Account", level: LevelCritical,
			attack: []string{gcpIAM(1, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", "["+delta("ADD", "roles/editor", "user:attacker.backup@gmail.com")+"]")},
			benign: []string{
				// Owner to an employee, viewer to a gmail.com consultant: no
				// delta grants a primitive role to the outside account.
				gcpIAM(2, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", "["+delta("ADD", "roles/owner", "user:lead@acme.example")+","+delta("ADD", "roles/viewer", "user:consultant@gmail.com")+"]"),
				gcpIAM(3, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821", "["+delta("REMOVE", "roles/editor", "user:attacker.backup@gmail.com")+"]"),
			},
		},
		{
			title: "Entra ID Risky Sign-In Succeeded", level: LevelHigh,
			attack: []string{
				risky(succeeded, "high", "atRisk"),
				graphSignIn("high", "atRisk", 0),
			},
			benign: []string{
				risky(succeeded, "high", "remediated"),
				risky(succeeded, "low", "atRisk"),
				risky(signIn(42, "cfo@contoso.example", "185.220.101.4", 53003), "high", "atRisk"),
				graphSignIn("high", "atRisk", 50126),
			},
		},
		{
			title: "Entra ID Brute Force Followed By Successful Sign-In", level: LevelHigh,
			sequence:       brute,
			benign:         []string{success},
			benignSequence: fewThenSuccess,
		},
		{
			title: "Entra ID Brute Force Against One Account", level: LevelMedium,
			// Smart Lockout and unknown-user failures count as guesses too.
			sequence: func() []string {
				var evs []string
				for i := range 10 {
					code := []int{50126, 50053, 50056}[i%3]
					evs = append(evs, signIn(i, "cfo@contoso.example", "198.51.100.10", code))
				}
				return evs
			}(),
			benignSequence: otherUser[:9],
		},
		{
			title: "Entra ID Global Administrator Elevated To User Access Administrator", level: LevelHigh,
			attack: []string{entraOp("Assigns the caller to user access admin", "success")},
			benign: []string{
				entraOp("Assigns the caller to user access admin", "failure"),
				entraOp("Add member to group", "success"),
			},
		},
		{
			title: "M365 Per-User MFA Disabled", level: LevelHigh,
			attack: []string{m365AAD(1, "Disable Strong Authentication.", "Success")},
			benign: []string{m365AAD(2, "Enable Strong Authentication.", "Success"), m365AAD(3, "Disable Strong Authentication.", "Failure")},
		},
		{
			title: "Azure Defender Alert Suppression Rule Written", level: LevelMedium,
			attack: []string{azureOp("Microsoft.Security/alertsSuppressionRules/write", "Success")},
			benign: []string{azureOp("Microsoft.Security/alertsSuppressionRules/read", "Success"), azureOp("MICROSOFT.SECURITY/ALERTSSUPPRESSIONRULES/WRITE", "Failure")},
		},
		{
			title: "M365 Unified Audit Log Or Mailbox Auditing Disabled", level: LevelHigh,
			attack: []string{m365Op(1, "Set-Mailbox", `[{"Name":"Identity","Value":"cfo@contoso.example"},{"Name":"AuditEnabled","Value":"False"}]`, "True")},
			benign: []string{
				// Audit on, another switch off: the value belongs to another parameter.
				m365Op(2, "Set-Mailbox", `[{"Name":"Identity","Value":"cfo@contoso.example"},{"Name":"AuditEnabled","Value":"True"},{"Name":"HiddenFromAddressListsEnabled","Value":"False"}]`, "True"),
			},
		},
		{
			title: "M365 ApplicationImpersonation Role Assigned", level: LevelHigh,
			attack: []string{m365Op(1, "New-ManagementRoleAssignment", `[{"Name":"Name","Value":"sync-impersonation"},{"Name":"Role","Value":"ApplicationImpersonation"},{"Name":"User","Value":"svc-sync@contoso.example"}]`, "True")},
			benign: []string{
				// A role assignment named after the role, for another role.
				m365Op(2, "New-ManagementRoleAssignment", `[{"Name":"Name","Value":"ApplicationImpersonation"},{"Name":"Role","Value":"Mail Recipients"},{"Name":"User","Value":"helpdesk@contoso.example"}]`, "True"),
			},
		},
		{
			title: "M365 Mailbox Forwarding Address Set", level: LevelHigh,
			attack: []string{m365Op(1, "Set-Mailbox", `[{"Name":"Identity","Value":"cfo@contoso.example"},{"Name":"ForwardingAddress","Value":"external-contact-7"}]`, "Succeeded")},
			benign: []string{
				// Forwarding removed (-ForwardingSmtpAddress $null).
				m365Op(2, "Set-Mailbox", `[{"Name":"Identity","Value":"cfo@contoso.example"},{"Name":"ForwardingSmtpAddress","Value":""},{"Name":"DeliverToMailboxAndForward","Value":"False"}]`, "True"),
			},
		},
		{
			title: "M365 Inbox Rule Forwards Or Redirects Mail", level: LevelMedium,
			attack: []string{m365Op(1, "Set-InboxRule", `[{"Name":"Identity","Value":"ceo@contoso.example\\invoices"},{"Name":"RedirectTo","Value":"drop@mailbox.example"}]`, "True")},
			benign: []string{m365Op(2, "Set-InboxRule", `[{"Name":"Identity","Value":"ceo@contoso.example\\invoices"},{"Name":"RedirectTo","Value":""}]`, "True")},
		},
		{
			title: "Entra ID MFA Fatigue", level: LevelHigh,
			sequence: fatigue, benignSequence: interrupts,
		},
		{
			title: "Azure Owner Role Assigned At Subscription Scope", level: LevelHigh,
			// Only the Success record kept: the role is in its response body.
			attack: []string{azureRoleAssignSucceeded(subScope, ownerRole)},
			benign: []string{azureRoleAssignSucceeded(subScope, readerRole)},
		},
		{
			title: "AWS Mass Secret Retrieval", level: LevelHigh,
			sequence: secrets, benignSequence: ecsSecrets,
		},
		{
			title: "AWS SSM Parameters Decrypted In Bulk", level: LevelHigh,
			sequence: params, benignSequence: cfnParams,
		},
		{
			title: "AWS RDS Snapshot Created Manually", level: LevelLow,
			// A console user: invokedBy "AWS Internal" is not a service.
			attack: []string{invokedBy(ctAPI(1, "rds.amazonaws.com", "CreateDBSnapshot", `"requestParameters":{"dBSnapshotIdentifier":"exfil","dBInstanceIdentifier":"prod-db"}`), "AWS Internal")},
			benign: []string{invokedBy(ctAPI(2, "rds.amazonaws.com", "CreateDBSnapshot", `"requestParameters":{"dBSnapshotIdentifier":"awsbackup-job-1","dBInstanceIdentifier":"prod-db"}`), "backup.amazonaws.com")},
		},
		{
			title: "AWS AMI Created From An Instance", level: LevelLow,
			attack: []string{ctAPI(1, "ec2.amazonaws.com", "CreateImage", `"requestParameters":{"instanceId":"i-0abcdef1234567890","name":"copy","noReboot":true}`)},
			benign: []string{invokedBy(ctAPI(2, "ec2.amazonaws.com", "CreateImage", `"requestParameters":{"instanceId":"i-0abcdef1234567890","name":"AwsBackup_i-0abcdef1234567890","noReboot":true}`), "backup.amazonaws.com")},
		},
		{
			title: "AWS S3 Bucket Made Public", level: LevelHigh,
			attack: []string{
				ctAPI(1, "s3.amazonaws.com", "PutBucketAcl", `"requestParameters":{"bucketName":"acme-exports","acl":"","x-amz-acl":["public-read"],"Host":"acme-exports.s3.amazonaws.com"}`),
				ctAPI(2, "s3.amazonaws.com", "PutBucketAcl", `"requestParameters":{"bucketName":"acme-exports","acl":"","x-amz-grant-read":["uri=http://acs.amazonaws.com/groups/global/AllUsers"],"Host":"acme-exports.s3.amazonaws.com"}`),
			},
			benign: []string{
				ctAPI(3, "s3.amazonaws.com", "PutBucketAcl", `"requestParameters":{"bucketName":"acme-exports","acl":"","x-amz-acl":["private"],"Host":"acme-exports.s3.amazonaws.com"}`),
				// Principal "*" limited to the organization.
				ctAPI(4, "s3.amazonaws.com", "PutBucketPolicy", `"requestParameters":{"bucketName":"acme-exports","bucketPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-exports/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]},"policy":"","Host":"acme-exports.s3.amazonaws.com"}`),
			},
		},
		{
			title: "AWS Snapshot Or Image Shared With Another Account", level: LevelHigh,
			attack: []string{
				ctAPI(1, "ec2.amazonaws.com", "ModifySnapshotAttribute", `"requestParameters":{"snapshotId":"snap-083d3b857c13988bc","createVolumePermission":{"add":{"items":[{"group":"all"}]}},"attributeType":"CREATE_VOLUME_PERMISSION"}`),
				ctAPI(2, "ec2.amazonaws.com", "ModifyImageAttribute", `"requestParameters":{"imageId":"ami-0aa1d83d0b0985c86","launchPermission":{"add":{"items":[{"userId":"012345678901"}]}},"attributeType":"launchPermission"}`),
			},
			benign: []string{
				ctAPI(3, "ec2.amazonaws.com", "ModifySnapshotAttribute", `"requestParameters":{"snapshotId":"snap-083d3b857c13988bc","createVolumePermission":{"add":{},"remove":{"items":[{"userId":"012345678912"}]}},"attributeType":"CREATE_VOLUME_PERMISSION"}`),
				ctAPI(4, "ec2.amazonaws.com", "ModifyImageAttribute", `"requestParameters":{"imageId":"ami-0aa1d83d0b0985c86","launchPermission":{"add":{"items":[]},"remove":{"items":[{"group":"all"}]}},"attributeType":"launchPermission"}`),
			},
		},
		{
			title: "AWS IAM Policy Version With Full Administrator Rights Set As Default", level: LevelHigh,
			attack: []string{ctAPI(1, "iam.amazonaws.com", "CreatePolicyVersion", `"requestParameters":{"policyArn":"arn:aws:iam::111122223333:policy/dev-boundary","policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"*\"],\"Resource\":\"*\"}]}","setAsDefault":true}`)},
			benign: []string{ctAPI(2, "iam.amazonaws.com", "CreatePolicyVersion", `"requestParameters":{"policyArn":"arn:aws:iam::111122223333:policy/dev-boundary","policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:*\"],\"Resource\":\"*\"}]}","setAsDefault":true}`)},
		},
		{
			title: "AWS EC2 Instance Credentials Used From A Second Address", level: LevelMedium,
			sequence: stolen, benignSequence: instanceAlone,
		},
		{
			title: "GCP User-Managed Service Account Key Created", level: LevelMedium,
			attack: []string{gcpEvent(1, "iam.googleapis.com", "google.iam.admin.v1.CreateServiceAccountKey", "projects/-/serviceAccounts/1077583465198290162", `"request":{"@type":"type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest","name":"projects/-/serviceAccounts/deployer@acme-prod-4821.iam.gserviceaccount.com","private_key_type":2}`)},
			benign: []string{gcpEvent(2, "iam.googleapis.com", "google.iam.admin.v1.ListServiceAccountKeys", "projects/-/serviceAccounts/1077583465198290162", "")},
		},
		{
			title: "M365 Inbox Rule Forwards Or Redirects Mail", level: LevelMedium,
			// Made in Outlook: the actions are in OperationProperties.
			attack: []string{strings.Replace(m365Op(3, "UpdateInboxRules", `[]`, "Succeeded"), `"Parameters":[]`, `"OperationProperties":[{"Name":"RuleOperation","Value":"AddMailboxRule"},{"Name":"RuleName","Value":"."},{"Name":"RuleActions","Value":"[{\"ActionType\":\"ForwardToRecipientsAction\",\"Recipients\":[\"drop@mailbox.example\"]}]"}]`, 1)},
			benign: []string{strings.Replace(m365Op(4, "UpdateInboxRules", `[]`, "Succeeded"), `"Parameters":[]`, `"OperationProperties":[{"Name":"RuleOperation","Value":"AddMailboxRule"},{"Name":"RuleName","Value":"Newsletters"},{"Name":"RuleActions","Value":"[{\"ActionType\":\"MoveToFolderAction\",\"Folder\":\"Newsletters\"}]"}]`, 1)},
		},
		{
			title: "Azure NSG Rule Allows SSH Or RDP From The Internet", level: LevelHigh,
			attack: []string{
				azureBody("MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/SECURITYRULES/WRITE", "Start", "requestbody", nsgRule("*", "22", "Allow")),
				azureBody("MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/SECURITYRULES/WRITE", "Success", "responseBody", `{"name":"allow-rdp","properties":{"provisioningState":"Succeeded","protocol":"*","sourcePortRange":"*","destinationPortRanges":["443","3389"],"sourceAddressPrefix":"Internet","destinationAddressPrefix":"*","access":"Allow","priority":110,"direction":"Inbound"}}`),
			},
			benign: []string{
				azureBody("MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/SECURITYRULES/WRITE", "Start", "requestbody", nsgRule("10.0.0.0/8", "22", "Allow")),
				azureBody("MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/SECURITYRULES/WRITE", "Start", "requestbody", nsgRule("*", "443", "Allow")),
				azureBody("MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/SECURITYRULES/WRITE", "Start", "requestbody", nsgRule("*", "22", "Deny")),
			},
		},
		{
			title: "Azure Blob Container Made Public", level: LevelHigh,
			attack: []string{azureBody("MICROSOFT.STORAGE/STORAGEACCOUNTS/BLOBSERVICES/CONTAINERS/WRITE", "Start", "requestbody", `{"properties":{"publicAccess":"Container"}}`)},
			benign: []string{azureBody("MICROSOFT.STORAGE/STORAGEACCOUNTS/BLOBSERVICES/CONTAINERS/WRITE", "Start", "requestbody", `{"properties":{"publicAccess":"None"}}`)},
		},
		{
			title: "Azure Storage Account Allows Anonymous Blob Access", level: LevelMedium,
			attack: []string{azureBody("MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE", "Start", "requestbody", `{"properties":{"allowBlobPublicAccess":true,"minimumTlsVersion":"TLS1_2"}}`)},
			benign: []string{azureBody("MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE", "Start", "requestbody", `{"properties":{"allowBlobPublicAccess":false,"minimumTlsVersion":"TLS1_2"}}`)},
		},
		{
			title: "Azure GPU Virtual Machine Created", level: LevelMedium,
			attack: []string{azureBody("MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE", "Start", "requestbody", `{"location":"brazilsouth","properties":{"hardwareProfile":{"vmSize":"Standard_NC24ads_A100_v4"},"storageProfile":{"imageReference":{"publisher":"Canonical","offer":"0001-com-ubuntu-server-jammy","sku":"22_04-lts-gen2","version":"latest"}}}}`)},
			benign: []string{azureBody("MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE", "Start", "requestbody", `{"location":"westeurope","properties":{"hardwareProfile":{"vmSize":"Standard_D4s_v5"}}}`)},
		},
		{
			title: "AWS GPU Or Accelerated Instances Launched", level: LevelMedium,
			attack: []string{
				ctAPI(1, "ec2.amazonaws.com", "RunInstances", `"requestParameters":{"instanceType":"p5en.48xlarge","instancesSet":{"items":[{"imageId":"ami-0abcdef1234567890","minCount":2,"maxCount":2}]}}`),
				ctAPI(2, "ec2.amazonaws.com", "RequestSpotInstances", `"requestParameters":{"instanceCount":10,"type":"one-time","launchSpecification":{"imageId":"ami-0abcdef1234567890","instanceType":"g5.12xlarge"}}`),
				ctAPI(3, "ec2.amazonaws.com", "CreateFleet", `"requestParameters":{"CreateFleetRequest":{"Type":"instant","TargetCapacitySpecification":{"TotalTargetCapacity":20,"DefaultTargetCapacityType":"spot"},"LaunchTemplateConfigs":{"tag":1,"LaunchTemplateSpecification":{"LaunchTemplateId":"lt-0abcdef1234567890","Version":"$Latest"},"Overrides":[{"tag":1,"InstanceType":"p4d.24xlarge"},{"tag":2,"InstanceType":"g6e.48xlarge"}]}}}`),
			},
			benign: []string{
				ctAPI(4, "ec2.amazonaws.com", "RequestSpotInstances", `"requestParameters":{"instanceCount":10,"type":"one-time","launchSpecification":{"imageId":"ami-0abcdef1234567890","instanceType":"c6i.large"}}`),
				ctAPI(5, "ec2.amazonaws.com", "CreateFleet", `"requestParameters":{"CreateFleetRequest":{"Type":"instant","LaunchTemplateConfigs":{"tag":1,"Overrides":[{"tag":1,"InstanceType":"m7g.large"}]}}}`),
			},
		},
		{
			title: "GCP Accelerated Instance Created", level: LevelMedium,
			attack: []string{
				// A3 machine types carry their GPUs: no guestAccelerators.
				gcpEvent(1, "compute.googleapis.com", "beta.compute.instances.insert", "projects/acme-prod-4821/zones/us-east4-a/instances/miner-1", `"request":{"@type":"type.googleapis.com/compute.instances.insert","machineType":"zones/us-east4-a/machineTypes/a3-highgpu-8g"}`),
				gcpEvent(2, "compute.googleapis.com", "v1.compute.instances.insert", "projects/acme-prod-4821/zones/us-central1-a/instances/train-1", `"request":{"@type":"type.googleapis.com/compute.instances.insert","machineType":"zones/us-central1-a/machineTypes/n1-standard-8","guestAccelerators":[{"acceleratorType":"zones/us-central1-a/acceleratorTypes/nvidia-tesla-t4","acceleratorCount":4}]}`),
			},
			benign: []string{
				// An empty accelerator list is no GPU.
				gcpEvent(3, "compute.googleapis.com", "v1.compute.instances.insert", "projects/acme-prod-4821/zones/us-central1-a/instances/web-1", `"request":{"@type":"type.googleapis.com/compute.instances.insert","machineType":"zones/us-central1-a/machineTypes/n2-standard-4","guestAccelerators":[]}`),
			},
		},
		{
			title: "AWS Role Trust Policy Allows Any AWS Principal", level: LevelHigh,
			attack: []string{
				ctAPI(1, "iam.amazonaws.com", "UpdateAssumeRolePolicy", `"requestParameters":{"roleName":"ops-admin","policyDocument":"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"sts:AssumeRole\"}]\n}"}`),
				ctAPI(2, "iam.amazonaws.com", "CreateRole", `"requestParameters":{"roleName":"support-access","assumeRolePolicyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}"}`),
			},
			benign: []string{
				// The Stratus backdoor trusts one outside account: the
				// medium trust-policy rule's, not this one.
				ctAPI(3, "iam.amazonaws.com", "UpdateAssumeRolePolicy", `"requestParameters":{"roleName":"ops-admin","policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::193672423079:root\"},\"Action\":\"sts:AssumeRole\"}]}"}`),
				ctAPI(4, "iam.amazonaws.com", "CreateRole", `"requestParameters":{"roleName":"lambda-exec","assumeRolePolicyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"}`),
			},
		},
		{
			title: "AWS IAM Service-Specific Credential Or SSH Key Added", level: LevelMedium,
			attack: []string{ctAPI(1, "iam.amazonaws.com", "UploadSigningCertificate", `"requestParameters":{"userName":"svc-legacy","certificateBody":"-----BEGIN CERTIFICATE-----MIIC...-----END CERTIFICATE-----"}`)},
			benign: []string{ctRO(ctAPI(2, "iam.amazonaws.com", "ListSigningCertificates", `"requestParameters":{"userName":"svc-legacy"}`))},
		},
		{
			title: "Entra ID Member Added To A Directory Role", level: LevelMedium,
			attack: []string{
				entraOp("Add member to role in PIM completed (permanent)", "success"),
				entraOp("Add eligible member to role in PIM completed (timebound)", "success"),
			},
			benign: []string{
				entraOp("Add member to role in PIM requested (permanent)", "success"),
				entraOp("Add member to role completed (PIM activation)", "success"),
			},
		},
		{
			title: "M365 Inbox Rule Deletes Incoming Mail", level: LevelMedium,
			attack: []string{m365Op(1, "New-InboxRule", `[{"Name":"Mailbox","Value":"cfo@contoso.example"},{"Name":"From","Value":"it-security@contoso.example"},{"Name":"MoveToFolder","Value":"RSS Feeds"},{"Name":"MarkAsRead","Value":"True"}]`, "True")},
			benign: []string{
				m365Op(2, "Set-InboxRule", `[{"Name":"Identity","Value":"cfo@contoso.example\\newsletters"},{"Name":"DeleteMessage","Value":"False"}]`, "True"),
				m365Op(3, "New-InboxRule", `[{"Name":"Mailbox","Value":"cfo@contoso.example"},{"Name":"From","Value":"news@vendor.example"},{"Name":"MoveToFolder","Value":"Newsletters"}]`, "True"),
			},
		},
		{
			title: "GCP Organization Policy Removed", level: LevelHigh,
			attack: []string{gcpEvent(1, "cloudresourcemanager.googleapis.com", "ClearOrgPolicy", "projects/acme-prod-4821", `"request":{"@type":"type.googleapis.com/google.cloud.resourcemanager.v1.ClearOrgPolicyRequest","constraint":"constraints/iam.disableServiceAccountKeyCreation"}`)},
			benign: []string{gcpEvent(2, "cloudresourcemanager.googleapis.com", "GetOrgPolicy", "projects/acme-prod-4821", `"request":{"constraint":"constraints/iam.disableServiceAccountKeyCreation"}`)},
		},
		{
			title: "AWS S3 Object Written With A Customer-Provided Key (SSE-C)", level: LevelMedium,
			attack: []string{ctAPI(1, "s3.amazonaws.com", "CopyObject", `"requestParameters":{"bucketName":"acme-finance","key":"ledger-2024.xlsx","x-amz-copy-source":"acme-finance/ledger-2024.xlsx","x-amz-server-side-encryption-customer-algorithm":"AES256","Host":"acme-finance.s3.us-east-1.amazonaws.com"},"additionalEventData":{"SSEApplied":"SSE_C","bytesTransferredIn":0}`)},
			benign: []string{ctAPI(2, "s3.amazonaws.com", "CopyObject", `"requestParameters":{"bucketName":"acme-finance","key":"ledger-2024.xlsx","x-amz-copy-source":"acme-finance/ledger-2024.xlsx","x-amz-server-side-encryption":"aws:kms","Host":"acme-finance.s3.us-east-1.amazonaws.com"},"additionalEventData":{"SSEApplied":"SSE_KMS","bytesTransferredIn":0}`)},
		},
		{
			title: "AWS S3 Mass Object Deletion", level: LevelMedium,
			sequence: wipe, benignSequence: fewDeletes,
		},
		{
			title: "AWS IAM User Console Login Without MFA", level: LevelMedium,
			attack: []string{consoleLogin(1, iamUser, "Success", "")},
			benign: []string{
				strings.Replace(consoleLogin(2, iamUser, "Success", ""), `"MFAUsed":"No"`, `"MFAIdentifier":"arn:aws:iam::111122223333:mfa/jdoe","MFAUsed":"Yes"`, 1),
				// SSO: MFA is the identity provider's.
				consoleLogin(3, ssoUser, "Success", ""),
				consoleLogin(4, iamUser, "Failure", `"errorMessage":"Failed authentication"`),
			},
		},
		{
			title: "AWS Console Login Brute Force From One Address", level: LevelMedium,
			sequence: guesses, benignSequence: fewGuesses,
		},
		{
			title: "M365 DLP Policy Removed Or Disabled", level: LevelMedium,
			attack: []string{
				m365Op(1, "Set-DlpCompliancePolicy", `[{"Name":"Identity","Value":"PCI data"},{"Name":"Mode","Value":"TestWithoutNotifications"}]`, "True"),
				m365Op(2, "Set-DlpComplianceRule", `[{"Name":"Identity","Value":"Block card numbers"},{"Name":"Disabled","Value":"True"}]`, "True"),
			},
			benign: []string{
				m365Op(3, "Set-DlpCompliancePolicy", `[{"Name":"Identity","Value":"PCI data"},{"Name":"AddExchangeLocation","Value":"finance@contoso.example"}]`, "True"),
				m365Op(4, "Set-DlpCompliancePolicy", `[{"Name":"Identity","Value":"PCI data"},{"Name":"Mode","Value":"Enable"}]`, "True"),
			},
		},
		{
			title: "M365 Mailbox Delegate Permission Added", level: LevelMedium,
			attack: []string{m365Op(1, "Add-MailboxFolderPermission", `[{"Name":"Identity","Value":"ceo@contoso.example:\\Inbox"},{"Name":"User","Value":"mallory@contoso.example"},{"Name":"AccessRights","Value":"Reviewer"}]`, "True")},
			benign: []string{m365Op(2, "Add-MailboxFolderPermission", `[{"Name":"Identity","Value":"ceo@contoso.example:\\Calendar"},{"Name":"User","Value":"Default"},{"Name":"AccessRights","Value":"Reviewer"}]`, "True")},
		},
		{
			title: "AWS Infrastructure Discovery Burst", level: LevelMedium,
			sequence: recon, benignSequence: terraformRefresh,
		},
		{
			title: "Entra ID Guest User Converted To Member", level: LevelMedium,
			attack: []string{entraUserUpdate("Guest", "Member")},
			benign: []string{entraUserUpdate("Member", "Guest"), strings.Replace(entraUserUpdate("Guest", "Member"), `"displayName":"UserType"`, `"displayName":"Department"`, 1)},
		},
		{
			title: "Entra ID Successful Sign-In With Legacy Authentication", level: LevelMedium,
			attack: []string{strings.Replace(succeeded, `"clientAppUsed":"Browser"`, `"clientAppUsed":"Outlook Anywhere (RPC over HTTP)"`, 1)},
			benign: []string{strings.Replace(succeeded, `"clientAppUsed":"Browser"`, `"clientAppUsed":"Mobile Apps and Desktop clients"`, 1)},
		},
	}
}

// TestAccuracyPack: every rule of vigil_pack_accuracy.yml has a case, and
// every case holds: each attack event alone alerts at the rule's level
// (default tuning), the sequence together does, no benign event alone and
// not the benign sequence together alerts (no tuning), and the attack
// events refused alert no built-in above low unless it is about failures.
func TestAccuracyPack(t *testing.T) {
	checkPackFile(t, "vigil_pack_accuracy.yml", accuracyCases(), 14)
}

// checkPackFile asserts that every alerting rule of the built-in file has
// a case among cases (rules only a correlation without generate counts
// are covered by that correlation's case), that the file holds at least
// minRules rules, and that every case holds (see accCase).
func checkPackFile(t *testing.T, file string, cases []accCase, minRules int) {
	t.Helper()
	data, err := fs.ReadFile(BuiltinFS(), file)
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]bool{}
	for _, c := range cases {
		titles[c.title] = true
	}
	// Rules a correlation counts without generate raise no alert of their
	// own: their correlation's case covers them.
	_, corrs, _, _ := LoadBuiltins()
	silent := map[string]bool{}
	for _, c := range corrs {
		for _, r := range c.Rules {
			silent[r] = silent[r] || !c.Generate
		}
	}
	docs := strings.Split(string(data), "\n---\n")
	for _, doc := range docs {
		var title, name string
		for _, line := range strings.Split(doc, "\n") {
			if v, ok := strings.CutPrefix(line, "title: "); ok {
				title = v
			}
			if v, ok := strings.CutPrefix(line, "name: "); ok {
				name = v
			}
		}
		if !titles[title] && !silent[name] {
			t.Errorf("rule %q of %s has no case", title, file)
		}
	}
	if len(docs) < minRules {
		t.Errorf("%s holds %d rules, want at least %d", file, len(docs), minRules)
	}
	for _, c := range cases {
		t.Run(c.title, func(t *testing.T) { checkAccCase(t, c) })
	}
}

// checkAccCase: each attack event alone alerts at the case's level
// (default tuning; none for informational cases), the sequence together does, no benign event alone and
// not the benign sequence together alerts (no tuning), and the attack
// events refused alert no built-in above low unless it is about failures.
func checkAccCase(t *testing.T, c accCase) {
	t.Helper()
	if len(c.benign)+len(c.benignSequence) == 0 || len(c.attack)+len(c.sequence) == 0 {
		t.Fatalf("a case needs attack and benign events")
	}
	// The default tuning hides informational alerts: rules a correlation
	// counts are checked untuned.
	tuning := DefaultTuning()
	if c.level == LevelInformational {
		tuning = NoTuning()
	}
	check := func(what string, evs []string) {
		got := alertsOf(runWithTuning(t, tuning, evs), c.title)
		if len(got) == 0 {
			t.Errorf("%s raised no alert: %s", what, strings.Join(evs, "\n"))
		}
		for _, a := range got {
			if a.Level != c.level {
				t.Errorf("%s: level %v, want %v", what, a.Level, c.level)
			}
		}
	}
	for i, ev := range c.attack {
		check(fmt.Sprintf("attack event %d", i), []string{ev})
		if f := failedVariant(ev); f != "" {
			for _, a := range runWithTuning(t, NoTuning(), []string{f}) {
				if a.Level > LevelLow && !aboutFailures.MatchString(a.Rule.Title) {
					t.Errorf("%q raised at %v on attack event %d refused: %s", a.Rule.Title, a.Level, i, f)
				}
			}
		}
	}
	if len(c.sequence) > 0 {
		check("the attack sequence", c.sequence)
	}
	for i, ev := range c.benign {
		if n := len(alertsOf(runWithTuning(t, NoTuning(), []string{ev}), c.title)); n != 0 {
			t.Errorf("benign event %d raised %d alerts: %s", i, n, ev)
		}
	}
	if len(c.benignSequence) > 0 {
		if n := len(alertsOf(runWithTuning(t, NoTuning(), c.benignSequence), c.title)); n != 0 {
			t.Errorf("the benign sequence raised %d alerts", n)
		}
	}
}
