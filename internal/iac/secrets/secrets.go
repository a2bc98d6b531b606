package secrets

import (
	"encoding/base64"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

var (
	// Name matches a variable name that says it holds a credential.
	Name = regexp.MustCompile(`(?i)(secret|passw(or)?d|(^|_)pwd($|_)|token|api[_-]?key|private[_-]?key|access[_-]?key|credential)`)
	// Value matches a credential by its form: an AWS access key ID, a
	// private key.
	Value = regexp.MustCompile(`(AKIA|ASIA)[A-Z0-9]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----`)
)

// assignRE matches a shell, PowerShell or YAML assignment in a script.
var assignRE = regexp.MustCompile(`(?m)^[ \t]*(?:export[ \t]+|set[ \t]+|\$env:)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*[:=][ \t]*(.*)$`)

// Script lists what in a boot script (user data, custom data, a startup
// script; base64 or not) is a credential in the clear: variables whose
// name says secret, password, token or key assigned a literal, AWS access
// keys and private keys. A value taken from elsewhere ($VAR, $(cmd),
// ${Param}, {{...}}, <placeholder>) is not.
func Script(text string) []string {
	if dec, ok := DecodeBase64(text); ok {
		text = dec
	}
	found := map[string]bool{}
	for _, m := range assignRE.FindAllStringSubmatch(text, -1) {
		name, val := m[1], strings.Trim(strings.TrimSpace(m[2]), `"'\`)
		if val == "" || strings.HasPrefix(val, "$") || strings.HasPrefix(val, "{{") || strings.HasPrefix(val, "<") {
			continue
		}
		if Name.MatchString(name) {
			found[name] = true
		}
	}
	if v := Value.FindString(text); v != "" {
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

// DecodeBase64 decodes base64 text (as user_data_base64, Azure custom_data
// and CloudFormation's Fn::Base64 give a script) when it decodes to text.
func DecodeBase64(s string) (string, bool) {
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
