package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// runCloudFront collects the account's distributions (global) as AWS
// Config items (AWS::CloudFront::Distribution, region "global"). The list
// does not carry a distribution's logging: GetDistribution does; when it
// fails the item is made from the list's summary without logging, which
// the importer leaves unknown.
func runCloudFront(ctx context.Context, t *Task) error {
	c := cloudfront.NewFromConfig(t.Config)
	var dists []types.DistributionSummary
	_, err := pages(ctx, t, "cloudfront", "cloudfront:ListDistributions",
		cloudfront.NewListDistributionsPaginator(cloudfrontListDistributions(c.ListDistributions), &cloudfront.ListDistributionsInput{}),
		func(o *cloudfront.ListDistributionsOutput) *string {
			if o.DistributionList == nil {
				return nil
			}
			return o.DistributionList.NextMarker
		},
		func(o *cloudfront.ListDistributionsOutput) {
			if o.DistributionList != nil {
				dists = append(dists, o.DistributionList.Items...)
			}
		})
	if err != nil {
		return err
	}
	return each(ctx, dists, func(s types.DistributionSummary) {
		var tags map[string]string
		if tg, err := c.ListTagsForResource(ctx, &cloudfront.ListTagsForResourceInput{Resource: s.ARN}); err != nil {
			t.Fail("cloudfront", "cloudfront:ListTagsForResource", str(s.ARN), err)
		} else if tg.Tags != nil {
			tags = map[string]string{}
			for _, x := range tg.Tags.Items {
				tags[str(x.Key)] = str(x.Value)
			}
		}
		out, err := c.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: s.Id})
		var it Item
		if err != nil || out.Distribution == nil || out.Distribution.DistributionConfig == nil {
			if err != nil {
				t.Fail("cloudfront", "cloudfront:GetDistribution", str(s.ARN), err)
			}
			it = distributionItem(types.Distribution{ARN: s.ARN, Id: s.Id, DomainName: s.DomainName, Status: s.Status,
				LastModifiedTime: s.LastModifiedTime, DistributionConfig: summaryConfig(s)})
		} else {
			it = distributionItem(*out.Distribution)
		}
		it.Tags = tags
		t.Item(it)
	})
}

// summaryConfig is what a distribution's list summary says of its
// configuration: all but logging, the default root object and the caller
// reference.
func summaryConfig(s types.DistributionSummary) *types.DistributionConfig {
	return &types.DistributionConfig{
		Aliases: s.Aliases, CacheBehaviors: s.CacheBehaviors, Comment: s.Comment, CustomErrorResponses: s.CustomErrorResponses,
		DefaultCacheBehavior: s.DefaultCacheBehavior, Enabled: s.Enabled, HttpVersion: s.HttpVersion, IsIPV6Enabled: s.IsIPV6Enabled,
		Origins: s.Origins, PriceClass: s.PriceClass, Restrictions: s.Restrictions, Staging: s.Staging,
		ViewerCertificate: s.ViewerCertificate, WebACLId: s.WebACLId, OriginGroups: s.OriginGroups, AnycastIpListId: s.AnycastIpListId,
	}
}

func quantity(q *int32, n int) any {
	if q != nil {
		return *q
	}
	return n
}

func methods(ms []types.Method) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, string(m))
	}
	return out
}

// cacheBehavior is a (default) cache behavior in Config's shape; the two
// SDK types share these fields.
func cacheBehavior(path, target *string, vpp types.ViewerProtocolPolicy, am *types.AllowedMethods, compress *bool,
	cachePolicy, originRequestPolicy, responseHeadersPolicy, fle *string, minTTL, defTTL, maxTTL *int64) map[string]any {
	m := map[string]any{
		"pathPattern": path, "targetOriginId": target, "viewerProtocolPolicy": enum(vpp), "compress": compress,
		"cachePolicyId": cachePolicy, "originRequestPolicyId": originRequestPolicy, "responseHeadersPolicyId": responseHeadersPolicy,
		"fieldLevelEncryptionId": fle, "minTTL": minTTL, "defaultTTL": defTTL, "maxTTL": maxTTL,
	}
	if am != nil {
		a := map[string]any{"quantity": quantity(am.Quantity, len(am.Items)), "items": methods(am.Items)}
		if cm := am.CachedMethods; cm != nil {
			a["cachedMethods"] = map[string]any{"quantity": quantity(cm.Quantity, len(cm.Items)), "items": methods(cm.Items)}
		}
		m["allowedMethods"] = a
	}
	return omitNil(m)
}

