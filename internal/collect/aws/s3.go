package awscollect

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	smithyendpoints "github.com/aws/smithy-go/endpoints"

	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
)

// runS3 collects the account's buckets as AWS Config records them (an
// AWS::S3::Bucket item per bucket, in its region, with the bucket's
// settings in supplementaryConfiguration under Config's keys) and the
// account-level Block Public Access (AWS::S3::AccountPublicAccessBlock).
// A setting whose call failed is left out of the item.
func runS3(ctx context.Context, t *Task) error {
	collectAccountPAB(ctx, t)
	s := &s3Collector{t: t, clients: map[string]*s3.Client{}}
	home := s.client(t.Region)
	var buckets []s3types.Bucket
	var owner *s3types.Owner
	Pages(ctx, t, "s3", "s3:ListAllMyBuckets", "", func(ctx context.Context, tok *string) (*s3.ListBucketsOutput, *string, error) {
		o, err := home.ListBuckets(ctx, &s3.ListBucketsInput{ContinuationToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.ContinuationToken, nil
	}, func(o *s3.ListBucketsOutput) {
		buckets = append(buckets, o.Buckets...)
		if o.Owner != nil {
			owner = o.Owner
		}
	})
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, b := range buckets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s.bucket(ctx, b, owner)
		}()
	}
	wg.Wait()
	return ctx.Err()
}

type s3Collector struct {
	t       *Task
	mu      sync.Mutex
	clients map[string]*s3.Client
}

// client is an S3 client for a bucket's region (S3 answers a bucket's
// calls in its own region only).
func (s *s3Collector) client(region string) *s3.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[region]; ok {
		return c
	}
	cfg := s.t.Config.Copy()
	cfg.Region = region
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = s.t.pathStyle })
	s.clients[region] = c
	return c
}

func (s *s3Collector) bucket(ctx context.Context, b s3types.Bucket, owner *s3types.Owner) {
	t := s.t
	name := aws.ToString(b.Name)
	arn := "arn:" + t.Partition + ":s3:::" + name
	// notCollected names the supplementary keys whose call failed: the
	// importer leaves what they decide unknown rather than reading their
	// absence as "not configured".
	var notCollected []string
	failKey := func(call, key string, err error) {
		t.Fail("s3", call, arn, err)
		notCollected = append(notCollected, key)
	}
	fail := func(call string, err error) { t.Fail("s3", call, arn, err) }
	region := aws.ToString(b.BucketRegion)
	if region == "" {
		loc, err := s.client(t.Region).GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: &name})
		if err != nil {
			fail("s3:GetBucketLocation", err)
			return // without its region, the bucket's other calls cannot be made
		}
		region = bucketRegion(string(loc.LocationConstraint), t.Region)
	}
	cl := s.client(region)
	supp := map[string]any{}
	var rels []Relationship

	if o, err := cl.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &name}); err == nil {
		supp["BucketPolicy"] = map[string]any{"policyText": o.Policy}
	} else if isCode(err, "NoSuchBucketPolicy") {
		supp["BucketPolicy"] = map[string]any{"policyText": nil}
	} else {
		failKey("s3:GetBucketPolicy", "BucketPolicy", err)
	}
	if o, err := cl.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: &name}); err == nil {
		supp["AccessControlList"] = aclString(o)
	} else {
		failKey("s3:GetBucketAcl", "AccessControlList", err)
	}
	if o, err := cl.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: &name}); err == nil {
		var rules []any
		if o.ServerSideEncryptionConfiguration != nil {
			for _, r := range o.ServerSideEncryptionConfiguration.Rules {
				rule := map[string]any{"bucketKeyEnabled": r.BucketKeyEnabled}
				if d := r.ApplyServerSideEncryptionByDefault; d != nil {
					rule["applyServerSideEncryptionByDefault"] = map[string]any{"sseAlgorithm": string(d.SSEAlgorithm), "kmsMasterKeyID": d.KMSMasterKeyID}
					if k := aws.ToString(d.KMSMasterKeyID); k != "" {
						rels = append(rels, Relationship{ResourceType: "AWS::KMS::Key", ResourceID: k[strings.LastIndex(k, "/")+1:], Name: "Is associated with Key"})
					}
				}
				rules = append(rules, rule)
			}
		}
		supp["ServerSideEncryptionConfiguration"] = map[string]any{"rules": rules}
	} else if !isCode(err, "ServerSideEncryptionConfigurationNotFoundError") {
		failKey("s3:GetEncryptionConfiguration", "ServerSideEncryptionConfiguration", err)
	}
	if o, err := cl.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: &name}); err == nil {
		status := string(o.Status)
		if status == "" {
			status = "Off"
		}
		var mfa any
		if o.MFADelete != "" {
			mfa = o.MFADelete == s3types.MFADeleteStatusEnabled
		}
		supp["BucketVersioningConfiguration"] = map[string]any{"status": status, "isMfaDeleteEnabled": mfa}
	} else {
		failKey("s3:GetBucketVersioning", "BucketVersioningConfiguration", err)
	}
	if o, err := cl.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: &name}); err == nil {
		l := map[string]any{"destinationBucketName": nil, "logFilePrefix": nil}
		if e := o.LoggingEnabled; e != nil {
			l["destinationBucketName"], l["logFilePrefix"] = e.TargetBucket, e.TargetPrefix
		}
		supp["BucketLoggingConfiguration"] = l
	} else {
		failKey("s3:GetBucketLogging", "BucketLoggingConfiguration", err)
	}
	if o, err := cl.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: &name}); err == nil {
		if c := o.PublicAccessBlockConfiguration; c != nil {
			supp["PublicAccessBlockConfiguration"] = pabConfig(c.BlockPublicAcls, c.IgnorePublicAcls, c.BlockPublicPolicy, c.RestrictPublicBuckets)
		}
	} else if !isCode(err, "NoSuchPublicAccessBlockConfiguration") {
		failKey("s3:GetBucketPublicAccessBlock", "PublicAccessBlockConfiguration", err)
	}
	if o, err := cl.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: &name}); err == nil {
		var rules []any
		if o.OwnershipControls != nil {
			for _, r := range o.OwnershipControls.Rules {
				rules = append(rules, map[string]any{"objectOwnership": string(r.ObjectOwnership)})
			}
		}
		supp["BucketOwnershipControls"] = map[string]any{"rules": rules}
	} else if !isCode(err, "OwnershipControlsNotFoundError") {
		failKey("s3:GetBucketOwnershipControls", "BucketOwnershipControls", err)
	}
	tags := map[string]string{}
	if o, err := cl.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: &name}); err == nil {
		for _, tg := range o.TagSet {
			tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
	} else if !isCode(err, "NoSuchTagSet") {
		fail("s3:GetBucketTagging", err)
	}

	if len(notCollected) > 0 {
		supp[awsconfig.NotCollectedKey] = notCollected
	}
	cfg := map[string]any{"name": name, "owner": nil, "creationDate": timeStr(b.CreationDate)}
	if owner != nil {
		cfg["owner"] = map[string]any{"displayName": owner.DisplayName, "id": owner.ID}
	}
	t.Item(Item{ResourceType: "AWS::S3::Bucket", ResourceID: name, ResourceName: name, ARN: arn, Region: region,
		Tags: tags, Relationships: rels, Created: b.CreationDate, Configuration: cfg, Supplementary: supp})
}

