package tfmap

import (
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/azure"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Azure (azurerm provider, major version 4; the version 3 spellings of
// renamed arguments are read too).

var (
	storageTypes = []string{"azurerm_storage_account"}
	nsgTypes     = []string{"azurerm_network_security_group"}
)

// first returns the first of the attributes set (v4 name, then v3 name).
func first(a map[string]any, keys ...string) string {
	for _, k := range keys {
		if a[k] != nil {
			return k
		}
	}
	return keys[0]
}

// storageAccount: azurerm_storage_account with its network rules,
// containers and customer-managed key resources joined.
func storageAccount(m *mapper, r *inst, out *resource.Resource) {
	s := &resource.ObjectStorage{}
	out.Facts.Storage = s
	azureStorageReplication(m, r, out)
	// allow_nested_items_to_be_public defaults to true: containers may be
	// made public; one of the configuration that is makes the account so.
	allow := m.boolean(r.a, boolp(true), first(r.a, "allow_nested_items_to_be_public", "allow_blob_public_access"))
	s.PublicAccessBlocked = not(allow)
	public := boolp(false)
	for _, c := range m.attachedTo(r, "azurerm_storage_container") {
		m.cur = c
		switch t, st := m.str(c.a, "container_access_type"); st {
		case ok:
			if t == "blob" || t == "container" {
				public = boolp(true)
			}
		case unknownSt, bad:
			public = or3(public, nil)
		}
	}
	m.cur = r
	s.PublicAccess = and3(allow, public)
	s.SecureTransportOnly = m.boolean(r.a, boolp(true), first(r.a, "https_traffic_only_enabled", "enable_https_traffic_only"))
	switch v, st := m.str(r.a, "min_tls_version"); st {
	case ok:
		s.MinTLSVersion = tlsVersion(v)
	case absent:
		s.MinTLSVersion = "1.2"
	}
	// Azure Storage encrypts everything at rest; the key is the
	// customer's with a customer_managed_key.
	s.Encrypted = boolp(true)
	s.KeyManager = "provider"
	if _, st := look(r.a, "customer_managed_key"); st == ok || len(m.attachedTo(r, "azurerm_storage_account_customer_managed_key")) > 0 {
		s.KeyManager = "customer"
	}
	s.Versioning = m.boolean(r.a, boolp(false), "blob_properties", "versioning_enabled")
	if _, st := look(r.a, "blob_properties", "delete_retention_policy"); st == absent {
		s.DeleteProtection = boolp(false)
	} else if days := m.integer(r.a, resource.Int(7), "blob_properties", "delete_retention_policy", "days"); days != nil {
		s.DeleteProtection = boolp(*days > 0)
	}
	// Network: public_network_access_enabled false, or a default action of Deny.
	deny := boolp(false)
	if b := m.boolean(r.a, boolp(true), "public_network_access_enabled"); b == nil {
		deny = nil
	} else if !*b {
		deny = boolp(true)
	}
	if deny != nil && !*deny {
		switch da, st := m.str(r.a, "network_rules", "default_action"); st {
		case ok:
			deny = boolp(strings.EqualFold(da, "Deny"))
		case unknownSt, bad:
			deny = nil
		}
		for _, n := range m.attachedTo(r, "azurerm_storage_account_network_rules") {
			m.cur = n
			switch da, st := m.str(n.a, "default_action"); st {
			case ok:
				deny = boolp(strings.EqualFold(da, "Deny"))
			default:
				deny = nil
			}
		}
		m.cur = r
	}
	s.NetworkDefaultDeny = deny
	storageAccountSettings(m, r, s)
	s.DeleteLock, s.ReadOnlyLock = m.managementLocks(r)
}

// managementLocks: whether an azurerm_management_lock of the configuration
// applies to r, on it, on its resource group or on a subscription (a
// scope /subscriptions/ID, or the ID of a data.azurerm_subscription):
// CanNotDelete or ReadOnly for the delete lock, ReadOnly for the read-only
// lock. Without such a lock, false when r's resource group is declared in
// the configuration (its locks would be too), unknown when it is not (it
// may be locked where it is managed) or a lock's scope or level is unknown.
func (m *mapper) managementLocks(r *inst) (deleteLock, readOnly *bool) {
	locks := m.attachedTo(r, "azurerm_management_lock")
	rgs := m.targets(r.a["resource_group_name"], "azurerm_resource_group")
	for _, rg := range rgs {
		locks = append(locks, m.attachedTo(rg, "azurerm_management_lock")...)
	}
	unknown := len(rgs) == 0
	for _, l := range m.ofType("azurerm_management_lock") {
		switch v, st := look(l.a, "scope"); st {
		case ok:
			if sc, isStr := v.(string); isStr && isSubscriptionScope(sc) && !containsInst(locks, l) {
				locks = append(locks, l)
			}
		case unknownSt:
			if u, _ := unknownOf(v); subscriptionRef(u) && !containsInst(locks, l) {
				locks = append(locks, l)
			} else if open(u) {
				unknown = true // a scope given from outside: it may be r's
			}
		}
	}
	deleteLock, readOnly = boolp(false), boolp(false)
	for _, l := range locks {
		switch lvl, st := m.str(l.a, "lock_level"); {
		case st == ok && strings.EqualFold(lvl, "ReadOnly"):
			deleteLock, readOnly = boolp(true), boolp(true)
		case st == ok && strings.EqualFold(lvl, "CanNotDelete"):
			deleteLock = boolp(true)
		case st != ok:
			unknown = true
		}
	}
	if unknown {
		if !*deleteLock {
			deleteLock = nil
		}
		if !*readOnly {
			readOnly = nil
		}
	}
	return deleteLock, readOnly
}

// isSubscriptionScope: /subscriptions/ID, the scope of a lock on a whole
// subscription.
func isSubscriptionScope(s string) bool {
	rest, found := strings.CutPrefix(strings.ToLower(strings.TrimSuffix(s, "/")), "/subscriptions/")
	return found && rest != "" && !strings.Contains(rest, "/")
}

// subscriptionRef: an unknown value that is a data.azurerm_subscription's
// ID (the subscription the provider deploys to).
func subscriptionRef(u Unknown) bool {
	if len(u.Refs) == 0 {
		return false
	}
	for _, ref := range u.Refs {
		if !strings.HasPrefix(ref, "data.azurerm_subscription.") {
			return false
		}
	}
	return true
}

// storageAccountSettings: the CIS settings of an azurerm_storage_account,
// with the azurerm provider's defaults (major version 4) where an
// argument is absent, as the Resource Graph importer reads them.
func storageAccountSettings(m *mapper, r *inst, s *resource.ObjectStorage) {
	switch t, st := m.str(r.a, "account_replication_type"); st {
	case ok:
		s.GeoRedundant = boolp(contains([]string{"GRS", "RAGRS", "GZRS", "RAGZRS"}, strings.ToUpper(t)))
	}
	s.SharedKeyAccess = m.boolean(r.a, boolp(true), "shared_access_key_enabled")
	s.PublicNetwork = m.boolean(r.a, boolp(true), "public_network_access_enabled")
	s.DefaultOAuth = m.boolean(r.a, boolp(false), "default_to_oauth_authentication")
	s.CrossTenantReplication = m.boolean(r.a, boolp(false), "cross_tenant_replication_enabled")
	// networkAcls.bypass is AzureServices unless network rules say
	// otherwise (the network_rules block or one
	// azurerm_storage_account_network_rules).
	bypass := boolp(true)
	rules := m.attachedTo(r, "azurerm_storage_account_network_rules")
	if len(rules) == 0 {
		if nr, st := m.blocks(r.a, "network_rules"); st == ok && len(nr) > 0 {
			bypass = m.bypassesAzureServices(nr[0])
		} else if st == unknownSt || st == bad {
			bypass = nil
		}
	}
	for _, n := range rules {
		m.cur = n
		bypass = m.bypassesAzureServices(n.a)
	}
	m.cur = r
	s.TrustedServicesBypass = bypass
}

// bypassesAzureServices reads the bypass set of network rules: absent,
// the default AzureServices.
func (m *mapper) bypassesAzureServices(rules map[string]any) *bool {
	vals, unk, st := m.strs(rules, "bypass")
	switch {
	case st == absent:
		return boolp(true)
	case st != ok:
		return nil
	}
	for _, v := range vals {
		if strings.EqualFold(v, "AzureServices") {
			return boolp(true)
		}
	}
	if len(unk) > 0 {
		return nil
	}
	return boolp(false)
}

// tlsVersion normalizes "TLS1_2" to "1.2".
func tlsVersion(v string) string {
	u := strings.ToUpper(strings.TrimSpace(v))
	u = strings.TrimPrefix(u, "TLSV")
	u = strings.TrimPrefix(u, "TLS")
	u = strings.ReplaceAll(u, "_", ".")
	if len(u) == 2 && u[0] >= '0' && u[0] <= '9' && u[1] >= '0' && u[1] <= '9' {
		u = u[:1] + "." + u[1:]
	}
	return u
}

// nsg: azurerm_network_security_group with its inline security_rule blocks,
// the azurerm_network_security_rule resources joined, and the default
// rules every NSG has.
func nsg(m *mapper, r *inst, out *resource.Resource) {
	fw := &resource.Firewall{Default: boolp(false)}
	out.Facts.Firewall = fw
	rules := []resource.FirewallRule{}
	known := true
	blocks, st := m.blocks(r.a, "security_rule")
	if st == unknownSt || st == bad {
		known = false
	}
	for _, b := range blocks {
		rs, good := m.nsgRule(b)
		known = known && good
		rules = append(rules, rs...)
	}
	for _, a := range m.attachedTo(r, "azurerm_network_security_rule") {
		m.cur = a
		rs, good := m.nsgRule(a.a)
		known = known && good
		rules = append(rules, rs...)
	}
	m.cur = r
	rules = append(rules, nsgDefaults...)
	if known {
		fw.Rules = rules
	}
}

// nsgDefaults are the default security rules of every NSG.
var nsgDefaults = []resource.FirewallRule{
	{Direction: "ingress", Action: "allow", Protocol: "all", FromPort: 0, ToPort: 65535, Sources: []string{"VirtualNetwork"}, Priority: 65000},
	{Direction: "ingress", Action: "allow", Protocol: "all", FromPort: 0, ToPort: 65535, Sources: []string{"AzureLoadBalancer"}, Priority: 65001},
	{Direction: "ingress", Action: "deny", Protocol: "all", FromPort: 0, ToPort: 65535, Sources: []string{"0.0.0.0/0", "::/0"}, Priority: 65500},
	{Direction: "egress", Action: "allow", Protocol: "all", FromPort: 0, ToPort: 65535, Sources: []string{"VirtualNetwork"}, Priority: 65000},
	{Direction: "egress", Action: "allow", Protocol: "all", FromPort: 0, ToPort: 65535, Sources: []string{"0.0.0.0/0", "::/0"}, Priority: 65001},
	{Direction: "egress", Action: "deny", Protocol: "all", FromPort: 0, ToPort: 65535, Sources: []string{"0.0.0.0/0", "::/0"}, Priority: 65500},
}

// nsgRule reads one security rule: one FirewallRule per destination port
// range; false when it cannot be known before apply.
func (m *mapper) nsgRule(o map[string]any) ([]resource.FirewallRule, bool) {
	dir, dst := m.str(o, "direction")
	action, ast := m.str(o, "access")
	proto, pst := m.str(o, "protocol")
	prio := m.integer(o, resource.Int(0), "priority")
	if dst != ok || ast != ok || pst != ok || prio == nil {
		return nil, false
	}
	var srcs []string
	if s, st := m.str(o, "source_address_prefix"); st == ok {
		srcs = append(srcs, s)
	} else if st == unknownSt || st == bad {
		return nil, false
	}
	more, unk, st := m.strs(o, "source_address_prefixes")
	if st == unknownSt || st == bad {
		return nil, false
	}
	srcs = append(srcs, more...)
	for _, u := range unk {
		srcs = append(srcs, "${"+strings.Join(u.Refs, ",")+"}")
	}
	if len(unk) > 0 && !anyInternet(srcs) {
		return nil, false // a prefix known only after apply may be the internet
	}
	asgs, _, _ := m.strs(o, "source_application_security_group_ids")
	srcs = append(srcs, asgs...)
	var ports []string
	if p, st := m.str(o, "destination_port_range"); st == ok {
		ports = append(ports, p)
	} else if st == unknownSt || st == bad {
		return nil, false
	}
	pr, unk, st := m.strs(o, "destination_port_ranges")
	if st == unknownSt || st == bad || len(unk) > 0 {
		return nil, false
	}
	ports = append(ports, pr...)
	if len(ports) == 0 {
		ports = []string{"*"}
	}
	d := "ingress"
	if strings.EqualFold(dir, "Outbound") {
		d = "egress"
	}
	base := resource.FirewallRule{Direction: d, Action: strings.ToLower(action), Protocol: resource.NormProtocol(proto), Sources: resource.NormSources(srcs), Priority: *prio}
	var out []resource.FirewallRule
	for _, p := range ports {
		from, to, valid := resource.ParsePortRange(p)
		if !valid {
			m.problem("destination_port_range", "destination port range %q is not a port, a range or *", p)
			return nil, false
		}
		rule := base
		rule.FromPort, rule.ToPort = from, to
		out = append(out, resource.PortedRules(rule)...)
	}
	return out, true
}

// azureVM: azurerm_linux_virtual_machine, azurerm_windows_virtual_machine
// (managed OS disks, always encrypted at rest) and the legacy
// azurerm_virtual_machine.
func azureVM(m *mapper, r *inst, out *resource.Resource) {
	c := &resource.Compute{}
	out.Facts.Compute = c
	vmIdentity(m, r, out, c)
	if r.typ() == "azurerm_virtual_machine" {
		if _, st := look(r.a, "storage_os_disk", "managed_disk_type"); st == ok {
			c.DiskEncrypted = boolp(true)
		} else if _, st := look(r.a, "storage_os_disk", "managed_disk_id"); st == ok || st == unknownSt {
			c.DiskEncrypted = boolp(true) // a managed disk's ID, even one known only at apply
		}
	} else {
		c.DiskEncrypted = boolp(true)
		c.SecureBoot = m.boolean(r.a, boolp(false), "secure_boot_enabled")
	}
	// A public IP through the configuration's network interfaces.
	nicIDs, _ := look1(r.a, "network_interface_ids")
	nics := m.targets(nicIDs, "azurerm_network_interface")
	if l, isList := nicIDs.([]any); isList && len(nics) == len(l) && len(l) > 0 {
		public, v6 := boolp(false), boolp(false)
		for _, n := range nics {
			ipcs, st := m.blocks(n.a, "ip_configuration")
			if st != ok {
				public, v6 = or3(public, nil), or3(v6, nil)
			}
			for _, ipc := range ipcs {
				public = or3(public, set(ipc, "public_ip_address_id"))
				v6 = or3(v6, m.publicIPv6(ipc))
			}
		}
		c.PublicIP, c.PublicIPv6 = public, v6
	}
	m.relate(out, resource.RelUsesInterface, nicIDs, "azurerm_network_interface")
	vmBootSecrets(m, r, c)
	vmLogin(m, r, c)
}

// vmIdentity: a VM's or scale set's managed identity type and its
// user-assigned identities.
func vmIdentity(m *mapper, r *inst, out *resource.Resource, c *resource.Compute) {
	switch t, st := m.str(r.a, "identity", "type"); st {
	case ok:
		c.Identity = t
	case absent:
		c.Identity = ""
	}
	m.relate(out, resource.RelRunsAs, look1v(r.a, "identity", "identity_ids"), "azurerm_user_assigned_identity")
}

// vmBootSecrets: credentials in a VM's or scale set's boot script
// (custom_data, user_data, and os_profile's custom_data of the legacy and
// orchestrated resources).
func vmBootSecrets(m *mapper, r *inst, c *resource.Compute) {
	profile, _ := single(r.a["os_profile"]).(map[string]any)
	secrets, known, _ := m.userData(r.a, "custom_data", "user_data")
	if profile != nil {
		more, k2, _ := m.userData(profile, "custom_data")
		secrets, known = append(secrets, more...), known && k2
	}
	if known {
		c.UserDataSecrets, c.UserDataSecretNames = boolp(len(secrets) > 0), secrets
	}
}

// vmLogin: a VM's or scale set's operating system and, for Linux, whether
// SSH accepts passwords (disable_password_authentication: true by default
// on the azurerm_linux_* resources and in os_profile.linux_configuration
// of an orchestrated scale set; false by default in os_profile_linux_config
// of the legacy azurerm_virtual_machine_scale_set, required there in
// azurerm_virtual_machine); without an OS configuration, the OS disk's
// os_type.
func vmLogin(m *mapper, r *inst, c *resource.Compute) {
	t := r.typ()
	switch {
	case strings.HasPrefix(t, "azurerm_linux_"):
		c.OSType = "linux"
		c.PasswordAuthentication = not(m.boolean(r.a, boolp(true), "disable_password_authentication"))
	case strings.HasPrefix(t, "azurerm_windows_"):
		c.OSType = "windows"
	default:
		for i, path := range [][]string{{"os_profile_linux_config"}, {"os_profile", "linux_configuration"}} {
			if _, st := look(r.a, path...); st == ok {
				c.OSType = "linux"
				c.PasswordAuthentication = not(m.boolean(r.a, boolp(i == 1), append(path, "disable_password_authentication")...))
				return
			}
		}
		for _, path := range [][]string{{"os_profile_windows_config"}, {"os_profile", "windows_configuration"}} {
			if _, st := look(r.a, path...); st == ok {
				c.OSType = "windows"
				return
			}
		}
		// No OS configuration (a VM attached to a specialized disk): the OS
		// disk's os_type, as the importer reads storageProfile.osDisk.osType;
		// a Linux one's logins are its image's, unknown.
		for _, disk := range []string{"storage_os_disk", "storage_profile_os_disk"} {
			if os, st := m.str(r.a, disk, "os_type"); st == ok && os != "" {
				c.OSType = strings.ToLower(os)
			}
		}
	}
}

// azureVMSS: a virtual machine scale set (azurerm_linux_ and
// _windows_virtual_machine_scale_set, the orchestrated and legacy ones):
// its instances are VMs of its profile, judged as the VM resources are.
// Managed OS disks are encrypted at rest; a public IP configuration on a
// network interface gives every instance a public address.
func azureVMSS(m *mapper, r *inst, out *resource.Resource) {
	c := &resource.Compute{DiskEncrypted: boolp(true)}
	out.Facts.Compute = c
	vmIdentity(m, r, out, c)
	if r.typ() == "azurerm_virtual_machine_scale_set" {
		if _, st := look(r.a, "storage_profile_os_disk", "managed_disk_type"); st != ok {
			c.DiskEncrypted = nil // an unmanaged (VHD) disk: its storage account decides
		}
	} else {
		c.SecureBoot = m.boolean(r.a, boolp(false), "secure_boot_enabled")
	}
	public := boolp(false)
	for _, nicKey := range []string{"network_interface", "network_profile"} {
		nics, st := m.blocks(r.a, nicKey)
		if st == unknownSt || st == bad {
			public = nil
		}
		for _, n := range nics {
			ipcs, st := m.blocks(n, "ip_configuration")
			if st == unknownSt || st == bad {
				public = or3(public, nil)
			}
			for _, ipc := range ipcs {
				public = or3(public, present(ipc, first(ipc, "public_ip_address", "public_ip_address_configuration")))
			}
		}
	}
	c.PublicIP = public
	vmBootSecrets(m, r, c)
	vmLogin(m, r, c)
}

func look1v(p any, path ...string) any { v, _ := look1(p, path...); return v }

// managedDisk: azurerm_managed_disk, always encrypted at rest; a disk
// encryption set means a customer-managed key.
func managedDisk(m *mapper, r *inst, out *resource.Resource) {
	d := &resource.Disk{Encrypted: boolp(true), KeyManager: "provider"}
	out.Facts.Disk = d
	if _, st := look(r.a, "disk_encryption_set_id"); st != absent {
		d.KeyManager = "customer"
	}
	pna := m.boolean(r.a, boolp(true), "public_network_access_enabled")
	switch pol, st := m.str(r.a, "network_access_policy"); {
	case pna != nil && !*pna:
		d.PublicNetworkAccess = boolp(false)
	case st == absent || (st == ok && strings.EqualFold(pol, "AllowAll")):
		d.PublicNetworkAccess = pna
	case st == ok:
		d.PublicNetworkAccess = boolp(false)
	}
	d.SizeGB = m.integer(r.a, nil, "disk_size_gb")
	atts := m.attachedTo(r, "azurerm_virtual_machine_data_disk_attachment")
	for _, a := range atts {
		for _, t := range m.targets(a.a["virtual_machine_id"], "azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine", "azurerm_virtual_machine") {
			d.AttachedTo = append(d.AttachedTo, rid(t.in))
		}
	}
	d.Attached = boolp(len(atts) > 0)
}

// firewallRanges adds the joined firewall rules' start-end ranges.
func (m *mapper) firewallRanges(r *inst, d *resource.Database, types ...string) bool {
	known := true
	for _, a := range m.attachedTo(r, types...) {
		m.cur = a
		start, s1 := m.str(a.a, "start_ip_address")
		end, s2 := m.str(a.a, "end_ip_address")
		if s1 != ok || s2 != ok {
			known = false
			continue
		}
		var n string
		switch {
		case start == "0.0.0.0" && end == "255.255.255.255":
			n = "0.0.0.0/0"
		case start == end:
			n = start
		default:
			n = start + "-" + end
		}
		if !contains(d.AuthorizedNetworks, n) {
			d.AuthorizedNetworks = append(d.AuthorizedNetworks, n)
		}
	}
	m.cur = r
	if known && d.AuthorizedNetworks == nil {
		d.AuthorizedNetworks = []string{}
	}
	return known
}

// mssqlServer: azurerm_mssql_server (public network access on by default)
// with its firewall rules and auditing policy.
func mssqlServer(m *mapper, r *inst, out *resource.Resource) {
	d := &resource.Database{Engine: "sqlserver"}
	out.Facts.Database = d
	d.PublicEndpoint = m.boolean(r.a, boolp(true), "public_network_access_enabled")
	if !m.firewallRanges(r, d, "azurerm_mssql_firewall_rule", "azurerm_sql_firewall_rule") {
		d.AuthorizedNetworks = nil
	}
	audit := boolp(false)
	for _, a := range m.attachedTo(r, "azurerm_mssql_server_extended_auditing_policy") {
		m.cur = a
		audit = or3(audit, m.boolean(a.a, boolp(true), "enabled"))
	}
	m.cur = r
	d.AuditingEnabled = audit
	d.ThreatAlerts, d.ThreatAlertRecipients = m.sqlAlertPolicy(r)
	m.dbCredentials(d, r, []string{"administrator_login_password"}, nil)
}

// sqlAlertPolicy reads the azurerm_mssql_server_security_alert_policy of a
// SQL server: its alerts are on when its state is Enabled and it disables
// no alert type, and mailed when it names addresses or mails the
// subscription's administrators (email_account_admins, off by default).
// Without a policy in the configuration both are unknown: the
// subscription's Defender for SQL plan may enable them.
func (m *mapper) sqlAlertPolicy(r *inst) (alerts, recipients *bool) {
	for i, p := range m.attachedTo(r, "azurerm_mssql_server_security_alert_policy") {
		m.cur = p
		var on *bool
		if st, sst := m.str(p.a, "state"); sst == ok {
			on = boolp(strings.EqualFold(st, "Enabled"))
		}
		disabled, unk, dst := m.strs(p.a, "disabled_alerts")
		var all *bool
		switch {
		case dst == absent || (dst == ok && len(disabled) == 0 && len(unk) == 0):
			all = boolp(true)
		case dst == ok && len(disabled) > 0:
			all = boolp(false)
		}
		addrs, unkAddrs, ast := m.strs(p.a, "email_addresses")
		var mailed *bool
		switch {
		case ast == ok && (len(addrs) > 0 || len(unkAddrs) > 0):
			mailed = boolp(true)
		case ast == ok || ast == absent:
			mailed = boolp(false)
		}
		a, rc := and3(on, all), or3(mailed, m.boolean(p.a, boolp(false), "email_account_admins"))
		if i > 0 { // several policies of one server: the last applied wins, which is unknown
			a, rc = nil, nil
		}
		alerts, recipients = a, rc
	}
	m.cur = r
	return alerts, recipients
}

// flexibleServer: azurerm_postgresql_flexible_server and
// azurerm_mysql_flexible_server (storage always encrypted, backups kept 7
// days, TLS required, public access unless in a delegated subnet).
func flexibleServer(engine string) func(m *mapper, r *inst, out *resource.Resource) {
	return func(m *mapper, r *inst, out *resource.Resource) {
		d := &resource.Database{Engine: engine}
		out.Facts.Database = d
		if _, st := look(r.a, "delegated_subnet_id"); st != absent {
			d.PublicEndpoint = boolp(false)
		} else {
			d.PublicEndpoint = m.boolean(r.a, boolp(true), "public_network_access_enabled")
		}
		d.Encrypted, d.KeyManager = boolp(true), "provider"
		if _, st := look(r.a, "customer_managed_key"); st != absent {
			d.KeyManager = "customer"
		}
		d.BackupRetentionDays = m.integer(r.a, resource.Int(7), "backup_retention_days")
		if d.BackupRetentionDays != nil {
			d.BackupEnabled = boolp(*d.BackupRetentionDays > 0)
		}
		d.MultiAZ = present(r.a, "high_availability")
		if !m.firewallRanges(r, d, "azurerm_postgresql_flexible_server_firewall_rule", "azurerm_mysql_flexible_server_firewall_rule") {
			d.AuthorizedNetworks = nil
		}
		ssl := boolp(true)
		for _, c := range m.attachedTo(r, "azurerm_postgresql_flexible_server_configuration", "azurerm_mysql_flexible_server_configuration") {
			m.cur = c
			if n := m.s(c.a, "name"); n == "require_secure_transport" {
				switch v, st := m.str(c.a, "value"); st {
				case ok:
					ssl = boolp(!strings.EqualFold(v, "off"))
				default:
					ssl = nil
				}
			}
		}
		m.cur = r
		d.SSLRequired = ssl
		m.dbCredentials(d, r, []string{"administrator_password"}, nil)
	}
}

// singleServer: azurerm_postgresql_server, azurerm_mysql_server and
// azurerm_mariadb_server (single servers).
func singleServer(engine string) func(m *mapper, r *inst, out *resource.Resource) {
	return func(m *mapper, r *inst, out *resource.Resource) {
		d := &resource.Database{Engine: engine}
		out.Facts.Database = d
		d.PublicEndpoint = m.boolean(r.a, boolp(true), "public_network_access_enabled")
		d.SSLRequired = m.boolean(r.a, nil, "ssl_enforcement_enabled")
		d.Encrypted = boolp(true) // service-managed encryption at rest, always on
		d.KeyManager = "provider"
		d.BackupRetentionDays = m.integer(r.a, resource.Int(7), "backup_retention_days")
		if d.BackupRetentionDays != nil {
			d.BackupEnabled = boolp(*d.BackupRetentionDays > 0)
		}
		if !m.firewallRanges(r, d, "azurerm_postgresql_firewall_rule", "azurerm_mysql_firewall_rule", "azurerm_mariadb_firewall_rule") {
			d.AuthorizedNetworks = nil
		}
		m.dbCredentials(d, r, []string{"administrator_login_password"}, nil)
	}
}

// keyVault: azurerm_key_vault (soft delete always on since 2020; purge
// protection, RBAC off and public network access on by default).
func keyVault(m *mapper, r *inst, out *resource.Resource) {
	kv := &resource.KeyVault{SoftDelete: boolp(true)}
	out.Facts.KeyVault = kv
	kv.PurgeProtection = m.boolean(r.a, boolp(false), "purge_protection_enabled")
	kv.RBACAuthorization = m.boolean(r.a, boolp(false), first(r.a, "rbac_authorization_enabled", "enable_rbac_authorization"))
	pna := m.boolean(r.a, boolp(true), "public_network_access_enabled")
	da, dst := m.str(r.a, "network_acls", "default_action")
	switch {
	case pna != nil && !*pna, dst == ok && strings.EqualFold(da, "Deny"):
		kv.PublicNetwork = boolp(false)
	case pna == nil || dst == unknownSt || dst == bad:
	default:
		kv.PublicNetwork = boolp(true)
	}
	// Audit logging (CIS Azure 6.1.1.4): a diagnostic setting sending the
	// AuditEvent category or the audit / allLogs group.
	cats, known := m.diagnosed(r)
	kv.Logging = logged(cats, known, []string{"auditevent", "audit", "alllogs"})
}

// vaultKey: azurerm_key_vault_key.
func vaultKey(m *mapper, r *inst, out *resource.Resource) {
	k := &resource.Key{CustomerManaged: boolp(true), Enabled: boolp(true)}
	out.Facts.Key = k
	switch exp, st := m.str(r.a, "expiration_date"); st {
	case ok:
		k.Expires, k.ExpirySet = exp, boolp(exp != "")
	case absent:
		k.ExpirySet = boolp(false)
	default:
		// An expiry known only after apply: the key's expiry rule reads
		// enabled with expires, so neither is stated.
		k.ExpirySet, k.Enabled = set(r.a, "expiration_date"), nil
	}
	if kt, st := m.str(r.a, "key_type"); st == ok {
		k.Symmetric = boolp(strings.HasPrefix(strings.ToLower(kt), "oct"))
	}
	switch _, st := look(r.a, "rotation_policy", "automatic"); st {
	case ok:
		k.RotationEnabled = boolp(true)
		if d := isoDays(m.s(r.a, "rotation_policy", "automatic", "time_after_creation")); d != nil {
			k.RotationPeriodDays = d
		}
	case absent:
		k.RotationEnabled = boolp(false)
	}
}

// isoDays reads an ISO 8601 duration of days, months or years (P90D, P1Y).
func isoDays(s string) *int {
	s = strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return nil
	}
	n, err := strconv.Atoi(s[1 : len(s)-1])
	if err != nil || n < 0 || n > 100000 {
		return nil
	}
	switch s[len(s)-1] {
	case 'D':
	case 'M':
		n *= 30
	case 'Y':
		n *= 365
	default:
		return nil
	}
	return &n
}

