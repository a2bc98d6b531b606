package arm

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// builtin is one of ARM's template functions as vigil evaluates it.
type builtin struct {
	min, max int // arity; max -1 for any
	// unknowns: the function handles unknown arguments itself; others
	// return unknown when an argument holds one.
	unknowns bool
	fn       func(s *scope, args []any) (any, error)
}

// idFunctions build resource IDs.
var idFunctions = map[string]bool{
	"resourceid": true, "subscriptionresourceid": true, "tenantresourceid": true,
	"managementgroupresourceid": true, "extensionresourceid": true,
}

// deployTime lists functions whose value is known only at deploy time.
var deployTime = map[string]bool{
	"reference": true, "guid": true, "newguid": true, "utcnow": true, "uniquestring": true,
	"environment": true, "providers": true, "pickzones": true, "deployer": true, "managementgroup": true,
	"listkeys": true, "listsecrets": true, "listaccountsas": true, "listservicesas": true, "externalinput": true,
	"loadtextcontent": true, "loadfileasbase64": true, "loadjsoncontent": true, "datetimeadd": true,
	"datetimefromepoch": true, "datetimetoepoch": true,
	// Known functions vigil does not evaluate: their value is unknown.
	"base64tojson": true, "datauritostring": true,
	"getsecret": true,
}

var builtins map[string]builtin