// bucketRegion is the region GetBucketLocation's constraint names: none
// is us-east-1 (in the commercial partition), EU is eu-west-1.
func bucketRegion(constraint, home string) string {
	switch constraint {
	case "":
		return home
	case "EU":
		return "eu-west-1"
	}
	return constraint
}

func pabConfig(acls, ignore, policy, restrict *bool) map[string]any {
	return map[string]any{"blockPublicAcls": aws.ToBool(acls), "ignorePublicAcls": aws.ToBool(ignore),
		"blockPublicPolicy": aws.ToBool(policy), "restrictPublicBuckets": aws.ToBool(restrict)}
}

// aclString is a bucket ACL as AWS Config records it: a JSON string of
// the S3 AccessControlList (grants with canonical-user grantees as
// objects, group grantees by name, permissions as FullControl, Read...).
func aclString(o *s3.GetBucketAclOutput) string {
	perm := map[s3types.Permission]string{s3types.PermissionFullControl: "FullControl", s3types.PermissionRead: "Read",
		s3types.PermissionWrite: "Write", s3types.PermissionReadAcp: "ReadAcp", s3types.PermissionWriteAcp: "WriteAcp"}
	grants := []any{}
	for _, g := range o.Grants {
		var grantee any
		if ge := g.Grantee; ge != nil {
			switch {
			case aws.ToString(ge.URI) != "":
				u := aws.ToString(ge.URI)
				grantee = u[strings.LastIndex(u, "/")+1:] // AllUsers, AuthenticatedUsers, LogDelivery
			case aws.ToString(ge.EmailAddress) != "":
				grantee = map[string]any{"emailAddress": ge.EmailAddress}
			default:
				grantee = map[string]any{"id": ge.ID, "displayName": ge.DisplayName}
			}
		}
		p := perm[g.Permission]
		if p == "" {
			p = string(g.Permission)
		}
		grants = append(grants, map[string]any{"grantee": grantee, "permission": p})
	}
	acl := map[string]any{"grantSet": nil, "grantList": grants, "owner": nil, "isRequesterCharged": false}
	if ow := o.Owner; ow != nil {
		acl["owner"] = map[string]any{"displayName": ow.DisplayName, "id": ow.ID}
	}
	b, _ := json.Marshal(acl)
	return string(b)
}

// collectAccountPAB reads the account's S3 Block Public Access settings
// (S3 Control); an account without them has every setting off.
func collectAccountPAB(ctx context.Context, t *Task) {
	cl := s3control.NewFromConfig(t.Config, func(o *s3control.Options) {
		if t.pathStyle {
			o.EndpointResolverV2 = accountlessHost{s3control.NewDefaultEndpointResolverV2()}
		}
	})
	item := Item{ResourceType: "AWS::S3::AccountPublicAccessBlock", ResourceID: t.Account, Region: "global"}
	o, err := cl.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: &t.Account})
	switch {
	case err == nil && o.PublicAccessBlockConfiguration != nil:
		c := o.PublicAccessBlockConfiguration
		item.Configuration = pabConfig(c.BlockPublicAcls, c.IgnorePublicAcls, c.BlockPublicPolicy, c.RestrictPublicBuckets)
	case err == nil || isCode(err, "NoSuchPublicAccessBlockConfiguration"):
		item.Configuration = pabConfig(nil, nil, nil, nil)
	default:
		t.Fail("s3", "s3:GetAccountPublicAccessBlock", "", err)
		return
	}
	t.Item(item)
}

// accountlessHost resolves S3 Control's endpoint without the account ID
// the SDK puts before the host: a custom endpoint (a test server, an
// S3-compatible one) is one host, and <account>.127.0.0.1 names nothing.
type accountlessHost struct{ s3control.EndpointResolverV2 }

func (r accountlessHost) ResolveEndpoint(ctx context.Context, p s3control.EndpointParameters) (smithyendpoints.Endpoint, error) {
	e, err := r.EndpointResolverV2.ResolveEndpoint(ctx, p)
	if err == nil && p.AccountId != nil {
		e.URI.Host = strings.TrimPrefix(e.URI.Host, *p.AccountId+".")
	}
	return e, err
}
