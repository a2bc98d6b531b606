package resource

// Links between networks, read by reachability (internal/reach) to answer
// paths inside a network, across peerings and across site-to-site VPNs
// between clouds.

// Addressing holds the addresses a resource has or routes: the private
// addresses of an instance or network interface, the public addresses of
// a public IP resource, the address ranges of a network or subnet.
type Addressing struct {
	PrivateIPs []string `json:"private_ips,omitempty"`
	PublicIPs  []string `json:"public_ips,omitempty"`
	// Prefixes are a network's or subnet's address ranges (CIDRs).
	Prefixes []string `json:"prefixes,omitempty"`
	// HostNames are the DNS names the resource answers on (a load
	// balancer's DNS name, an instance's public DNS name), lower case,
	// for a CDN or API gateway origin named by its host name.
	HostNames []string `json:"host_names,omitempty"`
	// PublicFamilies are the address families ("ipv4", "ipv6") of the
	// resource's public addresses when the source says them apart: an
	// Azure public IP resource's publicIPAddressVersion, a GCP VM's access
	// configs (IPv4) and IPv6 access configs, a GCP forwarding rule's
	// ipVersion; nil when it does not (PublicIPs, when known, tell).
	PublicFamilies []string `json:"public_families,omitempty"`
	// PublicIPv6: an AWS network interface has an IPv6 address (every AWS
	// IPv6 address is globally routable): false when its record lists
	// none, nil when it does not say.
	PublicIPv6 *bool `json:"public_ipv6,omitempty"`
}

// Kinds of network links (NetworkLink.Kind).
const (
	// LinkPeering: an AWS VPC peering connection between Networks[0]
	// (requester) and Networks[1] (accepter).
	LinkPeering = "peering"
	// LinkVPNGateway: this cloud's end of site-to-site VPNs (AWS virtual
	// private gateway, Azure virtual network gateway, GCP HA VPN gateway)
	// in Networks, with its PublicIPs.
	LinkVPNGateway = "vpn_gateway"
	// LinkPeerGateway: how one cloud describes the other end (AWS customer
	// gateway, Azure local network gateway, GCP external VPN gateway): the
	// peer's PeerIPs and the Prefixes routed to it.
	LinkPeerGateway = "peer_gateway"
	// LinkVPNConnection: a VPN connection or tunnel between Gateway and
	// PeerGateway (AWS VPN connection, Azure connection, GCP VPN tunnel).
	LinkVPNConnection = "vpn_connection"
	// LinkNAT: a NAT for outbound connections only (GCP Cloud NAT on a
	// Cloud Router) serving Networks; it never makes a private address
	// reachable from the internet.
	LinkNAT = "nat"
	// LinkTransitGateway: an AWS transit gateway, a router between the
	// resources attached to it (LinkTransitAttachment), each attachment
	// routed by the transit gateway route table it is associated with.
	LinkTransitGateway = "transit_gateway"
	// LinkTransitAttachment: Attached (of AttachedType: vpc, vpn,
	// peering, direct-connect-gateway, connect) attached to transit
	// gateway Gateway, associated with its RouteTable.
	LinkTransitAttachment = "transit_attachment"
	// LinkInterconnect: a private dedicated link with BGP (an AWS Direct
	// Connect virtual interface, an Azure ExpressRoute connection or
	// circuit, a GCP Interconnect attachment): PublicIPs are this side's
	// BGP address, PeerIPs the other side's; the two ends are matched by
	// them like a VPN's.
	LinkInterconnect = "interconnect"
	// LinkDXAssociation: an AWS Direct Connect gateway association:
	// Gateway the Direct Connect gateway, Attached the virtual private
	// gateway or transit gateway (AttachedType vgw or tgw), Prefixes the
	// allowed prefixes, Up whether it carries traffic.
	LinkDXAssociation = "dx_gateway_association"
)

// NetworkLink is a peering, a VPN gateway, a peer gateway or a VPN
// connection (class other).
type NetworkLink struct {
	Kind string `json:"kind"`
	// Networks joined or served: the two VPCs of a peering, the networks a
	// VPN gateway is attached to.
	Networks []string `json:"networks,omitempty"`
	// Up is false when the link cannot carry traffic by its configuration
	// state (a peering not active, a gateway detached, a connection
	// deleted); nil when the export does not say.
	Up    *bool  `json:"up,omitempty"`
	State string `json:"state,omitempty"`
	// Gateway is this side's VPN gateway (AWS vgw- or tgw-, Azure virtual
	// network gateway, GCP VPN gateway); PeerGateway the other end's
	// description (customer gateway, local network gateway, external or
	// peer GCP VPN gateway).
	Gateway     string `json:"gateway,omitempty"`
	PeerGateway string `json:"peer_gateway,omitempty"`
	// PublicIPs are this side's public addresses (gateway interfaces, AWS
	// tunnel outside addresses); PeerIPs the other end's.
	PublicIPs []string `json:"public_ips,omitempty"`
	PeerIPs   []string `json:"peer_ips,omitempty"`
	// Prefixes are the address ranges routed to the other end: AWS static
	// routes, an Azure local network gateway's address prefixes, a GCP
	// tunnel's remote traffic selector.
	Prefixes []string `json:"prefixes,omitempty"`
	// BGP is true when routes are exchanged dynamically (AWS not static
	// routes only, Azure enableBgp, a GCP tunnel with a Cloud Router).
	BGP *bool `json:"bgp,omitempty"`
	// Router is a GCP tunnel's Cloud Router.
	Router string `json:"router,omitempty"`
	// Attached, AttachedType and RouteTable describe a transit gateway
	// attachment: the resource attached (a VPC, a VPN connection, the
	// peer transit gateway, a Direct Connect gateway), its kind, and the
	// transit gateway route table it is associated with ("" unknown).
	Attached     string `json:"attached,omitempty"`
	AttachedType string `json:"attached_type,omitempty"`
	RouteTable   string `json:"route_table,omitempty"`
	// NetworkPrefixes are, for an AWS peering, the CIDR blocks of each of
	// Networks as the peering connection records them (requesterVpcInfo
	// and accepterVpcInfo cidrBlockSet, ipv6CidrBlockSet), in the order
	// of Networks; nil when it does not record them.
	NetworkPrefixes [][]string `json:"network_prefixes,omitempty"`
}

// Peering is one peering of an Azure VNet or a GCP network with Remote.
type Peering struct {
	Name   string `json:"name,omitempty"`
	Remote string `json:"remote"`
	State  string `json:"state,omitempty"`
	// Up is true when the peering is connected (Azure Connected, GCP
	// ACTIVE), false when not.
	Up *bool `json:"up,omitempty"`
	// RemotePrefixes are the remote network's address ranges when the
	// peering records them (Azure remoteAddressSpace).
	RemotePrefixes []string `json:"remote_prefixes,omitempty"`
	// UseRemoteGateways: an Azure spoke VNet reaches the remote (hub)
	// VNet's VPN gateway through the peering (gateway transit).
	UseRemoteGateways *bool `json:"use_remote_gateways,omitempty"`
}