func init() {
	builtins = map[string]builtin{
		"parameters": {1, 1, false, fnParameters},
		"variables":  {1, 1, false, fnVariables},
		"copyindex":  {0, 2, false, fnCopyIndex},
		"lambdavariables": {1, 1, false, func(s *scope, a []any) (any, error) {
			n, ok := a[0].(string)
			if !ok {
				return nil, errorf("the name is a %s", typeName(a[0]))
			}
			if v, found := s.vars[strings.ToLower(n)]; found {
				return v, nil
			}
			return nil, errorf("no lambda variable %q", n)
		}},
		"concat":       {0, -1, true, fnConcat},
		"format":       {1, -1, false, fnFormat},
		"string":       {1, 1, false, func(s *scope, a []any) (any, error) { return str(a[0]), nil }},
		"int":          {1, 1, false, fnInt},
		"float":        {1, 1, false, fnFloat},
		"bool":         {1, 1, false, fnBool},
		"json":         {1, 1, false, fnJSON},
		"tolower":      {1, 1, false, strFn(strings.ToLower)},
		"toupper":      {1, 1, false, strFn(strings.ToUpper)},
		"trim":         {1, 1, false, strFn(strings.TrimSpace)},
		"base64":       {1, 1, false, strFn(func(x string) string { return base64.StdEncoding.EncodeToString([]byte(x)) })},
		"urlcomponent": {1, 1, false, strFn(url.QueryEscape)},
		"uricomponent": {1, 1, false, strFn(url.QueryEscape)},
		"base64tostring": {1, 1, false, func(s *scope, a []any) (any, error) {
			x, ok := a[0].(string)
			if !ok {
				return nil, errorf("the argument is a %s", typeName(a[0]))
			}
			b, err := base64.StdEncoding.DecodeString(x)
			if err != nil {
				return nil, err
			}
			return string(b), nil
		}},
		"uricomponenttostring": {1, 1, false, func(s *scope, a []any) (any, error) {
			x, ok := a[0].(string)
			if !ok {
				return nil, errorf("the argument is a %s", typeName(a[0]))
			}
			return url.QueryUnescape(x)
		}},
		"uri": {2, 2, false, func(s *scope, a []any) (any, error) {
			b, ok1 := a[0].(string)
			r, ok2 := a[1].(string)
			if !ok1 || !ok2 {
				return nil, errorf("the arguments are strings")
			}
			bu, err := url.Parse(b)
			if err != nil {
				return nil, err
			}
			ru, err := url.Parse(r)
			if err != nil {
				return nil, err
			}
			return bu.ResolveReference(ru).String(), nil
		}},
		"replace":      {3, 3, false, fnReplace},
		"substring":    {1, 3, false, fnSubstring},
		"split":        {2, 2, false, fnSplit},
		"join":         {2, 2, false, fnJoin},
		"startswith":   {2, 2, false, strPred(func(a, b string) bool { return strings.HasPrefix(strings.ToLower(a), strings.ToLower(b)) })},
		"endswith":     {2, 2, false, strPred(func(a, b string) bool { return strings.HasSuffix(strings.ToLower(a), strings.ToLower(b)) })},
		"indexof":      {2, 2, false, fnIndexOf(false)},
		"lastindexof":  {2, 2, false, fnIndexOf(true)},
		"padleft":      {2, 3, false, fnPadLeft},
		"length":       {1, 1, true, fnLength},
		"empty":        {1, 1, true, fnEmpty},
		"contains":     {2, 2, true, fnContains},
		"first":        {1, 1, true, fnEnd(false)},
		"last":         {1, 1, true, fnEnd(true)},
		"skip":         {2, 2, true, fnCut(false)},
		"take":         {2, 2, true, fnCut(true)},
		"union":        {1, -1, true, fnUnion},
		"intersection": {1, -1, false, fnIntersection},
		"createarray":  {0, -1, true, func(s *scope, a []any) (any, error) { return append([]any{}, a...), nil }},
		"array": {1, 1, true, func(s *scope, a []any) (any, error) {
			if arr, ok := a[0].([]any); ok {
				return arr, nil
			}
			if isUnknown(a[0]) {
				return unk, nil
			}
			return []any{a[0]}, nil
		}},
		"createobject": {0, -1, true, fnCreateObject},
		"items":        {1, 1, true, fnItems},
		"objectkeys": {1, 1, false, func(s *scope, a []any) (any, error) {
			m, ok := a[0].(map[string]any)
			if !ok {
				return nil, errorf("the argument is a %s", typeName(a[0]))
			}
			out := []any{}
			for _, k := range sortedKeys(m) {
				out = append(out, k)
			}
			return out, nil
		}},
		"tryget":          {2, -1, true, fnTryGet},
		"flatten":         {1, 1, true, fnFlatten},
		"range":           {2, 2, false, fnRange},
		"min":             {1, -1, false, fnMinMax(false)},
		"max":             {1, -1, false, fnMinMax(true)},
		"equals":          {2, 2, false, func(s *scope, a []any) (any, error) { return s.equal(a[0], a[1]), nil }},
		"not":             {1, 1, false, fnNot},
		"true":            {0, 0, false, func(s *scope, _ []any) (any, error) { return true, nil }},
		"false":           {0, 0, false, func(s *scope, _ []any) (any, error) { return false, nil }},
		"null":            {0, 0, false, func(s *scope, _ []any) (any, error) { return nil, nil }},
		"greater":         {2, 2, false, fnCompare(func(c int) bool { return c > 0 })},
		"greaterorequals": {2, 2, false, fnCompare(func(c int) bool { return c >= 0 })},
		"less":            {2, 2, false, fnCompare(func(c int) bool { return c < 0 })},
		"lessorequals":    {2, 2, false, fnCompare(func(c int) bool { return c <= 0 })},
		"add":             {2, 2, false, arith(func(a, b int64) (int64, error) { return a + b, nil })},
		"sub":             {2, 2, false, arith(func(a, b int64) (int64, error) { return a - b, nil })},
		"mul":             {2, 2, false, arith(func(a, b int64) (int64, error) { return a * b, nil })},
		"div": {2, 2, false, arith(func(a, b int64) (int64, error) {
			if b == 0 {
				return 0, errorf("division by zero")
			}
			return a / b, nil
		})},
		"mod": {2, 2, false, arith(func(a, b int64) (int64, error) {
			if b == 0 {
				return 0, errorf("division by zero")
			}
			return a % b, nil
		})},
		"filter":     {2, 2, true, fnFilter},
		"map":        {2, 3, true, fnMap},
		"reduce":     {3, 3, true, fnReduce},
		"sort":       {2, 2, false, fnSort},
		"toobject":   {2, 3, true, fnToObject},
		"mapvalues":  {2, 2, true, fnMapValues},
		"parsecidr":  {1, 1, false, fnParseCidr},
		"cidrsubnet": {3, 3, false, fnCidrSubnet},
		"cidrhost":   {2, 2, false, fnCidrHost},
		"groupby":    {2, 2, true, fnGroupBy},
		"shallowmerge": {1, 1, true, func(s *scope, a []any) (any, error) {
			arr, ok := a[0].([]any)
			if !ok {
				return unknownOr(a[0], "the argument is a %s")
			}
			return fnUnion(s, arr)
		}},
		"resourceid":                {1, -1, false, fnResourceID(scopeResourceGroup)},
		"subscriptionresourceid":    {1, -1, false, fnResourceID(scopeSubscription)},
		"tenantresourceid":          {1, -1, false, fnResourceID(scopeTenant)},
		"managementgroupresourceid": {1, -1, false, fnResourceID(scopeManagementGroup)},
		"extensionresourceid":       {3, -1, false, fnExtensionResourceID},
		"resourcegroup":             {0, 0, false, func(s *scope, _ []any) (any, error) { return s.t.ctx.resourceGroup(), nil }},
		"subscription":              {0, 0, false, func(s *scope, _ []any) (any, error) { return s.t.ctx.subscription(), nil }},
		"tenant":                    {0, 0, false, func(s *scope, _ []any) (any, error) { return s.t.ctx.tenant(), nil }},
		"deployment": {0, 0, false, func(s *scope, _ []any) (any, error) {
			return map[string]any{"name": unk, "properties": unk, "location": unk}, nil
		}},
		"datauri": {1, 1, false, strFn(func(x string) string {
			return "data:text/plain;charset=utf8;base64," + base64.StdEncoding.EncodeToString([]byte(x))
		})},
	}
}

