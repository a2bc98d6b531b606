package cloudformation

import (
	"reflect"
	"strings"
	"testing"
)

const evalTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>", Default: "subnet-a,subnet-b"}
  NoDefault: {Type: String}
  FromSSM: {Type: "AWS::SSM::Parameter::Value<String>", Default: /path}
Mappings:
  Sizes:
    prod: {Instance: m5.large}
Conditions:
  IsProd: !Equals [prod, !Ref Env]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition IsDev, IsProd]
  Unknown: !Equals [!Ref NoDefault, x]
Resources:
  R:
    Type: AWS::S3::Bucket
`

func evalOf(t *testing.T, expr string, opts Options) (any, []string) {
	t.Helper()
	tm, perrs := parse("e.yaml", []byte(evalTemplate+"    Properties:\n      V: "+expr+"\n"))
	if len(perrs) > 0 {
		t.Fatalf("%s: %v", expr, perrs[0].msg)
	}
	e := newEvaluator(tm, opts)
	v := e.eval(tm.resources[0].props["V"], 0)
	return v, e.drain()
}

func TestIntrinsics(t *testing.T) {
	for _, c := range []struct {
		expr string
		want any
	}{
		{`!Ref Env`, "prod"},
		{`!Sub "${Env}-${AWS::Region}"`, "prod-eu-west-1"},
		{`!Sub ["${A}-${Env}", {A: !Ref Env}]`, "prod-prod"},
		{`!Sub "${!Literal}-x"`, "${Literal}-x"},
		{`!Join [",", [a, !Ref Env, !Select [1, !Ref Subnets]]]`, "a,prod,subnet-b"},
		{`!Select [0, !Split ["/", "a/b/c"]]`, "a"},
		{`!FindInMap [Sizes, !Ref Env, Instance]`, "m5.large"},
		{`!FindInMap [Sizes, dev, Instance, {DefaultValue: t3.micro}]`, "t3.micro"},
		{`!If [IsProd, yes, no]`, "yes"},
		{`!If [IsDev, yes, no]`, "no"},
		{`!If [Both, 1, 2]`, int64(1)},
		{`!If [Either, 1, 2]`, int64(1)},
		{`!Base64 abc`, "YWJj"},
		{`!Equals [!Ref Env, prod]`, true},
		{`[a, !Ref AWS::NoValue, b]`, []any{"a", "b"}},
		{`{"Fn::Join": ["-", ["x", {"Ref": "Env"}]]}`, "x-prod"},
		{`!Length [a, b, c]`, int64(3)},
		{`!ToJsonString {a: !Ref Env}`, `{"a":"prod"}`},
		{`{Condition: {Bool: x}}`, map[string]any{"Condition": map[string]any{"Bool": "x"}}},
	} {
		got, probs := evalOf(t, c.expr, Options{Region: "eu-west-1"})
		if len(probs) > 0 {
			t.Errorf("%s: problems %v", c.expr, probs)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.expr, got, c.want)
		}
	}
}

func TestUnknowns(t *testing.T) {
	for _, c := range []struct {
		expr string
		refs []string
		open bool
	}{
		{`!Ref R`, []string{"R"}, false},
		{`!GetAtt R.Arn`, []string{"R"}, false},
		{`!Sub "${R.Arn}/*"`, []string{"R"}, false},
		{`!Join ["", [!GetAtt R.Arn, "/*"]]`, []string{"R"}, false},
		{`!Ref NoDefault`, nil, true},
		{`!Ref FromSSM`, nil, true},
		{`!Ref AWS::AccountId`, nil, true},
		{`!If [Unknown, !Ref R, x]`, []string{"R"}, true},
		{`!ImportValue shared`, nil, true},
		{`!Select [0, !GetAZs ""]`, nil, true},
	} {
		got, probs := evalOf(t, c.expr, Options{})
		if len(probs) > 0 {
			t.Errorf("%s: problems %v", c.expr, probs)
		}
		u, ok := got.(*unknown)
		if !ok {
			t.Errorf("%s = %#v, want unknown", c.expr, got)
			continue
		}
		if !reflect.DeepEqual(u.refs, c.refs) || u.open != c.open {
			t.Errorf("%s: refs %v open %v, want %v %v", c.expr, u.refs, u.open, c.refs, c.open)
		}
	}
	// The same condition with the parameter given is decided.
	got, _ := evalOf(t, `!If [Unknown, a, b]`, Options{Parameters: map[string]string{"NoDefault": "x"}})
	if got != "a" {
		t.Errorf("given parameter: %#v", got)
	}
}

func TestIntrinsicProblems(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`!Join [x]`, "Fn::Join takes a list of 2 arguments"},
		{`!Select [5, [a]]`, "index 5 is out of the list of 1"},
		{`!FindInMap [Sizes, dev, Instance]`, "Sizes has no dev/Instance"},
		{`!Ref Nothing`, "neither a parameter nor a resource"},
		{`!GetAtt Nothing.Arn`, "not a resource of the template"},
		{`!If [Missing, a, b]`, "condition \"Missing\" is not defined"},
		{`!Frobnicate x`, "Fn::Frobnicate is not a CloudFormation intrinsic function"},
		{`!Sub ["${A}", [x]]`, "the variables are a list of 1, not a mapping"},
	} {
		got, probs := evalOf(t, c.expr, Options{})
		if _, isU := got.(*unknown); !isU {
			t.Errorf("%s = %#v, want unknown", c.expr, got)
		}
		if len(probs) == 0 || !strings.Contains(strings.Join(probs, "; "), c.want) {
			t.Errorf("%s: problems %v, want %q", c.expr, probs, c.want)
		}
	}
}
