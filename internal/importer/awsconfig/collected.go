package awsconfig

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// The exports `vigil collect` writes beside the ones the sample
// organization has (they are the real AWS Config items and CLI outputs
// too, so the same files from any other tool read the same):
//
//	AWS::RDS::DBSnapshot / AWS::RDS::DBClusterSnapshot items, with
//	  supplementaryConfiguration.DB[Cluster]SnapshotAttributes
//	  [{"attributeName":"restore","attributeValues":["all"|<account>...]}]
//	AWS::ElasticLoadBalancingV2::LoadBalancer items, with
//	  supplementaryConfiguration.LoadBalancerAttributes [{"key":..,"value":"true"}]
//	aws lambda list-function-url-configs --function-name NAME
//	                                   {"FunctionUrlConfigs":[{"FunctionArn":..,"AuthType":"NONE"|"AWS_IAM",..}]}
//	aws lambda get-function-url-config {"FunctionUrl":..,"FunctionArn":..,"AuthType":..,..}
//	aws kms get-key-policy --key-id ID --policy-name default
//	                                   {"Policy":"<JSON text>","PolicyName":"default"}, in a file named
//	                                   <key-id>[.<region>].json (the output does not name the key)
//
// and the outputs read but not evaluated (no fact of the model holds
// them): each becomes a resource of class other, so that the summary
// lists them once per kind among the unsupported types rather than once
// per file among the skipped inputs:
//
//	aws securityhub describe-hub              {"HubArn":..,"SubscribedAt":..,"AutoEnableControls":..}
//	aws securityhub get-enabled-standards     {"StandardsSubscriptions":[{"StandardsSubscriptionArn":..,..}]}
//	aws macie2 get-macie-session              {"status":"ENABLED"|"PAUSED","serviceRole":..,..}, in a file
//	                                          whose name has the region (Finalize reads its status)
//	aws configservice describe-delivery-channels {"DeliveryChannels":[{"name":..,"s3BucketName":..}]}
//	aws iam get-account-summary               {"SummaryMap":{"Users":..,"AccountMFAEnabled":..}}
//
// and `aws guardduty list-detectors` ({"DetectorIds":[..]}, in a file
// whose name has the region), which tells a region without a detector
// from one whose detectors were not collected (Finalize).

// Format names of the outputs read here.
const (
	FormatFunctionURLs     = "aws-lambda-function-url-configs"
	FormatKeyPolicy        = "aws-kms-key-policy"
	FormatSecurityHub      = "aws-securityhub-hub"
	FormatStandards        = "aws-securityhub-enabled-standards"
	FormatDeliveryChannels = "aws-config-delivery-channels"
	FormatAccountSummary   = "aws-iam-account-summary"
	FormatDetectorIDs      = "aws-guardduty-detector-ids"
	FormatMacieSession     = "aws-macie-session"
)

// Synthetic and native types of the resources made from them.
const (
	TypeKeyPolicy       = "AWS::KMS::KeyPolicy"
	TypeSecurityHub     = "AWS::SecurityHub::Hub"
	TypeStandard        = "AWS::SecurityHub::Standard"
	TypeDeliveryChannel = "AWS::Config::DeliveryChannel"
	TypeAccountSummary  = "AWS::IAM::AccountSummary"
	TypeDetectorIDs     = "AWS::GuardDuty::DetectorIds"
	TypeMacieSession    = "AWS::Macie::Session"
)

