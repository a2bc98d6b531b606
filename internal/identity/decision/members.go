package decision

// Memberships returns the principal and every group it is in, directly or
// through nested groups (groupOf maps a member to the groups it is a direct
// member of), each with the chain of groups that leads to it, innermost
// first (nil for the principal itself).
func Memberships(principal string, groupOf map[string][]string) map[string][]string {
	in := map[string][]string{principal: nil}
	queue := []string{principal}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, g := range groupOf[cur] {
			if _, seen := in[g]; seen {
				continue
			}
			in[g] = append(append([]string(nil), in[cur]...), g)
			queue = append(queue, g)
		}
	}
	return in
}

// Holder is a principal that holds a permission, with the decision for it.
type Holder struct {
	// Principal is the principal as grants name it: an Entra object ID
	// (lower case), a GCP member (user:..., group:..., allUsers, ...).
	Principal string `json:"principal"`
	// Resource is the principal's resource ID in the inventory, "" when the
	// inventory does not hold it.
	Resource string `json:"resource,omitempty"`
	Name     string `json:"name,omitempty"`
	// Type is the principal's kind: Azure Group or the identity kind (user,
	// service_principal, ...) or the principal type the assignment states;
	// GCP user, group, serviceAccount, domain, allUsers, ...
	Type     string   `json:"type,omitempty"`
	Decision Decision `json:"decision"`
}