// vaultSecret: azurerm_key_vault_secret.
func vaultSecret(m *mapper, r *inst, out *resource.Resource) {
	s := &resource.Secret{Enabled: boolp(true)}
	out.Facts.Secret = s
	switch exp, st := m.str(r.a, "expiration_date"); st {
	case ok:
		s.Expires, s.ExpirySet = exp, boolp(exp != "")
	default:
		s.ExpirySet = set(r.a, "expiration_date")
	}
}

// vaultCertificate: azurerm_key_vault_certificate. The validity period is
// the certificate policy's (CIS Azure 6.0 8.3.11); an imported certificate
// (a certificate block) without x509_certificate_properties leaves it
// unknown.
func vaultCertificate(m *mapper, r *inst, out *resource.Resource) {
	s := &resource.Secret{Enabled: boolp(true)}
	out.Facts.Secret = s
	s.ValidityMonths = m.integer(r.a, nil, "certificate_policy", "x509_certificate_properties", "validity_in_months")
}

// aks: azurerm_kubernetes_cluster.
func aks(m *mapper, r *inst, out *resource.Resource) {
	k := &resource.Kubernetes{}
	out.Facts.Kubernetes = k
	k.Version = m.s(r.a, "kubernetes_version")
	private := m.boolean(r.a, boolp(false), "private_cluster_enabled")
	k.PublicEndpoint = not(private)
	if private != nil && !*private {
		ranges, unk, st := m.strs(r.a, "api_server_access_profile", "authorized_ip_ranges")
		if st == absent {
			ranges, unk, st = m.strs(r.a, "api_server_authorized_ip_ranges")
		}
		if (st == ok || st == absent) && len(unk) == 0 {
			if len(ranges) == 0 {
				ranges = []string{"0.0.0.0/0"}
			}
			k.EndpointAllowedCIDRs = resource.NormSources(ranges)
		}
	}
	k.RBAC = m.boolean(r.a, boolp(true), "role_based_access_control_enabled")
	if _, st := look(r.a, "role_based_access_control"); st == ok { // azurerm before 2.99
		k.RBAC = m.boolean(r.a, boolp(true), "role_based_access_control", "enabled")
	}
	local := m.boolean(r.a, boolp(false), "local_account_disabled")
	_, aad := look(r.a, "azure_active_directory_role_based_access_control")
	if local != nil && aad != unknownSt && aad != bad {
		k.LegacyAuth = boolp(!(*local && aad == ok))
	}
	switch pol, st := m.str(r.a, "network_profile", "network_policy"); st {
	case ok:
		k.NetworkPolicy = boolp(pol != "" && !strings.EqualFold(pol, "none"))
	case absent:
		k.NetworkPolicy = boolp(false)
	}
	ch, cst := m.str(r.a, first(r.a, "automatic_upgrade_channel", "automatic_channel_upgrade"))
	os, ost := m.str(r.a, first(r.a, "node_os_upgrade_channel", "node_os_channel_upgrade"))
	if ost == absent {
		os, ost = "NodeImage", ok // the default channel
	}
	if (cst == ok || cst == absent) && ost == ok {
		k.NodeAutoUpgrade = boolp((ch != "" && !strings.EqualFold(ch, "none")) || strings.EqualFold(os, "NodeImage") || strings.EqualFold(os, "SecurityPatch"))
	}
	k.SecretsEncrypted = present(r.a, "key_management_service")
	pool, _ := single(r.a["default_node_pool"]).(map[string]any)
	pub := m.boolean(r.a, boolp(false), "default_node_pool", first(pool, "node_public_ip_enabled", "enable_node_public_ip"))
	k.PrivateNodes = not(pub)
	// Control plane logs: diagnostic settings of the configuration.
	cats, known := m.diagnosed(r)
	k.ControlPlaneLogging = logged(cats, known, nil)
	k.AuditLogging = logged(cats, known, []string{"kube-audit", "kube-audit-admin", "audit", "alllogs"})
}

