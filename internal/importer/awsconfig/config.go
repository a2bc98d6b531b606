package awsconfig

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Format names of the inputs this package reads.
const (
	FormatConfig           = "aws-config"
	FormatCredentialReport = "aws-credential-report"
	FormatPasswordPolicy   = "aws-password-policy"
	FormatEBSDefault       = "aws-ebs-encryption-by-default"
	FormatFlowLogs         = "aws-flow-logs"
	FormatKeyRotation      = "aws-kms-key-rotation-status"
	FormatAlternateContact = "aws-alternate-contact"
	FormatSnapshots        = "aws-ec2-snapshots"
	FormatSnapshotAttr     = "aws-ec2-snapshot-attribute"
	FormatImages           = "aws-ec2-images"
	FormatImageAttr        = "aws-ec2-image-attribute"
	FormatLambdaPolicy     = "aws-lambda-policy"
	FormatQueueAttrs       = "aws-queue-attributes"
	FormatSecretPolicy     = "aws-secret-resource-policy"
	FormatRepoPolicy       = "aws-ecr-repository-policy"
	FormatSecretDescribe   = "aws-secret-description"
	FormatAPIResources     = "aws-apigateway-resources"
	FormatRecordSets       = "aws-route53-record-sets"
	FormatTargetHealth     = "aws-elbv2-target-health"
)

// Synthetic native types for inputs that are not AWS Config items.
const (
	TypeAccount        = "AWS::::Account"
	TypeRoot           = "AWS::IAM::Root"
	TypePasswordPolicy = "AWS::IAM::AccountPasswordPolicy"
	TypeEBSDefault     = "AWS::EC2::EBSEncryptionByDefault"
	TypeFlowLog        = "AWS::EC2::FlowLog"
	TypeKeyRotation    = "AWS::KMS::KeyRotationStatus"
	TypeSecContact     = "AWS::Account::AlternateContact"
	TypeSnapshot       = "AWS::EC2::Snapshot"
	TypeImage          = "AWS::EC2::Image"
	TypeLambda         = "AWS::Lambda::Function"
	TypeHostedZone     = "AWS::Route53::HostedZone"
)

// Detect returns the format of a decoded JSON document when it is an AWS
// export this package reads, else "".
func Detect(doc any) string {
	switch d := doc.(type) {
	case attr.M:
		for _, k := range []string{"configurationItems", "baseConfigurationItems"} {
			if attr.AsArr(getv(d, k)) != nil {
				return FormatConfig
			}
		}
		if rs := attr.Arr(d, "Results"); rs != nil && (attr.Has(d, "QueryInfo") || isConfigItemList(rs)) {
			return FormatConfig
		}
		if attr.Has(d, "configSnapshotId") && attr.Has(d, "fileVersion") {
			return FormatConfig
		}
		if attr.Obj(d, "PasswordPolicy") != nil || (len(d) == 1 && attr.Has(d, "PasswordPolicy")) {
			return FormatPasswordPolicy
		}
		if _, ok := attr.Get(d, "EbsEncryptionByDefault"); ok {
			return FormatEBSDefault
		}
		if attr.Arr(d, "FlowLogs") != nil || (attr.Has(d, "FlowLogs") && len(d) <= 2) {
			return FormatFlowLogs
		}
		if attr.Has(d, "KeyRotationEnabled") && attr.Str(d, "KeyId") != "" {
			return FormatKeyRotation
		}
		if c := attr.Obj(d, "AlternateContact"); (c != nil && attr.Has(c, "AlternateContactType")) || (len(d) == 1 && attr.Has(d, "AlternateContact")) {
			return FormatAlternateContact
		}
		if f := detectCLI(d); f != "" {
			return f
		}
		if f := detectCollected(d); f != "" {
			return f
		}
		if isAnalyzers(d) {
			return FormatAnalyzers
		}
		if f := detectCISCLI(d); f != "" {
			return f // cis_metricfilters.go
		}
		// A snapshot whose item list is not a list is still a snapshot: it
		// is reported, not skipped as an unknown file.
		if attr.Has(d, "configurationItems") || attr.Has(d, "baseConfigurationItems") {
			return FormatConfig
		}
		if isConfigItem(d) {
			return FormatConfig
		}
	case []any:
		if isConfigItemList(d) {
			return FormatConfig
		}
	}
	return ""
}

func getv(m attr.M, k string) any { v, _ := attr.Get(m, k); return v }

// isConfigItemList: any element is a configuration item, not only the
// first, so that a file whose first item is damaged is still read (Parse
// reports the bad items by index) rather than skipped as an unknown file.
func isConfigItemList(a []any) bool {
	return slices.ContainsFunc(a, func(v any) bool { return isConfigItem(attr.AsObj(v)) })
}

func isConfigItem(o attr.M) bool {
	if o == nil || !attr.Has(o, "resourceType") {
		return false
	}
	return attr.Has(o, "awsRegion") || attr.Has(o, "awsAccountId") || attr.Has(o, "accountId") || attr.Has(o, "configurationItemCaptureTime")
}

