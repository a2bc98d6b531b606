# METADATA
# title: Identity helpers
# description: Shared helpers over identities (facts.identity) and their access keys.
# scope: package
package vigil.lib.identity

# Identity kinds that hold long-lived access keys.
key_holders := {"user", "service_account", "service_principal"}

# keys(i) is the identity's access keys, [] when none are listed.
keys(i) := k if {
	k := i.access_keys
	is_array(k)
} else := []

# active_keys(i) is the identity's active access keys.
active_keys(i) := [k | some k in keys(i); k.active == true]

# user_managed(k) is true unless the key is known to be managed by the cloud
# (GCP system-managed service-account keys).
user_managed(k) if not k.user_managed == false
