package awsconfig

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Listings whose emptiness is an answer: an account or region with no IAM
// server certificate (CIS AWS 7.0 2.17) or no VPC endpoint (6.8) reads as
// such only from the whole listing, which AWS Config items cannot say (no
// item is also what an unrecorded type gives). vigil collect writes both,
// empty ones included, in the AWS CLI's shape:
//
//	aws/<account>/cli/iam-list-server-certificates.json
//	  {"ServerCertificateMetadataList": [{"Path": "/", "ServerCertificateName": "web-2024",
//	   "ServerCertificateId": "ASCA...", "Arn": "arn:aws:iam::123456789012:server-certificate/web-2024",
//	   "UploadDate": "2024-01-02T03:04:05Z", "Expiration": "2025-01-02T03:04:05Z"}], "IsTruncated": false}
//	aws/<account>/cli/ec2-describe-vpc-endpoints.<region>.json
//	  {"VpcEndpoints": [{"VpcEndpointId": "vpce-0abc", "VpcEndpointType": "Gateway", "VpcId": "vpc-0123",
//	   "ServiceName": "com.amazonaws.us-east-1.s3", "State": "available", ...}]}
//
// A listing cut short (IsTruncated, a Marker or NextToken) still gives
// what it holds, but not that there is nothing else.

// Formats and types of the listings.
const (
	FormatServerCertificates = "aws-iam-server-certificates"
	FormatVPCEndpoints       = "aws-ec2-vpc-endpoints"
	// TypeServerCertificateList is an account's whole server certificate
	// listing; TypeVPCEndpointList a region's whole VPC endpoint listing,
	// related to each VPC with an endpoint in use (in_network).
	TypeServerCertificateList = "AWS::IAM::ServerCertificateList"
	TypeVPCEndpointList       = "AWS::EC2::VPCEndpointList"
	// TypeVPCEndpointPartial is a VPC endpoint listing cut short: its
	// VPCs have endpoints, the others of the region are not known.
	TypeVPCEndpointPartial = "AWS::EC2::VPCEndpointPartialList"
)

func isServerCertificates(d attr.M) bool {
	return attr.Has(d, "ServerCertificateMetadataList") && onlyKeys(d, "ServerCertificateMetadataList", "IsTruncated", "Marker", "ResponseMetadata")
}

func isVPCEndpoints(d attr.M) bool {
	return attr.Has(d, "VpcEndpoints") && onlyKeys(d, "VpcEndpoints", "NextToken", "ResponseMetadata")
}

// parseServerCertificates reads a list-server-certificates output: the
// certificates' names and expiry, and whether the list is whole.
func parseServerCertificates(res *attr.Result, path string, d attr.M) {
	list, isArr := listIn(res, path, d, "ServerCertificateMetadataList", "the account's server certificates")
	if !isArr {
		return
	}
	acct := accountOfPath(path)
	complete := !attr.Any(attr.Bool(d, "IsTruncated")) && attr.Str(d, "Marker") == ""
	var certs []any
	for i, v := range list {
		c := attr.AsObj(v)
		name := attr.Str(c, "ServerCertificateName")
		if name == "" {
			complete = false
			res.Problems = append(res.Problems, attr.Problem{Path: path, Field: fmt.Sprintf("ServerCertificateMetadataList[%d]", i),
				Err: fmt.Sprintf("ServerCertificateMetadataList[%d] has no ServerCertificateName: left out, it may be an expired one", i)})
			continue
		}
		if a := accountOf(attr.Str(c, "Arn")); a != "" {
			acct = a
		}
		exp := ""
		if t, err := time.Parse(time.RFC3339, attr.Str(c, "Expiration")); err == nil {
			exp = t.UTC().Format(time.RFC3339)
		}
		certs = append(certs, attr.M{"Name": name, "Expiration": exp})
	}
	if acct == "" {
		res.Problems = append(res.Problems, attr.Problem{Path: path, Err: "list-server-certificates output: put the account ID in the file's path (aws/<account>/cli/iam-list-server-certificates.json), as an empty list names none"})
		return
	}
	accountListing(res, path, acct, TypeServerCertificateList, "server-certificates", attr.M{"Certificates": certs, "Complete": complete})
}

// accountServerCertificates adds the certificates of each account's
// listings to its CIS facts (the names items gave already aside) and says
// the account's certificates are known when a listing is whole.
func accountServerCertificates(byType map[string][]*resource.Resource, get func(string) *resource.AccountCIS) {
	for _, l := range byType[TypeServerCertificateList] {
		if l.Account == "" {
			continue
		}
		c := get(l.Account)
		for _, v := range attr.Arr(l.Raw, "Certificates") {
			o := attr.AsObj(v)
			name := attr.Str(o, "Name")
			dup := false
			for _, have := range c.ServerCertificates {
				dup = dup || have.Name == name
			}
			if !dup {
				c.ServerCertificates = append(c.ServerCertificates, resource.ServerCertificate{Name: name, Expiration: attr.Str(o, "Expiration")})
			}
		}
		if attr.Any(attr.Bool(l.Raw, "Complete")) {
			c.ServerCertificatesListed = resource.Bool(true)
		}
	}
}

// parseVPCEndpoints reads one region's describe-vpc-endpoints output: a
// resource related to each VPC with an endpoint in use (not being or
// already removed), of TypeVPCEndpointList when the listing is whole.
func parseVPCEndpoints(res *attr.Result, path string, d attr.M) {
	list, isArr := listIn(res, path, d, "VpcEndpoints", "the region's VPC endpoints")
	if !isArr {
		return
	}
	complete := attr.Str(d, "NextToken") == ""
	var vpcs []string
	for i, v := range list {
		e := attr.AsObj(v)
		vpc := attr.Str(e, "VpcId")
		if vpc == "" {
			complete = false
			res.Problems = append(res.Problems, attr.Problem{Path: path, Field: fmt.Sprintf("VpcEndpoints[%d]", i),
				Err: fmt.Sprintf("VpcEndpoints[%d] has no VpcId: left out, the region's VPCs without an endpoint are unknown", i)})
			continue
		}
		switch strings.ToLower(attr.Str(e, "State")) {
		case "deleting", "deleted", "rejected", "failed", "expired":
			continue
		}
		vpcs = append(vpcs, vpc)
	}
	typ := TypeVPCEndpointList
	if !complete {
		typ = TypeVPCEndpointPartial
	}
	n := len(res.Resources)
	listResource(res, path, typ, "VPC endpoints", attr.M{})
	if len(res.Resources) == n {
		return
	}
	r := res.Resources[n]
	for _, vpc := range vpcs {
		attr.Relate(r, resource.RelInNetwork, vpc)
	}
}

// listIn returns the list of a listing's member key; a member that is not
// a list is a problem (what it lists is then unknown).
func listIn(res *attr.Result, path string, d attr.M, key, what string) ([]any, bool) {
	list, isArr := d[key].([]any)
	if !isArr {
		res.Problems = append(res.Problems, attr.Problem{Path: path, Field: key,
			Err: fmt.Sprintf("%s is %s, not a list: %s are unknown", key, withArticle(attr.Kind(d[key])), what)})
	}
	return list, isArr
}