func detectCollected(d attr.M) string {
	switch {
	case attr.Has(d, "FunctionUrlConfigs") && (attr.Arr(d, "FunctionUrlConfigs") != nil || len(d) <= 2):
		return FormatFunctionURLs
	case attr.Has(d, "FunctionUrl") && attr.Has(d, "FunctionArn") && attr.Has(d, "AuthType"):
		return FormatFunctionURLs
	case attr.Has(d, "Policy") && attr.Has(d, "PolicyName") && onlyKeys(d, "Policy", "PolicyName"):
		return FormatKeyPolicy
	case strings.Contains(attr.Str(d, "HubArn"), ":securityhub:") && onlyKeys(d, "HubArn", "SubscribedAt", "AutoEnableControls", "ControlFindingGenerator"):
		return FormatSecurityHub
	case attr.Has(d, "StandardsSubscriptions") && (attr.Arr(d, "StandardsSubscriptions") != nil || len(d) <= 2) && onlyKeys(d, "StandardsSubscriptions", "NextToken"):
		return FormatStandards
	case attr.Has(d, "DeliveryChannels") && onlyKeys(d, "DeliveryChannels"):
		return FormatDeliveryChannels
	case attr.Obj(d, "SummaryMap") != nil && onlyKeys(d, "SummaryMap"):
		return FormatAccountSummary
	case attr.Has(d, "DetectorIds") && onlyKeys(d, "DetectorIds", "NextToken"):
		return FormatDetectorIDs
	case attr.Has(d, "status") && strings.Contains(attr.Str(d, "serviceRole"), "macie") &&
		onlyKeys(d, "createdAt", "findingPublishingFrequency", "serviceRole", "status", "updatedAt"):
		return FormatMacieSession
	}
	return ""
}

func parseCollected(res *attr.Result, path string, d attr.M) {
	switch Detect(d) {
	case FormatFunctionURLs:
		parseFunctionURLs(res, path, d)
	case FormatKeyPolicy:
		parseKeyPolicy(res, path, d)
	case FormatSecurityHub:
		arn := attr.Str(d, "HubArn")
		res.Resources = append(res.Resources, arnResource(path, TypeSecurityHub, arn, d, resource.ClassOther))
	case FormatStandards:
		for i, s := range attr.Arr(d, "StandardsSubscriptions") {
			arn := attr.Str(attr.AsObj(s), "StandardsSubscriptionArn")
			if arn == "" {
				res.Problems = append(res.Problems, attr.Problemf(0, 0, "StandardsSubscriptions[%d] has no StandardsSubscriptionArn", i))
				continue
			}
			r := arnResource(path, TypeStandard, arn, attr.AsObj(s), resource.ClassOther)
			if _, sub, found := strings.Cut(arn, ":subscription/"); found {
				r.Name = sub
			}
			res.Resources = append(res.Resources, r)
		}
	case FormatDeliveryChannels:
		acct, region := accountOfPath(path), regionInPath(path)
		for i, c := range attr.Arr(d, "DeliveryChannels") {
			name := attr.Str(attr.AsObj(c), "name")
			if name == "" {
				res.Problems = append(res.Problems, attr.Problemf(0, 0, "DeliveryChannels[%d] has no name", i))
				continue
			}
			r := &resource.Resource{Provider: resource.AWS, Account: acct, Region: region,
				Type: TypeDeliveryChannel, ID: "aws-config-delivery-channel:" + name + "#" + path, Name: name,
				Raw: attr.AsObj(c), Source: path, Class: resource.ClassOther}
			if b := attr.Str(attr.AsObj(c), "s3BucketName"); b != "" {
				// the bucket the channel delivers to: governance plumbing,
				// not a workload (CIS AWS 7.0 2.1.3)
				attr.Relate(r, resource.RelLogsTo, "arn:aws:s3:::"+b)
			}
			res.Resources = append(res.Resources, r)
		}
	case FormatDetectorIDs:
		region := regionInPath(path)
		ids, st := node{M: d, C: &checker{ID: path}}.Strs("DetectorIds")
		if region == "" || st != ok {
			res.Problems = append(res.Problems, attr.Problem{Field: "DetectorIds",
				Err: "GuardDuty detector list: name the file after its region (guardduty-list-detectors.<region>.json) and give DetectorIds as a list of IDs"})
			break
		}
		r := &resource.Resource{Provider: resource.AWS, Account: accountOfPath(path), Region: region, Type: TypeDetectorIDs,
			ID: "aws-guardduty-detector-ids:" + region + "#" + path, Name: "detectors-" + region, Raw: d, Source: path, Class: resource.ClassOther}
		list := make([]any, len(ids))
		for i, id := range ids {
			list[i] = id
		}
		// A page of a longer list (NextToken) does not show the region has
		// no other detector.
		r.Raw = attr.M{"DetectorIds": list, "Complete": attr.Str(d, "NextToken") == ""}
		res.Resources = append(res.Resources, r)
	case FormatMacieSession:
		region := regionInPath(path)
		if region == "" {
			res.Problems = append(res.Problems, attr.Problem{Field: "status",
				Err: "Macie session: name the file after its region (macie2-get-macie-session.<region>.json)"})
			break
		}
		res.Resources = append(res.Resources, &resource.Resource{Provider: resource.AWS, Account: accountOfPath(path), Region: region,
			Type: TypeMacieSession, ID: "aws-macie-session:" + region + "#" + path, Name: "macie-" + region, Raw: d, Source: path,
			Class: resource.ClassOther})
	case FormatAccountSummary:
		res.Resources = append(res.Resources, &resource.Resource{Provider: resource.AWS, Account: accountOfPath(path), Region: "global",
			Type: TypeAccountSummary, ID: "aws-iam-account-summary#" + path, Name: "account-summary", Raw: d, Source: path,
			Class: resource.ClassOther})
	}
	for _, r := range res.Resources {
		if r.Class == resource.ClassOther {
			res.AddUnsupported(r)
		}
	}
}

