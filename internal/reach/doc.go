// Package reach computes network exposure: which resources of an inventory
// are reachable from any address of the internet, on which protocol and
// ports, and through which hops (each named with the rule, route or
// listener that lets the traffic through).
//
// It reads typed facts and relationships only (resource.Firewall,
// resource.Routing, resource.LoadBalancer, resource.Compute and the Rel*
// relationships), never an export's raw shape, so every source that fills
// them is covered. Per cloud:
//
//   - AWS: a public IP on the instance; the route table of its subnet
//     (explicit association, else the VPC's main table) holds a default
//     route (0.0.0.0/0, ::/0) to an internet gateway; the subnet's network
//     ACL allows the port (rules in number order, first match wins, implicit
//     deny); one of its security groups allows it (allow rules, union).
//   - Azure: per network interface, a public IP, and the NSGs of the
//     interface and of its subnet both allow the port (rules in priority
//     order, first match wins, implicit deny). No NSG at all is undecided
//     (open with a Basic public IP, closed with a Standard one). Azure
//     system routes are taken as in force unless a route table in the
//     inventory applies to the subnet.
//   - GCP: an external IP; a default route to the default internet gateway
//     in the network; the VPC firewall rules of the network that apply to
//     the VM (no targets, a target tag it carries, or its service account)
//     in priority order, deny before allow at one priority, implied deny.
//   - Load balancers: an internet-facing load balancer is exposed on its
//     listeners (filtered by its own firewalls when it has any); each
//     listener's forward targets (an instance, or a NIC standing for its
//     VM) are exposed on the listener's port only, when the target's
//     filters let the forwarded port in from the source it sees: a proxy
//     (ALB, classic ELB, Application Gateway, GCP target proxies) by its
//     security groups, its VPC's range, the VNet or Google's front ends; a
//     pass-through balancer (NLB, Azure Load Balancer, GCP target pools)
//     keeps the client's address, so the filters must admit the internet.
//   - NAT (an AWS NAT gateway route, a GCP Cloud NAT) gives outbound
//     connections only: path questions to the internet use it, exposure
//     never does.
//
// "From the internet" means from an arbitrary address: a rule counts when
// its source is 0.0.0.0/0 or ::/0 (a narrower source neither opens nor
// closes). What the inventory does not tell (a route table or network ACL
// not exported, a public IP unknown) makes the answer undecided with a
// reason, never exposed or safe. Nothing is followed transitively, so
// cycles in routes or peering cannot loop.
//
// Graph.Path answers one path question (vigil reach path): whether a host
// (or the internet) reaches another, on which protocol/port ranges, hop
// by hop: the source's egress rules, the longest-prefix route (route
// tables, system routes, peerings, VPN gateways), the link (a peering, or
// the two ends of a site-to-site VPN matched by their public addresses,
// across clouds), the destination's filters evaluated with the source's
// real address, the route back, and the reply through stateless network
// ACLs; or the first hop that denies, or why it is undecided. Graph.From
// asks it for every other instance and the internet (vigil reach from, the
// blast radius). The links are read from the typed facts
// resource.NetworkLink, resource.Network.Peerings and resource.Addressing.
// DrawPath and DrawExposure render answers with internal/diagram.
package reach
