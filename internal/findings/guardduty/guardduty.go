// Package guardduty reads Amazon GuardDuty findings: the elements of
// `aws guardduty get-findings` ({"Findings":[...]}, PascalCase) and the
// detail of EventBridge "GuardDuty Finding" events (camelCase); field names
// match either case.
package guardduty

import (
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/resource"
)

type record struct {
	AccountID   string  `json:"AccountId"`
	Arn         string  `json:"Arn"`
	ID          string  `json:"Id"`
	Partition   string  `json:"Partition"`
	Region      string  `json:"Region"`
	Severity    float64 `json:"Severity"`
	Title       string  `json:"Title"`
	Description string  `json:"Description"`
	Type        string  `json:"Type"`
	CreatedAt   string  `json:"CreatedAt"`
	UpdatedAt   string  `json:"UpdatedAt"`
	Resource    struct {
		ResourceType    string `json:"ResourceType"`
		InstanceDetails *struct {
			InstanceID string `json:"InstanceId"`
		} `json:"InstanceDetails"`
		AccessKeyDetails *struct {
			AccessKeyID string `json:"AccessKeyId"`
			PrincipalID string `json:"PrincipalId"`
			UserName    string `json:"UserName"`
			UserType    string `json:"UserType"`
		} `json:"AccessKeyDetails"`
		S3BucketDetails []struct {
			Arn  string `json:"Arn"`
			Name string `json:"Name"`
		} `json:"S3BucketDetails"`
		EksClusterDetails *struct {
			Arn  string `json:"Arn"`
			Name string `json:"Name"`
		} `json:"EksClusterDetails"`
		LambdaDetails *struct {
			FunctionArn  string `json:"FunctionArn"`
			FunctionName string `json:"FunctionName"`
		} `json:"LambdaDetails"`
		RdsDbInstanceDetails *struct {
			DbInstanceIdentifier string `json:"DbInstanceIdentifier"`
		} `json:"RdsDbInstanceDetails"`
		EcsClusterDetails *struct {
			Arn  string `json:"Arn"`
			Name string `json:"Name"`
		} `json:"EcsClusterDetails"`
	} `json:"Resource"`
	Service struct {
		Archived       bool   `json:"Archived"`
		Count          int    `json:"Count"`
		EventFirstSeen string `json:"EventFirstSeen"`
		EventLastSeen  string `json:"EventLastSeen"`
	} `json:"Service"`
}

// Parse reads one GuardDuty finding.
func Parse(raw []byte, decode findings.Decode) (findings.Finding, error) {
	var r record
	if err := decode.Or()(raw, &r); err != nil {
		return findings.Finding{}, fmt.Errorf("GuardDuty finding: %w", err)
	}
	if r.ID == "" && r.Arn == "" {
		return findings.Finding{}, fmt.Errorf("GuardDuty finding: no Id or Arn")
	}
	f := findings.Finding{
		Product: findings.GuardDuty, Kind: findings.Threat,
		ID: findings.First(r.Arn, r.ID), Title: r.Title, Description: r.Description, Type: r.Type,
		Severity: findings.SeverityFromScore(r.Severity), OriginalSeverity: findings.FormatScore(r.Severity),
		Status: findings.Active, FirstSeen: findings.ParseTime(findings.First(r.Service.EventFirstSeen, r.CreatedAt)),
		LastSeen: findings.ParseTime(findings.First(r.Service.EventLastSeen, r.UpdatedAt)),
		Resource: resourceOf(&r),
	}
	if k := r.Resource.AccessKeyDetails; k != nil {
		for _, p := range []string{f.Resource.ID, k.PrincipalID, k.AccessKeyID} {
			if p != "" && !strings.HasPrefix(p, "aws-account/") {
				f.Principals = append(f.Principals, p)
			}
		}
	}
	if r.Service.Archived {
		f.Status, f.OriginalStatus = findings.Suppressed, "ARCHIVED"
	}
	return f, nil
}

func resourceOf(r *record) findings.Resource {
	part := findings.First(r.Partition, "aws")
	res := findings.Resource{Provider: resource.AWS, Account: r.AccountID, Region: r.Region, Type: r.Resource.ResourceType}
	d := &r.Resource
	switch {
	case d.InstanceDetails != nil && d.InstanceDetails.InstanceID != "":
		res.Type = "AWS::EC2::Instance"
		res.Name = d.InstanceDetails.InstanceID
		res.ID = fmt.Sprintf("arn:%s:ec2:%s:%s:instance/%s", part, r.Region, r.AccountID, d.InstanceDetails.InstanceID)
	case len(d.S3BucketDetails) > 0:
		res.Type = "AWS::S3::Bucket"
		res.Name = d.S3BucketDetails[0].Name
		res.ID = findings.First(d.S3BucketDetails[0].Arn, "arn:"+part+":s3:::"+d.S3BucketDetails[0].Name)
	case d.EksClusterDetails != nil:
		res.Type, res.Name, res.ID = "AWS::EKS::Cluster", d.EksClusterDetails.Name, d.EksClusterDetails.Arn
	case d.EcsClusterDetails != nil:
		res.Type, res.Name, res.ID = "AWS::ECS::Cluster", d.EcsClusterDetails.Name, d.EcsClusterDetails.Arn
	case d.LambdaDetails != nil:
		res.Type, res.Name, res.ID = "AWS::Lambda::Function", d.LambdaDetails.FunctionName, d.LambdaDetails.FunctionArn
	case d.RdsDbInstanceDetails != nil:
		res.Type, res.Name = "AWS::RDS::DBInstance", d.RdsDbInstanceDetails.DbInstanceIdentifier
		res.ID = fmt.Sprintf("arn:%s:rds:%s:%s:db:%s", part, r.Region, r.AccountID, res.Name)
	case d.AccessKeyDetails != nil:
		k := d.AccessKeyDetails
		res.Name = k.UserName
		switch k.UserType {
		case "IAMUser":
			res.Type, res.ID = "AWS::IAM::User", fmt.Sprintf("arn:%s:iam::%s:user/%s", part, r.AccountID, k.UserName)
		case "AssumedRole", "Role":
			res.Type, res.ID = "AWS::IAM::Role", fmt.Sprintf("arn:%s:iam::%s:role/%s", part, r.AccountID, k.UserName)
		case "Root":
			res.Type, res.ID = "AWS::Account", "aws-account/"+r.AccountID
		default:
			res.ID = findings.First(k.PrincipalID, k.AccessKeyID)
		}
	}
	if res.ID == "" {
		res.ID = "aws-account/" + r.AccountID
	}
	return res
}
