package unused

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"

	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/lake"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Row is one aggregate of the lake's events: the calls of one actor, of one
// operation, in one account (and, for Azure and GCP, on one resource), that
// failed or not.
type Row struct {
	Provider  string // AWS, Azure, GCP (the OCSF cloud.provider)
	Source    string // the lake source (aws_cloudtrail, gcp_audit...)
	Account   string // account_uid: AWS account, Azure subscription or Entra tenant, GCP project ID
	Actor     string // actor_user_uid (AWS assumed-role sessions cut to the role session's role ARN)
	ActorName string
	ActorType string
	Service   string
	Operation string
	// Resource is the first resource acted on, for Azure Activity Log
	// and GCP events ("" otherwise).
	Resource string
	// Permissions are the GCP permissions authorizationInfo names (empty
	// for other sources or when the event has none).
	Permissions []string
	// AccessKey is the AWS access key the call was signed with (IAM
	// users only, when Options.AccessKeys).
	AccessKey string
	Failed    bool
	// First and Last are the first and last event times up to the window's
	// end (Last before Window.Start means used, but not in the window).
	First, Last time.Time
	// InWindow counts the events in the window; FirstIn is the first of
	// them.
	InWindow int64
	FirstIn  time.Time
}

// Window is the time range asked about: [Start, End).
type Window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// QueryOptions say what to read from the lake.
type QueryOptions struct {
	Window Window
	// AccessKeys reads the access key of AWS IAM users' calls (from the
	// raw event: costs a read of the CloudTrail events' text).
	AccessKeys bool
}

// sessionRole cuts an assumed-role session ARN to the role session's
// role (arn:aws:sts::ACCOUNT:assumed-role/ROLE), so the sessions of one
// role aggregate together.
const sessionRole = `regexp_replace(actor_user_uid, '^(arn:[^:]+:sts::[0-9]+:assumed-role/[^/]+)/.*$', '\1')`

// ReadUsage aggregates the lake's events up to the window's end. It
// reads only the columns it needs; the GCP permissions come from the raw
// events' protoPayload.authorizationInfo, the AWS access keys (when asked)
// from userIdentity.accessKeyId.
func ReadUsage(ctx context.Context, l *lake.Lake, o QueryOptions) ([]Row, error) {
	db, err := l.DB(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	start, end := o.Window.Start.UTC(), o.Window.End.UTC()
	common := func(extra, from, where string) string {
		return `SELECT cloud_provider, source, coalesce(account_uid, ''), coalesce(` + sessionRole + `, ''), coalesce(actor_user_name, ''),
	coalesce(actor_user_type, ''), coalesce(api_service, ''), coalesce(api_operation, ''), ` + extra + `,
	coalesce(status_id = 2, false) AS failed, min(time), max(time),
	count(*) FILTER (WHERE time >= $1), min(time) FILTER (WHERE time >= $1)
FROM ` + from + ` WHERE ` + where + `time < $2 GROUP BY ALL`
	}
	var out []Row
	// Everything but GCP: the resource for Azure Activity Log events.
	q1 := common(`CASE WHEN source = 'azure_activitylogs' THEN coalesce(resource_uids[1], '') ELSE '' END, CAST([] AS VARCHAR[]), ''`,
		"events", `source <> 'gcp_audit' AND NOT (source = 'aws_cloudtrail' AND $3 AND coalesce(actor_user_type, '') = 'IAMUser') AND `)
	if err := scanRows(ctx, db, q1, &out, start, end, o.AccessKeys); err != nil {
		return nil, err
	}
	if o.AccessKeys {
		q := common(`'', CAST([] AS VARCHAR[]), CASE WHEN json_extract_string(raw, '$.userIdentity.accessKeyId') LIKE 'AKIA%' THEN json_extract_string(raw, '$.userIdentity.accessKeyId') ELSE '' END`,
			"aws_cloudtrail", `actor_user_type = 'IAMUser' AND `)
		if err := scanRows(ctx, db, q, &out, start, end, nil); err != nil {
			return nil, err
		}
	}
	qg := common(`coalesce(resource_uids[1], ''),
	coalesce(list_sort(list_distinct(json_extract_string(raw, '$.protoPayload.authorizationInfo[*].permission'))), CAST([] AS VARCHAR[])), ''`, "gcp_audit", "")
	if err := scanRows(ctx, db, qg, &out, start, end, nil); err != nil {
		return nil, err
	}
	return out, nil
}

func scanRows(ctx context.Context, db *sql.DB, q string, out *[]Row, start, end time.Time, third any) error {
	args := []any{start, end}
	if third != nil {
		args = append(args, third)
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("reading the lake: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Row
		var perms any
		var firstIn sql.NullTime
		if err := rows.Scan(&r.Provider, &r.Source, &r.Account, &r.Actor, &r.ActorName, &r.ActorType, &r.Service, &r.Operation,
			&r.Resource, &perms, &r.AccessKey, &r.Failed, &r.First, &r.Last, &r.InWindow, &firstIn); err != nil {
			return fmt.Errorf("reading the lake: %w", err)
		}
		if l, ok := perms.([]any); ok {
			for _, p := range l {
				if s, ok := p.(string); ok && s != "" {
					r.Permissions = append(r.Permissions, s)
				}
			}
		}
		if firstIn.Valid {
			r.FirstIn = firstIn.Time.UTC()
		}
		r.First, r.Last = r.First.UTC(), r.Last.UTC()
		*out = append(*out, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading the lake: %w", err)
	}
	return nil
}

// FromLake reads the lake at dir and analyses it against the graph (see
// Analyze). A missing directory is an error (lake.Open would create it);
// a lake without events, or without any of the inventory's accounts in
// the window, is ErrNoLogs.
func FromLake(ctx context.Context, g *graph.Graph, dir string, o Options) (*Report, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("%w: no lake at %s (run vigil logs ingest first, or give --lake): %w", ErrNoLogs, dir, err)
	}
	l, err := lake.Open(dir)
	if err != nil {
		return nil, err
	}
	rows, err := ReadUsage(ctx, l, QueryOptions{Window: o.Window(), AccessKeys: hasAccessKeys(g)})
	if err != nil {
		return nil, err
	}
	return Analyze(ctx, g, rows, o)
}

// hasAccessKeys tells whether the inventory holds an AWS user with an
// active access key (the lake is then asked which key signed each IAM
// user's call).
func hasAccessKeys(g *graph.Graph) bool {
	for _, r := range g.Resources {
		if r.Provider == resource.AWS && r.Facts.Identity != nil {
			for _, k := range r.Facts.Identity.AccessKeys {
				if k.Active {
					return true
				}
			}
		}
	}
	return false
}
