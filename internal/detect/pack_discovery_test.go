package detect

import (
	"fmt"
	"strings"
	"testing"
)

// Cases of vigil_pack_discovery.yml: network connections discovery
// (T1049), region enumeration (T1614), data staged in one bucket (T1074).

// withID gives a CloudTrail event of the test builders an event id of its
// own (events of one minute share one otherwise).
func withID(ev string, i int) string {
	j := strings.Index(ev, `"eventID":"`)
	if j < 0 {
		return ev
	}
	k := strings.IndexByte(ev[j+11:], '"')
	return ev[:j+11] + fmt.Sprintf("5a1c7e2f-%04d-4d3e-8f9a-0b1c2d3e4f5a", i) + ev[j+11+k:]
}

// networkRead is a read-only EC2 call of the network connection kind op.
func networkRead(min int, op, params string) string {
	return ctRO(ctAPI(min, "ec2.amazonaws.com", op, `"requestParameters":`+params+`,"responseElements":null`))
}

// s3Copy is a CopyObject data event of object n into bucket dst.
func s3Copy(sec int, dst string, n int) string {
	ev := ctAPI(sec/60, "s3.amazonaws.com", "CopyObject", fmt.Sprintf(`"requestParameters":{"bucketName":%q,"key":"exports/ledger-%03d.csv","x-amz-copy-source":"acme-finance/ledger/ledger-%03d.csv","Host":"%s.s3.us-east-1.amazonaws.com"},"responseElements":null,"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"Xk2v0cOZzk=","bytesTransferredOut":0},"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::%s/exports/ledger-%03d.csv"},{"accountId":"111122223333","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::%s"}]`, dst, n, n, dst, dst, n, dst))
	ev = strings.Replace(ev, `"eventCategory":"Management"`, `"eventCategory":"Data"`, 1)
	ev = strings.Replace(ev, `"managementEvent":true`, `"managementEvent":false`, 1)
	return withID(ev, n)
}

func discoveryCases() []accCase {
	kinds := []struct{ op, params string }{
		{"DescribeVpcPeeringConnections", `{"maxResults":1000,"vpcPeeringConnectionIdSet":{},"filterSet":{}}`},
		{"DescribeVpnConnections", `{"vpnConnectionSet":{},"filterSet":{}}`},
		{"DescribeTransitGatewayAttachments", `{"DescribeTransitGatewayAttachmentsRequest":{"MaxResults":1000}}`},
		{"DescribeRouteTables", `{"routeTableIdSet":{},"filterSet":{}}`},
		{"DescribeNetworkInterfaces", `{"networkInterfaceIdSet":{},"filterSet":{}}`},
	}
	var mapping, fromConsoleSeq, terraformSeq, oneKindMany []string
	for i, k := range kinds {
		ev := withID(networkRead(i, k.op, k.params), i)
		mapping = append(mapping, ev)
		fromConsoleSeq = append(fromConsoleSeq, fromConsole(ev))
		terraformSeq = append(terraformSeq, strings.Replace(ev, `"userAgent":"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64"`, `"userAgent":"APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0"`, 1))
		// An application polling its own route tables: one kind, again
		// and again.
		oneKindMany = append(oneKindMany, withID(networkRead(i, "DescribeRouteTables", `{"routeTableIdSet":{},"filterSet":{"items":[{"name":"vpc-id","valueSet":{"items":[{"value":"vpc-0a1b2c3d"}]}}]}}`), 100+i))
	}
	gcpKinds := []string{"v1.compute.vpnTunnels.aggregatedList", "v1.compute.interconnectAttachments.aggregatedList", "v1.compute.networks.listPeeringRoutes", "v1.compute.routers.getRouterStatus"}
	var gcpMapping, gcpBeta, gcpAgent, gcpThree []string
	for i, m := range gcpKinds {
		ev := gcpEvent(i, "compute.googleapis.com", m, "projects/acme-prod-4821", "")
		ev = strings.Replace(ev, "cloudaudit.googleapis.com%2Factivity", "cloudaudit.googleapis.com%2Fdata_access", 1)
		gcpMapping = append(gcpMapping, ev)
		// The console and gcloud beta call the beta API.
		gcpBeta = append(gcpBeta, strings.Replace(ev, `"methodName":"v1.`, `"methodName":"beta.`, 1))
		gcpAgent = append(gcpAgent, strings.Replace(ev, `"principalEmail":"ops@acme.example"`, `"principalEmail":"service-418276543210@gcp-sa-networkmanagement.iam.gserviceaccount.com"`, 1))
		if i < 3 {
			gcpThree = append(gcpThree, ev)
		}
	}
	regions := ctRO(ctAPI(1, "ec2.amazonaws.com", "DescribeRegions", `"requestParameters":{"regionSet":{},"allRegions":true},"responseElements":null`))
	var staged, fewCopies, replication []string
	for i := range 60 {
		ev := s3Copy(i*9, "x-stage-7731", i)
		staged = append(staged, ev)
		if i < 40 {
			fewCopies = append(fewCopies, ev)
		}
		replication = append(replication, invokedBy(ev, "s3.amazonaws.com"))
	}
	// Copies spread over several destination buckets: no one bucket
	// gathers 50.
	var spread []string
	for i := range 60 {
		spread = append(spread, s3Copy(i*9, fmt.Sprintf("acme-archive-%d", i%3), i))
	}
	return []accCase{
		{
			title: "AWS Network Connections Discovery", level: LevelLow,
			sequence: mapping, benignSequence: append(append(append([]string{}, fromConsoleSeq...), terraformSeq...), oneKindMany...),
		},
		{
			title: "GCP Network Connections Discovery", level: LevelLow,
			sequence: gcpMapping, benignSequence: append(append([]string{}, gcpAgent...), gcpThree...),
		},
		{
			title: "GCP Network Connections Discovery", level: LevelLow,
			sequence: gcpBeta, benignSequence: gcpThree,
		},
		{
			title: "AWS Enabled Regions Enumerated", level: LevelLow,
			attack: []string{regions, ctRO(ctAPI(2, "account.amazonaws.com", "ListRegions", `"requestParameters":{"maxResults":50,"regionOptStatusContains":["ENABLED","ENABLED_BY_DEFAULT"]},"responseElements":null`))},
			benign: []string{
				// The default listing (enabled regions only), the console's
				// own call, and an AWS service's.
				ctRO(ctAPI(3, "ec2.amazonaws.com", "DescribeRegions", `"requestParameters":{"regionSet":{}},"responseElements":null`)),
				fromConsole(regions),
				strings.Replace(regions, `"userAgent":"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64"`, `"userAgent":"AWS Internal"`, 1),
				invokedBy(regions, "config.amazonaws.com"),
			},
		},
		{
			title: "AWS S3 Data Staged In One Bucket", level: LevelMedium,
			sequence: staged, benignSequence: append(append(append([]string{}, fewCopies...), replication...), spread...),
		},
	}
}

// TestDiscoveryPack: every rule of vigil_pack_discovery.yml has a case
// and every case holds (see checkAccCase).
func TestDiscoveryPack(t *testing.T) {
	checkPackFile(t, "vigil_pack_discovery.yml", discoveryCases(), 7)
}
