package iac

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/scan"
)

// TestProviderAccounts: a Terraform provider configuration naming its
// account (AWS allowed_account_ids or the account of the role it
// assumes, Azure subscription_id, Google project) gives the resources it
// manages that account, as a live inventory names it: root modules
// deploying to the same account are judged as one account (a trail of
// one logging S3 data events covers the account's other trails), one
// assuming a role in another account is judged apart, and a module call's
// providers map hands the module the configuration it names.
func TestProviderAccounts(t *testing.T) {
	dir := t.TempDir()
	trail := func(name string, s3 bool) string {
		sel := ""
		if s3 {
			sel = `
  event_selector {
    read_write_type           = "All"
    include_management_events = true
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }`
		}
		return `
resource "aws_cloudtrail" "` + name + `" {
  name                  = "` + name + `"
  s3_bucket_name        = "acme-trails"
  is_multi_region_trail = true` + sel + `
}
`
	}
	writeFiles(t, dir, map[string]string{
		"logging/main.tf": `
variable "account" {
  default = 111111111111
}
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = [var.account]
}
` + trail("main", true),
		"app/main.tf": `
provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::111111111111:role/deploy"
  }
}
provider "aws" {
  alias  = "sandbox"
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::111111111111:role/hop"
  }
  assume_role {
    role_arn = "arn:aws:iam::333333333333:role/deploy"
  }
}
` + trail("app", false) + `
module "sandbox" {
  source    = "../modules/trail"
  providers = { aws = aws.sandbox }
}
`,
		"modules/trail/main.tf": trail("sandbox", false),
		"other/main.tf": `
provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/deploy"
  }
}
` + trail("other", false),
	})
	res, err := Scan(context.Background(), builtinEngine(t), Options{
		Paths: []string{dir},
		Scan:  scan.Options{Now: testNow, Filter: finding.Filter{Rules: []string{"aws-cloudtrail-s3-read-events-not-logged"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		status  finding.Status
		account string
	}
	got := map[string]want{}
	for _, f := range res.Report.Findings {
		got[f.Resource.ID] = want{f.Status, f.Resource.Account}
	}
	for id, w := range map[string]want{
		"logging:aws_cloudtrail.main":               {finding.Pass, "111111111111"},
		"app:aws_cloudtrail.app":                    {finding.Pass, "111111111111"},
		"app:module.sandbox.aws_cloudtrail.sandbox": {finding.Fail, "333333333333"},
		"other:aws_cloudtrail.other":                {finding.Fail, "222222222222"},
	} {
		if got[id] != w {
			t.Errorf("%s: %v, want %v (all: %v)", id, got[id], w, got)
		}
	}
}
