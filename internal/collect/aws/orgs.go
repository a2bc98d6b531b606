package awscollect

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// orgDoc is the AWS Organizations document (aws/organizations.json): the
// organization as describe-organization prints it, its roots, its OUs and
// accounts each with the ID of its parent, and its service control
// policies (describe-policy's Policy) with their targets.
type orgDoc struct {
	Organization        *orgtypes.Organization `json:"Organization"`
	Roots               []orgtypes.Root        `json:"Roots"`
	OrganizationalUnits []orgOU                `json:"OrganizationalUnits"`
	Accounts            []orgAccount           `json:"Accounts"`
	Policies            []orgPolicy            `json:"Policies"`
	// OrganizationsFeatures (aws iam list-organizations-features) and
	// DelegatedAdministrators (aws organizations
	// list-delegated-administrators): left out when the call failed.
	OrganizationsFeatures   *orgFeatures                       `json:"OrganizationsFeatures,omitempty"`
	DelegatedAdministrators *[]orgtypes.DelegatedAdministrator `json:"DelegatedAdministrators,omitempty"`
	// ResourcePolicy (aws organizations describe-resource-policy's
	// ResourcePolicy): null when the organization has none, left out when
	// the call failed.
	ResourcePolicy json.RawMessage `json:"ResourcePolicy,omitempty"`

	// found are the accounts listed, even when a listing failed (and
	// Accounts is left out as unknown): the accounts to collect.
	found []orgAccount
}

// orgFeatures is aws iam list-organizations-features' output.
type orgFeatures struct {
	OrganizationId  *string
	EnabledFeatures []iamtypes.FeatureType
}

type orgOU struct {
	orgtypes.OrganizationalUnit
	ParentId string
}

type orgAccount struct {
	orgtypes.Account
	ParentId string
}

type orgPolicy struct {
	PolicySummary *orgtypes.PolicySummary
	Content       *string
	Targets       []orgtypes.PolicyTargetSummary
}

