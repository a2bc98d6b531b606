package kubernetes

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/internal/source"
)

// Limits on one document, so that hostile input (an alias bomb, a deeply
// nested document) is reported rather than expanded.
const (
	// maxNodes bounds the values one document expands to, aliases counted
	// at every use.
	maxNodes = 1_000_000
	// maxDepth bounds the nesting of a document.
	maxDepth = 200
	// DefaultMaxFileBytes is the largest manifest read when
	// Options.MaxFileBytes is 0.
	DefaultMaxFileBytes = 20 << 20
)

// Object is one Kubernetes object of a manifest: its fields as a JSON-like
// tree (map[string]any, []any, string, bool, int64, float64, nil), and
// where it is: the 1-based first and last line in the file.
type Object struct {
	Fields    map[string]any
	StartLine int
	EndLine   int
	// LineMap maps a line of the parsed text to the line of the file it
	// was written from (Helm: the template line a rendered line comes
	// from), 0 when none; nil: the text is the file's.
	LineMap func(line int) int
	// node is the object's parsed YAML (nil for an object built or changed
	// by other means: its fields' lines are not known), off the line of the
	// text before its first.
	node *yaml.Node
	off  int
}

// FieldLine is the line of the file holding the field at path (keys and
// list indexes, as "spec.containers[0].securityContext.privileged"), 0
// when the object's fields have no known lines or the field is absent.
func (o Object) FieldLine(path string) int {
	n := o.node
	if n == nil || path == "" {
		return 0
	}
	line := 0
	for _, seg := range strings.Split(path, ".") {
		key, rest, _ := strings.Cut(seg, "[")
		if key != "" {
			var k *yaml.Node
			k, n = mapKey(n, key)
			if k != nil {
				line = k.Line // the field's key: a block value starts below it
			}
		}
		for n != nil && rest != "" {
			idx, after, ok := strings.Cut(rest, "]")
			i, err := strconv.Atoi(idx)
			for n != nil && n.Kind == yaml.AliasNode {
				n = n.Alias
			}
			if !ok || err != nil || n == nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
				return 0
			}
			n = n.Content[i]
			line = n.Line
			rest = strings.TrimPrefix(after, "[")
		}
		if n == nil {
			return 0
		}
	}
	line += o.off
	if o.LineMap != nil {
		return o.LineMap(line)
	}
	return line
}

