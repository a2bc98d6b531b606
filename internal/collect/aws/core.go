package awscollect

// coreServices are IAM, S3 and EC2; Organizations is read once, from the
// caller's account, before the accounts are known (collectOrg).
func coreServices() []Service {
	return []Service{
		{Name: "iam", Global: true, Run: runIAM},
		{Name: "s3", Global: true, Run: runS3},
		{Name: "ec2", Run: runEC2},
	}
}