// Parse imports a decoded JSON document of one of this package's formats.
func Parse(ctx context.Context, path string, doc any) *attr.Result {
	res := &attr.Result{Format: Detect(doc)}
	d, _ := doc.(attr.M)
	switch res.Format {
	case FormatPasswordPolicy:
		parsePasswordPolicy(res, path, d)
		return res
	case FormatEBSDefault:
		parseEBSDefault(res, path, d)
		return res
	case FormatFlowLogs:
		parseFlowLogs(res, path, d)
		return res
	case FormatKeyRotation:
		parseKeyRotation(res, path, d)
		return res
	case FormatAlternateContact:
		parseAlternateContact(res, path, d)
		return res
	case FormatSnapshots, FormatSnapshotAttr, FormatImages, FormatImageAttr, FormatLambdaPolicy,
		FormatQueueAttrs, FormatSecretPolicy, FormatRepoPolicy, FormatSecretDescribe, FormatAPIResources, FormatAPIV2Integrations, FormatVPCLinks, FormatRecordSets, FormatTargetHealth,
		FormatTGWAttachments, FormatTGWRoutes, FormatDXVIFs, FormatDXAssociations:
		parseCLI(res, path, d)
		return res
	case FormatFunctionURLs, FormatKeyPolicy, FormatSecurityHub, FormatStandards, FormatDeliveryChannels, FormatAccountSummary,
		FormatDetectorIDs, FormatMacieSession:
		parseCollected(res, path, d)
		return res
	case FormatAnalyzers:
		parseAnalyzers(res, path, d)
		return res
	case FormatMetricFilters, FormatAlarms, FormatVirtualMFA, FormatSAMLProviders, FormatServerCertificates, FormatVPCEndpoints:
		parseCISCLI(res, path, d)
		return res
	}
	var items []any
	switch {
	case d == nil:
		items, _ = doc.([]any)
	case isConfigItem(d):
		items = []any{d}
	default:
		for _, k := range []string{"configurationItems", "baseConfigurationItems", "Results"} {
			v, present := attr.Get(d, k)
			if !present || v == nil {
				continue
			}
			a := attr.AsArr(v)
			if a == nil {
				res.Problems = append(res.Problems, attr.Problem{Field: k,
					Err: fmt.Sprintf("%s is %s, not an array of configuration items: nothing imported from this file", k, withArticle(attr.Kind(v)))})
				continue
			}
			items = append(items, a...)
		}
	}
	its := make([]citem, len(items))
	for i, raw := range items {
		its[i].m = attr.AsObj(raw) // select-resource-config results are JSON strings
	}
	parseItems(ctx, res, path, its)
	return res
}

// itemShape is how ParseShaped decodes configuration items: the members
// of a snapshot's, history file's and API output's items (both spellings
// of the ARN and account).
var itemShape = attr.NewShape(
	"relatedEvents", "relationships", "configuration", "supplementaryConfiguration", "tags",
	"configurationItemVersion", "configurationItemCaptureTime", "configurationStateId", "awsAccountId",
	"configurationItemStatus", "resourceType", "resourceId", "resourceName", "ARN", "awsRegion",
	"availabilityZone", "configurationStateMd5Hash", "resourceCreationTime", "accountId", "arn",
	"configurationItemMD5Hash", "version",
)

// shapedKeys are the members a document ParseShaped takes may have beside
// configurationItems: a snapshot's and history file's, and the paging
// token of get-resource-config-history. Any other member could make it
// another format or add items (baseConfigurationItems, Results).
var shapedKeys = map[string]bool{"fileVersion": true, "configSnapshotId": true, "nextToken": true, "NextToken": true}

// ParseShaped imports an AWS Config snapshot, history file or
// get-resource-config-history output ({"configurationItems": [...]} with
// only the members shapedKeys names beside it) from its text, its items
// decoded into typed items (attr.DecodeShaped) rather than maps: the same
// result as Parse on the decoded document. It returns nil for any other
// text (the caller decodes it and detects its format as before).
func ParseShaped(ctx context.Context, path string, data []byte) *attr.Result {
	if !bytes.Contains(data[:min(len(data), 512)], []byte(`"configurationItems"`)) {
		return nil
	}
	decode := attr.DecodeShaped
	if attr.RawDropped(ctx) {
		// The payloads are read through nodes only, and a Raw is built
		// (PlainMap, MapOf) only for the types FinishRaw keeps: their
		// objects are decoded as attr.Objects, not maps.
		decode = attr.DecodeShapedObjects
	}
	doc, items, decoded := decode(data, "configurationItems", itemShape)
	if !decoded {
		return nil
	}
	for k := range doc {
		if !shapedKeys[k] {
			return nil
		}
	}
	res := &attr.Result{Format: FormatConfig}
	its := make([]citem, len(items))
	for i, it := range items {
		its[i].e = it
	}
	parseItems(ctx, res, path, its)
	return res
}

// citem is a configuration item: decoded as a map (m) or along itemShape
// (e); neither when the element was not an object.
type citem struct {
	m attr.M
	e *attr.Item
}

// get is attr.Get on the item.
func (c citem) get(key string) (any, bool) {
	if c.e != nil {
		return c.e.Get(key)
	}
	return attr.Get(c.m, key)
}

