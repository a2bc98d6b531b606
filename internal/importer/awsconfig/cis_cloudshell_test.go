package awsconfig

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// TestCloudShellFullAccess: account A has a group with
// AWSCloudShellFullAccess attached; B's principals have other policies
// only; C has a role whose attached policies have the wrong type (unknown);
// D has no IAM principal in the input (unknown).
func TestCloudShellFullAccess(t *testing.T) {
	a, b, c, d := "111111111111", "222222222222", "333333333333", "444444444444"
	shell := attr.M{"policyArn": "arn:aws:iam::aws:policy/AWSCloudShellFullAccess", "policyName": "AWSCloudShellFullAccess"}
	read := attr.M{"policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "policyName": "ReadOnlyAccess"}
	res := parseItems1(t,
		cisItem(a, "global", "AWS::IAM::Group", "devs", attr.M{"groupName": "devs", "attachedManagedPolicies": []any{read, shell}}),
		cisItem(a, "global", "AWS::IAM::User", "ops", attr.M{"userName": "ops", "attachedManagedPolicies": []any{shell}}),
		cisItem(a, "global", "AWS::IAM::Role", "app", attr.M{"roleName": "app", "attachedManagedPolicies": []any{}}),
		cisItem(b, "global", "AWS::IAM::User", "alice", attr.M{"userName": "alice", "attachedManagedPolicies": []any{read}}),
		cisItem(b, "global", "AWS::IAM::Group", "readers", attr.M{"groupName": "readers", "attachedManagedPolicies": []any{}}),
		cisItem(c, "global", "AWS::IAM::Role", "odd", attr.M{"roleName": "odd", "attachedManagedPolicies": "AWSCloudShellFullAccess"}),
		cisItem(c, "global", "AWS::IAM::Role", "app", attr.M{"roleName": "app", "attachedManagedPolicies": []any{read}}),
		cisItem(d, "us-east-1", "AWS::EC2::VPC", "vpc-1", attr.M{"vpcId": "vpc-1", "isDefault": false}),
	)
	added, _ := Finalize(res.Resources)
	got := map[string]string{}
	var holders []string
	for _, r := range added {
		if r.Facts.Account == nil {
			continue
		}
		v := "nil"
		if cis := r.Facts.Account.CIS; cis != nil {
			v = fmtB(cis.CloudShellFullAccess)
			if r.Account == a {
				holders = cis.CloudShellHolders
			}
		}
		got[r.Account] = v
	}
	for acct, want := range map[string]string{a: "true", b: "false", c: "nil", d: "nil"} {
		if got[acct] != want {
			t.Errorf("account %s: cloud_shell_full_access %s, want %s", acct, got[acct], want)
		}
	}
	if want := []string{"devs", "ops"}; !reflect.DeepEqual(holders, want) {
		t.Errorf("holders %v, want %v", holders, want)
	}
}
