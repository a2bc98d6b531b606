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

// EC2 snapshots and AMIs, which AWS Config does not record, and Lambda
// resource policies, which it does not carry, read from the CLI:
//
//	aws ec2 describe-snapshots --owner-ids self          {"Snapshots":[...]}
//	aws ec2 describe-snapshot-attribute --snapshot-id ID --attribute createVolumePermission
//	                                                     {"SnapshotId":..,"CreateVolumePermissions":[{"Group":"all"}|{"UserId":..}]}
//	aws ec2 describe-images --owners self                {"Images":[...]}
//	aws ec2 describe-image-attribute --image-id ID --attribute launchPermission
//	                                                     {"ImageId":..,"LaunchPermissions":[...]}
//	aws lambda get-policy --function-name NAME           {"Policy":"<JSON text>","RevisionId":..}
//	aws sqs get-queue-attributes --attribute-names All   {"Attributes":{"QueueArn":..,"Policy":..,"KmsMasterKeyId":..}}
//	aws sns get-topic-attributes --topic-arn ARN         {"Attributes":{"TopicArn":..,"Policy":..,"KmsMasterKeyId":..}}
//	aws secretsmanager get-resource-policy --secret-id ID {"ARN":..,"Name":..,"ResourcePolicy":"<JSON text>","PolicyName":"default"}
//	                                                     (PolicyName in current API versions; no ResourcePolicy: the secret has none)
//	aws secretsmanager describe-secret --secret-id ID    {"ARN":..,"RotationEnabled":..,"LastRotatedDate":..,...}
//	aws apigateway get-resources --rest-api-id ID --embed methods
//	                                                     {"items":[{"id":..,"path":..,"resourceMethods":{..}}]}, in a file
//	                                                     named <rest-api-id>.<region>.json (the output does not name the API)
//	aws apigateway get-vpc-links                         {"items":[{"id":..,"targetArns":[..],"status":..}]}, in a file named
//	                                                     vpc-links.<region>.json (front.go)
//	aws apigatewayv2 get-integrations --api-id ID    {"Items":[{"IntegrationType":..,"IntegrationUri":..,"ConnectionType":..}]},
//	                                                     in a file named <api-id>.<region>.json (apiv2.go)
//	aws ecr get-repository-policy --repository-name NAME {"registryId":..,"repositoryName":..,"policyText":"<JSON text>"}
//	aws route53 list-resource-record-sets --hosted-zone-id ID
//	                                                     {"ResourceRecordSets":[{"Name":..,"Type":..,"ResourceRecords":[{"Value":..}],
//	                                                     "AliasTarget":{"DNSName":..}}]}, in a file named <hosted-zone-id>.json
//	                                                     (the output does not name the zone; Route 53 is global)
//
// None of them names its region: it is taken from a region name in the
// file's path (snapshots.us-east-1.json), as the resources' ARNs need it.
// A snapshot and its attribute output share the snapshot's ARN and merge.

