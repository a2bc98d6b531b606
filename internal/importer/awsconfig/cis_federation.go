package awsconfig

import (
	"fmt"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS AWS 7.0 2.19: IAM users are managed centrally through identity
// federation (IAM Identity Center, or an external identity provider)
// rather than as IAM users of each account. A federated account has an
// IAM SAML identity provider (IAM Identity Center creates one,
// AWSSSO_..._DO_NOT_DELETE, in every account it assigns), as `aws iam
// list-saml-providers` prints them (the benchmark's audit):
//
//	{"SAMLProviderList":[{"Arn":"arn:aws:iam::123456789012:saml-provider/AWSSSO_0123_DO_NOT_DELETE",
//	  "ValidUntil":"2126-01-01T00:00:00Z","CreateDate":"2025-01-01T00:00:00Z"}]}
//
// IAM is global and the list is not paginated: the file is one resource
// (TypeSAMLProviderList) of the account its providers' ARNs (or the
// file's path) name, and an empty list is an account without one.

// FormatSAMLProviders is the list-saml-providers output.
const (
	FormatSAMLProviders  = "aws-iam-saml-providers"
	TypeSAMLProviderList = "AWS::IAM::SAMLProviderList"
)

func isSAMLProviders(d attr.M) bool {
	return attr.Has(d, "SAMLProviderList") && onlyKeys(d, "SAMLProviderList", "ResponseMetadata")
}

// parseSAMLProviders reads a list-saml-providers output: how many
// providers the account has.
func parseSAMLProviders(res *attr.Result, path string, d attr.M) {
	list, isArr := d["SAMLProviderList"].([]any)
	if !isArr {
		res.Problems = append(res.Problems, attr.Problem{Path: path, Field: "SAMLProviderList",
			Err: fmt.Sprintf("SAMLProviderList is %s, not a list: whether the account federates its users is unknown", withArticle(attr.Kind(d["SAMLProviderList"])))})
		return
	}
	acct := accountOfPath(path)
	n := 0
	for i, v := range list {
		arn := attr.Str(attr.AsObj(v), "Arn")
		if arn == "" {
			res.Problems = append(res.Problems, attr.Problem{Path: path, Field: fmt.Sprintf("SAMLProviderList[%d]", i),
				Err: fmt.Sprintf("SAMLProviderList[%d] has no Arn: left out", i)})
			continue
		}
		if a := accountOf(arn); a != "" {
			acct = a
		}
		n++
	}
	if acct == "" {
		res.Problems = append(res.Problems, attr.Problem{Path: path, Err: "list-saml-providers output: put the account ID in the file's path (aws/<account>/cli/iam-list-saml-providers.json), as an empty list names none"})
		return
	}
	complete := n == len(list)
	accountListing(res, path, acct, TypeSAMLProviderList, "saml-providers", attr.M{"Providers": float64(n), "Complete": complete})
}

// accountFederation sets, per account with a SAML provider listing,
// whether it has an IAM SAML identity provider: true with one, false when
// a whole listing has none.
func accountFederation(byType map[string][]*resource.Resource, get func(string) *resource.AccountCIS) {
	for _, l := range byType[TypeSAMLProviderList] {
		n := attr.Int(l.Raw, "Providers")
		switch {
		case l.Account == "" || n == nil:
		case *n > 0:
			get(l.Account).SAMLProvider = resource.Bool(true)
		case attr.Any(attr.Bool(l.Raw, "Complete")):
			if c := get(l.Account); c.SAMLProvider == nil {
				c.SAMLProvider = resource.Bool(false)
			}
		}
	}
}