// unqualified drops the version or alias of a Lambda function ARN.
func unqualified(arn string) string {
	if parts := strings.Split(arn, ":"); len(parts) == 8 && parts[5] == "function" {
		return strings.Join(parts[:7], ":")
	}
	return arn
}

// parseFunctionURLs reads a function's URL configurations onto the
// function (named by the entries' FunctionArn). Whether a URL makes the
// function public also needs its resource policy: Finalize decides.
func parseFunctionURLs(res *attr.Result, path string, d attr.M) {
	entries := []any{d}
	if attr.Has(d, "FunctionUrlConfigs") {
		v, _ := attr.Get(d, "FunctionUrlConfigs")
		entries = attr.AsArr(v)
		if entries == nil && v != nil {
			res.Problems = append(res.Problems, attr.Problem{Field: "FunctionUrlConfigs", Err: "FunctionUrlConfigs is " + withArticle(attr.Kind(v)) + ", not an array: nothing imported from this file"})
			return
		}
	}
	byFn := map[string][]any{}
	var order []string
	for i, e := range entries {
		o := attr.AsObj(e)
		fn := unqualified(attr.Str(o, "FunctionArn"))
		if parts := strings.Split(fn, ":"); len(parts) != 7 || parts[0] != "arn" || parts[5] != "function" {
			res.Problems = append(res.Problems, attr.Problem{Field: fmt.Sprintf("FunctionUrlConfigs[%d].FunctionArn", i),
				Err: "function URL configuration without a function ARN: cannot tell which function it belongs to"})
			continue
		}
		if _, seen := byFn[fn]; !seen {
			order = append(order, fn)
		}
		byFn[fn] = append(byFn[fn], o)
	}
	// A complete empty list is the function's "no URL": the function is
	// named by the file (<function>.<region>.json under <account>/).
	if len(entries) == 0 {
		name, _, _ := strings.Cut(filepath.Base(path), ".")
		acct, region := accountOfPath(path), regionInPath(path)
		if name != "" && acct != "" && region != "" {
			fn := "arn:aws:lambda:" + region + ":" + acct + ":function:" + name
			order, byFn[fn] = append(order, fn), []any{}
		}
	}
	for _, fn := range order {
		parts := strings.Split(fn, ":")
		res.Resources = append(res.Resources, &resource.Resource{Provider: resource.AWS, Account: parts[4], Region: parts[3],
			Type: TypeLambda, ID: fn, Name: parts[6], Raw: attr.M{"FunctionUrlConfigs": byFn[fn]}, Source: path,
			Class: resource.ClassFunction, Facts: resource.Facts{Function: &resource.Function{}}})
	}
}

var keyIDRe = regexp.MustCompile(`^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`)

// keyIDOfPath is the KMS key ID a key policy file is named after
// (<key-id>.json, or <key-id>.<region>.json for a multi-Region key).
func keyIDOfPath(p string) string {
	id, _, _ := strings.Cut(filepath.Base(p), ".")
	if keyIDRe.MatchString(id) {
		return id
	}
	return ""
}