// diagnosed: the enabled log categories (and category groups) of the
// configuration's diagnostic settings of r, lower-cased, and whether every
// one of those settings is known (none has logs known only after apply).
// A resource no setting targets has none, as KICS and Checkov read it: a
// setting made outside the configuration (an Azure Policy's
// deployIfNotExists) is not in the code reviewed.
func (m *mapper) diagnosed(r *inst) (map[string]bool, bool) {
	all, known := map[string]bool{}, true
	for _, d := range m.attachedTo(r, "azurerm_monitor_diagnostic_setting") {
		cats, good := m.diagCategories(d)
		known = known && good
		for c := range cats {
			all[c] = true
		}
	}
	m.cur = r
	return all, known
}

// logged: whether the categories include one of want (any category when
// want is nil); false only when every setting was known.
func logged(cats map[string]bool, known bool, want []string) *bool {
	for c := range cats {
		if want == nil || contains(want, c) {
			return boolp(true)
		}
	}
	if !known {
		return nil
	}
	return boolp(false)
}

// diagCategories: the enabled log categories (and category groups) of a
// diagnostic setting, lower-cased.
func (m *mapper) diagCategories(d *inst) (map[string]bool, bool) {
	m.cur = d
	out := map[string]bool{}
	for _, k := range []string{"enabled_log", "log"} {
		logs, st := m.blocks(d.a, k)
		if st == unknownSt || st == bad {
			return nil, false
		}
		for _, l := range logs {
			if on := m.boolean(l, boolp(true), "enabled"); on == nil || !*on {
				continue
			}
			if c := m.s(l, "category"); c != "" {
				out[strings.ToLower(c)] = true
			}
			if g := m.s(l, "category_group"); g != "" {
				out[strings.ToLower(g)] = true
			}
		}
	}
	return out, true
}

