package azurecollect

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/vigil-sec/vigil/internal/collect"
)

// The Microsoft Cloud Security Benchmark initiative's own definition (CIS
// Azure 6.0 8.1.11): its parameters' metadata.deprecated and its policy
// references say which Disabled effects of an assignment are of policies
// the initiative has deprecated, which CIS does not count. A built-in
// definition lives at the tenant-independent path below; the PolicyResources
// table's assignments do not carry it.
const (
	mcsbDefinitionPath = "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8"
	mcsbDefinitionAPI  = "2023-04-01"
	mcsbDefinitionFile = "policysetdefinitions.json"
)

// mcsbDefinition reads the MCSB initiative's definition once and writes it
// for the tenant as azure/tenant-<tenant>/policysetdefinitions.json in the
// ARM list shape, beside the management groups' policy assignments. A
// failure is recorded and leaves the importer's built-in list of
// deprecated parameters to decide.
func (c *collector) mcsbDefinition(ctx context.Context, tenant string) {
	call := Operation(http.MethodGet, mcsbDefinitionPath)
	u := strings.TrimRight(c.arm.Endpoint(), "/") + mcsbDefinitionPath + "?api-version=" + mcsbDefinitionAPI
	body, err := c.get(ctx, c.arm.Pipeline(), u)
	var def map[string]any
	if err == nil {
		if err = json.Unmarshal(body, &def); err == nil && def == nil {
			err = fmt.Errorf("not a policy set definition: %.80s", body)
		}
	}
	if err != nil {
		c.fail(ctx, tenant, serviceOf(call), call, mcsbDefinitionPath, err)
		return
	}
	c.write(ctx, tenant, "azure/tenant-"+collect.SafeSegment(tenant)+"/"+mcsbDefinitionFile, map[string]any{"value": []any{def}})
}
