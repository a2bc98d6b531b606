package awsconfig

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// FuzzReachCLI feeds arbitrary documents through the CLI outputs read for
// reachability (Direct Connect gateway associations, HTTP API
// integrations, REST API VPC links), under file names that name an API
// and a region so that parsing goes past the file name: nothing may
// panic, every resource has a provider, an ID and a class.
func FuzzReachCLI(f *testing.F) {
	addSeeds(f, "reachcli/dx-associations.json", "reachcli/integrations.json", "reachcli/vpc-links.json")
	f.Add([]byte(`{"directConnectGatewayAssociations":{"x":1}}`))
	f.Add([]byte(`{"Items":[{"IntegrationType":"HTTP_PROXY","ConnectionType":"VPC_LINK","IntegrationUri":5}]}`))
	f.Add([]byte(`{"items":[{"id":"v","targetArns":"arn"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc any
		if attr.Decode(data, &doc) != nil || Detect(doc) == "" {
			return
		}
		res := Parse(context.Background(), "111122223333/cli/q1w2e3r4t5.us-east-1.json", doc)
		checkResources(t, res.Resources)
	})
}
