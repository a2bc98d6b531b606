// Package awsiam evaluates AWS IAM requests the way AWS documents its policy
// evaluation logic (explicit deny, SCPs and RCPs down the organization tree,
// resource-based policies, identity policies, permission boundaries and
// session policies), over policies compiled once, and answers what the
// identity graph asks: is this principal allowed this action on this
// resource, and which of these actions can it perform on some resource.
//
// Two levels:
//   - Compile and Evaluate decide one Request under a PolicySet.
//   - New builds an Evaluator from an inventory's typed resources
//     (principals, groups, managed and inline policies, boundaries, trust
//     policies, accounts' SCP/RCP chains; AWS managed policies come from the
//     embedded reference data, internal/identity/refdata/aws), then
//     IsAllowed, ActionsOn, Actions (escalation search) and AllowedActions
//     (what-can) only match. An Evaluator is safe for concurrent use.
//
// Answers are four-valued: Allowed, ExplicitDeny/ImplicitDeny, Conditional
// (a condition on a request-context key the question does not carry) and
// Uncertain (a policy that does not parse or is not in the inventory, an
// undocumented condition operator, an action the catalog does not know).
// Neither is ever turned into an allow or a deny by guess; Decision names
// the statements that decided and why.
//
// The differential test (oracle_test.go) checks Evaluate against
// @cloud-copilot/iam-simulate on thousands of seeded random cases. Where the
// two differ by design: the root user cannot assume a role (AWS documents
// it); a role's trust policy is required even in the same account (every
// role has one); a resource-policy grant naming the role session is not
// limited by the session policy (AWS documents it; the oracle limits it).
package awsiam
