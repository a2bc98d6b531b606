package tfmap

import (
	"maps"
	"testing"
)

// TestInstanceTags: a plan's or state's computed tags (tags_all, Google's
// terraform_labels) are what the resource carries; from a configuration,
// the provider's default tags under the resource's own tags or labels;
// values not known before apply are left out.
func TestInstanceTags(t *testing.T) {
	for name, c := range map[string]struct {
		attrs map[string]any
		def   map[string]any
		want  map[string]string
	}{
		"plan tags_all":           {map[string]any{"tags": map[string]any{"a": "1"}, "tags_all": map[string]any{"a": "1", "owner": "ops"}}, nil, map[string]string{"a": "1", "owner": "ops"}},
		"google terraform_labels": {map[string]any{"labels": map[string]any{"a": "1"}, "terraform_labels": map[string]any{"a": "1", "owner": "x"}}, nil, map[string]string{"a": "1", "owner": "x"}},
		"own over default":        {map[string]any{"tags": map[string]any{"owner": "me"}}, map[string]any{"owner": "ops", "env": "prod"}, map[string]string{"owner": "me", "env": "prod"}},
		"google labels":           {map[string]any{"tags": []any{"web"}, "labels": map[string]any{"team": "a"}}, nil, map[string]string{"team": "a"}},
		"unknown left out":        {map[string]any{"tags": map[string]any{"owner": Unknown{}, "env": "dev"}}, nil, map[string]string{"env": "dev"}},
		"none":                    {map[string]any{}, nil, nil},
	} {
		got := instanceTags(&inst{in: &Instance{DefaultTags: c.def}, a: c.attrs})
		if !maps.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}
