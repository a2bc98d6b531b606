package vigil.lib.identity_test

import data.vigil.lib.identity

test_keys if {
	identity.keys({}) == []
	identity.keys({"access_keys": null}) == []
	identity.keys({"access_keys": [{"id": "k1"}]}) == [{"id": "k1"}]
}

test_active_keys if {
	identity.active_keys({"access_keys": [{"id": "k1", "active": true}, {"id": "k2", "active": false}]}) == [{"id": "k1", "active": true}]
	identity.active_keys({}) == []
}

test_user_managed if {
	identity.user_managed({"active": true})
	identity.user_managed({"user_managed": true})
	not identity.user_managed({"user_managed": false})
}
