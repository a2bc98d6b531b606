package cost

import "strings"

// Service categories, as FOCUS names them (ServiceCategory).
const (
	CatAI         = "AI and Machine Learning"
	CatAnalytics  = "Analytics"
	CatCompute    = "Compute"
	CatDatabases  = "Databases"
	CatIdentity   = "Identity"
	CatIntegr     = "Integration"
	CatManagement = "Management and Governance"
	CatNetworking = "Networking"
	CatSecurity   = "Security"
	CatStorage    = "Storage"
	CatOther      = "Other"
)

// categoryKeys maps normalized service-name fragments to a category, first
// match wins. It covers the common services of each cloud by their billing
// names (CUR product codes, Azure meter categories, GCP service
// descriptions); the FOCUS exports carry ServiceCategory themselves.
var categoryKeys = []struct{ key, cat string }{
	// security first: "Cloud Key Management Service" is not management
	{"guardduty", CatSecurity}, {"securityhub", CatSecurity}, {"inspector", CatSecurity}, {"macie", CatSecurity},
	{"waf", CatSecurity}, {"kms", CatSecurity}, {"keymanagement", CatSecurity}, {"shield", CatSecurity},
	{"detective", CatSecurity}, {"secretsmanager", CatSecurity}, {"secretmanager", CatSecurity},
	{"defender", CatSecurity}, {"sentinel", CatSecurity}, {"keyvault", CatSecurity}, {"azurefirewall", CatSecurity},
	{"networkfirewall", CatSecurity}, {"ddos", CatSecurity}, {"securitycommandcenter", CatSecurity},
	{"cloudarmor", CatSecurity}, {"chronicle", CatSecurity}, {"securityoperations", CatSecurity},
	{"securitycenter", CatSecurity}, {"advancedthreatprotection", CatSecurity}, {"securitylake", CatSecurity},
	{"cloudtrail", CatManagement}, {"config", CatManagement}, {"cloudwatch", CatManagement}, {"monitor", CatManagement},
	{"logging", CatManagement}, {"loganalytics", CatManagement},
	{"cognito", CatIdentity}, {"entra", CatIdentity}, {"activedirectory", CatIdentity}, {"identity", CatIdentity},
	{"sagemaker", CatAI}, {"bedrock", CatAI}, {"vertex", CatAI}, {"openai", CatAI}, {"cognitiveservices", CatAI},
	{"machinelearning", CatAI},
	{"redshift", CatAnalytics}, {"athena", CatAnalytics}, {"bigquery", CatAnalytics}, {"dataflow", CatAnalytics},
	{"glue", CatAnalytics}, {"emr", CatAnalytics}, {"synapse", CatAnalytics}, {"databricks", CatAnalytics},
	{"dataproc", CatAnalytics}, {"kinesis", CatAnalytics},
	{"rds", CatDatabases}, {"dynamodb", CatDatabases}, {"sqldatabase", CatDatabases}, {"cloudsql", CatDatabases},
	{"cosmos", CatDatabases}, {"postgres", CatDatabases}, {"mysql", CatDatabases}, {"spanner", CatDatabases},
	{"firestore", CatDatabases}, {"elasticache", CatDatabases}, {"redis", CatDatabases}, {"sql", CatDatabases},
	{"s3", CatStorage}, {"storage", CatStorage}, {"glacier", CatStorage}, {"backup", CatStorage}, {"efs", CatStorage},
	{"ebs", CatStorage}, {"filestore", CatStorage},
	{"cloudfront", CatNetworking}, {"vpc", CatNetworking}, {"route53", CatNetworking}, {"elb", CatNetworking},
	{"loadbalanc", CatNetworking}, {"bandwidth", CatNetworking}, {"network", CatNetworking}, {"cdn", CatNetworking},
	{"dns", CatNetworking}, {"frontdoor", CatNetworking}, {"apigateway", CatNetworking}, {"datatransfer", CatNetworking},
	{"sqs", CatIntegr}, {"sns", CatIntegr}, {"pubsub", CatIntegr}, {"servicebus", CatIntegr}, {"eventhub", CatIntegr},
	{"eventbridge", CatIntegr},
	{"ec2", CatCompute}, {"lambda", CatCompute}, {"eks", CatCompute}, {"ecs", CatCompute}, {"fargate", CatCompute},
	{"virtualmachine", CatCompute}, {"computeengine", CatCompute}, {"kubernetes", CatCompute}, {"functions", CatCompute},
	{"cloudrun", CatCompute}, {"appservice", CatCompute}, {"containerregistry", CatCompute}, {"ecr", CatCompute},
	{"artifactregistry", CatCompute}, {"container", CatCompute}, {"compute", CatCompute},
}

