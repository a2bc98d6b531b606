package awscollect

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	acctsvc "github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// runIAM collects the account's users, roles, groups and customer managed
// policies with their documents (AWS Config's AWS::IAM::* items, whose
// configuration is what GetAccountAuthorizationDetails returns), the
// credential report, the password policy and the account summary.
func runIAM(ctx context.Context, t *Task) error {
	cl := iam.NewFromConfig(t.Config)
	collectAuthDetails(ctx, t, cl)
	collectCredentialReport(ctx, t, cl)
	collectServerCertificates(ctx, t, cl)
	collectVirtualMFA(ctx, t, cl)
	collectSAMLProviders(ctx, t, cl)
	if out, err := cl.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{}); err == nil {
		t.CLI("password-policy.json", map[string]any{"PasswordPolicy": out.PasswordPolicy})
	} else if isCode(err, "NoSuchEntity") {
		// The account has none (AWS's default applies): the importer reads
		// an explicit null as that.
		t.CLI("password-policy.json", []byte(`{"PasswordPolicy": null}`+"\n"))
	} else {
		t.Fail("iam", "iam:GetAccountPasswordPolicy", "", err)
	}
	if out, err := cl.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}); err == nil {
		t.CLI("account-summary.json", map[string]any{"SummaryMap": out.SummaryMap})
	} else {
		t.Fail("iam", "iam:GetAccountSummary", "", err)
	}
	collectAlternateContacts(ctx, t)
	return ctx.Err()
}

// collectAlternateContacts saves the account's alternate contacts as
// `aws account get-alternate-contact --alternate-contact-type TYPE`
// prints them (alternate-contact-security.json...). A type the account
// has not set is answered "not found": no file, and the other types'
// files show the security contact is missing.
func collectAlternateContacts(ctx context.Context, t *Task) {
	cl := acctsvc.NewFromConfig(t.Config)
	for _, typ := range []accounttypes.AlternateContactType{accounttypes.AlternateContactTypeSecurity,
		accounttypes.AlternateContactTypeBilling, accounttypes.AlternateContactTypeOperations} {
		out, err := cl.GetAlternateContact(ctx, &acctsvc.GetAlternateContactInput{AlternateContactType: typ})
		switch {
		case err == nil:
			t.CLI("alternate-contact-"+strings.ToLower(string(typ))+".json", map[string]any{"AlternateContact": out.AlternateContact})
		case !isCode(err, "ResourceNotFoundException"):
			t.Fail("account", "account:GetAlternateContact", "", err)
		}
	}
}