// collectOrg reads the caller's organization; nil when the account is not
// in one, or when describe-organization failed (reported).
func collectOrg(ctx context.Context, t *Task) *orgDoc {
	const svc = "organizations"
	cl := organizations.NewFromConfig(t.Config)
	desc, err := cl.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		var nu *orgtypes.AWSOrganizationsNotInUseException
		if errors.As(err, &nu) {
			t.log.Info("aws: the caller's account is not in an organization", "account", t.Account)
			return nil
		}
		t.Fail(svc, "organizations:DescribeOrganization", "", err)
		return nil
	}
	doc := &orgDoc{Organization: desc.Organization, Roots: []orgtypes.Root{}, OrganizationalUnits: []orgOU{},
		Accounts: []orgAccount{}}
	// The policies are read while the tree is walked.
	polc, polOK := make(chan []orgPolicy, 1), make(chan bool, 1)
	go func() {
		p, ok := orgPolicies(ctx, t, cl)
		polc <- p
		polOK <- ok
	}()
	rootsOK := Pages(ctx, t, svc, "organizations:ListRoots", "", func(ctx context.Context, tok *string) (*organizations.ListRootsOutput, *string, error) {
		o, err := cl.ListRoots(ctx, &organizations.ListRootsInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *organizations.ListRootsOutput) { doc.Roots = append(doc.Roots, o.Roots...) })

	// The tree, breadth first from the roots.
	var parents []string
	for _, r := range doc.Roots {
		parents = append(parents, aws.ToString(r.Id))
	}
	seen := map[string]bool{}
	treeOK := true
	for len(parents) > 0 {
		p := parents[0]
		parents = parents[1:]
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		ousOK := Pages(ctx, t, svc, "organizations:ListOrganizationalUnitsForParent", "", func(ctx context.Context, tok *string) (*organizations.ListOrganizationalUnitsForParentOutput, *string, error) {
			o, err := cl.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{ParentId: &p, NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return o, o.NextToken, nil
		}, func(o *organizations.ListOrganizationalUnitsForParentOutput) {
			for _, ou := range o.OrganizationalUnits {
				doc.OrganizationalUnits = append(doc.OrganizationalUnits, orgOU{ou, p})
				parents = append(parents, aws.ToString(ou.Id))
			}
		})
		acctsOK := Pages(ctx, t, svc, "organizations:ListAccountsForParent", "", func(ctx context.Context, tok *string) (*organizations.ListAccountsForParentOutput, *string, error) {
			o, err := cl.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: &p, NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return o, o.NextToken, nil
		}, func(o *organizations.ListAccountsForParentOutput) {
			for _, a := range o.Accounts {
				doc.Accounts = append(doc.Accounts, orgAccount{a, p})
			}
		})
		treeOK = treeOK && ousOK && acctsOK
	}
	doc.found = doc.Accounts
	doc.OrganizationsFeatures = orgIAMFeatures(ctx, t)
	var admins []orgtypes.DelegatedAdministrator
	if Pages(ctx, t, svc, "organizations:ListDelegatedAdministrators", "", func(ctx context.Context, tok *string) (*organizations.ListDelegatedAdministratorsOutput, *string, error) {
		o, err := cl.ListDelegatedAdministrators(ctx, &organizations.ListDelegatedAdministratorsInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *organizations.ListDelegatedAdministratorsOutput) {
		admins = append(admins, o.DelegatedAdministrators...)
	}) {
		if admins == nil {
			admins = []orgtypes.DelegatedAdministrator{}
		}
		doc.DelegatedAdministrators = &admins
	}

	doc.ResourcePolicy = orgResourcePolicy(ctx, t, cl)

	policies, policiesOK := <-polc, <-polOK
	doc.Policies = policies
	// A listing that failed leaves its part out (unknown), not empty or
	// partial (which would say what the organization does not have).
	if !rootsOK {
		doc.Roots = nil
	}
	if !treeOK {
		doc.OrganizationalUnits, doc.Accounts = nil, nil
	}
	if !policiesOK {
		doc.Policies = nil
	}
	return doc
}

// orgIAMFeatures reads IAM's organization features (centralized root
// access): IAM's trusted access not enabled for the organization means
// none; nil when the call failed (reported).
func orgIAMFeatures(ctx context.Context, t *Task) *orgFeatures {
	o, err := iam.NewFromConfig(t.Config).ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	if err != nil {
		var off *iamtypes.ServiceAccessNotEnabledException
		if errors.As(err, &off) {
			return &orgFeatures{EnabledFeatures: []iamtypes.FeatureType{}}
		}
		t.Fail("iam", "iam:ListOrganizationsFeatures", "", err)
		return nil
	}
	f := &orgFeatures{OrganizationId: o.OrganizationId, EnabledFeatures: o.EnabledFeatures}
	if f.EnabledFeatures == nil {
		f.EnabledFeatures = []iamtypes.FeatureType{}
	}
	return f
}

// orgPolicies reads the service control policies with their content and
// targets; ok is false when they could not be listed.
func orgPolicies(ctx context.Context, t *Task, cl *organizations.Client) (out []orgPolicy, ok bool) {
	const svc = "organizations"
	out = []orgPolicy{}
	var summaries []orgtypes.PolicySummary
	ok = Pages(ctx, t, svc, "organizations:ListPolicies", "", func(ctx context.Context, tok *string) (*organizations.ListPoliciesOutput, *string, error) {
		o, err := cl.ListPolicies(ctx, &organizations.ListPoliciesInput{Filter: orgtypes.PolicyTypeServiceControlPolicy, NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *organizations.ListPoliciesOutput) { summaries = append(summaries, o.Policies...) })
	for _, s := range summaries {
		id, arn := aws.ToString(s.Id), aws.ToString(s.Arn)
		p := orgPolicy{PolicySummary: &s, Targets: []orgtypes.PolicyTargetSummary{}}
		pol, err := cl.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: &id})
		switch {
		case err != nil:
			// Kept without its content: the policy is there, what it
			// denies is unknown.
			t.Fail(svc, "organizations:DescribePolicy", arn, err)
		case pol.Policy != nil:
			p.PolicySummary, p.Content = pol.Policy.PolicySummary, pol.Policy.Content
		}
		complete := Pages(ctx, t, svc, "organizations:ListTargetsForPolicy", arn, func(ctx context.Context, tok *string) (*organizations.ListTargetsForPolicyOutput, *string, error) {
			o, err := cl.ListTargetsForPolicy(ctx, &organizations.ListTargetsForPolicyInput{PolicyId: &id, NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return o, o.NextToken, nil
		}, func(o *organizations.ListTargetsForPolicyOutput) { p.Targets = append(p.Targets, o.Targets...) })
		if !complete {
			p.Targets = nil // where it applies is unknown
		}
		out = append(out, p)
	}
	return out, ok
}

// orgResourcePolicy reads the organization's resource-based delegation
// policy (CIS AWS 7.0 2.1.5) as describe-resource-policy prints its
// ResourcePolicy; null when the organization has none
// (ResourcePolicyNotFoundException), nil (left out) when the call failed.
func orgResourcePolicy(ctx context.Context, t *Task, cl *organizations.Client) json.RawMessage {
	out, err := cl.DescribeResourcePolicy(ctx, &organizations.DescribeResourcePolicyInput{})
	switch {
	case isCode(err, "ResourcePolicyNotFoundException"):
		return json.RawMessage("null")
	case err != nil:
		t.Fail("organizations", "organizations:DescribeResourcePolicy", "", err)
		return nil
	}
	b, err := json.Marshal(out.ResourcePolicy)
	if err != nil || out.ResourcePolicy == nil {
		return nil
	}
	return b
}
