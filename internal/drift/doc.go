// Package drift compares the resources infrastructure as code defines
// (Terraform state, plan and HCL; CloudFormation and ARM templates, read by
// internal/iac) with an inventory of what is deployed (cloud exports read by
// internal/importer, or a live collection), on vigil's normalized model:
// class and typed facts, never an export's own shape, so one comparison
// serves every cloud and every source.
//
// Compare matches each IaC resource to the inventory by a cloud identifier
// (a plan's or state's id, arn or self_link, or an alias the reader knows)
// or, before apply, by its cloud-side name, and reports:
//
//   - unmanaged: a resource of the inventory that no IaC resource defines,
//     within the scope the IaC covers (providers, accounts, regions and
//     classes; see Scope);
//   - missing: an IaC resource that the inventory, covering its account and
//     region, does not hold;
//   - changed: a security-relevant fact (encryption, public access,
//     firewall rules, IAM, logging, versioning...) that both sides know and
//     that differs, with both values;
//   - unmatched: an IaC resource that cannot be matched before apply (no
//     identifier and no cloud-side name) or whose name designates several
//     resources; not drift, listed so that nothing is silently left out.
package drift