func unknownOr(v any, format string) (any, error) {
	if isUnknown(v) {
		return unk, nil
	}
	return nil, errorf(format, typeName(v))
}

func fnParameters(s *scope, a []any) (any, error) {
	n, ok := a[0].(string)
	if !ok {
		return nil, errorf("the name is a %s", typeName(a[0]))
	}
	if s.fnParams != nil {
		if v, found := s.fnParams[strings.ToLower(n)]; found {
			return v, nil
		}
		return nil, errorf("the function has no parameter %q", n)
	}
	v, err := s.t.parameter(n)
	return s.placeholder(v, n), err
}

func fnVariables(s *scope, a []any) (any, error) {
	n, ok := a[0].(string)
	if !ok {
		return nil, errorf("the name is a %s", typeName(a[0]))
	}
	v, err := s.t.variable(n)
	return s.placeholder(v, n), err
}

func fnCopyIndex(s *scope, a []any) (any, error) {
	name, offset := s.loop, int64(0)
	for _, x := range a {
		switch v := x.(type) {
		case string:
			name = strings.ToLower(v)
		default:
			o, ok := toInt(v)
			if !ok {
				return nil, errorf("the offset is a %s", typeName(v))
			}
			offset = o
		}
	}
	i, ok := s.copies[name]
	if !ok {
		if name == "" {
			return nil, errorf("copyIndex() outside a copy loop")
		}
		return nil, errorf("copyIndex(%q) outside that copy loop", name)
	}
	n, known := i.(int64)
	if !known {
		return unk, nil
	}
	return n + offset, nil
}

func fnConcat(s *scope, a []any) (any, error) {
	if len(a) > 0 {
		if _, isArr := a[0].([]any); isArr {
			out := []any{}
			for _, x := range a {
				switch t := x.(type) {
				case []any:
					out = append(out, t...)
				case unknown:
					return unk, nil
				case nil:
				default:
					out = append(out, t)
				}
				if len(out) > maxItems {
					return nil, errorf("more than %d elements", maxItems)
				}
			}
			return out, nil
		}
	}
	var b strings.Builder
	for _, x := range a {
		if s.hasUnknown(x) {
			return unk, nil
		}
		b.WriteString(str(x))
		if b.Len() > maxItems*10 {
			return nil, errorf("string longer than %d bytes", maxItems*10)
		}
	}
	return b.String(), nil
}