// parseKeyPolicy reads `aws kms get-key-policy` output, which does not
// name its key: the file does, and Finalize puts the policy (and its
// public access) on the key with that ID.
func parseKeyPolicy(res *attr.Result, path string, d attr.M) {
	id := keyIDOfPath(path)
	if id == "" {
		res.Problems = append(res.Problems, attr.Problem{Err: "KMS key policy output: name the file <key-id>.json, as the output does not say which key it is about"})
		return
	}
	r := &resource.Resource{Provider: resource.AWS, Account: accountOfPath(path), Region: regionInPath(path), Type: TypeKeyPolicy,
		ID: "aws-kms-key-policy:" + id + "#" + path, Name: id, Source: path, Class: resource.ClassOther,
		Raw: attr.M{"KeyId": id}}
	c := &checker{ID: r.ID}
	if doc, _ := docAt(node{M: d, C: c}, "Policy", "key "+id); doc != nil {
		r.Raw["Policy"] = getv(d, "Policy") // one that does not parse is kept with its error and decides nothing
	}
	res.Problems = append(res.Problems, c.Problems...)
	res.Resources = append(res.Resources, r)
}

// publicThroughURL reports whether a function policy lets anyone invoke
// the function's URLs whose AuthType is NONE: an Allow to "*" of
// lambda:InvokeFunctionUrl whose only condition is
// lambda:FunctionUrlAuthType NONE (what the console and
// `aws lambda add-permission --function-url-auth-type NONE` write).
// Unconditional grants are awspolicy.Public's.
func publicThroughURL(d *resource.PolicyDocument) bool {
	if d == nil || d.Error != "" {
		return false
	}
	for _, s := range d.Statements {
		if s.Effect != "Allow" || len(s.Conditions) == 0 {
			continue
		}
		anyone := false
		for _, p := range s.Principals {
			anyone = anyone || awspolicy.IsAnyone(p)
		}
		action := false
		for _, a := range s.Actions {
			a = strings.ToLower(a)
			action = action || a == "*" || a == "lambda:*" || a == "lambda:invokefunctionurl" ||
				(strings.HasSuffix(a, "*") && strings.HasPrefix("lambda:invokefunctionurl", strings.TrimSuffix(a, "*")))
		}
		onlyURL := true
		for _, c := range s.Conditions {
			none := len(c.Values) > 0
			for _, v := range c.Values {
				none = none && strings.EqualFold(v, "NONE")
			}
			onlyURL = onlyURL && strings.EqualFold(c.Key, "lambda:FunctionUrlAuthType") && none &&
				strings.HasPrefix(c.Operator, "String") && !strings.Contains(c.Operator, "Not")
		}
		if anyone && action && onlyURL {
			return true
		}
	}
	return false
}

// finishFunctions decides a function's public invocation from its URLs
// and its resource policy together: a URL with AuthType NONE is public
// when the policy grants anyone lambda:InvokeFunctionUrl for such URLs
// (Lambda checks the policy even then). A policy granting it without the
// function's URLs in the input, or a NONE URL without its policy, leaves
// the fact as the other input set it (unknown when neither decides).
func finishFunctions(fns []*resource.Resource) {
	for _, r := range fns {
		f := r.Facts.Function
		if f == nil || r.Raw == nil || (f.PublicInvocation != nil && *f.PublicInvocation) {
			continue
		}
		v, hasPolicy := r.Raw["Policy"]
		if !hasPolicy || !publicThroughURL(awspolicy.Parse(v)) {
			continue
		}
		urls, hasURLs := r.Raw["FunctionUrlConfigs"]
		if !hasURLs {
			f.PublicInvocation = nil // public if the function has a NONE URL: not in the input
			continue
		}
		none := false
		for _, u := range attr.AsArr(urls) {
			none = none || strings.EqualFold(attr.Str(attr.AsObj(u), "AuthType"), "NONE")
		}
		f.PublicInvocation = boolp(none)
	}
}

