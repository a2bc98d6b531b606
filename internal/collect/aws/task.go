package awscollect

import (
	"context"
	"log/slog"
	"sync"
	"time"

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
	// Partition is the ARN partition: "aws", "aws-us-gov", "aws-cn".
	Partition string

	out       *accountOut
	rec       *collect.Recorder
	pathStyle bool // S3 path-style URLs (a custom endpoint)
	log       *slog.Logger
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
	// RelationshipsUnknown leaves the relationships out of the item (a call
	// that would have found them failed): nil Relationships are "none".
	RelationshipsUnknown bool
	// Created is the resource's creation time (resourceCreationTime).
	Created       *time.Time
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

// CLI adds a CLI output under the account's cli/ folder: v marshals to
// what the aws CLI prints for the command (members not set left out), a
// []byte is written as is (the credential report's CSV). Name it as the
// importer and the sample organization do: "password-policy.json",
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

// failKind records a failure of a kind the error does not tell
// (a pagination loop).
func (t *Task) failKind(service, call, resource string, kind collect.Kind, msg string) {
	t.rec.Fail(collect.Failure{
		Cloud: "aws", Account: t.Account, Region: t.Region, Service: service,
		Call: call, Resource: resource, Kind: kind, Err: msg,
	})
}

// ARN builds an ARN in the task's partition: ARN("ec2", region, account,
// "instance/i-1").
func (t *Task) ARN(service, region, account, res string) string {
	return "arn:" + t.Partition + ":" + service + ":" + region + ":" + account + ":" + res
}

// Pages runs a paginated listing: fetch gets the page after token (nil for
// the first) and returns the page and the next token; each is called with
// every page. resource is the ARN the listing is about ("" for an account's
// or region's list). A failed page is reported with Task.Fail as call (the IAM
// action, "ec2:DescribeInstances") and ends the listing; a token returned
// twice is reported as a pagination loop and ends it too. Pages reports
// whether the listing was complete.
func Pages[T any](ctx context.Context, t *Task, service, call, resource string, fetch func(ctx context.Context, token *string) (T, *string, error), each func(T)) bool {
	var guard collect.PageGuard
	var token *string
	for {
		page, next, err := fetch(ctx, token)
		if err != nil {
			if ctx.Err() == nil {
				t.Fail(service, call, resource, err)
			}
			return false
		}
		each(page)
		if next == nil || *next == "" {
			return true
		}
		if guard.Loop(*next) {
			t.failKind(service, call, resource, collect.PaginationLoop, "the service returned the page token "+*next+" twice; the listing stops there")
			return false
		}
		token = next
	}
}