// fnFormat implements the composite format ({0}, {1:N2}, {{ and }}).
func fnFormat(s *scope, a []any) (any, error) {
	f, ok := a[0].(string)
	if !ok {
		return nil, errorf("the format is a %s", typeName(a[0]))
	}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case c == '{' && i+1 < len(f) && f[i+1] == '{':
			b.WriteByte('{')
			i++
		case c == '}' && i+1 < len(f) && f[i+1] == '}':
			b.WriteByte('}')
			i++
		case c == '{':
			j := strings.IndexByte(f[i:], '}')
			if j < 0 {
				return nil, errorf("unclosed { in the format")
			}
			item := f[i+1 : i+j]
			spec, verb, _ := strings.Cut(item, ":")
			spec, _, _ = strings.Cut(spec, ",")
			n, ok := toInt(spec)
			if !ok || n < 0 || int(n) >= len(a)-1 {
				return nil, errorf("format item {%s} has no argument", item)
			}
			arg := str(a[n+1])
			if iv, isInt := a[n+1].(int64); isInt && len(verb) > 1 && (verb[0] == 'D' || verb[0] == 'd') {
				// {0:D3}: the integer padded with zeros to 3 digits
				if w, err := strconv.Atoi(verb[1:]); err == nil && w <= 100 {
					arg = fmt.Sprintf("%0*d", w, iv)
				}
			}
			b.WriteString(arg)
			i += j
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func fnInt(s *scope, a []any) (any, error) {
	switch t := a[0].(type) {
	case float64:
		return int64(t), nil
	}
	if i, ok := toInt(a[0]); ok {
		return i, nil
	}
	return nil, errorf("cannot convert a %s to int", typeName(a[0]))
}

func fnFloat(s *scope, a []any) (any, error) {
	if f, ok := toFloat(a[0]); ok {
		return f, nil
	}
	return nil, errorf("cannot convert a %s to float", typeName(a[0]))
}

func fnBool(s *scope, a []any) (any, error) {
	switch t := a[0].(type) {
	case bool:
		return t, nil
	case int64:
		return t != 0, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
	}
	return nil, errorf("cannot convert %s to bool", typeName(a[0]))
}

func fnJSON(s *scope, a []any) (any, error) {
	t, ok := a[0].(string)
	if !ok {
		return nil, errorf("the argument is a %s", typeName(a[0]))
	}
	n, err := decode([]byte(t))
	if err != nil {
		return nil, err
	}
	return literal(n, 0), nil
}

func strFn(f func(string) string) func(s *scope, _ []any) (any, error) {
	return func(s *scope, a []any) (any, error) {
		t, ok := a[0].(string)
		if !ok {
			return nil, errorf("the argument is a %s", typeName(a[0]))
		}
		return f(t), nil
	}
}

func strPred(f func(a, b string) bool) func(s *scope, _ []any) (any, error) {
	return func(s *scope, a []any) (any, error) {
		x, ok1 := a[0].(string)
		y, ok2 := a[1].(string)
		if !ok1 || !ok2 {
			return nil, errorf("the arguments are a %s and a %s", typeName(a[0]), typeName(a[1]))
		}
		return f(x, y), nil
	}
}

func fnReplace(s *scope, a []any) (any, error) {
	x, ok1 := a[0].(string)
	o, ok2 := a[1].(string)
	n, ok3 := a[2].(string)
	if !ok1 || !ok2 || !ok3 {
		return nil, errorf("the arguments are strings")
	}
	if o == "" {
		return x, nil
	}
	if strings.Count(x, o)*len(n) > maxItems*10 {
		return nil, errorf("result longer than %d bytes", maxItems*10)
	}
	return strings.ReplaceAll(x, o, n), nil
}

func fnSubstring(s *scope, a []any) (any, error) {
	x, ok := a[0].(string)
	if !ok {
		return nil, errorf("the argument is a %s", typeName(a[0]))
	}
	r := []rune(x)
	start, n := int64(0), int64(len(r))
	if len(a) > 1 {
		if start, ok = toInt(a[1]); !ok {
			return nil, errorf("the start is a %s", typeName(a[1]))
		}
		n = int64(len(r)) - start
	}
	if len(a) > 2 {
		if n, ok = toInt(a[2]); !ok {
			return nil, errorf("the length is a %s", typeName(a[2]))
		}
	}
	if start < 0 || n < 0 || start > int64(len(r)) || n > int64(len(r))-start {
		return nil, errorf("start %d and length %d are out of the string's %d characters", start, n, len(r))
	}
	return string(r[start : start+n]), nil
}

func fnSplit(s *scope, a []any) (any, error) {
	x, ok := a[0].(string)
	if !ok {
		return nil, errorf("the argument is a %s", typeName(a[0]))
	}
	var seps []string
	switch t := a[1].(type) {
	case string:
		seps = []string{t}
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				seps = append(seps, s)
			}
		}
	default:
		return nil, errorf("the delimiter is a %s", typeName(a[1]))
	}
	parts := []string{x}
	for _, sep := range seps {
		if sep == "" {
			continue
		}
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, sep)...)
		}
		parts = next
		if len(parts) > maxItems {
			return nil, errorf("more than %d parts", maxItems)
		}
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

