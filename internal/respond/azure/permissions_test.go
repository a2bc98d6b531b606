package azurerespond

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The shipped role lists exactly the actions' permissions: the ARM
// operations in Actions, the Graph permissions ("graph:" in the specs) in
// GraphPermissions.
func TestRoleFileMatchesSpecs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "deploy", "permissions", "azure-respond-role.json"))
	if err != nil {
		t.Fatal(err)
	}
	var role struct {
		Actions, DataActions, GraphPermissions []string
	}
	if err := json.Unmarshal(data, &role); err != nil {
		t.Fatalf("azure-respond-role.json: %v", err)
	}
	var arm, graph []string
	for _, a := range Actions(Options{}) {
		for _, p := range a.Spec().Permissions {
			if g, ok := strings.CutPrefix(p, "graph:"); ok {
				graph = append(graph, g)
			} else {
				arm = append(arm, p)
			}
		}
	}
	for _, l := range []*[]string{&arm, &graph, &role.Actions, &role.GraphPermissions} {
		slices.Sort(*l)
		*l = slices.Compact(*l)
	}
	if !slices.Equal(arm, role.Actions) {
		t.Errorf("role Actions = %v\nspecs need     %v", role.Actions, arm)
	}
	if !slices.Equal(graph, role.GraphPermissions) {
		t.Errorf("GraphPermissions = %v, specs need %v", role.GraphPermissions, graph)
	}
	if len(role.DataActions) != 0 {
		t.Errorf("DataActions = %v: no action uses the data plane", role.DataActions)
	}
}
