package tfmap

import (
	"maps"
	"testing"
)

// TestInstanceTags: a plan's or state's computed tags (tags_all, Google's
// terraform_labels) are what the resource carries; from a configuration,
// the provider's default tags under the resource's own tags or labels;
// values not known before apply are left out; Google's default labels do
// not reach the types without labels.
func TestInstanceTags(t *testing.T) {
	for name, c := range map[string]struct {
		attrs map[string]any
		def   map[string]any
		want  map[string]string
		typ   string
	}{
		"google default labels":      {map[string]any{"labels": map[string]any{"a": "1"}}, map[string]any{"team": "data"}, map[string]string{"a": "1", "team": "data"}, "google_storage_bucket"},
		"no labels on a firewall":    {map[string]any{}, map[string]any{"team": "data"}, nil, "google_compute_firewall"},
		"no labels on an IAM member": {map[string]any{}, map[string]any{"team": "data"}, nil, "google_storage_bucket_iam_member"},
		"aws default tags on IAM":    {map[string]any{}, map[string]any{"team": "data"}, map[string]string{"team": "data"}, "aws_iam_role"},
		"plan tags_all":              {map[string]any{"tags": map[string]any{"a": "1"}, "tags_all": map[string]any{"a": "1", "owner": "ops"}}, nil, map[string]string{"a": "1", "owner": "ops"}, ""},
		"google terraform_labels":    {map[string]any{"labels": map[string]any{"a": "1"}, "terraform_labels": map[string]any{"a": "1", "owner": "x"}}, nil, map[string]string{"a": "1", "owner": "x"}, ""},
		"own over default":           {map[string]any{"tags": map[string]any{"owner": "me"}}, map[string]any{"owner": "ops", "env": "prod"}, map[string]string{"owner": "me", "env": "prod"}, ""},
		"google labels":              {map[string]any{"tags": []any{"web"}, "labels": map[string]any{"team": "a"}}, nil, map[string]string{"team": "a"}, ""},
		"unknown left out":           {map[string]any{"tags": map[string]any{"owner": Unknown{}, "env": "dev"}}, nil, map[string]string{"env": "dev"}, ""},
		"none":                       {map[string]any{}, nil, nil, ""},
	} {
		got := instanceTags(&inst{in: &Instance{Type: c.typ, DefaultTags: c.def}, a: c.attrs})
		if !maps.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}