func detectCLI(d attr.M) string {
	switch {
	case attr.Has(d, "Snapshots") && (attr.Arr(d, "Snapshots") != nil || len(d) <= 2):
		return FormatSnapshots
	case attr.Has(d, "SnapshotId") && attr.Has(d, "CreateVolumePermissions"):
		return FormatSnapshotAttr
	case attr.Has(d, "Images") && (attr.Arr(d, "Images") != nil || len(d) <= 2):
		return FormatImages
	case attr.Has(d, "ImageId") && attr.Has(d, "LaunchPermissions"):
		return FormatImageAttr
	case attr.Has(d, "Policy") && attr.Has(d, "RevisionId") && len(d) <= 3:
		return FormatLambdaPolicy
	case attr.Obj(d, "Attributes") != nil && (attr.Has(attr.Obj(d, "Attributes"), "QueueArn") || attr.Has(attr.Obj(d, "Attributes"), "TopicArn")):
		return FormatQueueAttrs
	case attr.Has(d, "ARN") && attr.Has(d, "Name") && onlyKeys(d, "ARN", "Name", "ResourcePolicy", "PolicyName") &&
		strings.Contains(attr.Str(d, "ARN"), ":secretsmanager:"):
		return FormatSecretPolicy
	case attr.Has(d, "ARN") && strings.Contains(attr.Str(d, "ARN"), ":secretsmanager:") &&
		(attr.Has(d, "LastChangedDate") || attr.Has(d, "VersionIdsToStages") || attr.Has(d, "RotationEnabled")):
		return FormatSecretDescribe
	case attr.Has(d, "registryId") && attr.Has(d, "repositoryName") && attr.Has(d, "policyText"):
		return FormatRepoPolicy
	case isVPCLinks(d):
		return FormatVPCLinks
	case isAPIResourceList(d):
		return FormatAPIResources
	case isAPIV2Integrations(d):
		return FormatAPIV2Integrations
	case attr.Has(d, "ResourceRecordSets") && (attr.Arr(d, "ResourceRecordSets") != nil || len(d) <= 5):
		return FormatRecordSets
	case attr.Has(d, "TargetHealthDescriptions") && onlyKeys(d, "TargetHealthDescriptions", "ResponseMetadata"):
		return FormatTargetHealth
	}
	return detectNetCLI(d)
}

// onlyKeys reports whether every key of d is one of keys: an output with
// a field it does not know is not taken for another (a secret's resource
// policy output without ResourcePolicy means "no policy", so an unknown
// shape must not pass for it).
func onlyKeys(d attr.M, keys ...string) bool {
	for k := range d {
		found := false
		for _, w := range keys {
			found = found || k == w
		}
		if !found {
			return false
		}
	}
	return true
}

var regionRe = regexp.MustCompile(`(?:^|[^a-z])((?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-[1-9])(?:[^0-9]|$)`)

// regionInPath finds an AWS region name among the elements of p.
func regionInPath(p string) string {
	parts := strings.Split(filepath.ToSlash(p), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if m := regionRe.FindStringSubmatch(parts[i]); m != nil {
			return m[1]
		}
	}
	return ""
}

// copiedSnapshot matches the description EC2 CopySnapshot gives a copy
// when the caller gives none: "[Copied snap-0123 from us-east-1]".
var copiedSnapshot = regexp.MustCompile(`^\[Copied (snap-[0-9a-f]+) from ([a-z]{2}(?:-[a-z]+)+-\d+)\]`)

func snapshotARN(region, id string) string { return "arn:aws:ec2:" + region + "::snapshot/" + id }
func imageARN(region, id string) string    { return "arn:aws:ec2:" + region + "::image/" + id }

// permissions reads createVolumePermission / launchPermission entries:
// public when a Group "all" is there, and the accounts it is shared with.
func permissions(n node, key string) (public *bool, shared []string) {
	perms, st := n.Objs(key)
	if st != ok {
		if st == absent {
			return boolp(false), nil
		}
		return nil, nil
	}
	before := n.C.Count()
	pub := false
	for _, p := range perms {
		if strings.EqualFold(p.S("Group"), "all") {
			pub = true
		}
		if u := p.S("UserId"); u != "" {
			shared = append(shared, u)
		}
		if o := p.S("OrganizationArn"); o != "" {
			shared = append(shared, o)
		}
		if o := p.S("OrganizationalUnitArn"); o != "" {
			shared = append(shared, o)
		}
	}
	if n.C.Count() != before {
		return nil, nil
	}
	return boolp(pub), shared
}

var acctElem = regexp.MustCompile(`(^|[^0-9])([0-9]{12})([^0-9]|$)`)

// accountOfPath finds a 12-digit account ID among the elements of p (the
// sample's and collect scripts' <account>/cli/... layout).
func accountOfPath(p string) string {
	for _, el := range strings.Split(filepath.ToSlash(p), "/") {
		if m := acctElem.FindStringSubmatch(el); m != nil {
			return m[2]
		}
	}
	return ""
}

