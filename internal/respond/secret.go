package respond

import (
	"fmt"
	"os"
	"strings"
)

// ResolveSecret reads a secret reference: "env:NAME" is the environment
// variable NAME (an unset or empty variable is an error), "file:PATH" the
// file's content without surrounding white space. Anything else is
// refused: a secret is never written into a playbook or plan.
func ResolveSecret(ref string) (string, error) {
	kind, name, ok := strings.Cut(ref, ":")
	if !ok || name == "" {
		return "", fmt.Errorf("%w: secret %q is not a reference (want env:NAME or file:PATH)", ErrInput, ref)
	}
	switch kind {
	case "env":
		v := os.Getenv(name)
		if v == "" {
			return "", fmt.Errorf("%w: secret %s: environment variable %s is not set", ErrInput, ref, name)
		}
		return v, nil
	case "file":
		b, err := os.ReadFile(name)
		if err != nil {
			return "", fmt.Errorf("%w: secret %s: %v", ErrInput, ref, err)
		}
		v := strings.TrimSpace(string(b))
		if v == "" {
			return "", fmt.Errorf("%w: secret %s: the file is empty", ErrInput, ref)
		}
		return v, nil
	}
	return "", fmt.Errorf("%w: secret %q: unknown kind %q (want env:NAME or file:PATH)", ErrInput, ref, kind)
}

// IsSecretRef reports whether s has the form of a secret reference.
func IsSecretRef(s string) bool {
	kind, name, ok := strings.Cut(s, ":")
	return ok && name != "" && (kind == "env" || kind == "file")
}