func fnJoin(s *scope, a []any) (any, error) {
	arr, ok := a[0].([]any)
	sep, ok2 := a[1].(string)
	if !ok || !ok2 {
		return nil, errorf("join takes an array and a string")
	}
	parts := make([]string, len(arr))
	for i, e := range arr {
		parts[i] = str(e)
	}
	return strings.Join(parts, sep), nil
}

func fnIndexOf(last bool) func(s *scope, _ []any) (any, error) {
	return func(s *scope, a []any) (any, error) {
		if arr, ok := a[0].([]any); ok {
			idx := -1
			for i, e := range arr {
				if s.equal(e, a[1]) {
					idx = i
					if !last {
						break
					}
				}
			}
			return int64(idx), nil
		}
		x, ok1 := a[0].(string)
		y, ok2 := a[1].(string)
		if !ok1 || !ok2 {
			return nil, errorf("the arguments are a %s and a %s", typeName(a[0]), typeName(a[1]))
		}
		x, y = strings.ToLower(x), strings.ToLower(y)
		var i int
		if last {
			i = strings.LastIndex(x, y)
		} else {
			i = strings.Index(x, y)
		}
		if i > 0 {
			i = utf8.RuneCountInString(x[:i])
		}
		return int64(i), nil
	}
}

func fnPadLeft(s *scope, a []any) (any, error) {
	x := str(a[0])
	n, ok := toInt(a[1])
	if !ok || n > maxItems {
		return nil, errorf("bad total length")
	}
	pad := " "
	if len(a) > 2 {
		if p, ok := a[2].(string); ok && p != "" {
			pad = p[:1]
		}
	}
	if c := utf8.RuneCountInString(x); int64(c) < n {
		x = strings.Repeat(pad, int(n)-c) + x
	}
	return x, nil
}

func fnLength(s *scope, a []any) (any, error) {
	if isUnknown(a[0]) {
		return unk, nil
	}
	n, ok := length(a[0])
	if !ok {
		return nil, errorf("the argument is a %s", typeName(a[0]))
	}
	return int64(n), nil
}

func fnEmpty(s *scope, a []any) (any, error) {
	if isUnknown(a[0]) {
		return unk, nil
	}
	n, ok := length(a[0])
	if !ok {
		return false, nil
	}
	return n == 0, nil
}

func fnContains(s *scope, a []any) (any, error) {
	if isUnknown(a[0]) || isUnknown(a[1]) {
		return unk, nil
	}
	switch t := a[0].(type) {
	case string:
		return strings.Contains(t, str(a[1])), nil
	case []any:
		unknownSeen := false
		for _, e := range t {
			if s.hasUnknown(e) {
				unknownSeen = true
				continue
			}
			if s.equal(e, a[1]) {
				return true, nil
			}
		}
		if unknownSeen {
			return unk, nil
		}
		return false, nil
	case map[string]any:
		k, ok := a[1].(string)
		if !ok {
			return false, nil
		}
		_, found := lookup(t, k)
		return found, nil
	}
	return nil, errorf("the container is a %s", typeName(a[0]))
}