// exact is the member of exactly this key.
func (c citem) exact(key string) (any, bool) {
	if c.e != nil {
		return c.e.Exact(key)
	}
	v, found := c.m[key]
	return v, found
}

// str is attr.Str on the item.
func (c citem) str(key string) string {
	if c.e != nil {
		return c.e.Str(key)
	}
	return attr.Str(c.m, key)
}

// raw is the item as a map (Raw).
func (c citem) raw() attr.M {
	if c.e != nil {
		return c.e.PlainMap()
	}
	return c.m
}

// parseItems normalizes configuration items. A history file or a history
// listing carries several items per resource: the latest capture wins, and
// a resource whose latest item says it was deleted is dropped.
func parseItems(ctx context.Context, res *attr.Result, path string, items []citem) {
	type latest struct {
		item citem
		at   time.Time
		idx  int
	}
	rawDropped := attr.RawDropped(ctx)
	byID := make(map[string]*latest, len(items))
	order := make([]string, 0, len(items))
	for i, it := range items {
		if i%1024 == 0 && ctx.Err() != nil {
			return
		}
		if it.m == nil && it.e == nil {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "configuration item %d is not an object", i))
			continue
		}
		key := itemKey(it)
		if key == "" {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "configuration item %d has no resourceType, resourceId or ARN", i))
			continue
		}
		at, _ := time.Parse(time.RFC3339, it.str("configurationItemCaptureTime"))
		if l, ok := byID[key]; ok {
			if !at.Before(l.at) {
				l.item, l.at = it, at
			}
			continue
		}
		byID[key] = &latest{item: it, at: at, idx: i}
		order = append(order, key)
	}
	defer resolveKeys(res)
	defer foldListeners(res)
	res.Resources = make([]*resource.Resource, 0, len(order))
	var tags attr.TagCache
	for _, key := range order {
		l := byID[key]
		switch l.item.str("configurationItemStatus") {
		case "ResourceDeleted", "ResourceDeletedNotRecorded":
			continue
		}
		r, supported, problems := normalize(path, l.item, l.at, &tags, rawDropped)
		res.Problems = append(res.Problems, problems...)
		if l.at.IsZero() {
			r.CapturedAt = nil
		} else {
			at := l.at
			r.CapturedAt = &at
		}
		res.Resources = append(res.Resources, r)
		if !supported {
			res.AddUnsupported(r)
		}
	}
}

// builtARN is the ARN of an item without one, for the types whose ARN a
// CLI output about the same resource is named by (so that both are one
// resource): API Gateway REST and v2 APIs. "" for the others.
func builtARN(typ, region, resID string) string {
	if resID == "" || region == "" || region == "global" {
		return ""
	}
	switch typ {
	case TypeRestAPI:
		return "arn:aws:apigateway:" + region + "::/restapis/" + resID
	case TypeAPIV2:
		return "arn:aws:apigateway:" + region + "::/apis/" + resID
	}
	return ""
}

func itemKey(it citem) string {
	if arn := it.str("ARN"); arn != "" {
		return arn
	}
	t, id := it.str("resourceType"), it.str("resourceId")
	if t == "" && id == "" {
		return ""
	}
	return t + "|" + it.str("awsAccountId") + it.str("accountId") + "|" + it.str("awsRegion") + "|" + id
}

// item is one configuration item being normalized: its resource, the item
// as a typed-read node, and its configuration and supplementary
// configuration (zero nodes when absent or of the wrong type, which the
// checker reports).
type item struct {
	r *resource.Resource
	// root is the item as a node: its members are read from ci (ObjAt),
	// root carries the checker.
	root node
	ci   citem
	cfg  node
	supp node
	// at is the capture time, zero when the item does not say.
	at time.Time
}

// relationships reads the item's relationships (root.Objs).
func (it *item) relationships() ([]node, state) {
	v, found := it.ci.get("relationships")
	return it.root.ObjsAt("relationships", v, found)
}