// norm lowercases s and keeps only letters and digits.
func norm(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteByte(c)
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		}
	}
	return b.String()
}

// Category returns the FOCUS service category of a billing service name.
func Category(provider, service string) string {
	n := norm(service)
	if n == "" {
		return ""
	}
	for _, k := range categoryKeys {
		if strings.Contains(n, k.key) {
			return k.cat
		}
	}
	return CatOther
}

// SecurityService is one security service of the shipped list.
type SecurityService struct {
	Provider string
	Name     string
	// match are normalized fragments of the service name as billed (CUR
	// product code, FOCUS ServiceName, Azure MeterCategory, GCP service
	// description); skuMatch fragments of the SKU for services billed under
	// another service's name (Cloud Armor under Networking).
	match, skuMatch []string
}

// SecurityServices is the shipped list of security services per cloud.
var SecurityServices = []SecurityService{
	{"aws", "Amazon GuardDuty", []string{"guardduty"}, nil},
	{"aws", "AWS Security Hub", []string{"securityhub"}, nil},
	{"aws", "Amazon Inspector", []string{"inspector"}, nil},
	{"aws", "Amazon Macie", []string{"macie"}, nil},
	{"aws", "AWS WAF", []string{"awswaf"}, nil},
	{"aws", "AWS KMS", []string{"awskms", "keymanagementservice"}, nil},
	{"aws", "AWS CloudTrail", []string{"cloudtrail"}, nil},
	{"aws", "AWS Config", []string{"awsconfig"}, nil},
	{"aws", "AWS Shield", []string{"shield"}, nil},
	{"aws", "Amazon Detective", []string{"detective"}, nil},
	{"aws", "AWS Secrets Manager", []string{"secretsmanager"}, nil},
	{"aws", "AWS Network Firewall", []string{"networkfirewall"}, nil},
	{"aws", "AWS Firewall Manager", []string{"awsfms", "firewallmanager"}, nil},
	{"aws", "Amazon Security Lake", []string{"securitylake"}, nil},
	{"azure", "Microsoft Defender for Cloud", []string{"defender", "securitycenter", "advancedthreatprotection"}, nil},
	{"azure", "Microsoft Sentinel", []string{"sentinel"}, nil},
	{"azure", "Azure Key Vault", []string{"keyvault"}, nil},
	{"azure", "Azure Firewall", []string{"azurefirewall"}, nil},
	{"azure", "Azure DDoS Protection", []string{"ddos"}, nil},
	{"azure", "Azure Web Application Firewall", []string{"webapplicationfirewall"}, []string{"waf"}},
	{"gcp", "Security Command Center", []string{"securitycommandcenter"}, nil},
	{"gcp", "Cloud Armor", []string{"cloudarmor"}, []string{"cloudarmor", "securitypolic"}},
	{"gcp", "Cloud KMS", []string{"keymanagementservice", "cloudkms"}, nil},
	{"gcp", "Chronicle / Google SecOps", []string{"chronicle", "securityoperations", "secops"}, nil},
	{"gcp", "Secret Manager", []string{"secretmanager"}, nil},
	{"gcp", "Cloud IDS", []string{"cloudids"}, nil},
	{"gcp", "Web Security Scanner", []string{"websecurityscanner"}, nil},
}

// SecurityServiceOf returns the security service a billing line is for,
// or "".
func SecurityServiceOf(provider, service, sku string) string {
	ns, nk := norm(service), norm(sku)
	for _, s := range SecurityServices {
		if s.Provider != provider {
			continue
		}
		for _, m := range s.match {
			if strings.Contains(ns, m) {
				return s.Name
			}
		}
		for _, m := range s.skuMatch {
			if strings.Contains(nk, m) {
				return s.Name
			}
		}
	}
	return ""
}