func collectAuthDetails(ctx context.Context, t *Task, cl *iam.Client) {
	var users []iamtypes.UserDetail
	var roles []iamtypes.RoleDetail
	var groups []iamtypes.GroupDetail
	var policies []iamtypes.ManagedPolicyDetail
	complete := Pages(ctx, t, "iam", "iam:GetAccountAuthorizationDetails", "", func(ctx context.Context, tok *string) (*iam.GetAccountAuthorizationDetailsOutput, *string, error) {
		o, err := cl.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Marker: tok,
			Filter: []iamtypes.EntityType{iamtypes.EntityTypeUser, iamtypes.EntityTypeRole, iamtypes.EntityTypeGroup, iamtypes.EntityTypeLocalManagedPolicy}})
		if err != nil {
			return nil, nil, err
		}
		if !o.IsTruncated {
			return o, nil, nil
		}
		return o, o.Marker, nil
	}, func(o *iam.GetAccountAuthorizationDetailsOutput) {
		users = append(users, o.UserDetailList...)
		roles = append(roles, o.RoleDetailList...)
		groups = append(groups, o.GroupDetailList...)
		policies = append(policies, o.Policies...)
	})
	// With a page missing, the relationships between what was read are
	// incomplete: left out (unknown) rather than partial.
	relsUnknown := !complete

	groupByName := map[string]iamtypes.GroupDetail{}
	for _, g := range groups {
		groupByName[aws.ToString(g.GroupName)] = g
	}
	policyByARN := map[string]iamtypes.ManagedPolicyDetail{}
	for _, p := range policies {
		policyByARN[aws.ToString(p.Arn)] = p
	}
	attachedTo := map[string][]Relationship{} // policy ARN: principals
	members := map[string][]Relationship{}    // group name: users
	policyRels := func(kind, id, name string, atts []iamtypes.AttachedPolicy) []Relationship {
		var rels []Relationship
		for _, a := range atts {
			p, ok := policyByARN[aws.ToString(a.PolicyArn)]
			if !ok {
				continue // an AWS managed policy: not an item
			}
			rels = append(rels, Relationship{ResourceType: "AWS::IAM::Policy", ResourceID: aws.ToString(p.PolicyId),
				ResourceName: aws.ToString(p.PolicyName), Name: "Is attached to CustomerManagedPolicy"})
			attachedTo[aws.ToString(p.Arn)] = append(attachedTo[aws.ToString(p.Arn)],
				Relationship{ResourceType: "AWS::IAM::" + kind, ResourceID: id, ResourceName: name, Name: "Is attached to " + kind})
		}
		return rels
	}
	for _, u := range users {
		id, name := aws.ToString(u.UserId), aws.ToString(u.UserName)
		rels := policyRels("User", id, name, u.AttachedManagedPolicies)
		for _, gn := range u.GroupList {
			g := groupByName[gn]
			rels = append(rels, Relationship{ResourceType: "AWS::IAM::Group", ResourceID: aws.ToString(g.GroupId), ResourceName: gn, Name: "Is attached to Group"})
			members[gn] = append(members[gn], Relationship{ResourceType: "AWS::IAM::User", ResourceID: id, ResourceName: name, Name: "Contains User"})
		}
		t.Item(Item{ResourceType: "AWS::IAM::User", ResourceID: id, ResourceName: name, ARN: aws.ToString(u.Arn), Region: "global",
			Tags: iamTags(u.Tags), Relationships: rels, RelationshipsUnknown: relsUnknown, Created: u.CreateDate, Configuration: camel(u)})
	}
	for _, r := range roles {
		id, name := aws.ToString(r.RoleId), aws.ToString(r.RoleName)
		t.Item(Item{ResourceType: "AWS::IAM::Role", ResourceID: id, ResourceName: name, ARN: aws.ToString(r.Arn), Region: "global",
			Tags: iamTags(r.Tags), Relationships: policyRels("Role", id, name, r.AttachedManagedPolicies), RelationshipsUnknown: relsUnknown,
			Created: r.CreateDate, Configuration: camel(r)})
	}
	for _, g := range groups {
		id, name := aws.ToString(g.GroupId), aws.ToString(g.GroupName)
		rels := append(policyRels("Group", id, name, g.AttachedManagedPolicies), members[name]...)
		t.Item(Item{ResourceType: "AWS::IAM::Group", ResourceID: id, ResourceName: name, ARN: aws.ToString(g.Arn), Region: "global",
			Relationships: rels, RelationshipsUnknown: relsUnknown, Created: g.CreateDate, Configuration: camel(g)})
	}
	for _, p := range policies {
		arn := aws.ToString(p.Arn)
		t.Item(Item{ResourceType: "AWS::IAM::Policy", ResourceID: aws.ToString(p.PolicyId), ResourceName: aws.ToString(p.PolicyName),
			ARN: arn, Region: "global", Relationships: attachedTo[arn], RelationshipsUnknown: relsUnknown, Created: p.CreateDate,
			Configuration: camel(p)})
	}
}

// collectCredentialReport asks IAM for a fresh credential report and
// saves it as the CSV the console and `aws iam get-credential-report`
// give.
func collectCredentialReport(ctx context.Context, t *Task, cl *iam.Client) {
	for i := 0; ; i++ {
		out, err := cl.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
		if err != nil {
			t.Fail("iam", "iam:GenerateCredentialReport", "", err)
			return
		}
		if out.State == iamtypes.ReportStateTypeComplete {
			break
		}
		if i >= 30 {
			t.Fail("iam", "iam:GenerateCredentialReport", "", errors.New("the credential report was not ready after 30 tries"))
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
	out, err := cl.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	if err != nil {
		t.Fail("iam", "iam:GetCredentialReport", "", err)
		return
	}
	t.CLI("credential-report.csv", out.Content)
}

func iamTags(tags []iamtypes.Tag) map[string]string {
	m := map[string]string{}
	for _, tg := range tags {
		m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	return m
}
