package cost

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// converter turns one export row into a Row, caching what repeats (dates,
// tag sets) between rows of a file.
type converter struct {
	format Format
	days   map[string]int32 // charge date text -> day
	tags   map[string]map[string]string
	lower  map[string]string // charge types and regions, lowercased
}

func newConverter(f Format) converter {
	return converter{format: f, days: map[string]int32{}, tags: map[string]map[string]string{}, lower: map[string]string{}}
}

// toLower is strings.ToLower without an allocation for a value seen before.
func (c *converter) toLower(s string) string {
	if l, ok := c.lower[s]; ok {
		return l
	}
	l := strings.ToLower(s)
	if len(c.lower) > 4096 {
		clear(c.lower)
	}
	c.lower[s] = l
	return l
}

func (c *converter) row(get func(field) string) (Row, error) {
	r := Row{
		Format:          string(c.format),
		BillingAccount:  get(fBillingAccount),
		Account:         get(fAccount),
		Service:         get(fService),
		ServiceCategory: get(fCategory),
		SKU:             get(fSKU),
		ChargeType:      c.toLower(get(fChargeType)),
		ResourceID:      get(fResourceID),
		Region:          c.toLower(get(fRegion)),
		Currency:        get(fCurrency),
		UsageUnit:       get(fUsageUnit),
	}
	ds := get(fDay)
	if ds == "" {
		return r, fmt.Errorf("no charge date")
	}
	day, ok := c.days[ds]
	if !ok {
		d, err := parseDay(ds)
		if err != nil {
			return r, err
		}
		if len(c.days) > 4096 {
			clear(c.days)
		}
		day = DayOf(d)
		c.days[ds] = day
	}
	r.Day = day
	var err error
	if r.Cost, err = parseAmount(get(fCost)); err != nil {
		return r, fmt.Errorf("cost: %w", err)
	}
	if u := get(fUsage); u != "" {
		if r.Usage, err = parseAmount(u); err != nil {
			return r, fmt.Errorf("usage quantity: %w", err)
		}
	}
	if t := get(fTags); t != "" {
		if r.Tags, err = c.parseTags(t); err != nil {
			return r, fmt.Errorf("tags: %w", err)
		}
	}
	switch c.format {
	case FOCUS:
		if r.Provider = normProvider(get(fProvider)); r.Provider == "" {
			r.Provider = "unknown"
		}
	case CUR:
		r.Provider = "aws"
		if n, ok := awsServiceNames[r.Service]; ok {
			r.Service = n
		}
	case Azure:
		r.Provider = "azure"
		r.Account = strings.ToLower(r.Account)
	case GCP:
		r.Provider = "gcp"
		if cr := get(fCredits); cr != "" && cr != "[]" {
			var credits []struct {
				Amount json.Number `json:"amount"`
			}
			if err := json.Unmarshal([]byte(cr), &credits); err != nil {
				return r, fmt.Errorf("credits: %w", err)
			}
			for _, x := range credits {
				v, err := x.Amount.Float64()
				if err != nil {
					return r, fmt.Errorf("credits: %w", err)
				}
				r.Cost += v
			}
		}
	}
	if r.ServiceCategory == "" {
		r.ServiceCategory = Category(r.Provider, r.Service)
	}
	if r.Currency == "" {
		r.Currency = "USD"
	}
	return r, nil
}

func parseAmount(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	return v, nil
}

func normProvider(s string) string {
	l := strings.ToLower(strings.TrimSpace(s))
	switch {
	case l == "aws" || strings.Contains(l, "amazon"):
		return "aws"
	case strings.Contains(l, "microsoft") || strings.Contains(l, "azure"):
		return "azure"
	case strings.Contains(l, "google") || l == "gcp":
		return "gcp"
	}
	return l
}

// parseTags reads a tag set: a JSON object (FOCUS Tags, CUR 2.0
// resource_tags, Azure Tags), Azure's older brace-less form
// ("k": "v","k2": "v2"), or GCP labels ([{"key":..,"value":..}]). CUR 2.0's
// "user_" prefix of user-defined tags is removed (user_owner is owner).
func (c *converter) parseTags(s string) (map[string]string, error) {
	if m, ok := c.tags[s]; ok {
		return m, nil
	}
	t := strings.TrimSpace(s)
	m := map[string]string{}
	switch {
	case t == "" || t == "{}" || t == "[]" || t == "null":
	case t[0] == '[':
		var kv []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		}
		if err := json.Unmarshal([]byte(t), &kv); err != nil {
			return nil, err
		}
		for _, x := range kv {
			m[x.Key] = x.Value
		}
	default:
		if t[0] != '{' {
			t = "{" + t + "}"
		}
		var raw map[string]any
		if err := json.Unmarshal([]byte(t), &raw); err != nil {
			return nil, err
		}
		for k, v := range raw {
			if c.format == CUR && strings.HasPrefix(k, "user_") {
				k = k[len("user_"):]
			}
			switch x := v.(type) {
			case string:
				m[k] = x
			case nil:
				m[k] = ""
			default:
				b, _ := json.Marshal(x)
				m[k] = string(b)
			}
		}
	}
	if len(c.tags) > 4096 {
		clear(c.tags)
	}
	c.tags[s] = m
	return m, nil
}

// awsServiceNames names CUR product codes as FOCUS exports name the
// services (ServiceName), so CUR and FOCUS spend adds up per service.
var awsServiceNames = map[string]string{
	"AmazonEC2": "Amazon Elastic Compute Cloud", "AmazonS3": "Amazon Simple Storage Service",
	"AmazonRDS": "Amazon Relational Database Service", "AWSLambda": "AWS Lambda",
	"AmazonEKS": "Amazon Elastic Kubernetes Service", "AmazonECS": "Amazon Elastic Container Service",
	"AmazonECR": "Amazon Elastic Container Registry", "AmazonGuardDuty": "Amazon GuardDuty",
	"AWSSecretsManager": "AWS Secrets Manager", "awskms": "AWS Key Management Service",
	"AWSCloudTrail": "AWS CloudTrail", "AWSConfig": "AWS Config", "AWSSecurityHub": "AWS Security Hub",
	"AmazonInspectorV2": "Amazon Inspector", "AmazonInspector": "Amazon Inspector", "AmazonMacie": "Amazon Macie",
	"awswaf": "AWS WAF", "AWSShield": "AWS Shield", "AmazonDetective": "Amazon Detective",
	"AmazonCloudFront": "Amazon CloudFront", "AmazonVPC": "Amazon Virtual Private Cloud",
	"AmazonDynamoDB": "Amazon DynamoDB", "AmazonCloudWatch": "AmazonCloudWatch",
	"AmazonSNS": "Amazon Simple Notification Service", "AWSQueueService": "Amazon Simple Queue Service",
	"AmazonRoute53": "Amazon Route 53", "AmazonSageMaker": "Amazon SageMaker", "AmazonRedshift": "Amazon Redshift",
	"AmazonApiGateway": "Amazon API Gateway", "AWSELB": "Elastic Load Balancing", "AmazonEFS": "Amazon Elastic File System",
	"AWSNetworkFirewall": "AWS Network Firewall", "AWSDataTransfer": "AWS Data Transfer",
}
