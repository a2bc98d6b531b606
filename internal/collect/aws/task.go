package awscollect

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vigil-sec/vigil/internal/collect"
)

// Service is one AWS service's collection. Run is called once per account
// and enabled region, or once per account when Global (IAM, S3's bucket
// list, CloudFront, Organizations). It reports each failed call with
// Task.Fail and goes on; it returns an error only when ctx is done.
type Service struct {
	Name   string // the SDK service name: "s3", "ec2", "iam"
	Global bool
	Run    func(ctx context.Context, t *Task) error
}

// Task is one service's collection in one account and region.
type Task struct {
	Account string
	// Region is the region collected; for a Global service, the region its
	// calls go to (us-east-1 in the commercial partition).
	Region string
	// Config is the SDK configuration for the account (assumed role
	// credentials), with Region set and the endpoint overrides of tests.
	Config aws.Config

	out *accountOut
	rec *collect.Recorder
}

// Item is one AWS Config configuration item, as a snapshot holds it.
// Configuration and Supplementary have AWS Config's shapes for the type
// (https://github.com/awslabs/aws-config-resource-schema): what the
// awsconfig importer reads.
type Item struct {
	ResourceType  string // AWS::S3::Bucket
	ResourceID    string
	ResourceName  string
	ARN           string
	Region        string // "" means the task's region
	AZ            string
	Tags          map[string]string
	Relationships []Relationship
	Configuration any
	Supplementary map[string]any
}

// Relationship is a configuration item's relationship.
type Relationship struct {
	ResourceType string `json:"resourceType"`
	ResourceID   string `json:"resourceId,omitempty"`
	ResourceName string `json:"resourceName,omitempty"`
	Name         string `json:"name"` // "Is attached to Instance"
}

// accountOut gathers one account's output until it is written.
type accountOut struct {
	mu    sync.Mutex
	items map[string][]Item // by region
	cli   map[string]any    // by file name under <account>/cli/
}

// Item adds a configuration item to the account's snapshot for its region.
func (t *Task) Item(it Item) {
	if it.Region == "" {
		it.Region = t.Region
	}
	t.out.mu.Lock()
	defer t.out.mu.Unlock()
	if t.out.items == nil {
		t.out.items = map[string][]Item{}
	}
	t.out.items[it.Region] = append(t.out.items[it.Region], it)
}

// CLI adds a CLI output (v marshals to what the aws CLI prints for the
// command) under the account's cli/ folder, named as the importer and the
// sample organization name them: "password-policy.json",
// "kms-key-rotation-status/<key id>.json",
// "ebs-encryption-by-default.<region>.json".
func (t *Task) CLI(name string, v any) {
	t.out.mu.Lock()
	defer t.out.mu.Unlock()
	if t.out.cli == nil {
		t.out.cli = map[string]any{}
	}
	t.out.cli[name] = v
}

// Fail records that call (the IAM action name, "s3:GetBucketEncryption")
// failed, about resource (its ARN; "" for a list call).
func (t *Task) Fail(service, call, resource string, err error) {
	t.rec.Fail(collect.Failure{
		Cloud: "aws", Account: t.Account, Region: t.Region, Service: service,
		Call: call, Resource: resource, Kind: Classify(err), Err: Message(err),
	})
}
