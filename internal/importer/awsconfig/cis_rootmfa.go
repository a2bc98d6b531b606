package awsconfig

import (
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS AWS 7.0 2.6: the root user's MFA is a hardware device. The
// credential report says whether root has MFA; the account's virtual MFA
// devices, as `aws iam list-virtual-mfa-devices` prints them (the
// benchmark's audit), say whether it is a virtual one:
//
//	{"VirtualMFADevices":[{"SerialNumber":"arn:aws:iam::123456789012:mfa/root-account-mfa-device",
//	  "User":{"Arn":"arn:aws:iam::123456789012:root",..},"EnableDate":..}],"IsTruncated":false,"Marker":..}
//
// IAM is global: the file is one resource (TypeVirtualMFAList) of the
// account its devices' ARNs (or the file's path) name.

// FormatVirtualMFA is the list-virtual-mfa-devices output.
const (
	FormatVirtualMFA   = "aws-iam-virtual-mfa-devices"
	TypeVirtualMFAList = "AWS::IAM::VirtualMFADeviceList"
)

func isVirtualMFA(d attr.M) bool {
	return attr.Has(d, "VirtualMFADevices") && onlyKeys(d, "VirtualMFADevices", "IsTruncated", "Marker", "ResponseMetadata")
}

// parseVirtualMFA reads a list-virtual-mfa-devices output: whether one of
// its devices is the root user's, and whether the list is whole.
func parseVirtualMFA(res *attr.Result, path string, d attr.M) {
	list, isArr := d["VirtualMFADevices"].([]any)
	if !isArr {
		res.Problems = append(res.Problems, attr.Problem{Path: path, Field: "VirtualMFADevices",
			Err: fmt.Sprintf("VirtualMFADevices is %s, not a list: whether the root user's MFA is virtual is unknown", withArticle(attr.Kind(d["VirtualMFADevices"])))})
		return
	}
	acct := accountOfPath(path)
	root, complete := false, !attr.Any(attr.Bool(d, "IsTruncated")) && attr.Str(d, "Marker") == ""
	for i, v := range list {
		dev := attr.AsObj(v)
		serial := attr.Str(dev, "SerialNumber")
		if serial == "" {
			complete = false
			res.Problems = append(res.Problems, attr.Problem{Path: path, Field: fmt.Sprintf("VirtualMFADevices[%d]", i),
				Err: fmt.Sprintf("VirtualMFADevices[%d] has no SerialNumber: left out, the root user's MFA may be it", i)})
			continue
		}
		if a := accountOf(serial); a != "" {
			acct = a
		}
		user := attr.Str(attr.Obj(dev, "User"), "Arn")
		if strings.HasSuffix(serial, ":mfa/root-account-mfa-device") || strings.HasSuffix(user, ":root") {
			root = true
		}
	}
	accountListing(res, path, acct, TypeVirtualMFAList, "virtual-mfa-devices", attr.M{"RootVirtual": root, "Complete": complete})
}

// accountRootHardwareMFA sets, per account, whether the root user has a
// hardware MFA device: false when the credential report says root has no
// MFA, or a virtual MFA device is root's; true when root has MFA and a
// whole list of the account's virtual devices has none of root's.
func accountRootHardwareMFA(byType map[string][]*resource.Resource, get func(string) *resource.AccountCIS) {
	virtual, whole := map[string]bool{}, map[string]bool{}
	for _, l := range byType[TypeVirtualMFAList] {
		virtual[l.Account] = virtual[l.Account] || attr.Any(attr.Bool(l.Raw, "RootVirtual"))
		whole[l.Account] = whole[l.Account] || attr.Any(attr.Bool(l.Raw, "Complete"))
	}
	for _, r := range byType[TypeRoot] {
		id := r.Facts.Identity
		if r.Account == "" || id == nil || id.MFAEnabled == nil {
			continue
		}
		switch {
		case !*id.MFAEnabled, virtual[r.Account]:
			get(r.Account).RootHardwareMFA = resource.Bool(false)
		case whole[r.Account]:
			get(r.Account).RootHardwareMFA = resource.Bool(true)
		}
	}
}