// cisActivityCategories are the activity log categories CIS Azure requires
// a subscription diagnostic setting to capture.
var cisActivityCategories = []string{"administrative", "alert", "policy", "security"}

// diagnosticSetting: azurerm_monitor_diagnostic_setting of a subscription
// (the activity log export). One of another resource is joined onto it.
func diagnosticSetting(m *mapper, r *inst, out *resource.Resource) {
	if !subscriptionTarget(r.a["target_resource_id"]) {
		out.Class = "" // not an audit log: joined onto its resource, or unsupported
		return
	}
	a := &resource.AuditLog{}
	out.Facts.AuditLog = a
	out.Region = "global"
	cats, good := m.diagCategories(r)
	m.cur = r
	if !good {
		return
	}
	a.Enabled = boolp(len(cats) > 0)
	all := true
	for _, c := range cisActivityCategories {
		all = all && (cats[c] || cats["alllogs"] || cats["audit"])
	}
	a.AllServices = boolp(all)
	for _, k := range []string{"storage_account_id", "log_analytics_workspace_id", "eventhub_authorization_rule_id"} {
		if v := r.a[k]; v != nil {
			if s, isStr := v.(string); isStr {
				a.Destination = s
			}
			m.relate(out, resource.RelLogsTo, v, "azurerm_storage_account", "azurerm_log_analytics_workspace")
			break
		}
	}
}

