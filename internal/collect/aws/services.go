package awscollect

// services lists every service collected: the core services (IAM, S3,
// EC2, Organizations) and the others, each list in its own file.
func services() []Service {
	return append(coreServices(), moreServices()...)
}