// distributionItem is a distribution as AWS Config records it
// (distributionConfig with Config's names: viewerProtocolPolicy,
// viewerCertificate.minimumProtocolVersion, webACLId, logging...).
func distributionItem(d types.Distribution) Item {
	dc := d.DistributionConfig
	cfg := map[string]any{"id": d.Id, "arn": d.ARN, "domainName": d.DomainName, "status": d.Status,
		"lastModifiedTime": cfgTime(d.LastModifiedTime)}
	if dc != nil {
		c := map[string]any{
			"callerReference": dc.CallerReference, "comment": dc.Comment, "enabled": dc.Enabled, "priceClass": enum(dc.PriceClass),
			"defaultRootObject": dc.DefaultRootObject, "webACLId": dc.WebACLId, "httpVersion": enum(dc.HttpVersion),
			"isIPV6Enabled": dc.IsIPV6Enabled, "staging": dc.Staging,
		}
		if a := dc.Aliases; a != nil {
			c["aliases"] = map[string]any{"quantity": quantity(a.Quantity, len(a.Items)), "items": nonNil(a.Items)}
		}
		if o := dc.Origins; o != nil {
			items := []map[string]any{}
			for _, or := range o.Items {
				m := map[string]any{"id": or.Id, "domainName": or.DomainName, "originPath": or.OriginPath,
					"connectionAttempts": or.ConnectionAttempts, "connectionTimeout": or.ConnectionTimeout,
					"originAccessControlId": or.OriginAccessControlId}
				if s := or.S3OriginConfig; s != nil {
					m["s3OriginConfig"] = omitNil(map[string]any{"originAccessIdentity": s.OriginAccessIdentity})
				}
				if co := or.CustomOriginConfig; co != nil {
					cm := map[string]any{"hTTPPort": co.HTTPPort, "hTTPSPort": co.HTTPSPort,
						"originProtocolPolicy": enum(co.OriginProtocolPolicy), "originReadTimeout": co.OriginReadTimeout,
						"originKeepaliveTimeout": co.OriginKeepaliveTimeout}
					if p := co.OriginSslProtocols; p != nil {
						var ps []string
						for _, x := range p.Items {
							ps = append(ps, string(x))
						}
						cm["originSslProtocols"] = map[string]any{"quantity": quantity(p.Quantity, len(ps)), "items": nonNil(ps)}
					}
					m["customOriginConfig"] = omitNil(cm)
				}
				items = append(items, omitNil(m))
			}
			c["origins"] = map[string]any{"quantity": quantity(o.Quantity, len(items)), "items": items}
		}
		if b := dc.DefaultCacheBehavior; b != nil {
			c["defaultCacheBehavior"] = cacheBehavior(nil, b.TargetOriginId, b.ViewerProtocolPolicy, b.AllowedMethods, b.Compress,
				b.CachePolicyId, b.OriginRequestPolicyId, b.ResponseHeadersPolicyId, b.FieldLevelEncryptionId, b.MinTTL, b.DefaultTTL, b.MaxTTL)
		}
		if cb := dc.CacheBehaviors; cb != nil {
			items := []map[string]any{}
			for _, b := range cb.Items {
				items = append(items, cacheBehavior(b.PathPattern, b.TargetOriginId, b.ViewerProtocolPolicy, b.AllowedMethods, b.Compress,
					b.CachePolicyId, b.OriginRequestPolicyId, b.ResponseHeadersPolicyId, b.FieldLevelEncryptionId, b.MinTTL, b.DefaultTTL, b.MaxTTL))
			}
			c["cacheBehaviors"] = map[string]any{"quantity": quantity(cb.Quantity, len(items)), "items": items}
		}
		if l := dc.Logging; l != nil {
			c["logging"] = omitNil(map[string]any{"enabled": l.Enabled, "includeCookies": l.IncludeCookies, "bucket": l.Bucket, "prefix": l.Prefix})
		}
		if v := dc.ViewerCertificate; v != nil {
			c["viewerCertificate"] = omitNil(map[string]any{
				"cloudFrontDefaultCertificate": v.CloudFrontDefaultCertificate, "iAMCertificateId": v.IAMCertificateId,
				"acmCertificateArn": v.ACMCertificateArn, "sslSupportMethod": enum(v.SSLSupportMethod),
				"minimumProtocolVersion": enum(v.MinimumProtocolVersion), "certificate": v.Certificate,
				"certificateSource": enum(v.CertificateSource),
			})
		}
		if r := dc.Restrictions; r != nil && r.GeoRestriction != nil {
			g := r.GeoRestriction
			c["restrictions"] = map[string]any{"geoRestriction": map[string]any{"restrictionType": string(g.RestrictionType),
				"quantity": quantity(g.Quantity, len(g.Items)), "items": nonNil(g.Items)}}
		}
		cfg["distributionConfig"] = omitNil(c)
	}
	return Item{
		ResourceType: "AWS::CloudFront::Distribution", ResourceID: str(d.Id), ResourceName: str(d.Id), ARN: str(d.ARN),
		Region: "global", AZ: "Not Applicable", Configuration: omitNil(cfg),
	}
}
