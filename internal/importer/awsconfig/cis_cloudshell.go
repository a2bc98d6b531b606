package awsconfig

import (
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// cloudShellPolicy is the AWS managed policy CIS AWS 7.0 2.20 wants
// attached to no IAM user, group or role: AWSCloudShellFullAccess lets
// them upload and download files through CloudShell, a way out for data.
const cloudShellPolicy = ":policy/AWSCloudShellFullAccess"

// cloudShellAccess sets each account's CloudShellFullAccess from its IAM
// users, groups and roles: true when one has AWSCloudShellFullAccess
// attached (named in CloudShellHolders), false when the account's
// principals were read and none has; unknown when one of them has
// attached policies that could not be read (its admin status unknown,
// or admin with no attached policy read) and none was found with it.
func cloudShellAccess(byType map[string][]*resource.Resource, get func(string) *resource.AccountCIS) {
	seen, unread := map[string]bool{}, map[string]bool{}
	holders := map[string][]string{}
	for _, typ := range []string{"AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::Role"} {
		for _, r := range byType[typ] {
			var attached []string
			var admin *bool
			switch {
			case r.Account == "":
				continue
			case r.Facts.Identity != nil:
				attached, admin = r.Facts.Identity.AttachedPolicies, r.Facts.Identity.Admin
			case r.Facts.Group != nil:
				attached, admin = r.Facts.Group.AttachedPolicies, r.Facts.Group.Admin
			default:
				continue
			}
			seen[r.Account] = true
			has := false
			for _, p := range attached {
				has = has || strings.HasSuffix(p, cloudShellPolicy)
			}
			switch {
			case has:
				holders[r.Account] = append(holders[r.Account], r.Name)
			case admin == nil || (*admin && len(attached) == 0):
				unread[r.Account] = true
			}
		}
	}
	for a := range seen {
		switch {
		case len(holders[a]) > 0:
			sort.Strings(holders[a])
			c := get(a)
			c.CloudShellFullAccess, c.CloudShellHolders = resource.Bool(true), holders[a]
		case !unread[a]:
			get(a).CloudShellFullAccess = resource.Bool(false)
		}
	}
}
