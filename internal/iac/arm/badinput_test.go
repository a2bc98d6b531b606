package arm

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/source"
)

// writeFiles writes the files under a temporary root.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

const head = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
`

const goodStorage = head + `  "resources": [
    { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "ok", "location": "westeurope",
      "properties": { "minimumTlsVersion": "TLS1_2" } }
  ]
}
`

// problems returns every problem of the batches as text.
func problems(bs []source.Batch) []string {
	var out []string
	for _, b := range bs {
		for _, p := range b.Problems {
			out = append(out, p.Error())
		}
	}
	return out
}

func resourcesOf(bs []source.Batch) int {
	n := 0
	for _, b := range bs {
		n += len(b.Resources)
	}
	return n
}

// withinSeconds fails the test when f takes longer than d.
func withinSeconds(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	start := time.Now()
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still running after %s", d)
	}
	t.Logf("took %s", time.Since(start))
}

// A file that does not parse is a problem with its file, line and the
// parser's message; the other files are still read.
func TestUnparsableFile(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"bad.json":  head + "  \"resources\": [\n    { \"type\": \"x\" \"name\": \"y\" }\n  ]\n}\n",
		"good.json": goodStorage,
	})
	bs := readAll(t, root, []string{"bad.json", "good.json"}, Options{})
	ps := problems(bs)
	if len(ps) != 1 || !strings.HasPrefix(ps[0], "bad.json:5: json: ") || !strings.Contains(ps[0], "invalid character") {
		t.Errorf("problems %q, want one at bad.json:5 with the parser's message", ps)
	}
	if resourcesOf(bs) != 1 {
		t.Errorf("%d resources, want good.json's one", resourcesOf(bs))
	}
	// A byte order mark and comments are not errors.
	bs = readAll(t, writeFiles(t, map[string]string{"bom.json": "\xef\xbb\xbf// generated\n" + strings.Replace(goodStorage, "\"resources\"", "/* c */ \"resources\"", 1)}),
		[]string{"bom.json"}, Options{})
	if ps := problems(bs); len(ps) != 0 || resourcesOf(bs) != 1 || bs[0].Resources[0].Location.StartLine != 6 {
		t.Errorf("byte order mark: problems %q, %d resources", ps, resourcesOf(bs))
	}
	bs = readAll(t, writeFiles(t, map[string]string{"cut.json": head + `  "resources": [`}), []string{"cut.json"}, Options{})
	if ps := problems(bs); len(ps) != 1 || !strings.HasPrefix(ps[0], "cut.json:4: ") {
		t.Errorf("truncated file: problems %q", ps)
	}
}

// An expression that does not parse (or fails) is a problem naming the
// file, line, resource and field; the resource and the others are read,
// the fact depending on it unknown.
func TestBadExpression(t *testing.T) {
	root := writeFiles(t, map[string]string{"t.json": head + `  "resources": [
    { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "a", "location": "westeurope",
      "properties": { "minimumTlsVersion": "[concat('TLS1_', ]" } },
    { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "b", "location": "westeurope",
      "properties": { "minimumTlsVersion": "[parameters('nope')]" } },
    { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "c", "location": "westeurope",
      "properties": { "minimumTlsVersion": "TLS1_2" } }
  ]
}
`})
	bs := readAll(t, root, []string{"t.json"}, Options{})
	ps := problems(bs)
	want := []string{
		"t.json:6: Microsoft.Storage/storageAccounts/a: properties.minimumTlsVersion: expression [concat('TLS1_', ] does not parse: at character 17: unexpected end of expression",
		"t.json:8: Microsoft.Storage/storageAccounts/b: properties.minimumTlsVersion: [parameters('nope')]: parameters: the template has no parameter \"nope\"",
	}
	if strings.Join(ps, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(ps, "\n"), strings.Join(want, "\n"))
	}
	rs := bs[0].Resources
	if len(rs) != 3 {
		t.Fatalf("%d resources", len(rs))
	}
	for i, want := range []string{"", "", "1.2"} {
		if got := rs[i].Facts.Storage.MinTLSVersion; got != want {
			t.Errorf("%s: min TLS %q, want %q", rs[i].Name, got, want)
		}
	}
}

// Deeply nested values and expressions, huge files, exponential variables
// and copy loops are problems, never a hang or a crash.
func TestHostileInput(t *testing.T) {
	var vars strings.Builder
	vars.WriteString(`"v0": "[createArray('x', 'y')]"`)
	for i := 1; i <= 80; i++ {
		fmt.Fprintf(&vars, ",\n    \"v%d\": \"[createArray(variables('v%d'), variables('v%d'))]\"", i, i-1, i-1)
	}
	var svars strings.Builder
	svars.WriteString(`"s0": "ab"`)
	for i := 1; i <= 80; i++ {
		fmt.Fprintf(&svars, ",\n    \"s%d\": \"[concat(variables('s%d'), variables('s%d'))]\"", i, i-1, i-1)
	}
	var chain strings.Builder
	chain.WriteString(`"c0": 1`)
	for i := 1; i <= 100000; i++ {
		fmt.Fprintf(&chain, ",\n    \"c%d\": \"[createArray(variables('c%d'))]\"", i, i-1)
	}
	cases := []struct {
		name, text, want string
	}{
		{"variable-chain", head + `"variables": {` + chain.String() + `},
  "resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "a",
  "properties": {"x": "[variables('c100000')]"}}]}`,
			"deeper than 500 levels"},
		{"deep-json", head + `"resources": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "}",
			"values nested deeper than 256 levels"},
		{"deep-expression", head + `"resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "a",
  "properties": {"minimumTlsVersion": "[` + strings.Repeat("concat(", 20000) + `'x'` + strings.Repeat(")", 20000) + `]"}}]}`,
			"expression nested deeper than 100 levels"},
		{"exponential-array", head + `"variables": {` + vars.String() + `},
  "resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "a",
  "properties": {"x": "[variables('v80')]", "minimumTlsVersion": "[if(contains(variables('v80'), 'z'), 'TLS1_2', 'TLS1_0')]"}}]}`,
			"too many evaluation steps"},
		{"exponential-string", head + `"variables": {` + svars.String() + `},
  "resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "a",
  "properties": {"minimumTlsVersion": "[variables('s80')]"}}]}`,
			"string longer than"},
		{"copy-bomb", head + `"resources": [{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-01-01",
  "name": "[concat('n', copyIndex())]", "copy": {"name": "c", "count": 1000000000},
  "properties": {"copy": [{"name": "securityRules", "count": 800, "input": {"name": "[string(copyIndex('securityRules'))]",
  "properties": {"copy": [{"name": "destinationPortRanges", "count": 800, "input": "[string(copyIndex('destinationPortRanges'))]"}]}}}]}}]}`,
			"over ARM's limit of 800"},
		{"self-reference", head + `"variables": {"a": "[variables('b')]", "b": "[variables('a')]"},
  "resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "[variables('a')]"}]}`,
			"refers to itself"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := writeFiles(t, map[string]string{"t.json": c.text})
			var bs []source.Batch
			withinSeconds(t, 20*time.Second, func() { bs = readAll(t, root, []string{"t.json"}, Options{}) })
			ps := problems(bs)
			found := false
			for _, p := range ps {
				found = found || strings.Contains(p, c.want) && strings.HasPrefix(p, "t.json")
			}
			if !found {
				t.Errorf("problems %.500q, want one with %q", ps, c.want)
			}
		})
	}
}

