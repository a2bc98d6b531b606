package synth

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Mix says which resource types a synthetic inventory holds.
type Mix int

const (
	// Realistic: about half the resources are of types that no built-in
	// rule evaluates (network interfaces, subnets, route tables, functions,
	// disks, addresses), as in real AWS Config, Resource Graph and Cloud
	// Asset inventories.
	Realistic Mix = iota
	// RuleHeavy: every resource is of a type that rules evaluate (buckets,
	// security groups, instances, databases, keys, users): the worst case.
	RuleHeavy
)

// Generate writes about n resources, split evenly across AWS, Azure and GCP
// and across several accounts, into dir. It returns the number written.
// The output is deterministic for a given n and mix.
func Generate(ctx context.Context, dir string, n int, mix Mix) (int, error) {
	rng := rand.New(rand.NewPCG(uint64(n), 42))
	per := n / 3
	written := 0
	const perFile = 5000
	for i, file := 0, 0; i < per; i, file = i+perFile, file+1 {
		if err := ctx.Err(); err != nil {
			return written, err
		}
		k := min(perFile, per-i)
		acct := fmt.Sprintf("%012d", 100000000000+file%20)
		if err := writeJSON(filepath.Join(dir, "aws", fmt.Sprintf("config-snapshot-%03d.json", file)), awsSnapshot(rng, acct, i, k, mix)); err != nil {
			return written, err
		}
		written += k
	}
	for i, file := 0, 0; i < per; i, file = i+perFile, file+1 {
		k := min(perFile, per-i)
		sub := fmt.Sprintf("00000000-0000-4000-8000-%012d", file%10)
		if err := writeJSON(filepath.Join(dir, "azure", fmt.Sprintf("resources-%03d.json", file)), azureGraph(rng, sub, i, k, mix)); err != nil {
			return written, err
		}
		written += k
	}
	for i, file := 0, 0; i < n-2*per; i, file = i+perFile, file+1 {
		k := min(perFile, n-2*per-i)
		project := fmt.Sprintf("synth-project-%02d", file%10)
		if err := writeNDJSON(filepath.Join(dir, "gcp", fmt.Sprintf("assets-%03d.json", file)), gcpAssets(rng, project, i, k, mix)); err != nil {
			return written, err
		}
		written += k
	}
	return written, nil
}

type obj = map[string]any

