package detect

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Cases of vigil_pack_exposure.yml.

// naclEntry is a CreateNetworkAclEntry (or name) request for an ingress
// or egress entry with the protocol, ports (from < 0: none) and CIDR.
func naclEntry(min int, name string, egress bool, action, proto string, from, to int, cidrKey, cidr string) string {
	ports := ""
	if from >= 0 {
		ports = fmt.Sprintf(`,"portRange":{"from":%d,"to":%d}`, from, to)
	}
	return ctAPI(min, "ec2.amazonaws.com", name, fmt.Sprintf(`"requestParameters":{"networkAclId":"acl-0f1e2d3c4b5a69788","ruleNumber":90,"egress":%t,"ruleAction":%q,"icmpTypeCode":{},"aclProtocol":%q%s,%q:%q},"responseElements":{"_return":true}`,
		egress, action, proto, ports, cidrKey, cidr))
}

// keyPolicy is a PutKeyPolicy request setting the policy document.
func keyPolicy(min int, doc string) string {
	q, _ := json.Marshal(doc)
	return ctAPI(min, "kms.amazonaws.com", "PutKeyPolicy", `"requestParameters":{"keyId":"arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d","policyName":"default","policy":`+string(q)+`,"bypassPolicyLockoutSafetyCheck":false},"responseElements":null`)
}

const (
	keyAdmin  = `{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`
	keyAnyone = `{"Sid":"Allow use of the key","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Encrypt","kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*"}`
)

// assumeRole is an AssumeRole call for the role, refused when denied.
func assumeRole(min int, role string, denied bool) string {
	ev := ctAPI(min, "sts.amazonaws.com", "AssumeRole", fmt.Sprintf(`"requestParameters":{"roleArn":%q,"roleSessionName":"probe"},"responseElements":null`, role))
	if denied {
		ev = strings.Replace(ev, "{", `{"errorCode":"AccessDenied","errorMessage":"User is not authorized to perform: sts:AssumeRole on resource: `+role+`",`, 1)
	}
	return ev
}

// keysListed is the Success record of a list-keys operation on the named
// resource, by upn.
func keysListed(op, name, upn string) string {
	ev := strings.Replace(azureOp(op, "Success"), "/R1", "/"+strings.ToUpper(name), 1)
	return strings.ReplaceAll(ev, "admin@contoso.example", upn)
}