// A file over the size limit is a problem; a large template is read whole.
func TestHugeFiles(t *testing.T) {
	var b strings.Builder
	b.WriteString(head + `"resources": [`)
	n := 5000
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "[concat('st', '%d')]",
  "location": "westeurope", "tags": {"pad": %q}, "properties": {"minimumTlsVersion": "TLS1_2", "networkAcls": {"defaultAction": "Deny"}}}`,
			i, strings.Repeat("x", 200))
	}
	b.WriteString("]}\n")
	root := writeFiles(t, map[string]string{"big.json": b.String()})
	bs := readAll(t, root, []string{"big.json"}, Options{MaxFileBytes: 1 << 20})
	if ps := problems(bs); len(ps) != 1 || !strings.Contains(ps[0], "larger than 1 MiB") {
		t.Errorf("over the limit: problems %q", ps)
	}
	var got int
	withinSeconds(t, 20*time.Second, func() { got = resourcesOf(readAll(t, root, []string{"big.json"}, Options{})) })
	if got != n {
		t.Errorf("%d resources, want %d", got, n)
	}
}

// A child resource's field of the wrong type is a problem located at the
// child, and the parent's fact it feeds is unknown.
func TestWrongTypedChild(t *testing.T) {
	root := writeFiles(t, map[string]string{"t.json": head + `  "resources": [
    { "type": "Microsoft.Sql/servers", "apiVersion": "2022-05-01-preview", "name": "sql", "location": "westeurope",
      "properties": {},
      "resources": [
        { "type": "firewallRules", "apiVersion": "2022-05-01-preview", "name": "r",
          "properties": { "startIpAddress": 0, "endIpAddress": "255.255.255.255" } }
      ] },
    { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "st", "location": "westeurope",
      "properties": { "supportsHttpsTrafficOnly": "yes" } }
  ]
}
`})
	bs := readAll(t, root, []string{"t.json"}, Options{})
	want := []string{
		"t.json:11: Microsoft.Storage/storageAccounts/st: properties.supportsHttpsTrafficOnly: want boolean, got string",
		"t.json:8: Microsoft.Sql/servers/firewallRules/sql/r: properties.startIpAddress: want string, got number",
	}
	if got := problems(bs); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range bs[0].Resources {
		switch r.Name {
		case "sql":
			if r.Facts.Database.AuthorizedNetworks != nil {
				t.Errorf("authorized networks %v, want unknown", r.Facts.Database.AuthorizedNetworks)
			}
		case "st":
			if r.Facts.Storage.SecureTransportOnly != nil {
				t.Errorf("secure transport %v, want unknown", *r.Facts.Storage.SecureTransportOnly)
			}
		}
	}
}

// A failing expression in a copy loop is reported once, not per instance.
func TestProblemOncePerCopyLoop(t *testing.T) {
	root := writeFiles(t, map[string]string{"t.json": head + `  "resources": [
    { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "[concat('st', copyIndex())]",
      "copy": { "name": "c", "count": 50 }, "location": "westeurope",
      "properties": { "minimumTlsVersion": "[parameters('missing')]" } }
  ]
}
`})
	bs := readAll(t, root, []string{"t.json"}, Options{})
	if ps := problems(bs); len(ps) != 1 || resourcesOf(bs) != 50 {
		t.Errorf("%d resources, problems %q", resourcesOf(bs), ps)
	}
}
