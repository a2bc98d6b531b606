# METADATA
# title: "Lambda function has active tracing disabled"
# description: "A Lambda function does not use AWS X-Ray active tracing, so its invocations and downstream calls leave no trace to investigate failures or abuse."
# scope: package
# custom:
#   id: function-tracing-disabled
#   severity: LOW
#   category: monitoring
#   class: function
#   providers: [aws]
#   requires: [facts.function.tracing]
#   remediation: "Set the function's TracingConfig mode to Active and grant its role the X-Ray write permissions."
#   frameworks:
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     nist-800-53-r5: ["AU-12", "SI-4"]
#     nist-csf-2.0: ["DE.CM-09"]
package vigil.rules.function_tracing_disabled

fail contains r.id if {
	some r in input.resources.function
	r.facts.function.tracing == false
}

message[id] := "X-Ray active tracing is disabled" if some id in fail
