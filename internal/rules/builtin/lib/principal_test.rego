package vigil.lib.principal_test

import data.vigil.lib.principal

test_kind_from_type if {
	principal.kind({"principal_type": "User", "principal": "0000-guid"}) == "user"
	principal.kind({"principal_type": "serviceAccount", "principal": "user:a@b.c"}) == "serviceaccount"
}

test_kind_from_member_prefix if {
	principal.kind({"principal": "serviceAccount:sa@p.iam.gserviceaccount.com"}) == "serviceaccount"
	principal.kind({"principal_type": "", "principal": "domain:example.com"}) == "domain"
	not principal.kind({"principal": "0000-guid"})
	not principal.kind({})
}

test_person if {
	principal.person({"principal_type": "Group"})
	principal.person({"principal": "user:a@b.c"})
	principal.person({"principal": "domain:example.com"})
	not principal.person({"principal_type": "ServicePrincipal"})
	not principal.person({"principal": "serviceAccount:sa@p.iam.gserviceaccount.com"})
	not principal.person({"principal": "0000-guid"})
}

test_service_account if {
	principal.service_account({"principal": "serviceAccount:sa@p.iam.gserviceaccount.com"})
	principal.service_account({"principal_type": "serviceAccount"})
	not principal.service_account({"principal_type": "ServicePrincipal"})
	not principal.service_account({"principal": "user:a@b.c"})
}

test_public if {
	principal.public_member("allUsers")
	principal.public_member("allAuthenticatedUsers")
	principal.public_member("*")
	not principal.public_member("user:a@b.c")
	principal.public({"public": true, "principal": "x"})
	principal.public({"principal": "allUsers"})
	not principal.public({"public": false, "principal": "user:a@b.c"})
	not principal.public({})
}