// fnEnd implements first (last false) and last.
func fnEnd(last bool) func(*scope, []any) (any, error) {
	return func(_ *scope, a []any) (any, error) {
		switch t := a[0].(type) {
		case unknown:
			return unk, nil
		case string:
			if t == "" {
				return "", nil
			}
			r, _ := utf8.DecodeRuneInString(t)
			if last {
				r, _ = utf8.DecodeLastRuneInString(t)
			}
			return string(r), nil
		case []any:
			switch {
			case len(t) == 0:
				return nil, nil
			case last:
				return t[len(t)-1], nil
			}
			return t[0], nil
		}
		return nil, errorf("the argument is a %s", typeName(a[0]))
	}
}

func clampCount(v any, n int) (int, error) {
	c, ok := toInt(v)
	if !ok {
		return 0, errorf("the count is a %s", typeName(v))
	}
	if c < 0 {
		c = 0
	}
	if c > int64(n) {
		c = int64(n)
	}
	return int(c), nil
}

// fnCut implements skip (take false) and take on strings and arrays.
func fnCut(take bool) func(*scope, []any) (any, error) {
	return func(_ *scope, a []any) (any, error) {
		if isUnknown(a[0]) || isUnknown(a[1]) {
			return unk, nil
		}
		switch t := a[0].(type) {
		case string:
			r := []rune(t)
			c, err := clampCount(a[1], len(r))
			if err != nil {
				return nil, err
			}
			if take {
				return string(r[:c]), nil
			}
			return string(r[c:]), nil
		case []any:
			c, err := clampCount(a[1], len(t))
			if err != nil {
				return nil, err
			}
			if take {
				return append([]any{}, t[:c]...), nil
			}
			return append([]any{}, t[c:]...), nil
		}
		return nil, errorf("the argument is a %s", typeName(a[0]))
	}
}

// fnUnion merges objects (later keys win, nested objects merged deeply as
// ARM does) or arrays (without duplicates).
func fnUnion(s *scope, a []any) (any, error) {
	for _, x := range a {
		if isUnknown(x) {
			return unk, nil
		}
	}
	switch a[0].(type) {
	case map[string]any:
		out := map[string]any{}
		for _, x := range a {
			m, ok := x.(map[string]any)
			if !ok {
				if x == nil {
					continue
				}
				return nil, errorf("union of an object and a %s", typeName(x))
			}
			mergeInto(out, m)
		}
		return out, nil
	case []any:
		out := []any{}
		for _, x := range a {
			arr, ok := x.([]any)
			if !ok {
				if x == nil {
					continue
				}
				return nil, errorf("union of an array and a %s", typeName(x))
			}
		next:
			for _, e := range arr {
				for _, have := range out {
					if !s.hasUnknown(e) && s.equal(e, have) {
						continue next
					}
				}
				out = append(out, e)
			}
		}
		return out, nil
	}
	return nil, errorf("union of a %s", typeName(a[0]))
}

func mergeInto(dst, src map[string]any) {
	for k, v := range src {
		key := k
		for dk := range dst {
			if equalFold(dk, k) {
				key = dk
			}
		}
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[key].(map[string]any); ok {
				merged := map[string]any{}
				mergeInto(merged, dm)
				mergeInto(merged, sm)
				dst[key] = merged
				continue
			}
		}
		dst[key] = v
	}
}

func fnIntersection(s *scope, a []any) (any, error) {
	switch first := a[0].(type) {
	case map[string]any:
		out := map[string]any{}
		for k, v := range first {
			all := true
			for _, x := range a[1:] {
				m, ok := x.(map[string]any)
				w, found := lookup(m, k)
				if !ok || !found || !s.equal(v, w) {
					all = false
					break
				}
			}
			if all {
				out[k] = v
			}
		}
		return out, nil
	case []any:
		out := []any{}
		for _, e := range first {
			all := true
			for _, x := range a[1:] {
				arr, ok := x.([]any)
				found := false
				for _, f := range arr {
					if s.equal(e, f) {
						found = true
						break
					}
				}
				if !ok || !found {
					all = false
					break
				}
			}
			if all {
				out = append(out, e)
			}
		}
		return out, nil
	}
	return nil, errorf("intersection of a %s", typeName(a[0]))
}