// subscriptionTarget reports whether a diagnostic setting's target is a
// subscription: "/subscriptions/<id>" or a subscription data source.
func subscriptionTarget(v any) bool {
	switch t := v.(type) {
	case string:
		parts := strings.Split(strings.Trim(t, "/"), "/")
		return len(parts) == 2 && strings.EqualFold(parts[0], "subscriptions")
	default:
		if u, isU := unknownOf(v); isU {
			for _, ref := range u.Refs {
				if strings.Contains(ref, "azurerm_subscription") {
					return true
				}
			}
		}
	}
	return false
}

// logProfile: azurerm_monitor_log_profile (activity log retention).
func logProfile(m *mapper, r *inst, out *resource.Resource) {
	a := &resource.AuditLog{Enabled: boolp(true)}
	out.Facts.AuditLog = a
	out.Region = "global"
	on := m.boolean(r.a, nil, "retention_policy", "enabled")
	days := m.integer(r.a, resource.Int(0), "retention_policy", "days")
	// 0: no retention limit (disabled, or 0 days: kept forever).
	switch {
	case on == nil || days == nil:
	case !*on:
		a.RetentionDays = resource.Int(0)
	default:
		a.RetentionDays = days
	}
	cats, _, _ := m.strs(r.a, "categories")
	all := contains(cats, "Write") && contains(cats, "Delete") && contains(cats, "Action")
	a.AllServices = boolp(all)
}