func cliResource(path, typ, id, name, acct string, raw attr.M, cls resource.Class) *resource.Resource {
	if acct == "" {
		acct = accountOfPath(path)
	}
	return &resource.Resource{Provider: resource.AWS, Account: acct, Region: regionInPath(path), Type: typ, ID: id,
		Name: name, Raw: raw, Source: path, Class: cls, Tags: attr.Tags(getv(raw, "Tags"))}
}

func parseCLI(res *attr.Result, path string, d attr.M) {
	region := regionInPath(path)
	add := func(r *resource.Resource, c *checker) {
		res.Problems = append(res.Problems, c.Problems...)
		res.Resources = append(res.Resources, r)
	}
	format := Detect(d)
	for f, k := range map[string]string{FormatSnapshots: "Snapshots", FormatImages: "Images"} {
		if format == f && attr.Arr(d, k) == nil {
			if v, _ := attr.Get(d, k); v != nil {
				res.Problems = append(res.Problems, attr.Problem{Field: k, Err: k + " is " + withArticle(attr.Kind(v)) + ", not an array: nothing imported from this file"})
			}
			return
		}
	}
	// The outputs about one resource must name it.
	need := map[string]string{FormatSnapshotAttr: "SnapshotId", FormatImageAttr: "ImageId", FormatSecretPolicy: "ARN",
		FormatSecretDescribe: "ARN", FormatRepoPolicy: "repositoryName"}
	if k, ok := need[format]; ok && attr.Str(d, k) == "" {
		res.Problems = append(res.Problems, attr.Problem{Field: k, Err: k + " is missing or empty: cannot tell which resource this output is about"})
		return
	}
	if format == FormatQueueAttrs {
		a := attr.Obj(d, "Attributes")
		if attr.Str(a, "QueueArn") == "" && attr.Str(a, "TopicArn") == "" {
			res.Problems = append(res.Problems, attr.Problem{Field: "Attributes", Err: "Attributes names no QueueArn or TopicArn: cannot tell which queue or topic this is"})
			return
		}
	}
	switch format {
	case FormatSnapshots:
		for i, s := range attr.Arr(d, "Snapshots") {
			o := attr.AsObj(s)
			id := attr.Str(o, "SnapshotId")
			if o == nil || id == "" {
				res.Problems = append(res.Problems, attr.Problem{Field: fmt.Sprintf("Snapshots[%d]", i), Err: fmt.Sprintf("Snapshots[%d] has no SnapshotId", i)})
				continue
			}
			r := cliResource(path, TypeSnapshot, snapshotARN(region, id), id, attr.Str(o, "OwnerId"), o, resource.ClassSnapshot)
			r.Aliases = []string{id}
			if n := tagName(r); n != "" {
				r.Name = n
			}
			c := &checker{ID: r.ID}
			n := node{M: o, Path: attr.PathOf("Snapshots").Elem(i), C: c}
			f := &resource.Snapshot{Kind: "snapshot", Encrypted: n.B("Encrypted"), Created: n.S("StartTime")}
			if f.Encrypted != nil && *f.Encrypted {
				if kms := n.S("KmsKeyId"); kms != "" {
					attr.Relate(r, resource.RelUsesKey, kms)
					if strings.Contains(kms, "alias/aws/") {
						f.KeyManager = "provider"
					}
				}
			}
			attr.Relate(r, "snapshot_of", n.S("VolumeId"))
			// CopySnapshot's default description names the source: the
			// DescribeSnapshots output has no field for it.
			if m := copiedSnapshot.FindStringSubmatch(n.S("Description")); m != nil {
				attr.Relate(r, resource.RelCopyOf, snapshotARN(m[2], m[1]))
			}
			r.Facts.Snapshot = f
			add(r, c)
		}
	case FormatSnapshotAttr:
		id := attr.Str(d, "SnapshotId")
		r := cliResource(path, TypeSnapshot, snapshotARN(region, id), id, "", d, resource.ClassSnapshot)
		r.Aliases = []string{id}
		c := &checker{ID: r.ID}
		f := &resource.Snapshot{Kind: "snapshot"}
		f.Public, f.SharedWith = permissions(node{M: d, C: c}, "CreateVolumePermissions")
		if f.Public != nil {
			f.CrossAccount = boolp(len(f.SharedWith) > 0) // the owner is never listed
		}
		r.Facts.Snapshot = f
		add(r, c)
	case FormatImages:
		for i, im := range attr.Arr(d, "Images") {
			o := attr.AsObj(im)
			id := attr.Str(o, "ImageId")
			if o == nil || id == "" {
				res.Problems = append(res.Problems, attr.Problem{Field: fmt.Sprintf("Images[%d]", i), Err: fmt.Sprintf("Images[%d] has no ImageId", i)})
				continue
			}
			r := cliResource(path, TypeImage, imageARN(region, id), attr.Str(o, "Name"), attr.Str(o, "OwnerId"), o, resource.ClassSnapshot)
			r.Aliases = []string{id}
			c := &checker{ID: r.ID}
			n := node{M: o, Path: attr.PathOf("Images").Elem(i), C: c}
			f := &resource.Snapshot{Kind: "image", Public: n.B("Public"), Created: n.S("CreationDate")}
			// An image is encrypted when every EBS block device is.
			before := c.Count()
			bdms, bst := n.Objs("BlockDeviceMappings")
			enc, ebs := true, 0
			for _, bd := range bdms {
				e := bd.O("Ebs")
				if !e.Present() {
					continue // instance store
				}
				ebs++
				if b := e.B("Encrypted"); b == nil || !*b {
					enc = false
				}
				attr.Relate(r, "image_of", e.S("SnapshotId"))
			}
			if bst == ok && ebs > 0 && c.Count() == before {
				f.Encrypted = boolp(enc)
			}
			if src, reg := n.S("SourceImageId"), n.S("SourceImageRegion"); src != "" && reg != "" {
				attr.Relate(r, resource.RelCopyOf, imageARN(reg, src))
			}
			r.Facts.Snapshot = f
			add(r, c)
		}
	case FormatImageAttr:
		id := attr.Str(d, "ImageId")
		r := cliResource(path, TypeImage, imageARN(region, id), id, "", d, resource.ClassSnapshot)
		r.Aliases = []string{id}
		c := &checker{ID: r.ID}
		f := &resource.Snapshot{Kind: "image"}
		f.Public, f.SharedWith = permissions(node{M: d, C: c}, "LaunchPermissions")
		if f.Public != nil {
			f.CrossAccount = boolp(len(f.SharedWith) > 0)
		}
		r.Facts.Snapshot = f
		add(r, c)
	case FormatLambdaPolicy:
		parseLambdaPolicy(res, path, d)
	case FormatQueueAttrs:
		a := attr.Obj(d, "Attributes")
		arn, typ, kind := attr.Str(a, "QueueArn"), "AWS::SQS::Queue", "queue"
		if arn == "" {
			arn, typ, kind = attr.Str(a, "TopicArn"), "AWS::SNS::Topic", "topic"
		}
		r := arnResource(path, typ, arn, d, resource.ClassQueue)
		c := &checker{ID: arn}
		n := node{M: a, Path: attr.PathOf("Attributes"), C: c}
		q := &resource.Queue{Kind: kind}
		kms := n.S("KmsMasterKeyId")
		sse := n.B("SqsManagedSseEnabled")
		switch {
		case kms != "":
			q.Encrypted, q.KeyManager = boolp(true), keyManager(kms)
		case sse != nil && *sse:
			q.Encrypted, q.KeyManager = boolp(true), "provider"
		case c.Count() == 0:
			q.Encrypted = boolp(false) // the attributes list every setting: no key is no encryption
		}
		doc, st := docAt(n, "Policy", kind+" "+r.Name)
		r.Facts.ResourcePolicy = doc
		if st == ok && doc != nil {
			q.PublicPolicy = awspolicy.Public(doc)
		} else if st == absent {
			q.PublicPolicy = boolp(false)
		}
		r.Facts.Queue = q
		add(r, c)
	case FormatSecretPolicy:
		arn := attr.Str(d, "ARN")
		r := arnResource(path, "AWS::SecretsManager::Secret", arn, d, resource.ClassSecret)
		r.Name = attr.Str(d, "Name")
		c := &checker{ID: arn}
		s := &resource.Secret{}
		// Without a ResourcePolicy the secret has none: only its account's
		// identity policies reach it.
		doc, st := docAt(node{M: d, C: c}, "ResourcePolicy", "secret "+r.Name)
		r.Facts.ResourcePolicy = doc
		if st == ok && doc != nil {
			s.PublicAccess = awspolicy.Public(doc)
		} else if st == absent {
			s.PublicAccess = boolp(false)
		}
		r.Facts.Secret = s
		add(r, c)
	case FormatSecretDescribe:
		arn := attr.Str(d, "ARN")
		r := arnResource(path, "AWS::SecretsManager::Secret", arn, d, resource.ClassSecret)
		r.Name = attr.Str(d, "Name")
		r.Tags = attr.Tags(getv(d, "Tags"))
		c := &checker{ID: arn}
		n := node{M: d, C: c}
		// describe-secret omits RotationEnabled when rotation was never set up.
		sec := &resource.Secret{RotationEnabled: attr.BoolOr(n.B("RotationEnabled"), false)}
		if c.Count() > 0 {
			sec.RotationEnabled = nil
		}
		if sec.RotationEnabled != nil && *sec.RotationEnabled {
			sec.RotationPeriodDays = n.I("RotationRules", "AutomaticallyAfterDays")
		}
		sec.LastRotated = n.S("LastRotatedDate")
		if sec.LastRotated == "" && c.Count() == 0 {
			sec.LastRotated = n.S("CreatedDate") // never rotated: as old as the secret
		}
		switch kms, st := n.Str("KmsKeyId"); st {
		case ok:
			sec.KeyManager = keyManager(kms)
		case absent:
			sec.KeyManager = "provider"
		}
		if dd := n.S("DeletedDate"); dd != "" {
			sec.Enabled = boolp(false)
		}
		r.Facts.Secret = sec
		add(r, c)
	case FormatAPIResources:
		parseAPIResources(res, path, d)
	case FormatAPIV2Integrations:
		parseAPIV2Integrations(res, path, d)
	case FormatVPCLinks:
		parseVPCLinks(res, path, d)
	case FormatRecordSets:
		parseRecordSets(res, path, d)
	case FormatTargetHealth:
		parseTargetHealth(res, path, d)
	case FormatTGWAttachments, FormatTGWRoutes, FormatDXVIFs, FormatDXAssociations:
		parseNetCLI(res, path, d, format)
	case FormatRepoPolicy:
		reg, name := attr.Str(d, "registryId"), attr.Str(d, "repositoryName")
		arn := "arn:aws:ecr:" + region + ":" + reg + ":repository/" + name
		r := arnResource(path, "AWS::ECR::Repository", arn, d, resource.ClassContainerRegistry)
		r.Name = name
		c := &checker{ID: arn}
		g := &resource.Registry{}
		doc, st := docAt(node{M: d, C: c}, "policyText", "repository "+name)
		r.Facts.ResourcePolicy = doc
		if st == ok && doc != nil {
			g.Public = awspolicy.Public(doc)
		}
		r.Facts.Registry = g
		add(r, c)
	}
}

