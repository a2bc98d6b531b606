package logs

import (
	"sync"

	"github.com/vigil-sec/vigil/internal/logs/azure"
	"github.com/vigil-sec/vigil/internal/logs/azureresource"
	"github.com/vigil-sec/vigil/internal/logs/cloudtrail"
	"github.com/vigil-sec/vigil/internal/logs/gcp"
	"github.com/vigil-sec/vigil/internal/logs/k8saudit"
	"github.com/vigil-sec/vigil/internal/logs/logsource"
	"github.com/vigil-sec/vigil/internal/logs/m365"
)

// Descriptor is everything vigil knows about one log source (see
// logsource.Descriptor); Registry an immutable list of them.
type (
	Descriptor = logsource.Descriptor
	Registry   = logsource.Registry
)

// builtin is built once and never modified.
var builtin = sync.OnceValue(func() *Registry {
	r, err := logsource.New(
		// Recognition order: CloudTrail (and EventBridge envelopes) first,
		// then Cloud Audit Logs, the M365 common schema, and the Azure
		// diagnostic records known by category, the Azure resource logs
		// (Key Vault, Storage, SQL auditing) known by category or table.
		cloudtrail.Descriptor(),
		gcp.Descriptor(),
		m365.Descriptor(),
		azure.Activity(),
		azure.SignIn(),
		azure.Audit(),
		azureresource.Descriptor(),
		// Kubernetes audit Events last: their EKS and AKS deliveries are
		// shapes tried after every source's own events.
		k8saudit.Descriptor(),
	)
	if err != nil {
		panic("logs: built-in log sources: " + err.Error())
	}
	return r
})

// Builtin returns the log sources vigil reads. Adding a source is a folder
// under internal/logs with its Descriptor and one line above.
func Builtin() *Registry { return builtin() }

// DescriptorOf returns the descriptor of a record's source: the one the
// reader attached, else the built-in one of that name.
func DescriptorOf(r Record) (*Descriptor, bool) {
	if r.Desc != nil {
		return r.Desc, true
	}
	return Builtin().Lookup(r.Source)
}