// mapKey is the key and value nodes of key in a mapping node, nil when
// absent.
func mapKey(n *yaml.Node, key string) (k, v *yaml.Node) {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// APIVersion, Kind, Name and Namespace read the object's identity ("" when
// absent or not a string).
func (o Object) APIVersion() string { return str(o.Fields["apiVersion"]) }

// Kind returns the object's kind.
func (o Object) Kind() string { return str(o.Fields["kind"]) }

// Name returns metadata.name, or metadata.generateName when it has no name.
func (o Object) Name() string {
	md, _ := o.Fields["metadata"].(map[string]any)
	if n := str(md["name"]); n != "" {
		return n
	}
	return str(md["generateName"])
}

// Namespace returns metadata.namespace.
func (o Object) Namespace() string {
	md, _ := o.Fields["metadata"].(map[string]any)
	return str(md["namespace"])
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// Document is a document of a manifest file: its text and the line of the
// file it starts on.
type Document struct {
	Text []byte
	Line int // 1-based line of the file the text starts on
}

// SplitDocuments splits a YAML stream at its "---" separator lines, as
// kubectl does, so that a document that does not parse leaves the others
// readable. A "..." document end line ends a document too.
func SplitDocuments(data []byte) []Document {
	var docs []Document
	start, startLine, line := 0, 1, 1
	for i := 0; i <= len(data); {
		end := bytes.IndexByte(data[i:], '\n')
		next := len(data) + 1
		if end >= 0 {
			end += i
			next = end + 1
		} else {
			end = len(data)
		}
		l := bytes.TrimRight(data[i:end], " \t\r")
		if bytes.Equal(l, []byte("---")) || bytes.HasPrefix(l, []byte("--- ")) || bytes.Equal(l, []byte("...")) {
			docs = append(docs, Document{Text: data[start:i], Line: startLine})
			start, startLine = min(next, len(data)), line+1
			if bytes.HasPrefix(l, []byte("--- ")) {
				// "--- {a: 1}": the rest of the separator line is content.
				start, startLine = i+4, line
			}
		}
		i = next
		line++
	}
	docs = append(docs, Document{Text: data[start:], Line: startLine})
	return docs
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// parserErrors are the messages of yaml.v3's parser (as opposed to its
// scanner): it reports their line 0-based, the scanner's 1-based.
var parserErrors = []string{
	"did not find expected <document start>", "did not find expected node content", "did not find expected key",
	"did not find expected '-' indicator", "did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found undefined tag handle", "found duplicate %YAML directive", "found incompatible YAML document",
	"found duplicate %TAG directive",
}

// ParseDocument parses one document into its objects: the document's
// object, or each item of a List. file names the input in problems. An
// empty document yields nothing.
func ParseDocument(file string, doc Document) ([]Object, []source.Problem) {
	if len(bytes.TrimSpace(doc.Text)) == 0 {
		return nil, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(doc.Text, &root); err != nil {
		msg := err.Error()
		line := doc.Line
		if m := lineRE.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			msg = msg[len(m[0]):]
			if slices.ContainsFunc(parserErrors, func(p string) bool { return strings.HasPrefix(msg, p) }) {
				n++
			}
			// An error at the end of the stream may be placed past the last line.
			n = min(n, bytes.Count(bytes.TrimRight(doc.Text, "\n"), []byte("\n"))+1)
			line = doc.Line + n - 1
			msg = "yaml: " + msg
		}
		return nil, []source.Problem{{Path: file, Line: line, Err: msg}}
	}
	if root.Kind == 0 || (root.Kind == yaml.DocumentNode && len(root.Content) == 0) {
		return nil, nil // comments only
	}
	n := &root
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	off := doc.Line - 1
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, []source.Problem{{Path: file, Line: n.Line + off, Err: "document is not a mapping (a Kubernetes object)"}}
	}
	c := &converter{}
	v, err := c.value(n, 0)
	if err != nil {
		return nil, []source.Problem{{Path: file, Line: n.Line + off, Err: err.Error()}}
	}
	fields := v.(map[string]any)
	items, isList := fields["items"].([]any)
	if isList && strings.HasSuffix(str(fields["kind"]), "List") {
		itemsNode := mapValue(n, "items")
		var objs []Object
		var probs []source.Problem
		for i, it := range items {
			node := itemsNode.Content[i]
			m, ok := it.(map[string]any)
			if !ok {
				probs = append(probs, source.Problem{Path: file, Line: node.Line + off, Field: fmt.Sprintf("items[%d]", i), Err: "list item is not an object"})
				continue
			}
			objs = append(objs, Object{Fields: m, StartLine: node.Line + off, EndLine: lastLine(node, 0) + off, node: node, off: off})
		}
		return objs, probs
	}
	return []Object{{Fields: fields, StartLine: n.Line + off, EndLine: lastLine(n, 0) + off, node: n, off: off}}, nil
}

// mapValue returns the value node of key in a mapping node (aliases followed).
func mapValue(n *yaml.Node, key string) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			v := n.Content[i+1]
			for v.Kind == yaml.AliasNode {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}

// lastLine is the last line a node's text occupies (aliases are not
// followed: their target's text is elsewhere). A multi-line block scalar
// ends on its last line of text.
func lastLine(n *yaml.Node, depth int) int {
	l := n.Line
	if n.Kind == yaml.ScalarNode && (n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle) {
		l += strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1
	}
	if depth > maxDepth {
		return l
	}
	for _, c := range n.Content {
		if cl := lastLine(c, depth+1); cl > l {
			l = cl
		}
	}
	return l
}

var errTooManyNodes = fmt.Errorf("document expands to more than %d values (a YAML alias bomb?); not read", maxNodes)

// converter turns a node tree into plain values, counting every value it
// builds (aliases at each use) against maxNodes.
type converter struct {
	nodes int
}

func (c *converter) value(n *yaml.Node, depth int) (any, error) {
	c.nodes++
	if c.nodes > maxNodes {
		return nil, errTooManyNodes
	}
	if depth > maxDepth {
		return nil, fmt.Errorf("line %d: document nested deeper than %d levels; not read", n.Line, maxDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, errors.New("alias with no anchor")
		}
		return c.value(n.Alias, depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				// <<: *anchor merges the anchor's keys (those set here win).
				mv, err := c.value(v, depth+1)
				if err != nil {
					return nil, err
				}
				for _, src := range mergeSources(mv) {
					for mk, x := range src {
						if _, set := m[mk]; !set {
							m[mk] = x
						}
					}
				}
				continue
			}
			key := k.Value
			if k.Kind != yaml.ScalarNode {
				kv, err := c.value(k, depth+1)
				if err != nil {
					return nil, err
				}
				key = fmt.Sprint(kv)
			}
			val, err := c.value(v, depth+1)
			if err != nil {
				return nil, err
			}
			m[key] = val
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	}
	return scalar(n), nil
}

func mergeSources(v any) []map[string]any {
	switch v := v.(type) {
	case map[string]any:
		return []map[string]any{v}
	case []any:
		var out []map[string]any
		for _, e := range v {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

// yaml11Bools are the plain scalars YAML 1.1 reads as booleans. kubectl
// and Helm convert YAML with sigs.k8s.io/yaml (YAML 1.1 rules), so an
// unquoted `privileged: yes` is deployed as true.
var yaml11Bools = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false,
}

func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	case "!!str":
		if b, ok := yaml11Bools[n.Value]; ok && n.Style == 0 {
			return b
		}
	}
	return n.Value
}