func exposureCases() []accCase {
	var sweep, retries, fewRoles, granted []string
	for i := range 10 {
		role := fmt.Sprintf("arn:aws:iam::%012d:role/%s", 210987654321+i, []string{"admin", "Administrator", "OrganizationAccountAccessRole", "dev", "deploy", "jenkins", "terraform", "ci", "readonly", "backup"}[i])
		sweep = append(sweep, assumeRole(i/2, role, true))
		// One role whose trust policy was just changed, retried ten times;
		// nine roles; ten roles granted.
		retries = append(retries, assumeRole(20+i/2, "arn:aws:iam::111122223333:role/deploy", true))
		if i < 9 {
			fewRoles = append(fewRoles, assumeRole(50+i/2, role, true))
		}
		granted = append(granted, assumeRole(40+i/2, role, false))
	}
	ops := []string{
		"MICROSOFT.DOCUMENTDB/DATABASEACCOUNTS/LISTKEYS/ACTION",
		"MICROSOFT.CACHE/REDIS/LISTKEYS/ACTION",
		"MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION",
		"MICROSOFT.CONTAINERREGISTRY/REGISTRIES/LISTCREDENTIALS/ACTION",
		"MICROSOFT.WEB/SITES/CONFIG/LIST/ACTION",
		"MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION",
	}
	var harvest, fourResources, oneResource, spread []string
	for i, op := range ops {
		harvest = append(harvest, keysListed(op, fmt.Sprintf("res%d", i), "mallory@contoso.example"))
		if i < 4 {
			fourResources = append(fourResources, keysListed(op, fmt.Sprintf("res%d", i), "dev@contoso.example"))
		}
		// One Cosmos DB account's keys read six times; five people each
		// reading one resource's keys.
		oneResource = append(oneResource, keysListed(ops[0], "orders-db", "app-owner@contoso.example"))
		spread = append(spread, keysListed(op, fmt.Sprintf("res%d", i), fmt.Sprintf("user%d@contoso.example", i)))
	}
	return []accCase{
		{
			title: "Azure Service Access Keys Or Connection Strings Listed", level: LevelLow,
			attack: []string{harvest[0], harvest[3], harvest[4]},
			// Storage keys (their own rule); a regular read of the account;
			// a key regenerated.
			benign: []string{
				// Event Grid reading the Event Hub keys it delivers with (the
				// Elastic Activity Log sample).
				strings.Replace(keysListed("MICROSOFT.EVENTHUB/NAMESPACES/AUTHORIZATIONRULES/LISTKEYS/ACTION", "azurelsevents", "x"), `"identity":{`, `"identity":{"authorization":{"action":"Microsoft.EventHub/namespaces/authorizationRules/listKeys/action","evidence":{"principalId":"8a4de8b5-095c-47d0-a96f-a75130c61d53","principalType":"ServicePrincipal","role":"Azure EventGrid Service BuiltIn Role"}},`, 1),
				harvest[2],
				azureOp("MICROSOFT.DOCUMENTDB/DATABASEACCOUNTS/READ", "Success"),
				azureOp("MICROSOFT.DOCUMENTDB/DATABASEACCOUNTS/REGENERATEKEY/ACTION", "Success"),
			},
		},
		{
			title: "Azure Access Keys Listed For Many Resources", level: LevelMedium,
			sequence: harvest, benignSequence: append(append(append([]string{}, fourResources...), oneResource...), spread...),
		},
		{
			title: "AWS Network ACL Allows Inbound Traffic From Anywhere", level: LevelLow,
			attack: []string{
				naclEntry(1, "CreateNetworkAclEntry", false, "allow", "-1", -1, 0, "cidrBlock", "0.0.0.0/0"),
				naclEntry(2, "ReplaceNetworkAclEntry", false, "allow", "6", 0, 65535, "cidrBlock", "0.0.0.0/0"),
				naclEntry(3, "CreateNetworkAclEntry", false, "allow", "6", 3389, 3389, "ipv6CidrBlock", "::/0"),
			},
			// HTTPS from anywhere; all traffic from the VPC; a deny entry;
			// an egress entry.
			benign: []string{
				naclEntry(4, "CreateNetworkAclEntry", false, "allow", "6", 443, 443, "cidrBlock", "0.0.0.0/0"),
				naclEntry(5, "CreateNetworkAclEntry", false, "allow", "-1", -1, 0, "cidrBlock", "10.0.0.0/16"),
				naclEntry(6, "CreateNetworkAclEntry", false, "deny", "-1", -1, 0, "cidrBlock", "0.0.0.0/0"),
				naclEntry(7, "CreateNetworkAclEntry", true, "allow", "-1", -1, 0, "cidrBlock", "0.0.0.0/0"),
			},
		},
		{
			title: "AWS KMS Key Policy Allows Any Principal", level: LevelHigh,
			attack: []string{
				keyPolicy(8, `{"Version":"2012-10-17","Id":"key-default-1","Statement":[`+keyAdmin+`,`+keyAnyone+`]}`),
				keyPolicy(9, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}`),
			},
			// The account's own root; anyone in the organization (a
			// Condition); a role of another account.
			benign: []string{
				keyPolicy(10, `{"Version":"2012-10-17","Id":"key-default-1","Statement":[`+keyAdmin+`]}`),
				keyPolicy(11, `{"Version":"2012-10-17","Statement":[`+keyAdmin+`,{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}`),
				keyPolicy(12, `{"Version":"2012-10-17","Statement":[`+keyAdmin+`,{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/backup"},"Action":["kms:Decrypt"],"Resource":"*"}]}`),
			},
		},
		{
			title: "AWS AssumeRole Denied For Many Roles", level: LevelMedium,
			sequence: sweep, benignSequence: append(append(append([]string{}, retries...), fewRoles...), granted...),
		},
	}
}

// TestExposurePack: every rule of vigil_pack_exposure.yml has a case and
// every case holds (checkAccCase).
func TestExposurePack(t *testing.T) {
	checkPackFile(t, "vigil_pack_exposure.yml", exposureCases(), 6)
}
