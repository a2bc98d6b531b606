package azurecollect

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// roleDefinition is the custom role format of `az role definition create`.
type roleDefinition struct {
	Name, Description   string
	IsCustom            bool
	Actions, NotActions []string
	DataActions         []string
	AssignableScopes    []string
	NotDataActions      []string
}

func loadRole(t *testing.T) roleDefinition {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "deploy", "permissions", "azure-reader-role.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rd roleDefinition
	if err := json.Unmarshal(data, &rd); err != nil {
		t.Fatalf("azure-reader-role.json: %v", err)
	}
	return rd
}

// grants reports whether an action pattern (Azure's "*" wildcard, case-
// insensitive) covers an operation.
func grants(pattern, op string) bool {
	re := "(?i)^" + strings.ReplaceAll(regexp.QuoteMeta(pattern), `\*`, ".*") + "$"
	return regexp.MustCompile(re).MatchString(op)
}

func allowed(rd roleDefinition, op string) bool {
	return slices.ContainsFunc(rd.Actions, func(a string) bool { return grants(a, op) }) &&
		!slices.ContainsFunc(rd.NotActions, func(a string) bool { return grants(a, op) })
}

// TestRoleCoversCollector: the custom role in deploy/permissions grants
// every ARM operation the collector made in the whole-collector test run,
// and nothing that writes or reads secrets' values.
func TestRoleCoversCollector(t *testing.T) {
	rd := loadRole(t)
	if !rd.IsCustom || rd.Name == "" || len(rd.AssignableScopes) == 0 {
		t.Errorf("not a complete custom role definition: %+v", rd)
	}
	f := newFakeAzure(t, filepath.Join("testdata", "server"), loadRoutes(t))
	if _, _, err := run(t, f, f.options()); err != nil {
		t.Fatal(err)
	}
	ops := map[string]bool{}
	for _, r := range f.Requests() {
		method, path, _ := strings.Cut(r, " ")
		if strings.HasPrefix(path, "/v1.0/") {
			continue // Microsoft Graph: application permissions, in the role's description
		}
		if slices.ContainsFunc(tenantDiagnostics, func(d tenantListing) bool { return strings.EqualFold(path, d.path) }) {
			continue // the tenant's root, where an Entra ID role grants it: in the role's description
		}
		ops[Operation(method, path)] = true
	}
	if len(ops) < 10 {
		t.Fatalf("only %d ARM operations seen: %v", len(ops), ops)
	}
	for op := range ops {
		if !allowed(rd, op) {
			t.Errorf("the role does not grant %s, which the collector calls", op)
		}
	}
	for _, a := range append(rd.Actions, rd.DataActions...) {
		if !strings.HasSuffix(strings.ToLower(a), "/read") {
			t.Errorf("the role grants %s, which is not a read", a)
		}
	}
	for _, p := range []string{"User.Read.All", "Group.Read.All", "GroupMember.Read.All", "Application.Read.All", "RoleManagement.Read.Directory", "Policy.Read.All", "Policy.Read.DeviceConfiguration", "AuditLog.Read.All", "Security Reader", "microsoft.aadiam/diagnosticSettings"} {
		if !strings.Contains(rd.Description, p) {
			t.Errorf("the role's note on Graph permissions does not name %s", p)
		}
	}
}

func TestOperation(t *testing.T) {
	for _, c := range []struct{ method, path, want string }{
		{"GET", "/subscriptions", "Microsoft.Resources/subscriptions/read"},
		{"GET", "/subscriptions/s/resourceGroups/rg", "Microsoft.Resources/subscriptions/resourceGroups/read"},
		{"POST", "/providers/Microsoft.ResourceGraph/resources", "Microsoft.ResourceGraph/resources/read"},
		{"GET", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a/blobServices/default/containers",
			"Microsoft.Storage/storageAccounts/blobServices/containers/read"},
		{"GET", "/subscriptions/s/providers/Microsoft.Insights/diagnosticSettings", "Microsoft.Insights/diagnosticSettings/read"},
		{"POST", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a/listKeys", "Microsoft.Storage/storageAccounts/listKeys/action"},
		{"GET", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/providers/Microsoft.Insights/diagnosticSettings",
			"Microsoft.Insights/diagnosticSettings/read"},
	} {
		if got := Operation(c.method, c.path); got != c.want {
			t.Errorf("Operation(%s %s) = %s, want %s", c.method, c.path, got, c.want)
		}
	}
	rd := loadRole(t)
	if allowed(rd, "Microsoft.Storage/storageAccounts/listKeys/action") {
		t.Error("the role grants listKeys")
	}
}

// FuzzOperation: any request path gives an operation name, no panic.
func FuzzOperation(f *testing.F) {
	for _, s := range []string{"/subscriptions", "/providers/Microsoft.ResourceGraph/resources", "", "/", "providers", "/a/providers/",
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a/blobServices"} {
		f.Add("GET", s)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		op := Operation(method, path)
		if !strings.HasSuffix(op, "/read") && !strings.HasSuffix(op, "/action") && !strings.HasSuffix(op, "/write") {
			t.Errorf("Operation(%q, %q) = %q", method, path, op)
		}
	})
}

// TestRoleWithinReader: the custom role grants nothing that Azure's
// built-in Reader role does not (its definition from the shared corpus),
// so giving vigil its own role never widens what Reader would give.
func TestRoleWithinReader(t *testing.T) {
	path := filepath.Join("..", "..", "..", "..", "shared", "corpus", "iam-reference", "azure-built-in-roles.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("the shared corpus's Azure built-in roles are absent (%v)", err)
	}
	var builtins []struct {
		RoleName    string `json:"roleName"`
		Permissions []struct {
			Actions    []string `json:"actions"`
			NotActions []string `json:"notActions"`
		} `json:"permissions"`
	}
	if err := json.Unmarshal(data, &builtins); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var reader *roleDefinition
	for _, b := range builtins {
		if b.RoleName == "Reader" && len(b.Permissions) == 1 {
			reader = &roleDefinition{Actions: b.Permissions[0].Actions, NotActions: b.Permissions[0].NotActions}
		}
	}
	if reader == nil {
		t.Fatalf("no Reader role in %s", path)
	}
	rd := loadRole(t)
	for _, a := range rd.Actions {
		// an action with a wildcard is within Reader when Reader grants
		// every operation it could name: Reader's actions end in a
		// wildcard read, checked on the pattern itself.
		if !allowed(*reader, a) {
			t.Errorf("%s is granted by the vigil role, not by Reader", a)
		}
	}
}