// normalize turns one configuration item into a resource. supported is
// false when its type has no class (the resource is kept for derivation
// and listed as unsupported). tc converts the tags (nil: every time).
// rawDropped: the importer drops the Raw FinishRaw does not keep (an item
// decoded along itemShape then gets no Raw it would drop). at is the
// item's configurationItemCaptureTime, parsed (zero when it has none).
func normalize(path string, it citem, at time.Time, tc *attr.TagCache, rawDropped bool) (r *resource.Resource, supported bool, problems []attr.Problem) {
	acct := it.str("awsAccountId")
	if acct == "" {
		acct = it.str("accountId")
	}
	typ := it.str("resourceType")
	resID := it.str("resourceId")
	region := it.str("awsRegion")
	if region == "" {
		region = "global"
	}
	id := it.str("ARN")
	if id == "" {
		id = builtARN(typ, region, resID)
	}
	if id == "" {
		// Some items (and all select-resource-config rows without an arn
		// column) carry no ARN: build a stable ID from what is there.
		id = fmt.Sprintf("aws:%s:%s:%s:%s", acct, region, typ, resID)
	}
	if acct == "" {
		acct = accountOf(id)
	}
	name := it.str("resourceName")
	if name == "" {
		name = resID
	}
	c := &checker{ID: id}
	root := node{C: c}
	// The item's identity: text of another type would make it another
	// resource (an ARN 42) or none (a type 42): reported.
	for _, k := range []string{"ARN", "arn", "resourceType", "resourceId", "resourceName", "awsRegion", "awsAccountId", "accountId"} {
		if v, present := it.exact(k); present && v != nil {
			if _, isStr := v.(string); !isStr {
				c.Wrong(k, "string", v)
			}
		}
	}
	cfgV, cfgFound := it.get("configuration")
	cfg, _ := root.ObjAt("configuration", cfgV, cfgFound)
	suppV, suppFound := it.get("supplementaryConfiguration")
	supp, _ := root.ObjAt("supplementaryConfiguration", suppV, suppFound)
	tagsV, _ := it.get("tags")
	tags := tc.Tags(tagsV)
	if tags == nil && cfg.Present() {
		v, _ := cfg.Get("tags")
		tags = tc.Tags(v)
	}
	r = &resource.Resource{
		Provider: resource.AWS, Account: acct, Region: region, Type: typ, ID: id, Name: name,
		Tags: tags, Source: path, Class: resource.ClassOther,
	}
	switch {
	case it.e == nil || !rawDropped:
		r.Raw = it.raw()
	case keepsRaw(typ):
		// Only what FinishRaw keeps is built (a KMS key's resourceId,
		// not a map of its whole item).
		r.Raw = it.e.MapOf(func(k string) bool { return rawKeeps(typ, k) })
	}
	if resID != "" && resID != id {
		r.Aliases = append(r.Aliases, resID)
	}
	relsV, _ := it.get("relationships")
	if rels := attr.AsArr(relsV); len(rels) > 0 {
		// One slice for the item's relationships (the normalizers add a
		// few more) rather than one per doubling as they are added.
		r.Relationships = make([]resource.Relationship, 0, len(rels))
		for _, e := range rels {
			if s, isText := e.(string); isText {
				e = attr.AsObj(s)
			}
			if !attr.IsObject(e) {
				continue
			}
			target := attr.MemberStr(e, "resourceId")
			if target == "" {
				target = attr.MemberStr(e, "resourceName")
			}
			rt := attr.MemberStr(e, "name")
			if rt == "" {
				rt = attr.MemberStr(e, "relationshipName")
			}
			attr.Relate(r, rt, target)
		}
		if len(r.Relationships) == 0 {
			r.Relationships = nil
		}
	}
	if fill, ok := normalizers[typ]; ok {
		fill(&item{r: r, root: root, ci: it, cfg: cfg, supp: supp, at: at})
	}
	if r.ID != id { // the item became another resource (the account): its problems name it
		for i := range c.Problems {
			c.Problems[i].Resource = r.ID
			c.Problems[i].Err = strings.Replace(c.Problems[i].Err, id, r.ID, 1)
		}
	}
	return r, r.Class != resource.ClassOther, c.Problems
}

type normalizer func(it *item)

// Supported lists the AWS Config resource types this package gives a class.
func Supported() []string {
	out := make([]string, 0, len(normalizers))
	for t := range normalizers {
		if t != "AWS::GuardDuty::Detector" {
			out = append(out, t)
		}
	}
	return out
}

const (
	allUsersURI  = "http://acs.amazonaws.com/groups/global/AllUsers"
	authUsersURI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
)

// NotCollectedKey is the supplementary configuration key under which vigil's
// live collector lists the supplementary keys of an item whose call failed
// (AWS Config never writes it): what those keys decide stays unknown
// instead of reading as "not configured".
const NotCollectedKey = "vigil:notCollected"