// arnResource is a resource named by an ARN in a CLI output.
func arnResource(path, typ, arn string, raw attr.M, cls resource.Class) *resource.Resource {
	r := &resource.Resource{Provider: resource.AWS, Type: typ, ID: arn, Raw: raw, Source: path, Class: cls}
	if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 {
		r.Region, r.Account, r.Name = parts[3], parts[4], parts[5]
		if i := strings.LastIndexAny(r.Name, ":/"); i >= 0 {
			r.Name = r.Name[i+1:]
		}
	}
	if r.Region == "" {
		r.Region = regionInPath(path)
	}
	return r
}

func tagName(r *resource.Resource) string { return r.Tags["Name"] }

// parseLambdaPolicy reads `aws lambda get-policy` output. The output does
// not name the function: its statements' Resource does (every statement
// of a function policy names the function, or a version or alias of it).
func parseLambdaPolicy(res *attr.Result, path string, d attr.M) {
	v, _ := attr.Get(d, "Policy")
	doc := awspolicy.Parse(v)
	if doc == nil {
		res.Problems = append(res.Problems, attr.Problem{Field: "Policy", Err: "get-policy output without a policy"})
		return
	}
	if doc.Error != "" {
		res.Problems = append(res.Problems, attr.Problem{Field: "Policy", Err: "Lambda function policy does not parse: " + doc.Error})
		return
	}
	fn := ""
	for _, s := range doc.Statements {
		for _, r := range s.Resources {
			arn := r
			if parts := strings.Split(r, ":"); len(parts) == 8 && parts[5] == "function" {
				arn = strings.Join(parts[:7], ":") // a qualified ARN (version or alias)
			}
			if fn == "" {
				fn = arn
			} else if fn != arn {
				fn = "?"
			}
		}
	}
	parts := strings.Split(fn, ":")
	if len(parts) != 7 || parts[0] != "arn" || parts[5] != "function" {
		res.Problems = append(res.Problems, attr.Problem{Field: "Policy",
			Err: "Lambda function policy does not name one function in its statements' Resource: cannot tell which function it is"})
		return
	}
	r := &resource.Resource{Provider: resource.AWS, Account: parts[4], Region: parts[3], Type: TypeLambda, ID: fn,
		Name: parts[6], Raw: d, Source: path, Class: resource.ClassFunction,
		Facts: resource.Facts{Function: &resource.Function{PublicInvocation: awspolicy.Public(doc)}, ResourcePolicy: doc}}
	res.Resources = append(res.Resources, r)
}