func awsSnapshot(rng *rand.Rand, acct string, start, k int, mix Mix) obj {
	items := make([]any, 0, k)
	regions := []string{"us-east-1", "eu-west-1", "eu-central-1", "us-west-2"}
	for j := range k {
		i := start + j
		region := regions[i%len(regions)]
		base := obj{
			"configurationItemVersion":     "1.3",
			"configurationItemCaptureTime": "2026-11-23T02:00:00.000Z",
			"configurationItemStatus":      "OK",
			"configurationStateId":         fmt.Sprint(1700000000000 + i),
			"awsAccountId":                 acct,
			"awsRegion":                    region,
			"availabilityZone":             "Not Applicable",
			"tags":                         obj{"env": []string{"prod", "dev"}[i%2], "team": "synth"},
			"relatedEvents":                []any{},
			"relationships":                []any{},
		}
		kind := i % 6
		if mix == Realistic {
			kind = i % 12
		}
		switch kind {
		case 6, 7, 8, 9, 10, 11:
			types := map[int][2]string{6: {"AWS::EC2::NetworkInterface", "eni"}, 7: {"AWS::EC2::Subnet", "subnet"}, 8: {"AWS::EC2::RouteTable", "rtb"},
				9: {"AWS::Lambda::Function", "function"}, 10: {"AWS::EC2::NetworkInterface", "eni"}, 11: {"AWS::EC2::Subnet", "subnet"}}
			t := types[kind]
			id := fmt.Sprintf("%s-%017x", t[1], i)
			base["resourceType"] = t[0]
			base["resourceId"], base["resourceName"] = id, id
			base["ARN"] = "arn:aws:ec2:" + region + ":" + acct + ":" + t[1] + "/" + id
			base["configuration"] = obj{"id": id, "vpcId": "vpc-1", "description": "synthetic " + t[1]}
		case 0:
			name := fmt.Sprintf("synth-bucket-%d", i)
			pub := rng.IntN(10) == 0
			base["resourceType"] = "AWS::S3::Bucket"
			base["resourceId"], base["resourceName"] = name, name
			base["ARN"] = "arn:aws:s3:::" + name
			base["configuration"] = obj{"name": name, "owner": obj{"id": "abc"}, "creationDate": "2025-01-01T00:00:00.000Z"}
			sup := obj{
				"BucketVersioningConfiguration": obj{"status": []string{"Enabled", "Off"}[rng.IntN(2)]},
				"BucketLoggingConfiguration":    obj{"destinationBucketName": nil},
				"ServerSideEncryptionConfiguration": obj{"rules": []any{obj{"applyServerSideEncryptionByDefault": obj{
					"sseAlgorithm": "aws:kms", "kmsMasterKeyID": "arn:aws:kms:" + region + ":" + acct + ":key/x"}}}},
				"PublicAccessBlockConfiguration": obj{"blockPublicAcls": !pub, "ignorePublicAcls": !pub, "blockPublicPolicy": !pub, "restrictPublicBuckets": !pub},
			}
			if pub {
				sup["BucketPolicy"] = obj{"policyText": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + name + `/*"}]}`}
			}
			base["supplementaryConfiguration"] = sup
		case 1:
			id := fmt.Sprintf("sg-%017x", i)
			cidr := "10.0.0.0/8"
			if rng.IntN(8) == 0 {
				cidr = "0.0.0.0/0"
			}
			base["resourceType"] = "AWS::EC2::SecurityGroup"
			base["resourceId"], base["resourceName"] = id, "synth-sg-"+fmt.Sprint(i)
			base["ARN"] = "arn:aws:ec2:" + region + ":" + acct + ":security-group/" + id
			base["configuration"] = obj{"groupId": id, "groupName": "synth-sg-" + fmt.Sprint(i), "description": "synthetic", "vpcId": "vpc-1",
				"ipPermissions":       []any{obj{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": []any{cidr}, "ipv4Ranges": []any{obj{"cidrIp": cidr}}, "ipv6Ranges": []any{}}},
				"ipPermissionsEgress": []any{obj{"ipProtocol": "-1", "ipRanges": []any{"0.0.0.0/0"}, "ipv4Ranges": []any{obj{"cidrIp": "0.0.0.0/0"}}}}}
		case 2:
			id := fmt.Sprintf("i-%017x", i)
			base["resourceType"] = "AWS::EC2::Instance"
			base["resourceId"], base["resourceName"] = id, id
			base["ARN"] = "arn:aws:ec2:" + region + ":" + acct + ":instance/" + id
			conf := obj{"instanceId": id, "instanceType": "t3.micro", "state": obj{"name": "running"},
				"metadataOptions": obj{"httpTokens": []string{"required", "optional"}[rng.IntN(2)], "httpEndpoint": "enabled"}}
			if rng.IntN(4) == 0 {
				conf["publicIpAddress"] = fmt.Sprintf("52.1.%d.%d", i%250, j%250)
			}
			base["configuration"] = conf
		case 3:
			id := fmt.Sprintf("synth-db-%d", i)
			base["resourceType"] = "AWS::RDS::DBInstance"
			base["resourceId"], base["resourceName"] = "db-"+fmt.Sprint(i), id
			base["ARN"] = "arn:aws:rds:" + region + ":" + acct + ":db:" + id
			base["configuration"] = obj{"dBInstanceIdentifier": id, "engine": "postgres", "publiclyAccessible": rng.IntN(10) == 0,
				"storageEncrypted": rng.IntN(10) != 0, "backupRetentionPeriod": []int{0, 7, 14}[rng.IntN(3)], "multiAZ": true}
		case 4:
			id := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
			base["resourceType"] = "AWS::KMS::Key"
			base["resourceId"], base["resourceName"] = id, id
			base["ARN"] = "arn:aws:kms:" + region + ":" + acct + ":key/" + id
			base["configuration"] = obj{"keyId": id, "keyManager": "CUSTOMER", "keyState": "Enabled", "keySpec": "SYMMETRIC_DEFAULT", "keyUsage": "ENCRYPT_DECRYPT", "enabled": true}
			base["supplementaryConfiguration"] = obj{"KeyRotationStatus": rng.IntN(3) != 0}
		default:
			name := fmt.Sprintf("synth-user-%d", i)
			base["resourceType"] = "AWS::IAM::User"
			base["resourceId"], base["resourceName"] = fmt.Sprintf("AIDA%016X", i), name
			base["ARN"] = "arn:aws:iam::" + acct + ":user/" + name
			base["awsRegion"] = "global"
			base["configuration"] = obj{"userName": name, "path": "/", "userId": fmt.Sprintf("AIDA%016X", i), "arn": base["ARN"],
				"createDate": "2024-01-01T00:00:00.000Z", "attachedManagedPolicies": []any{obj{"policyName": "ReadOnlyAccess", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}},
				"userPolicyList": []any{}, "groupList": []any{}}
		}
		items = append(items, base)
	}
	return obj{"fileVersion": "1.0", "configSnapshotId": fmt.Sprintf("synth-%d", start), "configurationItems": items}
}

func azureGraph(rng *rand.Rand, sub string, start, k int, mix Mix) obj {
	rows := make([]any, 0, k)
	locs := []string{"westeurope", "northeurope", "eastus"}
	for j := range k {
		i := start + j
		rg := fmt.Sprintf("rg-synth-%d", i%50)
		loc := locs[i%len(locs)]
		row := obj{"tenantId": "11111111-2222-4333-8444-555555555555", "subscriptionId": sub, "resourceGroup": rg, "location": loc,
			"tags": obj{"env": "prod"}, "managedBy": "", "zones": nil, "plan": nil, "extendedLocation": nil}
		prefix := "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/"
		kind := i % 3
		if mix == Realistic {
			kind = i % 6
		}
		switch kind {
		case 3, 4, 5:
			types := map[int][2]string{3: {"Microsoft.Network/networkInterfaces", "nic"}, 4: {"Microsoft.Compute/disks", "disk"}, 5: {"Microsoft.Network/publicIPAddresses", "pip"}}
			t := types[kind]
			name := fmt.Sprintf("synth-%s-%d", t[1], i)
			row["id"], row["name"], row["type"] = prefix+t[0]+"/"+name, name, strings.ToLower(t[0])
			row["properties"] = obj{"provisioningState": "Succeeded"}
		case 0:
			name := fmt.Sprintf("synthsa%d", i)
			row["id"], row["name"], row["type"], row["kind"] = prefix+"Microsoft.Storage/storageAccounts/"+name, name, "microsoft.storage/storageaccounts", "StorageV2"
			row["sku"] = obj{"name": "Standard_LRS", "tier": "Standard"}
			row["properties"] = obj{"allowBlobPublicAccess": rng.IntN(8) == 0, "supportsHttpsTrafficOnly": true, "minimumTlsVersion": []string{"TLS1_2", "TLS1_0"}[rng.IntN(2)],
				"encryption":  obj{"keySource": "Microsoft.Storage", "services": obj{"blob": obj{"enabled": true}}},
				"networkAcls": obj{"defaultAction": []string{"Deny", "Allow"}[rng.IntN(2)]}, "provisioningState": "Succeeded"}
		case 1:
			name := fmt.Sprintf("synth-nsg-%d", i)
			src := "10.0.0.0/8"
			if rng.IntN(8) == 0 {
				src = "*"
			}
			row["id"], row["name"], row["type"] = prefix+"Microsoft.Network/networkSecurityGroups/"+name, name, "microsoft.network/networksecuritygroups"
			row["properties"] = obj{"securityRules": []any{obj{"name": "allow-ssh", "properties": obj{"protocol": "Tcp", "sourcePortRange": "*",
				"destinationPortRange": "22", "sourceAddressPrefix": src, "destinationAddressPrefix": "*", "access": "Allow", "priority": 100, "direction": "Inbound"}}}}
		default:
			name := fmt.Sprintf("synth-vm-%d", i)
			row["id"], row["name"], row["type"] = prefix+"Microsoft.Compute/virtualMachines/"+name, name, "microsoft.compute/virtualmachines"
			row["properties"] = obj{"hardwareProfile": obj{"vmSize": "Standard_B2s"}, "storageProfile": obj{"osDisk": obj{"osType": "Linux",
				"managedDisk": obj{"storageAccountType": "Premium_LRS"}}}, "provisioningState": "Succeeded"}
			if rng.IntN(2) == 0 {
				row["identity"] = obj{"type": "SystemAssigned", "principalId": "p"}
			}
		}
		rows = append(rows, row)
	}
	return obj{"count": k, "data": rows, "skip_token": nil, "total_records": k}
}

func gcpAssets(rng *rand.Rand, project string, start, k int, mix Mix) []any {
	lines := make([]any, 0, k)
	for j := range k {
		i := start + j
		anc := []string{"projects/" + fmt.Sprint(900000000000+len(project)), "folders/1", "organizations/2"}
		a := obj{"ancestors": anc, "update_time": "2026-11-23T02:00:00Z"}
		kind := i % 3
		if mix == Realistic {
			kind = i % 6
		}
		switch kind {
		case 3, 4, 5:
			types := map[int][2]string{3: {"compute.googleapis.com/Disk", "disks"}, 4: {"compute.googleapis.com/Address", "addresses"}, 5: {"compute.googleapis.com/Route", "routes"}}
			t := types[kind]
			name := fmt.Sprintf("synth-%s-%d", t[1], i)
			a["name"], a["asset_type"] = "//compute.googleapis.com/projects/"+project+"/regions/europe-west1/"+t[1]+"/"+name, t[0]
			a["resource"] = obj{"version": "v1", "discovery_name": t[1], "parent": "//cloudresourcemanager.googleapis.com/projects/" + project, "location": "europe-west1",
				"data": obj{"name": name, "status": "READY"}}
		case 0:
			name := fmt.Sprintf("synth-gcs-%d", i)
			a["name"], a["asset_type"] = "//storage.googleapis.com/"+name, "storage.googleapis.com/Bucket"
			a["resource"] = obj{"version": "v1", "discovery_name": "Bucket", "parent": "//cloudresourcemanager.googleapis.com/projects/" + project, "location": "eu",
				"data": obj{"name": name, "id": name, "projectNumber": "900000000000", "location": "EU", "storageClass": "STANDARD",
					"versioning": obj{"enabled": rng.IntN(2) == 0}, "iamConfiguration": obj{"uniformBucketLevelAccess": obj{"enabled": rng.IntN(4) != 0},
						"publicAccessPrevention": []string{"enforced", "inherited"}[rng.IntN(2)]}}}
		case 1:
			name := fmt.Sprintf("synth-fw-%d", i)
			src := "10.0.0.0/8"
			if rng.IntN(8) == 0 {
				src = "0.0.0.0/0"
			}
			a["name"], a["asset_type"] = "//compute.googleapis.com/projects/"+project+"/global/firewalls/"+name, "compute.googleapis.com/Firewall"
			a["resource"] = obj{"version": "v1", "discovery_name": "Firewall", "parent": "//cloudresourcemanager.googleapis.com/projects/" + project, "location": "global",
				"data": obj{"name": name, "network": "https://www.googleapis.com/compute/v1/projects/" + project + "/global/networks/default",
					"direction": "INGRESS", "priority": 1000, "sourceRanges": []any{src}, "allowed": []any{obj{"IPProtocol": "tcp", "ports": []any{"22", "3389"}}}, "disabled": false}}
		default:
			name := fmt.Sprintf("synth-vm-%d", i)
			a["name"], a["asset_type"] = "//compute.googleapis.com/projects/"+project+"/zones/europe-west1-b/instances/"+name, "compute.googleapis.com/Instance"
			ni := obj{"network": "default", "networkIP": "10.0.0.2"}
			if rng.IntN(4) == 0 {
				ni["accessConfigs"] = []any{obj{"name": "External NAT", "natIP": "34.1.1.1", "type": "ONE_TO_ONE_NAT"}}
			}
			a["resource"] = obj{"version": "v1", "discovery_name": "Instance", "parent": "//cloudresourcemanager.googleapis.com/projects/" + project, "location": "europe-west1-b",
				"data": obj{"name": name, "status": "RUNNING", "canIpForward": false, "networkInterfaces": []any{ni},
					"serviceAccounts":        []any{obj{"email": "app@" + project + ".iam.gserviceaccount.com", "scopes": []any{"https://www.googleapis.com/auth/devstorage.read_only"}}},
					"shieldedInstanceConfig": obj{"enableSecureBoot": true}, "metadata": obj{"items": []any{}}}}
		}
		lines = append(lines, a)
	}
	return lines
}

func writeJSON(path string, v any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func writeNDJSON(path string, lines []any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