func s3Bucket(it *item) {
	r, supp := it.r, it.supp
	r.Class = resource.ClassObjectStorage
	s := &resource.ObjectStorage{}
	r.Facts.Storage = s
	if supp.Len() == 0 {
		return // the item does not carry the bucket's settings
	}
	missing := map[string]bool{}
	notCollected, _ := supp.Get(NotCollectedKey)
	for _, k := range attr.StrsOf(notCollected) {
		missing[k] = true
	}
	// Block Public Access: all four settings on the bucket. Account-level
	// settings are carried onto buckets by derivation.
	var ignoreACLs, restrictPolicy *bool
	switch pab, st := supp.Obj("PublicAccessBlockConfiguration"); st {
	case ok:
		before := pab.C.Count()
		all := true
		for _, k := range []string{"blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"} {
			if b := pab.B(k); b == nil || !*b {
				all = false
			}
		}
		if pab.C.Count() == before {
			s.PublicAccessBlocked = boolp(all)
			ignoreACLs = attr.BoolOr(pab.B("ignorePublicAcls"), false)
			restrictPolicy = attr.BoolOr(pab.B("restrictPublicBuckets"), false)
		}
	case absent:
		if !missing["PublicAccessBlockConfiguration"] {
			s.PublicAccessBlocked = boolp(false)
			ignoreACLs, restrictPolicy = boolp(false), boolp(false)
		}
	}
	// The bucket policy: its text is a JSON string in policyText (null when
	// the bucket has none). A policy of the wrong type or that does not
	// parse leaves everything it decides unknown.
	var policyPublic, transport *bool
	policyKnown := false
	switch pol, st := supp.Obj("BucketPolicy"); st {
	case ok:
		v, vst := pol.Lookup("policyText")
		switch vst {
		case absent:
			policyKnown, policyPublic, transport = true, boolp(false), boolp(false)
		case ok:
			switch v.(type) {
			case string, attr.M, *attr.Object:
				doc := awspolicy.Parse(attr.Plain(v))
				r.Facts.ResourcePolicy = doc
				if doc == nil {
					policyKnown, policyPublic, transport = true, boolp(false), boolp(false)
				} else if doc.Error != "" {
					pol.C.Problems = append(pol.C.Problems, attr.Problem{Resource: r.ID, Field: pol.Field("policyText"),
						Err: fmt.Sprintf("%s: bucket policy of %s does not parse: %s", r.ID, r.Name, doc.Error)})
				} else {
					policyKnown = true
					policyPublic, transport = awspolicy.Public(doc), awspolicy.DeniesInsecureTransport(doc)
				}
			default:
				pol.C.Wrong(pol.Field("policyText"), "string", v)
			}
		}
	case absent:
		if supp.Has("BucketPolicy") {
			policyKnown, policyPublic, transport = true, boolp(false), boolp(false)
		}
	}
	// ACL grants to everyone. AWS Config writes the ACL as a JSON string.
	aclPublic := boolp(false)
	if missing["AccessControlList"] {
		aclPublic = nil
	}
	switch acl, st := supp.Obj("AccessControlList"); st {
	case ok:
		before := acl.C.Count()
		grants, _ := acl.Objs("grantList")
		for _, g := range grants {
			var uri string
			switch gv, _ := g.Lookup("grantee"); gv.(type) {
			case string:
				uri = gv.(string) // the shape Config writes for group grantees
			default:
				gr := g.O("grantee")
				if uri = gr.S("uri"); uri == "" {
					uri = gr.S("URI")
				}
			}
			if uri == allUsersURI || uri == authUsersURI || strings.EqualFold(uri, "AllUsers") || strings.EqualFold(uri, "AuthenticatedUsers") {
				aclPublic = boolp(true)
			}
		}
		if acl.C.Count() != before && !attr.Any(aclPublic) {
			aclPublic = nil // a grant that could not be read may be the public one
		}
	case bad:
		aclPublic = nil
	}
	public := resource.Or(resource.And(policyPublic, attr.Not(restrictPolicy)), resource.And(aclPublic, attr.Not(ignoreACLs)))
	if policyKnown || (public != nil && *public) {
		s.PublicAccess = public
	}
	if policyKnown {
		s.SecureTransportOnly = transport
	}
	// Default encryption. Config records ServerSideEncryptionConfiguration
	// whenever the bucket has one; an item with supplementary configuration
	// but none means no default encryption.
	switch sse, st := supp.Obj("ServerSideEncryptionConfiguration"); st {
	case ok:
		rules, rst := sse.Objs("rules")
		if rst == bad {
			break
		}
		before := sse.C.Count()
		enc, km := len(rules) > 0, ""
		for _, rule := range rules {
			def := rule.O("applyServerSideEncryptionByDefault")
			alg, key := def.S("sseAlgorithm"), def.S("kmsMasterKeyID")
			switch {
			case strings.HasPrefix(alg, "aws:kms") && key != "" && !strings.Contains(key, "alias/aws/"):
				km = "customer"
			case alg != "":
				km = "provider"
			}
		}
		if sse.C.Count() == before {
			s.Encrypted, s.KeyManager = boolp(enc), km
		}
	case absent:
		if !missing["ServerSideEncryptionConfiguration"] {
			s.Encrypted = boolp(false)
		}
	}
	if v, st := supp.Obj("BucketVersioningConfiguration"); st == ok {
		if status, sst := v.Str("status"); sst == ok {
			s.Versioning = boolp(strings.EqualFold(status, "Enabled"))
		} else if sst == absent {
			s.Versioning = boolp(false) // status null: never enabled
		}
		// null: GetBucketVersioning gave no MFADelete element, which S3
		// returns only for a bucket once configured with MFA delete.
		if mfa, mst := v.Boolean("isMfaDeleteEnabled"); mst != bad {
			s.DeleteProtection = boolp(mfa != nil && *mfa)
		}
	}
	switch l, st := supp.Obj("BucketLoggingConfiguration"); st {
	case ok:
		if dest, dst := l.Str("destinationBucketName"); dst != bad {
			s.AccessLogging = boolp(dest != "")
		}
	case absent:
		if supp.Has("BucketLoggingConfiguration") {
			s.AccessLogging = boolp(false)
		}
	}
	if oc, st := supp.Obj("BucketOwnershipControls"); st == ok {
		rules, _ := oc.Objs("rules")
		for _, rule := range rules {
			if own, ost := rule.Str("objectOwnership"); ost == ok {
				s.UniformAccess = boolp(own == "BucketOwnerEnforced")
			}
		}
	}
	s3Replication(it)
}

