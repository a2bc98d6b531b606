package arm

import (
	"strings"
	"testing"
)

// evalString evaluates one expression string in a small template.
func evalString(t *testing.T, s string) (any, []string) {
	t.Helper()
	data := []byte(`{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "name": {"type": "string", "defaultValue": "Vigil"},
    "count": {"type": "int", "defaultValue": 3},
    "list": {"type": "array", "defaultValue": ["a", "b", "c"]},
    "obj": {"type": "object", "defaultValue": {"a": {"x": 1}, "b": 2}},
    "unset": {"type": "string"},
    "optional": {"type": "string", "nullable": true}
  },
  "variables": {
    "v": "[concat(parameters('name'), '-v')]",
    "w": "[variables('v')]",
    "self": "[variables('self')]",
    "copy": [{"name": "items", "count": 2, "input": "[concat('item', copyIndex('items'))]"}]
  },
  "functions": [{"namespace": "ns", "members": {"twice": {"parameters": [{"name": "x", "type": "int"}],
    "output": {"type": "int", "value": "[mul(parameters('x'), 2)]"}}}}],
  "resources": []
}`)
	f := &fileState{file: "t.json", ls: newLines(data), exprs: map[string]expr{}}
	root, err := decode(data)
	if err != nil {
		t.Fatal(err)
	}
	tp := newTemplate(f, root, &deployCtx{})
	v := tp.scope().value(&jnode{kind: jString, str: s}, "", "", false)
	var probs []string
	for _, p := range f.probs {
		probs = append(probs, p.Err)
	}
	return v, probs
}

func TestExpressions(t *testing.T) {
	cases := []struct {
		expr string
		want any // unk for unknown
	}{
		{"plain", "plain"},
		{"[]", "[]"},
		{"[[not an expression]", "[not an expression]"},
		{"[parameters('name')]", "Vigil"},
		{"[parameters('NAME')]", "Vigil"},
		{"[variables('w')]", "Vigil-v"},
		{"[variables('items')[1]]", "item1"},
		{"[toLower(concat(parameters('name'), 'X'))]", "vigilx"},
		{"[toUpper('abc')]", "ABC"},
		{"[format('{0}-{1}-{{x}}', parameters('name'), parameters('count'))]", "Vigil-3-{x}"},
		{"[string(parameters('count'))]", "3"},
		{"[format('vm{0:D3}', parameters('count'))]", "vm003"},
		{"[string(true)]", "True"},
		{"[int('42')]", int64(42)},
		{"[bool('true')]", true},
		{"[if(equals(parameters('count'), 3), 'yes', 'no')]", "yes"},
		{"[if(true, 'a', fail())]", "a"},
		{"[and(true, not(false), or(false, true))]", true},
		{"[empty('')]", true},
		{"[empty(parameters('list'))]", false},
		{"[contains(parameters('list'), 'b')]", true},
		{"[contains(parameters('obj'), 'B')]", true},
		{"[contains('abc', 'bc')]", true},
		{"[length(union(parameters('list'), createArray('c', 'd')))]", int64(4)},
		{"[union(parameters('obj'), createObject('a', createObject('y', 2))).a.y]", int64(2)},
		{"[union(parameters('obj'), createObject('a', createObject('y', 2))).a.x]", int64(1)},
		{"[parameters('obj').a.x]", int64(1)},
		{"[parameters('obj')['b']]", int64(2)},
		{"[add(1, mul(2, 3))]", int64(7)},
		{"[div(7, 2)]", int64(3)},
		{"[mod(7, 2)]", int64(1)},
		{"[greater(2, 1)]", true},
		{"[lessOrEquals('a', 'b')]", true},
		{"[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'sn')]",
			"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sn"},
		{"[resourceId('other-rg', 'Microsoft.Storage/storageAccounts', parameters('unset'))]",
			"/subscriptions/{subscriptionId}/resourceGroups/other-rg/providers/Microsoft.Storage/storageAccounts/{unset}"},
		{"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'r')]",
			"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/r"},
		{"[extensionResourceId('/x', 'Microsoft.Authorization/locks', 'l')]", "/x/providers/Microsoft.Authorization/locks/l"},
		{"[resourceGroup().id]", "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}"},
		{"[resourceGroup().location]", unk},
		{"[subscription().subscriptionId]", unk},
		{"[uniqueString(resourceGroup().id)]", unk},
		{"[reference('x').primaryEndpoints.blob]", unk},
		{"[listKeys('x', '2020-01-01').keys[0].value]", unk},
		{"[parameters('unset')]", unk},
		{"[coalesce(parameters('optional'), 'fallback')]", "fallback"},
		{"[concat('a', parameters('unset'))]", unk},
		{"[createArray('a', parameters('unset'))]", []any{"a", unk}},
		{"[and(false, parameters('unset'))]", false},
		{"[or(equals(parameters('unset'), 'x'), true)]", true},
		{"[if(equals(parameters('unset'), 'x'), 'same', 'same')]", "same"},
		{"[if(equals(parameters('unset'), 'x'), 'a', 'b')]", unk},
		{"[coalesce(null(), 'x')]", "x"},
		{"[ns.twice(21)]", int64(42)},
		{"[map(parameters('list'), lambda('x', toUpper(lambdaVariables('x'))))]", []any{"A", "B", "C"}},
		{"[filter(range(0, 5), lambda('i', greater(lambdaVariables('i'), 2)))]", []any{int64(3), int64(4)}},
		{"[reduce(range(1, 4), 0, lambda('acc', 'x', add(lambdaVariables('acc'), lambdaVariables('x'))))]", int64(10)},
		{"[join(split('a,b,c', ','), '-')]", "a-b-c"},
		{"[replace('a-b', '-', '+')]", "a+b"},
		{"[substring('abcdef', 2, 3)]", "cde"},
		{"[first(parameters('list'))]", "a"},
		{"[last('xyz')]", "z"},
		{"[take(parameters('list'), 2)]", []any{"a", "b"}},
		{"[skip(parameters('list'), 2)]", []any{"c"}},
		{"[indexOf('abc', 'C')]", int64(2)},
		{"[startsWith('Microsoft', 'micro')]", true},
		{"[padLeft('7', 3, '0')]", "007"},
		{"[length(padLeft('7', 100000))]", int64(100000)},
		{"[base64('hi')]", "aGk="},
		{"[json('{\"a\": [1, 2]}').a[1]]", int64(2)},
		{"[items(parameters('obj'))[1].key]", "b"},
		{"[tryGet(parameters('obj'), 'missing')]", nil},
		{"[max(3, 9, 2)]", int64(9)},
		{"[intersection(parameters('list'), createArray('b', 'z'))]", []any{"b"}},
		{"[mapValues(parameters('obj'), lambda('v', string(lambdaVariables('v')))).b]", "2"},
		{"[length(groupBy(createArray('ab', 'ac', 'b'), lambda('x', first(lambdaVariables('x')))).a)]", int64(2)},
		{"[parseCidr('10.144.0.0/20').lastUsable]", "10.144.15.254"},
		{"[parseCidr('10.144.0.0/20').netmask]", "255.255.240.0"},
		{"[parseCidr('fdad:3236:5555::/48').lastUsable]", "fdad:3236:5555:ffff:ffff:ffff:ffff:ffff"},
		{"[cidrSubnet('10.144.0.0/20', 24, 3)]", "10.144.3.0/24"},
		{"[cidrSubnet('fdad:3236:5555::/48', 52, 1)]", "fdad:3236:5555:1000::/52"},
		{"[cidrHost('10.144.3.0/24', 4)]", "10.144.3.5"},
	}
	for _, c := range cases {
		got, probs := evalString(t, c.expr)
		if len(probs) > 0 {
			t.Errorf("%s: problems %v", c.expr, probs)
			continue
		}
		if isUnknown(c.want) {
			if !isUnknown(got) {
				t.Errorf("%s = %#v, want unknown", c.expr, got)
			}
			continue
		}
		if (c.want == nil) != (got == nil) || c.want != nil && toJSON(got) != toJSON(c.want) {
			t.Errorf("%s = %#v, want %#v", c.expr, got, c.want)
		}
	}
}