// roleAssignment: azurerm_role_assignment.
func roleAssignment(m *mapper, r *inst, out *resource.Resource) {
	b := &resource.Binding{Public: boolp(false)}
	out.Facts.Binding = b
	out.Region = "global"
	b.Principal = m.s(r.a, "principal_id")
	b.PrincipalType = m.s(r.a, "principal_type")
	b.Scope = m.s(r.a, "scope")
	if b.Scope != "" {
		b.ScopeLevel = scopeLevel(b.Scope)
	} else if u, isU := unknownOf(r.a["scope"]); isU {
		for _, ref := range u.Refs {
			switch {
			case strings.Contains(ref, "azurerm_subscription"):
				b.ScopeLevel = "account"
			case strings.Contains(ref, "azurerm_management_group"):
				b.ScopeLevel = "organization"
			case strings.Contains(ref, "azurerm_resource_group"):
				b.ScopeLevel = "resource_group"
			default:
				b.ScopeLevel = "resource"
			}
		}
	}
	b.Role = m.s(r.a, "role_definition_id")
	name, nst := m.str(r.a, "role_definition_name")
	if nst == ok {
		b.RoleName = name
		if b.Role == "" {
			b.Role = name
		}
	} else if g := roleGUID(b.Role); builtinRoles[g] != "" {
		b.RoleName = builtinRoles[g]
	}
	defs := m.targets(r.a["role_definition_id"], "azurerm_role_definition")
	if b.RoleName != "" || len(defs) > 0 {
		priv := b.RoleName == "Owner" || b.RoleName == "User Access Administrator"
		for _, d := range defs {
			if d.out != nil && d.out.Facts.Role != nil && d.out.Facts.Role.FullAdmin != nil && *d.out.Facts.Role.FullAdmin {
				priv = true
			} else if roleFullAdmin(m, d) {
				priv = true
			}
		}
		b.Privileged = boolp(priv)
		b.Primitive = boolp(b.RoleName == "Owner" || b.RoleName == "Contributor")
	}
	if cond := m.s(r.a, "condition"); strings.TrimSpace(cond) != "" {
		b.Condition = &resource.BindingCondition{Expression: cond, Version: m.s(r.a, "condition_version")}
	}
	m.relate(out, "uses_role", r.a["role_definition_id"], "azurerm_role_definition")
}

var builtinRoles = map[string]string{
	"8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
	"b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
	"18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
	"acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
}

func roleGUID(id string) string {
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		id = id[i+1:]
	}
	return strings.ToLower(id)
}

// scopeLevel classifies an ARM scope.
func scopeLevel(scope string) string {
	parts := strings.Split(strings.Trim(scope, "/"), "/")
	switch {
	case scope == "/":
		return "organization"
	case strings.EqualFold(parts[0], "providers") && len(parts) >= 2 && strings.EqualFold(parts[1], "Microsoft.Management"):
		return "organization"
	case strings.EqualFold(parts[0], "subscriptions") && len(parts) == 2:
		return "account"
	case strings.EqualFold(parts[0], "subscriptions") && len(parts) == 4 && strings.EqualFold(parts[2], "resourceGroups"):
		return "resource_group"
	}
	return "resource"
}

func roleFullAdmin(m *mapper, d *inst) bool {
	perms, _ := m.blocks(d.a, "permissions")
	for _, p := range perms {
		acts, _, _ := m.strs(p, "actions")
		if contains(acts, "*") {
			return true
		}
	}
	return false
}

// roleDefinition: azurerm_role_definition (a custom role).
func roleDefinition(m *mapper, r *inst, out *resource.Resource) {
	rd := &resource.RoleDefinition{Custom: boolp(true)}
	out.Facts.Role = rd
	out.Region = "global"
	rd.RoleName = m.s(r.a, "name")
	perms, st := m.blocks(r.a, "permissions")
	if st == ok || st == absent {
		full, good := false, true
		for _, p := range perms {
			var rp resource.RolePermission
			var s1, s2, s3, s4 state
			var u1, u2 []Unknown
			rp.Actions, u1, s1 = m.strs(p, "actions")
			rp.NotActions, _, s2 = m.strs(p, "not_actions")
			rp.DataActions, u2, s3 = m.strs(p, "data_actions")
			rp.NotDataActions, _, s4 = m.strs(p, "not_data_actions")
			for _, x := range []state{s1, s2, s3, s4} {
				good = good && (x == ok || x == absent)
			}
			good = good && len(u1) == 0 && len(u2) == 0
			rd.Permissions = append(rd.Permissions, rp)
			rd.Actions = append(rd.Actions, rp.Actions...)
			full = full || contains(rp.Actions, "*")
		}
		if good {
			rd.FullAdmin = boolp(full)
		} else {
			rd.Permissions, rd.Actions = nil, nil
		}
	}
	scopes, unk, sst := m.strs(r.a, "assignable_scopes")
	if sst == absent {
		if s, st := m.str(r.a, "scope"); st == ok {
			scopes, sst = []string{s}, ok
		} else if st == unknownSt {
			unk = append(unk, Unknown{})
		}
	}
	if (sst == ok || sst == absent) && len(unk) == 0 {
		rd.AssignableScopes = scopes
		sub := false
		for _, s := range scopes {
			if l := scopeLevel(s); l == "account" || l == "organization" {
				sub = true
			}
		}
		rd.SubscriptionScope = boolp(sub)
	} else {
		for _, u := range unk {
			for _, ref := range u.Refs {
				if strings.Contains(ref, "azurerm_subscription") || strings.Contains(ref, "azurerm_management_group") {
					rd.SubscriptionScope = boolp(true)
				}
			}
		}
	}
}

// functionApp: azurerm_linux_function_app, azurerm_windows_function_app
// and the legacy azurerm_function_app.
func functionApp(m *mapper, r *inst, out *resource.Resource) {
	f := &resource.Function{}
	out.Facts.Function = f
	if t, st := m.str(r.a, "identity", "type"); st == ok {
		f.Identity = t
	}
	f.HTTPSOnly = m.boolean(r.a, boolp(false), "https_only")
	f.PublicNetwork = m.boolean(r.a, boolp(true), "public_network_access_enabled")
	if f.PublicNetwork != nil && !*f.PublicNetwork {
		f.PublicInvocation = boolp(false)
	}
	switch _, st := look(r.a, "virtual_network_subnet_id"); st {
	case ok, unknownSt:
		f.InVPC = boolp(true)
	case absent:
		f.InVPC = boolp(false)
	}
	settings, _ := look1(r.a, "app_settings")
	f.EnvironmentSecrets, f.SecretVariables = m.envSecrets(settings, "app_settings")
	f.Runtime = appRuntime(m, r.a)
	if f.Runtime != "" {
		row := map[string]any{"id": "/x", "type": "Microsoft.Web/sites", "kind": "functionapp",
			"properties": map[string]any{"siteConfig": map[string]any{"linuxFxVersion": f.Runtime}}}
		if res, _ := azure.MapRow("", row); res != nil && res.Facts.Function != nil {
			f.RuntimeEndOfSupport = res.Facts.Function.RuntimeEndOfSupport
		}
	}
}

