package awscollect

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// runRoute53 collects the account's Route 53 hosted zones (a global
// service) for the DNS rules (dns-dangling-record, dns-query-logging):
//
//   - each zone as AWS Config records it (AWS::Route53::HostedZone: Id,
//     Name, HostedZoneConfig, VPCs for a private zone from GetHostedZone,
//     QueryLoggingConfig from the account's ListQueryLoggingConfigs);
//   - its records as `aws route53 list-resource-record-sets
//     --hosted-zone-id ID` prints them
//     (route53-list-resource-record-sets/<zone id>.json).
//
// A zone item without QueryLoggingConfig says "no query logging": when the
// query logging listing failed no zone item is written (the records still
// are: the zone's exposure and logging are then unknown), and a private
// zone whose VPCs could not be read has none either. A record listing that
// failed part-way writes nothing for the zone (a record left out could be
// the dangling one).
func runRoute53(ctx context.Context, t *Task) error {
	c := route53.NewFromConfig(t.Config)
	var zones []r53types.HostedZone
	if _, err := pages(ctx, t, "route53", "route53:ListHostedZones",
		route53.NewListHostedZonesPaginator(route53ListHostedZones(c.ListHostedZones), &route53.ListHostedZonesInput{}),
		func(o *route53.ListHostedZonesOutput) *string { return o.NextMarker },
		func(o *route53.ListHostedZonesOutput) { zones = append(zones, o.HostedZones...) }); err != nil {
		return err
	}
	if len(zones) == 0 {
		return nil
	}
	logging := map[string]string{} // zone ID -> log group
	logsKnown, err := pages(ctx, t, "route53", "route53:ListQueryLoggingConfigs",
		route53.NewListQueryLoggingConfigsPaginator(route53ListQueryLoggingConfigs(c.ListQueryLoggingConfigs), &route53.ListQueryLoggingConfigsInput{}),
		func(o *route53.ListQueryLoggingConfigsOutput) *string { return o.NextToken },
		func(o *route53.ListQueryLoggingConfigsOutput) {
			for _, q := range o.QueryLoggingConfigs {
				logging[zoneID(q.HostedZoneId)] = aws.ToString(q.CloudWatchLogsLogGroupArn)
			}
		})
	if err != nil {
		return err
	}
	return each(ctx, zones, func(z r53types.HostedZone) {
		id := zoneID(z.Id)
		if id == "" {
			return
		}
		recordSets(ctx, t, c, id)
		if !logsKnown {
			return
		}
		cfg := map[string]any{"Id": id, "Name": aws.ToString(z.Name)}
		if zc := z.Config; zc != nil {
			cfg["HostedZoneConfig"] = omitNil(map[string]any{"Comment": zc.Comment, "PrivateZone": zc.PrivateZone})
			if zc.PrivateZone {
				out, err := c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(id)})
				if err != nil {
					if ctx.Err() == nil {
						t.Fail("route53", "route53:GetHostedZone", hostedZoneARN(id), err)
					}
					return
				}
				cfg["VPCs"] = cliForm(out.VPCs, false)
			}
		}
		if lg, ok := logging[id]; ok {
			cfg["QueryLoggingConfig"] = map[string]any{"CloudWatchLogsLogGroupArn": lg}
		}
		t.Item(Item{ResourceType: "AWS::Route53::HostedZone", ResourceID: id, ResourceName: aws.ToString(z.Name),
			ARN: hostedZoneARN(id), Region: "global", Configuration: cfg})
	})
}

// recordSets writes a zone's records, every page or nothing.
func recordSets(ctx context.Context, t *Task, c *route53.Client, id string) {
	var sets []r53types.ResourceRecordSet
	if !Pages(ctx, t, "route53", "route53:ListResourceRecordSets", hostedZoneARN(id),
		func(ctx context.Context, tok *string) (*route53.ListResourceRecordSetsOutput, *string, error) {
			in := &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id)}
			if tok != nil {
				name, rest, _ := strings.Cut(*tok, "|")
				typ, ident, _ := strings.Cut(rest, "|")
				in.StartRecordName, in.StartRecordType = aws.String(name), r53types.RRType(typ)
				if ident != "" {
					in.StartRecordIdentifier = aws.String(ident)
				}
			}
			o, err := c.ListResourceRecordSets(ctx, in)
			if err != nil || !o.IsTruncated {
				return o, nil, err
			}
			next := aws.ToString(o.NextRecordName) + "|" + string(o.NextRecordType) + "|" + aws.ToString(o.NextRecordIdentifier)
			return o, &next, nil
		}, func(o *route53.ListResourceRecordSetsOutput) { sets = append(sets, o.ResourceRecordSets...) }) {
		return
	}
	t.CLI("route53-list-resource-record-sets/"+id+".json", cliForm(map[string]any{"ResourceRecordSets": sets}, false))
}

// zoneID is a hosted zone's ID without the "/hostedzone/" Route 53 puts
// before it.
func zoneID(s *string) string { return strings.TrimPrefix(aws.ToString(s), "/hostedzone/") }

func hostedZoneARN(id string) string { return "arn:aws:route53:::hostedzone/" + id }