// Expressions that fail are problems naming the expression, and unknown.
func TestExpressionErrors(t *testing.T) {
	for _, c := range []struct{ expr, msg string }{
		{"[concat('a']", "does not parse"},
		{"[parameters('missing')]", `no parameter "missing"`},
		{"[variables('self')]", "refers to itself"},
		{"[nosuchfunction(1)]", "unknown function nosuchfunction"},
		{"[div(1, 0)]", "division by zero"},
		{"[parameters('list')[7]]", "out of range"},
		{"[parameters('obj').nothing]", `no property "nothing"`},
		{"['unterminated]", "unterminated string"},
		{"[copyIndex()]", "outside a copy loop"},
		{"[if(1, 2, 3)]", "condition is a int"},
		{"[toLower(1)]", "the argument is a int"},
		{"[" + strings.Repeat("concat(", 500) + "'x'" + strings.Repeat(")", 500) + "]", "nested deeper"},
		{"[range(0, 100000000)]", "out of 0..100000"},
		{"[cidrSubnet('10.0.0.0/24', 26, 4)]", "beyond the subnets"},
		{"[substring('abc', 4611686018427387904, 4611686018427387904)]", "out of the string"},
	} {
		got, probs := evalString(t, c.expr)
		if !isUnknown(got) {
			t.Errorf("%s = %#v, want unknown", clip(c.expr), got)
		}
		if len(probs) != 1 || !strings.Contains(probs[0], c.msg) {
			t.Errorf("%s: problems %q, want one with %q", clip(c.expr), probs, c.msg)
		}
	}
}