func securityGroup(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassFirewall
	fw := &resource.Firewall{}
	r.Facts.Firewall = fw
	if !cfg.Present() {
		return
	}
	if name, st := cfg.Str("groupName"); st == ok && name != "" {
		fw.Default = boolp(name == "default")
		if r.Name == "" || strings.HasPrefix(r.Name, "sg-") {
			r.Name = name
		}
	}
	before := cfg.C.Count()
	rules := []resource.FirewallRule{}
	rules = append(rules, sgRules("ingress", cfg, "ipPermissions")...)
	rules = append(rules, sgRules("egress", cfg, "ipPermissionsEgress")...)
	if cfg.C.Count() == before {
		fw.Rules = rules // a rule of the wrong shape could hide an open port: all unknown
	}
	if vpcID, st := cfg.Str("vpcId"); st == ok {
		attr.Relate(r, resource.RelInNetwork, vpcID)
	}
	before = cfg.C.Count()
	if rels, st := it.relationships(); st == ok {
		inUse := false
		for _, rel := range rels {
			name := rel.S("name")
			if name == "" {
				name = rel.S("relationshipName")
			}
			l := strings.ToLower(name + " " + rel.S("resourceType"))
			if strings.Contains(l, "networkinterface") || strings.Contains(l, "instance") {
				inUse = true
			}
		}
		if cfg.C.Count() == before || inUse {
			fw.InUse = boolp(inUse)
		}
	}
}

func sgRules(dir string, cfg node, key string) []resource.FirewallRule {
	perms, _ := cfg.Objs(key)
	var out []resource.FirewallRule
	for _, p := range perms {
		proto := resource.NormProtocol(p.S("ipProtocol"))
		from, to := 0, 65535
		if proto != "all" {
			if f := p.I("fromPort"); f != nil && *f >= 0 {
				from = *f
			}
			if t := p.I("toPort"); t != nil && *t >= 0 {
				to = *t
			}
			if proto == "icmp" || proto == "icmpv6" {
				from, to = 0, 65535
			}
		}
		var srcs []string
		v4, _ := p.Objs("ipv4Ranges")
		for _, rg := range v4 {
			srcs = append(srcs, rg.S("cidrIp"))
		}
		v6, _ := p.Objs("ipv6Ranges")
		for _, rg := range v6 {
			srcs = append(srcs, rg.S("cidrIpv6"))
		}
		old, _ := p.Strs("ipRanges")
		srcs = append(srcs, old...)
		groups, _ := p.Objs("userIdGroupPairs")
		for _, g := range groups {
			srcs = append(srcs, g.S("groupId"))
		}
		pls, _ := p.Objs("prefixListIds")
		for _, pl := range pls {
			srcs = append(srcs, pl.S("prefixListId"))
		}
		out = append(out, resource.FirewallRule{
			Direction: dir, Action: "allow", Protocol: proto, FromPort: from, ToPort: to,
			Sources: resource.NormSources(srcs),
		})
	}
	return out
}

func instance(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassCompute
	c := &resource.Compute{}
	r.Facts.Compute = c
	if !cfg.Present() {
		return
	}
	before := cfg.C.Count()
	public := cfg.S("publicIpAddress") != ""
	nis, _ := cfg.Objs("networkInterfaces")
	for _, ni := range nis {
		if ni.S("association", "publicIp") != "" {
			public = true
		}
		attr.Relate(r, resource.RelUsesInterface, ni.S("networkInterfaceId"))
	}
	if cfg.C.Count() == before {
		c.PublicIP = boolp(public)
	}
	c.Identity = cfg.S("iamInstanceProfile", "arn")
	if tok := cfg.S("metadataOptions", "httpTokens"); tok != "" {
		c.MetadataV2Required = boolp(tok == "required")
	}
	c.State = cfg.S("state", "name")
	bds, _ := cfg.Objs("blockDeviceMappings")
	for _, bd := range bds {
		attr.Relate(r, resource.RelUsesDisk, bd.S("ebs", "volumeId"))
	}
	attr.Relate(r, resource.RelInNetwork, cfg.S("vpcId"))
	attr.Relate(r, resource.RelInSubnet, cfg.S("subnetId"))
	r.Facts.Addressing = instanceAddressing(cfg, nis)
	sgs, _ := cfg.Objs("securityGroups")
	for _, sg := range sgs {
		attr.Relate(r, resource.RelUsesFirewall, sg.S("groupId"))
	}
}

func vpc(it *item) {
	r := it.r
	r.Class = resource.ClassNetwork
	n := &resource.Network{}
	r.Facts.Network = n
	n.Default = it.cfg.B("isDefault")
	r.Facts.Addressing = vpcAddressing(it.cfg)
}

func rdsInstance(it *item) {
	if d := rdsDatabase(it); d != nil {
		d.Engine = it.cfg.S("engine")
		rdsReplication(it)
	}
}

