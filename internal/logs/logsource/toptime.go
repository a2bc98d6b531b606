package logsource

import "unsafe"

// topString returns the string value of the member key of the JSON object
// raw as gjson.Get(raw, key) finds it (the first member of that name),
// for a key of letters, digits, '_' and '-' only, without gjson's path
// parsing and its second scan of the value. found is false when raw has
// no such member or its value is not a string. ok is false when the scan
// leaves the answer to gjson: a key that needs gjson's path syntax, a
// member name or value with escapes, or anything that is not a well-formed
// object. The value points into raw.
func topString(raw []byte, key string) (val string, found, ok bool) {
	if !plainKey(key) {
		return "", false, false
	}
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return "", false, false
	}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return "", false, true
	}
	for i < len(raw) && raw[i] == '"' {
		ke, esc := stringEnd(raw, i)
		if ke < 0 || esc {
			return "", false, false
		}
		name := raw[i+1 : ke-1]
		i = skipSpace(raw, ke)
		if i >= len(raw) || raw[i] != ':' {
			return "", false, false
		}
		i = skipSpace(raw, i+1)
		ve, esc := valueEnd(raw, i)
		if ve < 0 {
			return "", false, false
		}
		if string(name) == key {
			if raw[i] != '"' {
				return "", false, true
			}
			if esc {
				return "", false, false
			}
			// Over raw, not a copy: the caller parses it, does not keep it.
			return unsafe.String(unsafe.SliceData(raw[i+1:]), ve-1-(i+1)), true, true
		}
		i = skipSpace(raw, ve)
		if i < len(raw) && raw[i] == '}' {
			return "", false, true
		}
		if i >= len(raw) || raw[i] != ',' {
			return "", false, false
		}
		i = skipSpace(raw, i+1)
	}
	return "", false, false
}

func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the closing quote of the string at
// b[i] and whether it holds escapes; -1 when it does not end.
func stringEnd(b []byte, i int) (int, bool) {
	esc := false
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '"':
			return j + 1, esc
		case '\\':
			esc = true
			j++
		}
	}
	return -1, esc
}

// valueEnd returns the index just past the JSON value at b[i] and, for a
// string, whether it holds escapes; -1 when it does not end.
func valueEnd(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return -1, false
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e, _ := stringEnd(b, j)
				if e < 0 {
					return -1, false
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, false
				}
			}
		}
		return -1, false
	}
	j := i
	for j < len(b) {
		c := b[j]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ']' || c == '}' || c == ':' {
			break
		}
		j++
	}
	if j == i {
		return -1, false
	}
	return j, false
}
