package gcpcollect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"cloud.google.com/go/securitycenter/apiv1/securitycenterpb"
	"google.golang.org/api/iterator"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/vigil-sec/vigil/internal/collect"
)

const (
	svcSCC          = "securitycenter.googleapis.com"
	permSCCFindings = "securitycenter.findings.list"
	// sccFile is where a scope's active Security Command Center findings
	// go, as the ListFindings REST answer ({"listFindingsResults": [...]}),
	// which vigil findings import reads.
	sccFile = "findings/scc-list-findings.json"
)

// restJSON writes a listing's items as the REST API does (JSON field
// names, enums by name): the shape vigil findings import reads.
var restJSON = protojson.MarshalOptions{}

// sccScopes are the scopes whose Security Command Center findings are
// listed: the organizations and folders collected (their findings cover
// their projects), or each project when neither is.
func sccScopes(scopes []scope) []scope {
	var above, projects []scope
	for _, s := range scopes {
		if strings.HasPrefix(s.parent, "projects/") {
			projects = append(projects, s)
		} else {
			above = append(above, s)
		}
	}
	if len(above) > 0 {
		return above
	}
	return projects
}

// sccFindings lists a scope's active findings from every source
// (PARENT/sources/-) and writes them. A scope where Security Command
// Center is not activated (FAILED_PRECONDITION, NOT_FOUND) has none and
// is no failure; a listing that fails part-way writes nothing (a partial
// list would read as findings closed).
func (c *collector) sccFindings(ctx context.Context, s scope) {
	gctx, g := withGuard(ctx)
	it := c.scc.ListFindings(gctx, &securitycenterpb.ListFindingsRequest{Parent: s.parent + "/sources/-", Filter: `state="ACTIVE"`, PageSize: pageSize}, c.call...)
	var got []*securitycenterpb.ListFindingsResponse_ListFindingsResult
	for {
		r, err := it.Next()
		if err == iterator.Done {
			break
		}
		if err != nil {
			switch status.Code(err) {
			case codes.FailedPrecondition, codes.NotFound:
				c.opts.Logger.Debug("gcp: Security Command Center not active", "scope", s.parent, "error", message(err))
			default:
				if ctx.Err() == nil {
					c.fail(s.account, svcSCC, permSCCFindings, "", err)
				}
			}
			return
		}
		got = append(got, r)
	}
	c.loop(s.account, svcSCC, permSCCFindings, "", g)
	if g.looped != "" || ctx.Err() != nil {
		return
	}
	msgs := make([]proto.Message, len(got))
	names := make([]string, len(got))
	for i, r := range got {
		msgs[i], names[i] = r, r.GetFinding().GetName()
	}
	c.writeList(ctx, s, svcSCC, permSCCFindings, sccFile, "listFindingsResults", msgs, names)
}

// writeList writes msgs as the REST answer of a listing ({"KEY": [...]},
// JSON field names, enums by name) to FILE under the scope's directory;
// a message that cannot be written is a failure naming it (names[i]),
// and nothing is written when none can.
func (c *collector) writeList(ctx context.Context, s scope, service, perm, file, key string, msgs []proto.Message, names []string) {
	var buf bytes.Buffer
	buf.WriteString(`{"` + key + `":[`)
	n := 0
	for i, m := range msgs {
		b, err := restJSON.Marshal(m)
		if err != nil {
			c.rec.Fail(collect.Failure{Cloud: cloudCloud, Account: s.account, Service: service, Call: perm, Resource: names[i],
				Kind: collect.Failed, Err: "the item cannot be written as JSON: " + err.Error()})
			continue
		}
		if n > 0 {
			buf.WriteString(",\n")
		}
		// protojson varies its spacing from build to build on purpose:
		// compact output is stable (and what the export tests compare).
		if err := json.Compact(&buf, b); err != nil {
			buf.Write(b)
		}
		n++
	}
	buf.WriteString("]}\n")
	if n == 0 {
		return
	}
	if err := c.sink.Write(ctx, "gcp/"+collect.SafeSegment(s.dir)+"/"+file, buf.Bytes()); err != nil {
		c.mu.Lock()
		if c.sinkErr == nil {
			c.sinkErr = fmt.Errorf("gcp %s: %w", s.parent, err)
		}
		c.mu.Unlock()
	}
}
