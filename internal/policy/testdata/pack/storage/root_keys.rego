# METADATA
# title: Root has access keys
# scope: package
# custom:
#   id: test-root-keys
#   severity: CRITICAL
#   category: identity
#   class: identity
#   providers: [aws]
#   requires:
#     - [facts.identity.access_keys_known, facts.identity.access_keys]
package vigil.rules.test_root_keys

import data.vigil.lib.testnet

skip contains r.id if {
	some r in input.resources.identity
	not r.facts.identity.kind == "root"
}

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind == "root"
	some k in r.facts.identity.access_keys
	k.active
}

# uses the library so a broken import would fail compilation
internet_any := testnet.internet("0.0.0.0/0")