func kmsKey(it *item) {
	r, cfg, supp := it.r, it.cfg, it.supp
	r.Class = resource.ClassKey
	k := &resource.Key{}
	r.Facts.Key = k
	if !cfg.Present() {
		return
	}
	if m := cfg.S("keyManager"); m != "" {
		k.CustomerManaged = boolp(strings.EqualFold(m, "CUSTOMER"))
	}
	if st, sst := cfg.Str("keyState"); sst == ok && st != "" {
		k.Enabled = boolp(strings.EqualFold(st, "Enabled"))
	} else if sst == absent {
		k.Enabled = cfg.B("enabled")
	}
	spec := cfg.S("keySpec")
	if spec == "" {
		spec = cfg.S("customerMasterKeySpec")
	}
	if spec != "" {
		k.Symmetric = boolp(spec == "SYMMETRIC_DEFAULT")
	}
	// Rotation is not part of the Config item itself; accept it where an
	// export adds it (configuration or supplementary configuration).
	for _, src := range []node{cfg, supp} {
		for _, key := range []string{"keyRotationEnabled", "KeyRotationStatus"} {
			v, st := src.Lookup(key)
			if st != ok {
				continue
			}
			if b := attr.AsBool(v); b != nil {
				k.RotationEnabled = b
			} else if o := attr.AsObj(v); o != nil {
				if b := attr.Bool(o, "keyRotationEnabled"); b != nil {
					k.RotationEnabled = b
				}
			} else {
				src.C.Wrong(src.Field(key), "boolean", v)
			}
		}
	}
	k.RotationPeriodDays = cfg.I("rotationPeriodInDays")
}

func trail(it *item) {
	r, cfg, supp := it.r, it.cfg, it.supp
	r.Class = resource.ClassAuditLog
	a := &resource.AuditLog{}
	r.Facts.AuditLog = a
	if !cfg.Present() {
		return
	}
	a.MultiRegion = cfg.B("isMultiRegionTrail")
	a.FileValidation = cfg.B("logFileValidationEnabled")
	if a.FileValidation == nil {
		a.FileValidation = cfg.B("enableLogFileValidation")
	}
	if kms, st := cfg.Str("kmsKeyId"); st != bad {
		a.EncryptedWithCMK = boolp(kms != "")
	}
	a.Destination = cfg.S("s3BucketName")
	a.Enabled = cfg.B("isLogging")
	if a.Enabled == nil {
		a.Enabled = supp.B("isLogging")
	}
	if a.Enabled == nil {
		a.Enabled = supp.B("TrailStatus", "isLogging")
	}
	if a.Destination != "" {
		attr.Relate(r, "delivers_to", a.Destination)
		attr.Relate(r, resource.RelLogsTo, "arn:aws:s3:::"+a.Destination)
	}
}

func parsePasswordPolicy(res *attr.Result, path string, d attr.M) {
	acct := attr.Str(d, "AccountId") // not in the CLI output; accepted when a wrapper adds it
	r := &resource.Resource{
		Provider: resource.AWS, Account: acct, Region: "global", Type: TypePasswordPolicy,
		Name: "account-password-policy", Raw: d, Source: path, Class: resource.ClassPasswordPolicy,
	}
	r.ID = passwordPolicyID(acct)
	if acct == "" {
		// Unique until Finalize knows the account: two accounts' policies
		// must not merge.
		r.ID += "#" + path
	}
	c := &checker{ID: r.ID}
	if v, found := d["PasswordPolicy"]; found && v == nil {
		// {"PasswordPolicy": null}: the account has none (IAM answers
		// NoSuchEntity; vigil's collector writes null), so AWS's default
		// applies: 8 characters at least, no reuse prevention, no expiry,
		// none of the character requirements a custom policy sets.
		r.Facts.PasswordPolicy = &resource.PasswordPolicy{
			MinLength: intp(8), ReusePrevention: intp(0), MaxAgeDays: intp(0),
			RequireSymbols: boolp(false), RequireNumbers: boolp(false), RequireUpper: boolp(false), RequireLower: boolp(false),
		}
		res.Resources = append(res.Resources, r)
		return
	}
	p := node{M: d, C: c}.O("PasswordPolicy")
	r.Facts.PasswordPolicy = &resource.PasswordPolicy{
		MinLength:       p.I("MinimumPasswordLength"),
		ReusePrevention: p.I("PasswordReusePrevention"),
		MaxAgeDays:      p.I("MaxPasswordAge"),
		RequireSymbols:  p.B("RequireSymbols"),
		RequireNumbers:  p.B("RequireNumbers"),
		RequireUpper:    p.B("RequireUppercaseCharacters"),
		RequireLower:    p.B("RequireLowercaseCharacters"),
	}
	res.Problems = append(res.Problems, c.Problems...)
	res.Resources = append(res.Resources, r)
}

func passwordPolicyID(acct string) string { return "arn:aws:iam::" + acct + ":account-password-policy" }