func fnCreateObject(s *scope, a []any) (any, error) {
	if len(a)%2 != 0 {
		return nil, errorf("createObject takes key and value pairs")
	}
	out := map[string]any{}
	for i := 0; i < len(a); i += 2 {
		if isUnknown(a[i]) {
			return unk, nil
		}
		k, ok := a[i].(string)
		if !ok {
			return nil, errorf("a key is a %s", typeName(a[i]))
		}
		out[k] = a[i+1]
	}
	return out, nil
}

func fnItems(s *scope, a []any) (any, error) {
	m, ok := a[0].(map[string]any)
	if !ok {
		return unknownOr(a[0], "the argument is a %s")
	}
	out := make([]any, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, map[string]any{"key": k, "value": m[k]})
	}
	return out, nil
}

func fnTryGet(s *scope, a []any) (any, error) {
	cur := a[0]
	for _, k := range a[1:] {
		if isUnknown(cur) || isUnknown(k) {
			return unk, nil
		}
		switch t := cur.(type) {
		case map[string]any:
			ks, ok := k.(string)
			if !ok {
				return nil, nil
			}
			v, found := lookup(t, ks)
			if !found {
				return nil, nil
			}
			cur = v
		case []any:
			i, ok := toInt(k)
			if !ok || i < 0 || i >= int64(len(t)) {
				return nil, nil
			}
			cur = t[i]
		default:
			return nil, nil
		}
	}
	return cur, nil
}

func fnFlatten(s *scope, a []any) (any, error) {
	arr, ok := a[0].([]any)
	if !ok {
		return unknownOr(a[0], "the argument is a %s")
	}
	out := []any{}
	for _, e := range arr {
		switch t := e.(type) {
		case []any:
			out = append(out, t...)
		case unknown:
			return unk, nil
		default:
			return nil, errorf("an element is a %s", typeName(e))
		}
	}
	return out, nil
}

func fnRange(s *scope, a []any) (any, error) {
	start, ok1 := toInt(a[0])
	n, ok2 := toInt(a[1])
	if !ok1 || !ok2 {
		return nil, errorf("range takes integers")
	}
	if n < 0 || n > maxItems {
		return nil, errorf("count %d is out of 0..%d", n, maxItems)
	}
	out := make([]any, n)
	for i := range out {
		out[i] = start + int64(i)
	}
	return out, nil
}

func fnMinMax(isMax bool) func(s *scope, _ []any) (any, error) {
	return func(s *scope, a []any) (any, error) {
		vals := a
		if len(a) == 1 {
			if arr, ok := a[0].([]any); ok {
				vals = arr
			}
		}
		if len(vals) == 0 {
			return nil, errorf("no values")
		}
		var best any
		for _, v := range vals {
			f, ok := toFloat(v)
			if !ok {
				return nil, errorf("a value is a %s", typeName(v))
			}
			b, _ := toFloat(best)
			if best == nil || isMax && f > b || !isMax && f < b {
				best = v
			}
		}
		return best, nil
	}
}

func fnNot(s *scope, a []any) (any, error) {
	b, ok := a[0].(bool)
	if !ok {
		return nil, errorf("the argument is a %s", typeName(a[0]))
	}
	return !b, nil
}

func fnCompare(ok func(int) bool) func(s *scope, _ []any) (any, error) {
	return func(s *scope, a []any) (any, error) {
		if x, isStr := a[0].(string); isStr {
			y, isStr2 := a[1].(string)
			if !isStr2 {
				return nil, errorf("comparison of a string and a %s", typeName(a[1]))
			}
			return ok(strings.Compare(x, y)), nil
		}
		x, ok1 := toFloat(a[0])
		y, ok2 := toFloat(a[1])
		if !ok1 || !ok2 {
			return nil, errorf("comparison of a %s and a %s", typeName(a[0]), typeName(a[1]))
		}
		c := 0
		if x < y {
			c = -1
		} else if x > y {
			c = 1
		}
		return ok(c), nil
	}
}

func arith(f func(a, b int64) (int64, error)) func(s *scope, _ []any) (any, error) {
	return func(s *scope, a []any) (any, error) {
		x, ok1 := toInt(a[0])
		y, ok2 := toInt(a[1])
		if !ok1 || !ok2 {
			return nil, errorf("arguments are a %s and a %s", typeName(a[0]), typeName(a[1]))
		}
		if x == math.MinInt64 || y == math.MinInt64 {
			return nil, errorf("integer overflow")
		}
		return f(x, y)
	}
}

