package tfmap

import "github.com/vigil-sec/vigil/internal/iac/secrets"

// userData reads the boot script at key of a (nil when absent: none):
// secrets found, and false when the script is known only after apply.
func (m *mapper) userData(a map[string]any, keys ...string) (found []string, known bool, present bool) {
	for _, k := range keys {
		v, st := look1(a, k)
		switch st {
		case absent:
			continue
		case unknownSt:
			// A script known in part: a credential on one of its
			// literal lines is certain; none found is unknown.
			if u, _ := unknownOf(v); u.Text != "" {
				if more := secrets.Script(u.Text); len(more) > 0 {
					found = append(found, more...)
					present = true
					continue
				}
			}
			return nil, false, true
		case bad:
			return nil, false, true
		}
		s, isText := v.(string)
		if !isText {
			m.problem(k, "%s is %s, not text", k, describe(v))
			return nil, false, true
		}
		found = append(found, secrets.Script(s)...)
		present = true
	}
	return found, true, present
}