func parseEBSDefault(res *attr.Result, path string, d attr.M) {
	acct, region := attr.Str(d, "AccountId"), attr.Str(d, "Region")
	if region == "" {
		region = regionInPath(path)
	}
	r := &resource.Resource{
		Provider: resource.AWS, Account: acct, Region: region, Type: TypeEBSDefault,
		ID: ebsDefaultID(acct, region, path), Name: "ebs-encryption-by-default", Raw: d, Source: path, Class: resource.ClassOther,
	}
	c := &checker{ID: r.ID}
	if _, st := (node{M: d, C: c}).Boolean("EbsEncryptionByDefault"); st == bad {
		delete(d, "EbsEncryptionByDefault") // unknown, not "off"
	}
	res.Problems = append(res.Problems, c.Problems...)
	res.Resources = append(res.Resources, r)
}

func ebsDefaultID(acct, region, path string) string {
	return fmt.Sprintf("arn:aws:ec2:%s:%s:ebs-encryption-by-default#%s", region, acct, path)
}

func parseFlowLogs(res *attr.Result, path string, d attr.M) {
	if v, _ := attr.Get(d, "FlowLogs"); v != nil && attr.AsArr(v) == nil {
		res.Problems = append(res.Problems, attr.Problem{Field: "FlowLogs", Err: "FlowLogs is " + withArticle(attr.Kind(v)) + ", not an array: nothing imported from this file"})
		return
	}
	for i, fl := range attr.Objs(d, "FlowLogs") {
		id := attr.Str(fl, "FlowLogId")
		if id == "" {
			res.Problems = append(res.Problems, attr.Problemf(0, 0, "FlowLogs[%d] has no FlowLogId", i))
			continue
		}
		r := &resource.Resource{
			Provider: resource.AWS, Type: TypeFlowLog, ID: "aws-flow-log:" + id, Name: id, Region: regionInPath(path),
			Tags: attr.Tags(getv(fl, "Tags")), Raw: fl, Source: path, Class: resource.ClassFlowLog,
		}
		c := &checker{ID: r.ID}
		n := node{M: fl, Path: attr.PathOf("FlowLogs").Elem(i), C: c}
		f := &resource.FlowLog{}
		r.Facts.FlowLog = f
		if st, sst := n.Str("FlowLogStatus"); sst == ok {
			f.Enabled = boolp(strings.EqualFold(st, "ACTIVE"))
		} else if sst == absent {
			f.Enabled = boolp(true)
		}
		if t := n.S("ResourceId"); t != "" {
			f.Targets = []string{t}
			attr.Relate(r, resource.RelFlowLogsOf, t)
			attr.Relate(r, "flow_log_of", t)
		}
		if days := n.I("RetentionInDays"); days != nil {
			f.RetentionDays = days
		}
		res.Problems = append(res.Problems, c.Problems...)
		res.Resources = append(res.Resources, r)
	}
}

// parseKeyRotation reads `aws kms get-key-rotation-status` output. With a
// key ARN it is the key itself (and merges with its Config item); with a
// bare key ID it is matched to the key in Finalize.
func parseKeyRotation(res *attr.Result, path string, d attr.M) {
	keyID := attr.Str(d, "KeyId")
	r := &resource.Resource{Provider: resource.AWS, Raw: d, Source: path}
	k := &resource.Key{}
	if parts := strings.SplitN(keyID, ":", 6); len(parts) == 6 && parts[0] == "arn" {
		r.Type, r.ID, r.Class, r.Facts.Key = "AWS::KMS::Key", keyID, resource.ClassKey, k
		r.Account, r.Region, r.Name = parts[4], parts[3], strings.TrimPrefix(parts[5], "key/")
	} else {
		r.Type, r.ID, r.Name, r.Class = TypeKeyRotation, "aws-kms-rotation:"+keyID+"#"+path, keyID, resource.ClassOther
	}
	c := &checker{ID: r.ID}
	n := node{M: d, C: c}
	k.RotationEnabled, k.RotationPeriodDays = n.B("KeyRotationEnabled"), n.I("RotationPeriodInDays")
	if c.Count() > 0 {
		delete(d, "KeyRotationEnabled") // unknown for the key matched by ID too
	}
	res.Problems = append(res.Problems, c.Problems...)
	res.Resources = append(res.Resources, r)
}

// parseAlternateContact reads `aws account get-alternate-contact` output.
func parseAlternateContact(res *attr.Result, path string, d attr.M) {
	ck := &checker{ID: "aws-alternate-contact#" + path}
	cn := node{M: d, C: ck}.O("AlternateContact")
	cn.S("AlternateContactType")
	cn.S("EmailAddress")
	res.Problems = append(res.Problems, ck.Problems...)
	if ck.Count() > 0 {
		return // which contact this is, or whether it has an email, is unknown
	}
	c := cn.M
	typ := attr.Str(c, "AlternateContactType")
	res.Resources = append(res.Resources, &resource.Resource{
		Provider: resource.AWS, Account: accountOf(attr.Str(d, "AccountId")), Region: "global", Type: TypeSecContact,
		ID: "aws-alternate-contact:" + typ + "#" + path, Name: strings.ToLower(typ) + "-contact", Raw: d, Source: path, Class: resource.ClassOther,
	})
}

func withArticle(kind string) string {
	if strings.IndexByte("aeiou", kind[0]) >= 0 {
		return "an " + kind
	}
	return "a " + kind
}
