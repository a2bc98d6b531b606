# METADATA
# title: "Load balancer has no deletion protection"
# description: "Deletion protection is off on the application, network or gateway load balancer, so one API call or terraform destroy takes down the entry point of the service it fronts."
# scope: package
# custom:
#   id: lb-deletion-protection-disabled
#   severity: LOW
#   category: resilience
#   class: load_balancer
#   providers: [aws]
#   applies_to:
#     type: [AWS::ElasticLoadBalancingV2::LoadBalancer]
#   requires: [facts.load_balancer.deletion_protection]
#   remediation: "Set the load balancer attribute deletion_protection.enabled to true (Terraform enable_deletion_protection = true on aws_lb)."
#   frameworks:
#     soc2: ["A1.2"]
#     nist-800-53-r5: ["SC-5", "CP-10"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-03"]
package vigil.rules.lb_deletion_protection_disabled

fail contains r.id if {
	some r in input.resources.load_balancer
	r.facts.load_balancer.deletion_protection == false
}

message[id] := "deletion protection is disabled" if some id in fail