// appRuntime: the site_config.application_stack as "STACK|version".
func appRuntime(m *mapper, a map[string]any) string {
	st, s := look(a, "site_config", "application_stack")
	if s != ok {
		return ""
	}
	for _, k := range []struct{ attr, stack string }{{"python_version", "PYTHON"}, {"node_version", "NODE"},
		{"dotnet_version", "DOTNET"}, {"java_version", "JAVA"}, {"powershell_core_version", "POWERSHELL"}} {
		if v, vst := m.str(st, k.attr); vst == ok {
			stack := k.stack
			if k.stack == "DOTNET" && m.boolean(st, boolp(false), "use_dotnet_isolated_runtime") != nil && *m.boolean(st, boolp(false), "use_dotnet_isolated_runtime") {
				stack = "DOTNET-ISOLATED"
			}
			return stack + "|" + strings.TrimPrefix(v, "v")
		}
	}
	return ""
}

// containerRegistry: azurerm_container_registry.
func containerRegistry(m *mapper, r *inst, out *resource.Resource) {
	g := &resource.Registry{}
	out.Facts.Registry = g
	g.AdminUser = m.boolean(r.a, boolp(false), "admin_enabled")
	g.Public = m.boolean(r.a, boolp(false), "anonymous_pull_enabled")
	pna := m.boolean(r.a, boolp(true), "public_network_access_enabled")
	da, dst := m.str(r.a, "network_rule_set", "default_action")
	switch {
	case pna != nil && !*pna, dst == ok && strings.EqualFold(da, "Deny"):
		g.PublicNetwork = boolp(false)
	case pna == nil || dst == unknownSt || dst == bad:
	default:
		g.PublicNetwork = boolp(true)
	}
	g.KeyManager = "provider"
	if _, st := look(r.a, "encryption", "key_vault_key_id"); st != absent {
		g.KeyManager = "customer"
	}
}

// azureFlowLog: azurerm_network_watcher_flow_log.
func azureFlowLog(m *mapper, r *inst, out *resource.Resource) {
	f := &resource.FlowLog{}
	out.Facts.FlowLog = f
	f.Enabled = m.boolean(r.a, boolp(true), "enabled")
	// Retention applies only when enabled with a number of days; the
	// logs are kept forever otherwise (no retention_days, as importers say).
	on := m.boolean(r.a, boolp(false), "retention_policy", "enabled")
	days := m.integer(r.a, resource.Int(0), "retention_policy", "days")
	if on != nil && days != nil && *on && *days > 0 {
		f.RetentionDays = days
	}
	for _, k := range []string{"network_security_group_id", "target_resource_id"} {
		v := r.a[k]
		if s, isStr := v.(string); isStr && s != "" {
			f.Targets = append(f.Targets, s)
		}
		for _, t := range m.targets(v, "azurerm_network_security_group", "azurerm_virtual_network") {
			f.Targets = append(f.Targets, rid(t.in))
		}
		m.relate(out, resource.RelFlowLogsOf, v, "azurerm_network_security_group", "azurerm_virtual_network")
	}
}

// vnet: azurerm_virtual_network, with the flow logs of the configuration
// recording it or an NSG of its subnets.
func vnet(m *mapper, r *inst, out *resource.Resource) {
	n := &resource.Network{}
	out.Facts.Network = n
	nsgs := map[*inst]bool{}
	sub := subnetNSGs{}
	for _, s := range m.referrers(r, "azurerm_subnet", "virtual_network_name", "azurerm_virtual_network") {
		has := false
		for _, as := range m.referrers(s, "azurerm_subnet_network_security_group_association", "subnet_id", "azurerm_subnet") {
			has = true
			for _, g := range m.targets(as.a["network_security_group_id"], nsgTypes...) {
				nsgs[g] = true
				out.Relationships = append(out.Relationships, resource.Relationship{Type: resource.RelUsesFirewall, TargetID: rid(g.in)})
			}
		}
		sub.add(m, s.a, has, ok)
	}
	inline, ist := m.blocks(r.a, "subnet")
	for _, b := range inline {
		_, gst := m.str(b, "security_group")
		if u, isU := b["security_group"].(Unknown); isU && len(u.Refs) > 0 {
			gst = ok // another resource's ID, known at apply
		}
		sub.add(m, b, gst == ok, gst)
	}
	if ist == ok || ist == absent {
		n.SubnetsNSG, n.SubnetsWithoutNSG = sub.facts()
	}
	logs := boolp(false)
	for _, fl := range m.ofType("azurerm_network_watcher_flow_log") {
		targets := m.targets(fl.a["target_resource_id"], "azurerm_virtual_network", "azurerm_network_security_group")
		targets = append(targets, m.targets(fl.a["network_security_group_id"], nsgTypes...)...)
		for _, t := range targets {
			if t == r || nsgs[t] {
				if b := m.boolean(fl.a, boolp(true), "enabled"); b == nil || *b {
					logs = or3(logs, b)
				}
			}
		}
	}
	n.FlowLogs = logs
}

// subnetNSGs gathers whether each subnet of a VNet has a network
// security group, as the Azure importer reads a VNet's subnets: the
// gateway, firewall and route server subnets cannot have one and are
// left out; a subnet whose name or NSG is known only at apply leaves the
// answer unknown. In Terraform a subnet gets its NSG from an
// azurerm_subnet_network_security_group_association (azurerm_subnet
// resources) or its security_group (the VNet's inline subnet blocks).
type subnetNSGs struct {
	without []string
	unknown bool
	n       int
}

func (g *subnetNSGs) add(m *mapper, subnet map[string]any, has bool, st state) {
	g.n++
	name, nst := m.str(subnet, "name")
	switch {
	case nst != ok:
		g.unknown = true
	case azure.SubnetWithoutNSG(name), has:
	case st == ok || st == absent:
		g.without = append(g.without, name)
	default:
		g.unknown = true
	}
}

// facts are the VNet's subnets_nsg and subnets_without_nsg: nil when
// the VNet declares no subnet in the configuration or one is unknown.
func (g *subnetNSGs) facts() (*bool, []string) {
	if g.unknown || g.n == 0 {
		return nil, nil // subnets of its own may be declared elsewhere
	}
	sort.Strings(g.without)
	return boolp(len(g.without) == 0), g.without
}

// appGwPolicyMinTLS: the minimum TLS version of Application Gateway
// predefined SSL policies.
var appGwPolicyMinTLS = map[string]string{
	"appgwsslpolicy20150501":  "1.0",
	"appgwsslpolicy20170401":  "1.1",
	"appgwsslpolicy20170401s": "1.2",
	"appgwsslpolicy20220101":  "1.2",
	"appgwsslpolicy20220101s": "1.2",
}

// sslPolicyMin reads an ssl_policy block: its name and minimum TLS version
// ("" when not known from the configuration).
func (m *mapper) sslPolicyMin(p map[string]any) (name, min string) {
	name = m.s(p, "policy_name")
	if mpv := m.s(p, "min_protocol_version"); mpv != "" {
		return name, tlsVersion(mpv)
	}
	return name, appGwPolicyMinTLS[strings.ToLower(name)]
}