// isAPIResourceList recognizes `aws apigateway get-resources` output: an
// items array of API resources (id and path).
func isAPIResourceList(d attr.M) bool {
	v, ok := d["items"]
	if !ok || len(d) > 2 || (len(d) == 2 && !attr.Has(d, "position")) {
		return false
	}
	items, isArr := v.([]any)
	if !isArr {
		// {"items": <not a list>} and nothing else: this output with its
		// list broken, reported rather than skipped.
		_, isObj := v.(attr.M)
		return isObj
	}
	for _, e := range items {
		if o := attr.AsObj(e); o != nil && attr.Has(o, "path") && attr.Has(o, "id") {
			return true
		}
	}
	return false
}

var apiIDRe = regexp.MustCompile(`^[a-z0-9]{10}$`)

// parseAPIResources reads `aws apigateway get-resources --embed methods`:
// the API needs authorization when every method but OPTIONS has an
// authorizer (authorizationType other than NONE) or requires an API key.
// The API is named by the file (<rest-api-id>.<region>.json).
func parseAPIResources(res *attr.Result, path string, d attr.M) {
	base := filepath.Base(path)
	apiID, _, _ := strings.Cut(base, ".")
	region := regionInPath(path)
	if !apiIDRe.MatchString(apiID) || region == "" {
		res.Problems = append(res.Problems, attr.Problem{Err: "API Gateway resources output: name the file <rest-api-id>.<region>.json, as the output does not say which API it lists"})
		return
	}
	arn := "arn:aws:apigateway:" + region + "::/restapis/" + apiID
	r := &resource.Resource{Provider: resource.AWS, Account: accountOfPath(path), Region: region, Type: "AWS::ApiGateway::RestApi",
		ID: arn, Raw: d, Source: path, Class: resource.ClassAPIGateway, Aliases: []string{apiID}} // its name is its Config item's
	c := &checker{ID: arn}
	items, _ := node{M: d, C: c}.Objs("items")
	auth := true
	for _, it := range items {
		methods, st := it.Obj("resourceMethods")
		if st != ok {
			continue
		}
		for verb := range methods.Map() {
			if strings.EqualFold(verb, "OPTIONS") {
				continue
			}
			m := methods.O(verb)
			at, ast := m.Str("authorizationType")
			key := m.B("apiKeyRequired")
			if ast == ok && strings.EqualFold(at, "NONE") && (key == nil || !*key) {
				auth = false
			}
		}
	}
	g := &resource.APIGateway{}
	if n := c.Count(); n == 0 {
		if o := apiOrigins(items, region); c.Count() == n {
			g.Origins = o
		}
	}
	if c.Count() == 0 || !auth {
		g.AuthRequired = boolp(auth)
	}
	r.Facts.APIGateway = g
	res.Problems = append(res.Problems, c.Problems...)
	res.Resources = append(res.Resources, r)
}

