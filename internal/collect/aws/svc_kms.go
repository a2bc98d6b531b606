package awscollect

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// runKMS collects the region's keys as AWS Config items (AWS::KMS::Key),
// the rotation status of the customer-managed symmetric keys
// (kms-key-rotation-status/<key id>.json, `aws kms get-key-rotation-status`)
// and their key policies (kms-get-key-policy/<key id>.json, `aws kms
// get-key-policy --policy-name default`).
func runKMS(ctx context.Context, t *Task) error {
	c := kms.NewFromConfig(t.Config)
	var keys []types.KeyListEntry
	_, err := pages(ctx, t, "kms", "kms:ListKeys", kms.NewListKeysPaginator(kmsListKeys(c.ListKeys), &kms.ListKeysInput{}),
		func(o *kms.ListKeysOutput) *string { return o.NextMarker },
		func(o *kms.ListKeysOutput) { keys = append(keys, o.Keys...) })
	if err != nil {
		return err
	}
	return each(ctx, keys, func(k types.KeyListEntry) {
		arn := str(k.KeyArn)
		out, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(arn)})
		if err != nil || out.KeyMetadata == nil {
			if err != nil {
				t.Fail("kms", "kms:DescribeKey", arn, err)
			}
			// The key exists; what it is stays unknown.
			t.Item(Item{ResourceType: "AWS::KMS::Key", ResourceID: str(k.KeyId), ARN: arn, RelationshipsUnknown: true})
			return
		}
		md := *out.KeyMetadata
		var tags map[string]string
		customer := md.KeyManager == types.KeyManagerTypeCustomer
		if customer {
			tg, err := c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(arn)})
			if err != nil {
				t.Fail("kms", "kms:ListResourceTags", arn, err)
			} else {
				tags = kmsTags(tg.Tags)
			}
		}
		t.Item(kmsKeyItem(md, tags))
		if !customer || md.KeyState == types.KeyStatePendingDeletion || md.KeyState == types.KeyStatePendingImport {
			return
		}
		name := kmsFileName(md)
		// Automatic rotation exists only for symmetric keys with key
		// material from KMS: the call fails (UnsupportedOperation) on others.
		if md.KeySpec == types.KeySpecSymmetricDefault && md.Origin == types.OriginTypeAwsKms {
			rot, err := c.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(arn)})
			if err != nil {
				t.Fail("kms", "kms:GetKeyRotationStatus", arn, err)
			} else {
				t.CLI("kms-key-rotation-status/"+name, kmsRotationCLI(rot, arn))
			}
		}
		pol, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(arn), PolicyName: aws.String("default")})
		if err != nil {
			t.Fail("kms", "kms:GetKeyPolicy", arn, err)
		} else {
			t.CLI("kms-get-key-policy/"+name, omitNil(map[string]any{"Policy": pol.Policy, "PolicyName": pol.PolicyName}))
		}
	})
}

// kmsFileName names a key's CLI outputs after its key ID, as the sample
// organization does; a multi-Region key has the same ID in every region,
// so its file names carry the region too.
func kmsFileName(md types.KeyMetadata) string {
	id := str(md.KeyId)
	if strings.HasPrefix(id, "mrk-") {
		return id + "." + regionOfARN(str(md.Arn)) + ".json"
	}
	return id + ".json"
}

// regionOfARN is the region element of an ARN.
func regionOfARN(arn string) string {
	if p := strings.SplitN(arn, ":", 5); len(p) == 5 {
		return p[3]
	}
	return ""
}

func kmsTags(tags []types.Tag) map[string]string {
	var m map[string]string
	for _, tg := range tags {
		if m == nil {
			m = map[string]string{}
		}
		m[str(tg.TagKey)] = str(tg.TagValue)
	}
	return m
}

// kmsKeyItem is a key as AWS Config records it: DescribeKey's metadata
// under Config's names (aWSAccountId, keyManager, keySpec...).
func kmsKeyItem(md types.KeyMetadata, tags map[string]string) Item {
	cfg := map[string]any{
		"aWSAccountId": md.AWSAccountId, "keyId": md.KeyId, "arn": md.Arn, "creationDate": cfgTime(md.CreationDate),
		"enabled": md.Enabled, "description": md.Description, "keyUsage": enum(md.KeyUsage), "keyState": enum(md.KeyState),
		"deletionDate": cfgTime(md.DeletionDate), "validTo": cfgTime(md.ValidTo), "origin": enum(md.Origin),
		"customKeyStoreId": md.CustomKeyStoreId, "expirationModel": enum(md.ExpirationModel),
		"keyManager": enum(md.KeyManager), "customerMasterKeySpec": enum(md.CustomerMasterKeySpec),
		"keySpec": enum(md.KeySpec), "multiRegion": md.MultiRegion,
	}
	var algs []string
	for _, a := range md.EncryptionAlgorithms {
		algs = append(algs, string(a))
	}
	if algs != nil {
		cfg["encryptionAlgorithms"] = algs
	}
	var sign []string
	for _, a := range md.SigningAlgorithms {
		sign = append(sign, string(a))
	}
	if sign != nil {
		cfg["signingAlgorithms"] = sign
	}
	return Item{
		ResourceType: "AWS::KMS::Key", ResourceID: str(md.KeyId), ARN: str(md.Arn), AZ: "Regional", Created: md.CreationDate, Tags: tags,
		Configuration: omitNil(cfg),
	}
}

// kmsRotationCLI is what `aws kms get-key-rotation-status` prints. The API
// names the key by ARN; an older answer with a bare ID gets the ARN the
// call was made with, so the importer merges it with the key's item.
func kmsRotationCLI(o *kms.GetKeyRotationStatusOutput, arn string) map[string]any {
	id := str(o.KeyId)
	if !strings.HasPrefix(id, "arn:") {
		id = arn
	}
	return omitNil(map[string]any{
		"KeyRotationEnabled": o.KeyRotationEnabled, "KeyId": id, "RotationPeriodInDays": o.RotationPeriodInDays,
		"NextRotationDate": cliTime(o.NextRotationDate), "OnDemandRotationStartDate": cliTime(o.OnDemandRotationStartDate),
	})
}
