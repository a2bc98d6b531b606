package gcpcollect

import (
	"context"
	"sort"
	"strings"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"google.golang.org/api/iterator"
	grafeaspb "google.golang.org/genproto/googleapis/grafeas/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

const (
	svcArtifact    = "containeranalysis.googleapis.com"
	permOccurrence = "containeranalysis.occurrences.list"
	// artifactFile is where a project's Artifact Analysis vulnerability
	// occurrences go, as the REST ListOccurrences answer
	// ({"occurrences": [...]}), which vigil findings import reads.
	artifactFile = "findings/artifact-analysis-occurrences.json"
)

// artifactScopes are the projects whose vulnerability occurrences are
// listed (Artifact Analysis answers per project): the project scopes, and
// the projects an organization or folder listing found that are not
// scopes of their own, written under their project ID.
func (c *collector) artifactScopes(scopes []scope) []scope {
	var out []scope
	have := map[string]bool{}
	for _, s := range scopes {
		if strings.HasPrefix(s.parent, "projects/") {
			out = append(out, s)
			have[s.account] = true
		}
	}
	c.mu.Lock()
	seen := make([]string, 0, len(c.seenProjects))
	for id := range c.seenProjects {
		if !have[id] {
			seen = append(seen, id)
		}
	}
	c.mu.Unlock()
	sort.Strings(seen)
	for _, id := range seen {
		out = append(out, scope{parent: "projects/" + id, dir: id, account: id})
	}
	return out
}

// noteProjects remembers the projects of a resource listing of an
// organization or folder, for the per-project listings that come after.
func (c *collector) noteProjects(s scope, assets []*assetpb.Asset) {
	if strings.HasPrefix(s.parent, "projects/") {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, a := range assets {
		if a.GetAssetType() != "cloudresourcemanager.googleapis.com/Project" {
			continue
		}
		data := a.GetResource().GetData().GetFields()
		if data["lifecycleState"].GetStringValue() != "" && data["lifecycleState"].GetStringValue() != "ACTIVE" {
			continue
		}
		if id := data["projectId"].GetStringValue(); id != "" {
			if c.seenProjects == nil {
				c.seenProjects = map[string]bool{}
			}
			c.seenProjects[id] = true
		}
	}
}

// vulnOccurrences lists a project's vulnerability occurrences (by project
// ID, the parent form Grafeas documents) and writes
// them. A project where the Container Analysis API is not enabled has none
// and is no failure; a listing that fails part-way writes nothing (a
// partial list would read as vulnerabilities fixed).
func (c *collector) vulnOccurrences(ctx context.Context, s scope) {
	gctx, g := withGuard(ctx)
	it := c.grafeas.ListOccurrences(gctx, &grafeaspb.ListOccurrencesRequest{Parent: "projects/" + s.account, Filter: `kind="VULNERABILITY"`, PageSize: pageSize}, c.call...)
	var got []proto.Message
	var names []string
	for {
		o, err := it.Next()
		if err == iterator.Done {
			break
		}
		if err != nil {
			switch {
			case status.Code(err) == codes.NotFound, status.Code(err) == codes.PermissionDenied && serviceDisabled(err):
				c.opts.Logger.Debug("gcp: Artifact Analysis not enabled", "project", s.account, "error", message(err))
			default:
				if ctx.Err() == nil {
					c.fail(s.account, svcArtifact, permOccurrence, "", err)
				}
			}
			return
		}
		got = append(got, o)
		names = append(names, o.GetName())
	}
	c.loop(s.account, svcArtifact, permOccurrence, "", g)
	if g.looped != "" || ctx.Err() != nil {
		return
	}
	c.writeList(ctx, s, svcArtifact, permOccurrence, artifactFile, "occurrences", got, names)
}
