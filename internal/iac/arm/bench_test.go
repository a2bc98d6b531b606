package arm

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/source"
)

// BenchmarkRead reads the golden templates and a generated template of 500
// resources (copy loops, parameters, variables, child resources) per
// iteration; it reports files and resources per second.
func BenchmarkRead(b *testing.B) {
	var gen strings.Builder
	gen.WriteString(head + `"parameters": {"env": {"type": "string", "defaultValue": "prod"}},
  "variables": {"prefix": "[toLower(concat('st', parameters('env')))]", "tls": "[if(equals(parameters('env'), 'prod'), 'TLS1_2', 'TLS1_0')]"},
  "resources": [`)
	for i := 0; i < 100; i++ {
		if i > 0 {
			gen.WriteString(",")
		}
		fmt.Fprintf(&gen, `
    {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "[concat(variables('prefix'), '%d', copyIndex())]",
     "copy": {"name": "c%d", "count": 3}, "location": "westeurope", "tags": {"env": "[parameters('env')]"},
     "properties": {"minimumTlsVersion": "[variables('tls')]", "networkAcls": {"defaultAction": "[if(equals(copyIndex(), 0), 'Deny', 'Allow')]"}},
     "resources": [{"type": "blobServices", "apiVersion": "2023-01-01", "name": "default", "properties": {"isVersioningEnabled": true}}]},
    {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "nsg%d", "location": "westeurope",
     "properties": {"securityRules": [{"name": "ssh", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow",
       "protocol": "Tcp", "sourceAddressPrefix": "[if(equals(parameters('env'), 'prod'), '10.0.0.0/8', '*')]", "destinationPortRange": "22"}}]}}`, i, i, i)
	}
	gen.WriteString("]}\n")
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "generated.json"), []byte(gen.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	files := []string{"generated.json"}
	golden, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	for _, g := range golden {
		name := filepath.Base(g)
		if strings.HasSuffix(name, ".golden.json") || strings.HasSuffix(name, ".parameters.json") {
			continue
		}
		data, err := os.ReadFile(g)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, name)
	}
	var bytes int64
	for _, f := range files {
		st, _ := os.Stat(filepath.Join(dir, f))
		bytes += st.Size()
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	b.ResetTimer()
	resources := 0
	for b.Loop() {
		resources = 0
		err := New(dir, files, Options{}).Read(context.Background(), func(bt source.Batch) error {
			resources += len(bt.Resources)
			if len(bt.Problems) > 0 && bt.Input == "generated.json" {
				b.Fatalf("%s: %v", bt.Input, bt.Problems)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric(float64(resources*b.N)/b.Elapsed().Seconds(), "resources/s")
}
