# METADATA
# title: Bucket is public
# description: A test rule over object storage.
# scope: package
# custom:
#   id: test-bucket-public
#   severity: HIGH
#   category: exposure
#   class: object_storage
#   providers: [aws, gcp]
#   requires: [facts.storage.public_access]
#   remediation: Make it private.
#   frameworks:
#     cis-aws-7.0: ["3.1.4"]
#     soc2: ["CC6.1"]
package vigil.rules.test_bucket_public

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.public_access == true
}

message[r.id] := sprintf("%s is public", [r.name]) if {
	some r in input.resources.object_storage
	r.id in fail
}