var zoneIDRe = regexp.MustCompile(`^Z[A-Z0-9]{1,32}$`)

// hostedZoneARN is the ARN of a Route 53 hosted zone (AWS Config's ARN of
// an AWS::Route53::HostedZone item).
func hostedZoneARN(id string) string { return "arn:aws:route53:::hostedzone/" + id }

// parseRecordSets reads `aws route53 list-resource-record-sets` output onto
// its hosted zone (dns.records): the zone is named by the file
// (<hosted-zone-id>.json), its account by a 12-digit element of the path
// or, in Finalize, by the zone's AWS Config item or the only account.
func parseRecordSets(res *attr.Result, path string, d attr.M) {
	zid, _, _ := strings.Cut(filepath.Base(path), ".")
	if !zoneIDRe.MatchString(zid) {
		res.Problems = append(res.Problems, attr.Problem{Err: "Route 53 record sets output: name the file <hosted-zone-id>.json, as the output does not say which hosted zone it lists"})
		return
	}
	arn := hostedZoneARN(zid)
	r := &resource.Resource{Provider: resource.AWS, Account: accountOfPath(path), Region: "global", Type: TypeHostedZone,
		ID: arn, Raw: d, Source: path, Class: resource.ClassDNSZone, Aliases: []string{zid}}
	c := &checker{ID: arn}
	z := &resource.DNSZone{}
	r.Facts.DNS = z
	sets, st := node{M: d, C: c}.Objs("ResourceRecordSets")
	if st == ok {
		z.Records = make([]resource.DNSRecord, 0, len(sets))
		for _, s := range sets {
			rec := resource.DNSRecord{Name: dnsName(s.S("Name")), Type: strings.ToUpper(s.S("Type"))}
			values, _ := s.Objs("ResourceRecords")
			for _, v := range values {
				val := v.S("Value")
				if val == "" {
					continue
				}
				if rec.Type == "CNAME" {
					val = dnsName(val)
				}
				rec.Targets = append(rec.Targets, val)
			}
			if at, ast := s.Obj("AliasTarget"); ast == ok {
				rec.Alias = true
				if t := dnsName(at.S("DNSName")); t != "" {
					rec.Targets = append(rec.Targets, t)
				}
			}
			if rec.Type == "SOA" && r.Name == "" {
				r.Name = rec.Name + "."
			}
			z.Records = append(z.Records, rec)
		}
	}
	res.Problems = append(res.Problems, c.Problems...)
	res.Resources = append(res.Resources, r)
}

// dnsName normalizes a host name as Route 53 prints it: lower case,
// without the final dot, octal escapes (\052 for "*") decoded.
func dnsName(s string) string {
	if strings.Contains(s, `\`) {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
				b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
				i += 3
				continue
			}
			b.WriteByte(s[i])
		}
		s = b.String()
	}
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
