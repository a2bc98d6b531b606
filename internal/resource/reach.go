package resource

// Network facts read by reachability (internal/reach), and the exposure
// fact it writes back on every resource it decides.

// Relationships reachability follows, besides RelUsesInterface,
// RelUsesPublicIP, RelUsesFirewall and RelInNetwork.
const (
	// RelInSubnet: an instance, interface or load balancer → its subnet.
	RelInSubnet = "in_subnet"
	// RelFirewallOf: a firewall (network ACL, NSG) → a subnet or interface
	// it is applied to, when the firewall's own record lists them (AWS
	// network ACL associations, an NSG's subnets and interfaces).
	RelFirewallOf = "firewall_of"
	// RelRoutesFor: a route table → a subnet it is associated with, or the
	// network whose main route table it is (Routing.Main), or a GCP route
	// → its network.
	RelRoutesFor = "routes_for"
)

// Routing: an AWS route table, an Azure route table, or a GCP route.
type Routing struct {
	Routes []Route `json:"routes"`
	// Main is true for a VPC's main route table: it routes every subnet
	// of the network with no explicit association.
	Main *bool `json:"main,omitempty"`
	// Propagating are the AWS virtual private gateways whose VPN routes
	// propagate into the table (route propagation).
	Propagating []string `json:"propagating,omitempty"`
}

// Route is one route of a routing table.
type Route struct {
	// Destination is a CIDR ("0.0.0.0/0", "::/0", "10.0.0.0/16").
	Destination string `json:"destination"`
	// NextHop is the kind of next hop: "internet" (an internet gateway,
	// GCP default-internet-gateway, Azure Internet), "egress_only",
	// "nat", "local", "peering", "vpn", "transit", "instance", "blackhole"
	// or "other".
	NextHop string `json:"next_hop"`
	// Target is the next hop's ID (igw-..., pcx-..., a gateway URL).
	Target string `json:"target,omitempty"`
	// Tags limit a GCP route to the VMs with one of these network tags.
	Tags []string `json:"tags,omitempty"`
}

// Forward is where a load balancer listener sends traffic: a target
// (instance, interface or IP) and the port it receives it on.
type Forward struct {
	Target string `json:"target"`
	Port   int    `json:"port,omitempty"`
	// Via names what links the listener to the target (a target group).
	Via string `json:"via,omitempty"`
	// Priority orders the DNAT rules of an Azure firewall policy (its rule
	// collection group's priority, then the collection's): lower first;
	// of two rules for one port, the first decides.
	Priority int `json:"priority,omitempty"`
}

// Origin is where a CDN distribution or an API gateway forwards the
// requests it receives from the internet on ViewerPort: Target (a
// resource ID, or a host name matched to a resource's
// Addressing.HostNames) on Port.
type Origin struct {
	Target     string `json:"target"`
	Port       int    `json:"port,omitempty"`
	ViewerPort int    `json:"viewer_port,omitempty"`
	// Via names the origin as the front names it (its ID or domain).
	Via string `json:"via,omitempty"`
}

// Exposure is whether a resource is reachable from any address of the
// internet, computed by internal/reach from the typed network facts.
type Exposure struct {
	// Internet is true when a path from the internet exists, false when
	// the inventory shows none, nil (omitted) when it cannot be decided:
	// Undecided says why.
	Internet *bool `json:"internet,omitempty"`
	// Paths are the protocol/port ranges reachable, each with its hops.
	Paths     []ExposurePath `json:"paths,omitempty"`
	Undecided []string       `json:"undecided,omitempty"`
	// Exposes is set on a firewall: the resources it lets the internet
	// reach (Paths are then their paths through it).
	Exposes []string `json:"exposes,omitempty"`
}

// ExposurePath is one protocol/port range reachable from the internet and
// the hops that let it through, outermost first.
type ExposurePath struct {
	Protocol string `json:"protocol"` // tcp | udp | icmp
	Family   string `json:"family"`   // ipv4 | ipv6
	FromPort int    `json:"from_port"`
	ToPort   int    `json:"to_port"`
	Hops     []Hop  `json:"hops"`
}

// Hop is one step of a path: the resource and what in it allows the
// traffic (a route, a rule, a listener).
type Hop struct {
	Resource string `json:"resource"`
	Allows   string `json:"allows"`
}
