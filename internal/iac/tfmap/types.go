package tfmap

import "github.com/vigil-sec/vigil/internal/resource"

// mappers are the resource types mapped, by Terraform type.
var mappers map[string]typeMapper

// attachments are the split resources joined onto what they configure.
var attachments map[string]attachment

func init() {
	aws := func(native string, class resource.Class, fill func(*mapper, *inst, *resource.Resource)) typeMapper {
		return typeMapper{resource.AWS, native, class, fill}
	}
	mappers = map[string]typeMapper{
		"aws_s3_bucket":                      aws("AWS::S3::Bucket", resource.ClassObjectStorage, s3Bucket),
		"aws_s3_account_public_access_block": aws("AWS::::Account", resource.ClassAccount, s3AccountBlock),
		"aws_ebs_encryption_by_default":      aws("AWS::::Account", resource.ClassAccount, ebsDefaultEncryption),
		"aws_security_group":                 aws("AWS::EC2::SecurityGroup", resource.ClassFirewall, securityGroup),
		"aws_default_security_group":         aws("AWS::EC2::SecurityGroup", resource.ClassFirewall, securityGroup),
	}
	attachments = map[string]attachment{
		"aws_s3_bucket_public_access_block":                  {attrs: []string{"bucket"}, types: bucketTypes},
		"aws_s3_bucket_server_side_encryption_configuration": {attrs: []string{"bucket"}, types: bucketTypes},
		"aws_s3_bucket_versioning":                           {attrs: []string{"bucket"}, types: bucketTypes},
		"aws_s3_bucket_logging":                              {attrs: []string{"bucket"}, types: bucketTypes},
		"aws_s3_bucket_policy":                               {attrs: []string{"bucket"}, types: bucketTypes},
		"aws_s3_bucket_acl":                                  {attrs: []string{"bucket"}, types: bucketTypes},
		"aws_s3_bucket_ownership_controls":                   {attrs: []string{"bucket"}, types: bucketTypes},
		"aws_security_group_rule":                            {attrs: []string{"security_group_id"}, types: sgTypes},
		"aws_vpc_security_group_ingress_rule":                {attrs: []string{"security_group_id"}, types: sgTypes},
		"aws_vpc_security_group_egress_rule":                 {attrs: []string{"security_group_id"}, types: sgTypes},
	}
}
