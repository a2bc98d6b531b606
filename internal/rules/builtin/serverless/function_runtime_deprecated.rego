# METADATA
# title: "Serverless function runs on a deprecated runtime"
# description: "A Lambda function, Azure Function App or Cloud Function uses a language runtime past its end of support, which no longer receives security patches (and eventually cannot be updated or deployed)."
# scope: package
# custom:
#   id: function-runtime-deprecated
#   severity: MEDIUM
#   category: resilience
#   class: function
#   providers: [aws, azure, gcp]
#   requires: [facts.function.runtime_end_of_support]
#   remediation: "Upgrade the function to a supported runtime version (for example Python 3.12, Node.js 20 or later, Java 21, .NET 8), test it and redeploy."
#   frameworks:
#     soc2: ["CC7.1"]
#     iso27001-2022: ["A.8.8"]
#     pci-dss-4.0: ["6.3.3"]
#     nist-800-53-r5: ["SI-2", "SA-22"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-02"]
package vigil.rules.function_runtime_deprecated

import data.vigil.lib.time as t

# A runtime is past its end of support from its provider's end-of-support
# (deprecation) date on. The instants are compared, not whole days: age_days
# rounds a date less than a day ahead to 0.
fail contains r.id if {
	some r in input.resources.function
	t.reached(r.facts.function.runtime_end_of_support)
}

message[r.id] := msg if {
	some r in input.resources.function
	r.id in fail
	msg := runtime_message(r.facts.function)
}

runtime_message(f) := sprintf("runtime %s reached its end of support on %s", [f.runtime, substring(f.runtime_end_of_support, 0, 10)]) if f.runtime != ""

else := sprintf("runtime reached its end of support on %s", [substring(f.runtime_end_of_support, 0, 10)])
