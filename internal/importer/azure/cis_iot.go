package azure

import (
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Microsoft Defender for IoT on IoT hubs (CIS Azure 6.0 8.2.1): a hub is
// protected when an IoT security solution (Microsoft.Security/
// iotSecuritySolutions, a resources-table row, which Defender for IoT's
// onboarding of the hub creates) lists it in properties.iotHubs with
// properties.status "Enabled" (the API's default when status is unset).
const (
	TypeIoTHub              = "Microsoft.Devices/IotHubs"
	TypeIoTSecuritySolution = "Microsoft.Security/iotSecuritySolutions"
)

func init() {
	noFactTypes(TypeIoTHub, TypeIoTSecuritySolution)
}

// iotDefender collects, over the input, the IoT hubs of each subscription
// and the hubs an enabled IoT security solution protects.
type iotDefender struct {
	hubs      map[string][]*resource.Resource // subscription → its IoT hubs
	protected map[string]bool                 // lower-case hub IDs
	unsure    map[string]bool                 // subscriptions holding a solution whose fields could not be read
	solutions []*resource.Resource
}

func (d *iotDefender) add(r *resource.Resource) {
	switch r.Type {
	case TypeIoTHub:
		if d.hubs == nil {
			d.hubs = map[string][]*resource.Resource{}
		}
		d.hubs[r.Account] = append(d.hubs[r.Account], r)
	case TypeIoTSecuritySolution:
		d.solutions = append(d.solutions, r)
	}
}

// read reads the solutions' rows (read reports their wrong-typed fields).
func (d *iotDefender) read(read func(*resource.Resource) (node, func() bool)) {
	d.protected, d.unsure = map[string]bool{}, map[string]bool{}
	for _, s := range d.solutions {
		p, failed := read(s)
		status, _ := p.Str("status")
		hubs, _ := p.Strs("iotHubs")
		if failed() {
			d.unsure[s.Account] = true
			continue
		}
		if status != "" && !strings.EqualFold(status, "Enabled") {
			continue
		}
		for _, h := range hubs {
			d.protected[strings.ToLower(strings.TrimRight(h, "/"))] = true
		}
	}
}

// set sets a subscription's IoTHub, IoTHubsDefender and IoTHubsWithoutDefender:
// left unknown when it holds no IoT hub (nothing to judge), or when a
// solution row of the input could not be read and some hub is not
// known protected.
func (d *iotDefender) set(c *resource.AccountCIS, sub string) {
	hubs := d.hubs[sub]
	if len(hubs) == 0 {
		return
	}
	c.IoTHub = resource.Bool(true)
	var missing []string
	for _, h := range hubs {
		if !d.protected[strings.ToLower(h.ID)] {
			missing = append(missing, h.ID)
		}
	}
	if len(missing) > 0 && len(d.unsure) > 0 {
		return
	}
	sort.Strings(missing)
	c.IoTHubsDefender = resource.Bool(len(missing) == 0)
	c.IoTHubsWithoutDefender = missing
}
