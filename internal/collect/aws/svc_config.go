package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/configservice/types"
)

// runConfig collects the region's AWS Config configuration recorders as
// AWS Config itself records them (AWS::Config::ConfigurationRecorder, with
// Recording from the recorder's status) and its delivery channels as
// `aws configservice describe-delivery-channels` prints them
// (config-describe-delivery-channels.<region>.json). The awsconfig
// importer keeps the recorder and the delivery channels as resources
// without facts (listed among the unsupported types).
func runConfig(ctx context.Context, t *Task) error {
	c := configservice.NewFromConfig(t.Config)
	recs, err := c.DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		t.Fail("config", "config:DescribeConfigurationRecorders", "", err)
	} else if len(recs.ConfigurationRecorders) > 0 {
		status := map[string]*types.ConfigurationRecorderStatus{}
		st, err := c.DescribeConfigurationRecorderStatus(ctx, &configservice.DescribeConfigurationRecorderStatusInput{})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			t.Fail("config", "config:DescribeConfigurationRecorderStatus", "", err)
		} else {
			for i, s := range st.ConfigurationRecordersStatus {
				status[str(s.Name)] = &st.ConfigurationRecordersStatus[i]
			}
		}
		for _, r := range recs.ConfigurationRecorders {
			t.Item(recorderItem(r, status[str(r.Name)]))
		}
	}
	ch, err := c.DescribeDeliveryChannels(ctx, &configservice.DescribeDeliveryChannelsInput{})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		t.Fail("config", "config:DescribeDeliveryChannels", "", err)
		return nil
	}
	if len(ch.DeliveryChannels) > 0 {
		t.CLI("config-describe-delivery-channels."+t.Region+".json", deliveryChannelsCLI(ch.DeliveryChannels))
	}
	return nil
}

func resourceTypes(ts []types.ResourceType) []string {
	out := []string{}
	for _, r := range ts {
		out = append(out, string(r))
	}
	return out
}

// recorderItem is a configuration recorder as AWS Config records it
// (CloudFormation's property names); status nil (its call failed) leaves
// Recording out.
func recorderItem(r types.ConfigurationRecorder, status *types.ConfigurationRecorderStatus) Item {
	cfg := map[string]any{"Name": r.Name, "RoleARN": r.RoleARN}
	if g := r.RecordingGroup; g != nil {
		rg := map[string]any{"AllSupported": g.AllSupported, "IncludeGlobalResourceTypes": g.IncludeGlobalResourceTypes,
			"ResourceTypes": resourceTypes(g.ResourceTypes)}
		if g.ExclusionByResourceTypes != nil {
			rg["ExclusionByResourceTypes"] = map[string]any{"ResourceTypes": resourceTypes(g.ExclusionByResourceTypes.ResourceTypes)}
		}
		if g.RecordingStrategy != nil {
			rg["RecordingStrategy"] = map[string]any{"UseOnly": string(g.RecordingStrategy.UseOnly)}
		}
		cfg["RecordingGroup"] = rg
	}
	if m := r.RecordingMode; m != nil {
		ov := []map[string]any{}
		for _, o := range m.RecordingModeOverrides {
			ov = append(ov, omitNil(map[string]any{"Description": o.Description, "RecordingFrequency": enum(o.RecordingFrequency),
				"ResourceTypes": resourceTypes(o.ResourceTypes)}))
		}
		cfg["RecordingMode"] = map[string]any{"RecordingFrequency": string(m.RecordingFrequency), "RecordingModeOverrides": ov}
	}
	if status != nil {
		cfg["Recording"] = status.Recording
	}
	return Item{
		ResourceType: "AWS::Config::ConfigurationRecorder", ResourceID: str(r.Name), ResourceName: str(r.Name), ARN: str(r.Arn),
		AZ: "Regional", Configuration: omitNil(cfg),
	}
}

// deliveryChannelsCLI is what `aws configservice describe-delivery-channels`
// prints (the API's member names).
func deliveryChannelsCLI(chs []types.DeliveryChannel) map[string]any {
	list := []map[string]any{}
	for _, d := range chs {
		m := map[string]any{"name": d.Name, "s3BucketName": d.S3BucketName, "s3KeyPrefix": d.S3KeyPrefix,
			"s3KmsKeyArn": d.S3KmsKeyArn, "snsTopicARN": d.SnsTopicARN}
		if p := d.ConfigSnapshotDeliveryProperties; p != nil {
			m["configSnapshotDeliveryProperties"] = omitNil(map[string]any{"deliveryFrequency": enum(p.DeliveryFrequency)})
		}
		list = append(list, omitNil(m))
	}
	return map[string]any{"DeliveryChannels": list}
}