// appGateway: azurerm_application_gateway, a layer-7 load balancer: its
// HTTP listeners, the redirects of its routing rules, its SSL policies
// and WAF.
func appGateway(m *mapper, r *inst, out *resource.Resource) {
	lb := &resource.LoadBalancer{}
	out.Facts.LoadBalancer = lb
	fes, fst := m.blocks(r.a, "frontend_ip_configuration")
	if fst == ok || fst == absent {
		public := boolp(false)
		for _, fe := range fes {
			public = or3(public, set(fe, "public_ip_address_id"))
		}
		lb.Public = public
	}
	waf := m.boolean(r.a, boolp(false), "waf_configuration", "enabled")
	if b := set(r.a, "firewall_policy_id"); b == nil || *b {
		waf = or3(waf, b)
	}
	lb.WAF = waf
	listeners, lst := m.blocks(r.a, "http_listener")
	rules, rst := m.blocks(r.a, "request_routing_rule")
	redirects, dst := m.blocks(r.a, "redirect_configuration")
	ports, pst := m.blocks(r.a, "frontend_port")
	for _, st := range []state{lst, rst, dst, pst} {
		if st != ok && st != absent {
			return
		}
	}
	portOf := map[string]*int{}
	for _, p := range ports {
		portOf[m.s(p, "name")] = m.integer(p, nil, "port")
	}
	https := map[string]bool{}
	for _, l := range listeners {
		https[m.s(l, "name")] = strings.EqualFold(m.s(l, "protocol"), "Https")
	}
	toHTTPS := map[string]bool{}
	for _, rd := range redirects {
		if https[m.s(rd, "target_listener_name")] || strings.HasPrefix(strings.ToLower(m.s(rd, "target_url")), "https://") {
			toHTTPS[m.s(rd, "name")] = true
		}
	}
	redirecting := map[string]bool{}
	for _, rr := range rules {
		if toHTTPS[m.s(rr, "redirect_configuration_name")] {
			redirecting[m.s(rr, "http_listener_name")] = true
		}
	}
	gwName, gwMin := m.sslPolicyMin(singleMap(r.a["ssl_policy"]))
	profiles := map[string]map[string]any{}
	ps, _ := m.blocks(r.a, "ssl_profile")
	for _, p := range ps {
		profiles[m.s(p, "name")] = singleMap(p["ssl_policy"])
	}
	httpOpen, weak, unknownTLS := false, false, false
	lb.Listeners = []resource.Listener{}
	for _, ln := range listeners {
		proto, st := m.str(ln, "protocol")
		if st != ok {
			lb.Listeners = nil
			return
		}
		l := resource.Listener{Protocol: strings.ToUpper(proto)}
		if p := portOf[m.s(ln, "frontend_port_name")]; p != nil {
			l.Port = *p
		}
		switch l.Protocol {
		case "HTTP":
			red := redirecting[m.s(ln, "name")]
			l.RedirectsToHTTPS = boolp(red)
			httpOpen = httpOpen || !red
		case "HTTPS":
			l.TLSPolicy, l.MinTLSVersion = gwName, gwMin
			if prof := profiles[m.s(ln, "ssl_profile_name")]; prof != nil {
				if name, min := m.sslPolicyMin(prof); name != "" || min != "" {
					l.TLSPolicy, l.MinTLSVersion = name, min
				}
			}
			switch {
			case l.MinTLSVersion == "":
				unknownTLS = true
			case l.MinTLSVersion < "1.2":
				weak = true
			}
		}
		lb.Listeners = append(lb.Listeners, l)
	}
	lb.HTTPListener = boolp(httpOpen)
	if weak || !unknownTLS {
		lb.WeakTLS = boolp(weak)
	}
}

// singleMap is the one object of a nested block, nil without one.
func singleMap(v any) map[string]any {
	o, _ := single(v).(map[string]any)
	return o
}

// defenderPricing: azurerm_security_center_subscription_pricing is the
// subscription's threat_detection fact: on when a plan of the
// configuration is Standard, off when every one is Free.
func defenderPricing(m *mapper, r *inst, out *resource.Resource) {
	out.Region = "global"
	a := &resource.Account{}
	out.Facts.Account = a
	td := boolp(false)
	for _, p := range m.ofType("azurerm_security_center_subscription_pricing") {
		cur := m.cur
		m.cur = p
		switch t, st := m.str(p.a, "tier"); st {
		case ok:
			td = or3(td, boolp(strings.EqualFold(t, "Standard")))
		default:
			td = or3(td, nil)
		}
		m.cur = cur
	}
	a.ThreatDetection = td
}

// securityContact: azurerm_security_center_contact with an email is the
// subscription's security contact.
func securityContact(m *mapper, r *inst, out *resource.Resource) {
	out.Region = "global"
	a := &resource.Account{}
	out.Facts.Account = a
	switch e, st := m.str(r.a, "email"); st {
	case ok, absent:
		a.SecurityContact = boolp(strings.TrimSpace(e) != "")
	case unknownSt:
		a.SecurityContact = set(r.a, "email")
	}
	// alert_notifications and alerts_to_admins (both required) are the
	// contact's alertNotifications and alertsToAdmins: alerts emailed,
	// and to the subscription's owners.
	n := &resource.SecurityNotifications{AlertNotifications: m.boolean(r.a, nil, "alert_notifications"),
		OwnerNotified: m.boolean(r.a, nil, "alerts_to_admins")}
	if n.AlertNotifications != nil || n.OwnerNotified != nil {
		a.Notifications = n
	}
}

// messaging: azurerm_servicebus_namespace and azurerm_eventhub_namespace
// (SAS keys on, public network access on, TLS 1.2, Microsoft-managed keys
// by default).
func messaging(m *mapper, r *inst, out *resource.Resource) {
	q := &resource.Queue{Kind: "queue", Encrypted: boolp(true), KeyManager: "provider"}
	if r.typ() == "azurerm_eventhub_namespace" {
		q.Kind = "topic"
	}
	out.Facts.Queue = q
	q.LocalAuth = m.boolean(r.a, boolp(true), "local_auth_enabled")
	q.PublicNetwork = m.boolean(r.a, boolp(true), "public_network_access_enabled")
	if q.PublicNetwork != nil && *q.PublicNetwork {
		if da, st := m.str(r.a, "network_rule_set", "default_action"); st == ok && strings.EqualFold(da, "Deny") {
			q.PublicNetwork = boolp(false)
		}
	}
	switch v, st := m.str(r.a, "minimum_tls_version"); st {
	case ok:
		q.MinTLSVersion = tlsVersion(v)
	case absent:
		q.MinTLSVersion = "1.2"
	}
	if _, st := look(r.a, "customer_managed_key"); st == ok {
		q.KeyManager = "customer"
	}
	if len(m.attachedTo(r, "azurerm_servicebus_namespace_customer_managed_key", "azurerm_eventhub_namespace_customer_managed_key")) > 0 {
		q.KeyManager = "customer"
	}
}

// publicIPv6: whether a network interface's IP configuration has an IPv6
// public IP: its public_ip_address_id names an azurerm_public_ip of the
// configuration whose ip_version is IPv6 (IPv4 by default); none without
// public_ip_address_id; unknown for a public IP outside the configuration
// or a version known only after apply.
func (m *mapper) publicIPv6(ipc map[string]any) *bool {
	v, st := look(ipc, "public_ip_address_id")
	if st == absent {
		return boolp(false)
	}
	ts := m.targets(v, "azurerm_public_ip")
	if len(ts) != 1 {
		return nil
	}
	ver, vst := m.str(ts[0].a, "ip_version")
	switch {
	case vst == absent:
		return boolp(false)
	case vst == ok:
		return boolp(strings.EqualFold(ver, "IPv6"))
	}
	return nil
}
