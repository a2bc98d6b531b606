package awscollect

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/internal/collect"
)

// moreServices are the services beyond the core (IAM, S3, EC2,
// Organizations), one file each
// (svc_*.go). Each writes what the awsconfig importer reads for it: AWS
// Config configuration items in Config's shape for the type, or the
// outputs of the aws CLI commands the sample organization holds under
// cli/.
func moreServices() []Service {
	return []Service{
		{Name: "rds", Run: runRDS},
		{Name: "kms", Run: runKMS},
		{Name: "cloudtrail", Run: runCloudTrail},
		{Name: "config", Run: runConfig},
		{Name: "guardduty", Run: runGuardDuty},
		{Name: "securityhub", Run: runSecurityHub},
		{Name: "macie2", Run: runMacie},
		{Name: "inspector2", Run: runInspector},
		{Name: "lambda", Run: runLambda},
		{Name: "eks", Run: runEKS},
		{Name: "elasticloadbalancing", Run: runELBv2},
		{Name: "elasticloadbalancing", Run: runClassicELB},
		{Name: "cloudfront", Global: true, Run: runCloudFront},
		{Name: "sns", Run: runSNS},
		{Name: "sqs", Run: runSQS},
		{Name: "secretsmanager", Run: runSecrets},
		{Name: "directconnect", Run: runDXInterfaces},
		{Name: "directconnect", Global: true, Run: runDXGateways},
		{Name: "apigateway", Run: runAPIGateway},
		{Name: "access-analyzer", Run: runAccessAnalyzer},
		{Name: "elasticfilesystem", Run: runEFS},
		{Name: "logs", Run: runMetricFilters},
		{Name: "cloudwatch", Run: runAlarms},
		{Name: "ecr", Run: runECR},
		{Name: "route53", Global: true, Run: runRoute53},
	}
}

// pager is an SDK paginator: O is the page's output type, F the client's
// option function type.
type pager[O, F any] interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...F) (*O, error)
}

// pages reads every page of an SDK paginator with Pages: a failed page
// is reported (call, resource "") and ends the listing with what was
// read, and so does a page token the service returned before (token gives
// a page's next token). complete says every page was read; err is ctx's
// error when it is done.
func pages[O, F any](ctx context.Context, t *Task, service, call string, p pager[O, F], token func(*O) *string, fn func(*O)) (complete bool, err error) {
	return pagesOf(ctx, t, service, call, "", p, token, fn)
}

// pagesOf is pages for a listing about one resource (a load balancer's
// listeners): its failures name the resource.
func pagesOf[O, F any](ctx context.Context, t *Task, service, call, resource string, p pager[O, F], token func(*O) *string, fn func(*O)) (complete bool, err error) {
	complete = Pages(ctx, t, service, call, resource, func(ctx context.Context, _ *string) (*O, *string, error) {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, nil, err
		}
		if !p.HasMorePages() {
			return page, nil, nil // the paginator's own end (a Truncated flag)
		}
		return page, token(page), nil
	}, fn)
	return complete, ctx.Err()
}

// perResource is how many per-resource calls of one service in one
// region run at once (a function's policy, a key's rotation status).
const perResource = 4

// each calls fn for every element of items, perResource at a time, and
// returns ctx's error when it is done before the end.
func each[T any](ctx context.Context, items []T, fn func(T)) error {
	sem := make(chan struct{}, perResource)
	var wg sync.WaitGroup
	for _, it := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(it)
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// cfgTime formats a time as AWS Config writes the times of a resource's
// configuration ("2026-11-24T05:58:12.919Z"); nil for none.
func cfgTime(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// cliTime formats a time as the aws CLI prints it
// ("2026-11-14T06:00:00.000000+00:00"); nil for none.
func cliTime(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000-07:00")
}

// cliName makes a resource name one file name element as the sample
// organization names its CLI outputs: "nw-prod/orders-db/credentials" in
// us-east-1 gives "nw-prod_orders-db_credentials.us-east-1.json".
func cliName(name, region string) string {
	return collect.SafeSegment(strings.ReplaceAll(name, "/", "_")) + "." + region + ".json"
}

// str is *s, "" for nil.
func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// arnName is the last element of an ARN's resource ("topic" in
// arn:aws:sns:us-east-1:111122223333:topic).
func arnName(arn string) string {
	if i := strings.LastIndexAny(arn, ":/"); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

// omitNil drops the entries of m whose value is nil (a Go nil, a nil
// pointer, slice or map of the types used here), so that a configuration
// says only what the API said.
func omitNil(m map[string]any) map[string]any {
	for k, v := range m {
		switch x := v.(type) {
		case nil:
			delete(m, k)
		case *string:
			if x == nil {
				delete(m, k)
			}
		case *bool:
			if x == nil {
				delete(m, k)
			}
		case *int32:
			if x == nil {
				delete(m, k)
			}
		case *int64:
			if x == nil {
				delete(m, k)
			}
		case map[string]any:
			if x == nil {
				delete(m, k)
			}
		case []any:
			if x == nil {
				delete(m, k)
			}
		case []map[string]any:
			if x == nil {
				delete(m, k)
			}
		case []string:
			if x == nil {
				delete(m, k)
			}
		}
	}
	return m
}

// enum is an SDK enum value as text, nil for the zero value (the API did
// not say).
func enum[T ~string](v T) any {
	if v == "" {
		return nil
	}
	return string(v)
}