func lambdaArg(v any) (*lambda, error) {
	l, ok := v.(*lambda)
	if !ok {
		return nil, errorf("the last argument is not a lambda")
	}
	return l, nil
}

func fnFilter(s *scope, a []any) (any, error) {
	l, err := lambdaArg(a[1])
	if err != nil {
		return nil, err
	}
	arr, ok := a[0].([]any)
	if !ok {
		return unknownOr(a[0], "the argument is a %s")
	}
	out := []any{}
	for i, e := range arr {
		v, err := l.apply(e, int64(i))
		if err != nil {
			return nil, err
		}
		if isUnknown(v) {
			return unk, nil
		}
		if b, _ := v.(bool); b {
			out = append(out, e)
		}
	}
	return out, nil
}

func fnMap(s *scope, a []any) (any, error) {
	l, err := lambdaArg(a[len(a)-1])
	if err != nil {
		return nil, err
	}
	arr, ok := a[0].([]any)
	if !ok {
		return unknownOr(a[0], "the argument is a %s")
	}
	out := make([]any, 0, len(arr))
	for i, e := range arr {
		v, err := l.apply(e, int64(i))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func fnReduce(s *scope, a []any) (any, error) {
	l, err := lambdaArg(a[2])
	if err != nil {
		return nil, err
	}
	arr, ok := a[0].([]any)
	if !ok {
		return unknownOr(a[0], "the argument is a %s")
	}
	acc := a[1]
	for i, e := range arr {
		if acc, err = l.apply(acc, e, int64(i)); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func fnSort(s *scope, a []any) (any, error) {
	l, err := lambdaArg(a[1])
	if err != nil {
		return nil, err
	}
	arr, ok := a[0].([]any)
	if !ok {
		return nil, errorf("the argument is a %s", typeName(a[0]))
	}
	out := append([]any{}, arr...)
	var ferr error
	sort.SliceStable(out, func(i, j int) bool {
		v, err := l.apply(out[i], out[j])
		if err != nil {
			ferr = err
		}
		b, _ := v.(bool)
		return b
	})
	if ferr != nil {
		return nil, ferr
	}
	return out, nil
}

func fnToObject(s *scope, a []any) (any, error) {
	arr, ok := a[0].([]any)
	if !ok {
		return unknownOr(a[0], "the argument is a %s")
	}
	kl, err := lambdaArg(a[1])
	if err != nil {
		return nil, err
	}
	var vl *lambda
	if len(a) > 2 {
		if vl, err = lambdaArg(a[2]); err != nil {
			return nil, err
		}
	}
	out := map[string]any{}
	for _, e := range arr {
		k, err := kl.apply(e)
		if err != nil {
			return nil, err
		}
		if isUnknown(k) {
			return unk, nil
		}
		ks, ok := k.(string)
		if !ok {
			return nil, errorf("a key is a %s", typeName(k))
		}
		v := e
		if vl != nil {
			if v, err = vl.apply(e); err != nil {
				return nil, err
			}
		}
		out[ks] = v
	}
	return out, nil
}

func fnMapValues(_ *scope, a []any) (any, error) {
	l, err := lambdaArg(a[1])
	if err != nil {
		return nil, err
	}
	m, ok := a[0].(map[string]any)
	if !ok {
		return unknownOr(a[0], "the argument is a %s")
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if out[k], err = l.apply(v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func fnGroupBy(_ *scope, a []any) (any, error) {
	l, err := lambdaArg(a[1])
	if err != nil {
		return nil, err
	}
	arr, ok := a[0].([]any)
	if !ok {
		return unknownOr(a[0], "the argument is a %s")
	}
	out := map[string]any{}
	for _, e := range arr {
		k, err := l.apply(e)
		if err != nil {
			return nil, err
		}
		if isUnknown(k) {
			return unk, nil
		}
		ks, ok := k.(string)
		if !ok {
			return nil, errorf("a key is a %s", typeName(k))
		}
		list, _ := out[ks].([]any)
		out[ks] = append(list, e)
	}
	return out, nil
}