// finishKeyPolicies puts each key policy, and its public access, on its key,
// matched by key ID (and the region and account of the file, when its
// path names them: a multi-Region key has one ID in several regions).
func finishKeyPolicies(keys, policies []*resource.Resource) {
	byID := map[string][]*resource.Resource{}
	for _, k := range keys {
		id := attr.Str(k.Raw, "resourceId")
		if i := strings.LastIndex(k.ID, "/"); i >= 0 {
			id = k.ID[i+1:]
		}
		byID[id] = append(byID[id], k)
	}
	for _, p := range policies {
		var match *resource.Resource
		for _, k := range byID[attr.Str(p.Raw, "KeyId")] {
			if (p.Region == "" || p.Region == k.Region) && (p.Account == "" || p.Account == k.Account) {
				if match != nil {
					match = nil // two keys fit: the file does not say which
					break
				}
				match = k
			}
		}
		v, parsed := p.Raw["Policy"]
		if match == nil || match.Facts.Key == nil || !parsed {
			continue
		}
		p.Account, p.Region = match.Account, match.Region
		doc := awspolicy.Parse(v)
		if match.Facts.ResourcePolicy == nil {
			match.Facts.ResourcePolicy = doc
		}
		if match.Facts.Key.PublicAccess == nil {
			match.Facts.Key.PublicAccess = awspolicy.Public(doc)
		}
	}
}

// rdsSnapshot reads an RDS DB or cluster snapshot item: encryption, and
// its restore attribute (who may
// copy or restore it): "all" is public, account IDs are the accounts it
// is shared with. An automated snapshot cannot be shared (AWS: copy it to
// a manual one first), so without attributes it is neither.
func rdsSnapshot(encryptedKey, attrsKey string) normalizer {
	return func(it *item) {
		r, cfg, supp := it.r, it.cfg, it.supp
		r.Class = resource.ClassSnapshot
		s := &resource.Snapshot{Kind: "snapshot"}
		r.Facts.Snapshot = s
		if !cfg.Present() {
			return
		}
		s.Encrypted = cfg.B(encryptedKey)
		s.Created = cfg.S("snapshotCreateTime")
		// A copy from another region names its source snapshot (an ARN)
		// and region.
		if src := cfg.S("sourceDBSnapshotIdentifier"); strings.HasPrefix(src, "arn:") && cfg.S("sourceRegion") != "" {
			attr.Relate(r, resource.RelCopyOf, src)
		}
		kms, kst := cfg.Str("kmsKeyId")
		if s.Encrypted != nil && *s.Encrypted && kst == ok && kms != "" {
			attr.Relate(r, resource.RelUsesKey, kms)
			s.KeyManager = keyManager(kms) // an ARN: the key's own item decides (resolveKeys)
		}
		switch attrs, st := supp.Objs(attrsKey); st {
		case ok:
			before := supp.C.Count()
			public, shared := false, []string(nil)
			for _, a := range attrs {
				if !strings.EqualFold(a.S("attributeName"), "restore") {
					continue
				}
				vals, _ := a.Strs("attributeValues")
				for _, v := range vals {
					if strings.EqualFold(v, "all") {
						public = true
					} else if v != "" {
						shared = append(shared, v)
					}
				}
			}
			if supp.C.Count() == before {
				s.Public, s.SharedWith, s.CrossAccount = boolp(public), shared, boolp(len(shared) > 0)
			}
		case absent:
			if strings.EqualFold(cfg.S("snapshotType"), "automated") {
				s.Public, s.CrossAccount = boolp(false), boolp(false)
			}
		}
	}
}

// elbv2Attributes reads the load balancer attributes
// (DescribeLoadBalancerAttributes, key/value strings) an item carries.
// An attribute not in the list (a type that has none such: access logs on
// a gateway load balancer) stays unknown.
func elbv2Attributes(lb *resource.LoadBalancer, supp node) {
	attrs, st := supp.Objs("LoadBalancerAttributes")
	if st != ok {
		return
	}
	before := supp.C.Count()
	vals := map[string]*bool{}
	for _, a := range attrs {
		k, v := a.S("key"), a.S("value")
		if k == "" {
			k, v = a.S("Key"), a.S("Value") // CloudFormation's names
		}
		switch strings.ToLower(v) {
		case "true":
			vals[k] = boolp(true)
		case "false":
			vals[k] = boolp(false)
		}
	}
	if supp.C.Count() != before {
		return
	}
	lb.DeletionProtection = vals["deletion_protection.enabled"]
	lb.AccessLogs = vals["access_logs.s3.enabled"]
	lb.DropInvalidHeaders = vals["routing.http.drop_invalid_header_fields.enabled"]
}
