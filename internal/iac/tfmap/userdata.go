package tfmap

import (
	"encoding/base64"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// assignRE matches a shell, PowerShell or YAML assignment in a script.
var assignRE = regexp.MustCompile(`(?m)^[ \t]*(?:export[ \t]+|set[ \t]+|\$env:)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*[:=][ \t]*(.*)$`)

// scriptSecrets lists what in a boot script (user data, custom data, a
// startup script) is a credential in the clear: variables whose name says
// secret, password, token or key assigned a literal, AWS access keys and
// private keys. A value taken from elsewhere ($VAR, $(cmd), {{...}}) is not.
func scriptSecrets(text string) []string {
	if dec, ok := decodeBase64(text); ok {
		text = dec
	}
	found := map[string]bool{}
	for _, m := range assignRE.FindAllStringSubmatch(text, -1) {
		name, val := m[1], strings.Trim(strings.TrimSpace(m[2]), `"'\`)
		if val == "" || strings.HasPrefix(val, "$") || strings.HasPrefix(val, "{{") || strings.HasPrefix(val, "<") {
			continue
		}
		if secretName.MatchString(name) {
			found[name] = true
		}
	}
	if v := secretValue.FindString(text); v != "" {
		if strings.HasPrefix(v, "-----") {
			found["(private key)"] = true
		} else {
			found["(AWS access key)"] = true
		}
	}
	out := make([]string, 0, len(found))
	for n := range found {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// decodeBase64 decodes base64 text (as user_data_base64 and Azure
// custom_data are given) when it decodes to text.
func decodeBase64(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if len(t) < 8 || strings.ContainsAny(t, " \t\n=") && !strings.HasSuffix(t, "=") {
		return "", false
	}
	b, err := base64.StdEncoding.DecodeString(t)
	if err != nil || !utf8.Valid(b) {
		return "", false
	}
	return string(b), true
}

// userData reads the boot script at key of a (nil when absent: none):
// secrets found, and false when the script is known only after apply.
func (m *mapper) userData(a map[string]any, keys ...string) (secrets []string, known bool, present bool) {
	for _, k := range keys {
		v, st := look1(a, k)
		switch st {
		case absent:
			continue
		case unknownSt:
			return nil, false, true
		case bad:
			return nil, false, true
		}
		s, isText := v.(string)
		if !isText {
			m.problem(k, "%s is %s, not text", k, describe(v))
			return nil, false, true
		}
		secrets = append(secrets, scriptSecrets(s)...)
		present = true
	}
	return secrets, true, present
}
