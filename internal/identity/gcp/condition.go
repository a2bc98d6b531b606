package gcpiam

import (
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
)

// conditions decides IAM conditions (CEL) with what the inventory knows of
// a request: resource.type and resource.service, when the permission acts
// on the asked resource itself (storage.buckets.get on a bucket, not
// storage.objects.get on one, whose request names an object). Everything
// else (resource.name, tags, request.time, api attributes) is unknown, and
// cel-go's partial evaluation says whether the answer depends on it.
type conditions struct {
	env  *cel.Env
	mu   sync.Mutex
	prgs map[string]cel.Program // nil value: the expression did not compile
	memo map[[3]string]outcome
}

type outcome uint8

const (
	undecided outcome = iota
	holds
	fails
)

// unknowns are the attributes never known from an inventory.
var unknowns = []*cel.AttributePatternType{
	cel.AttributePattern("request"), cel.AttributePattern("api"), cel.AttributePattern("destination"),
	cel.AttributePattern("origin"), cel.AttributePattern("source"), cel.AttributePattern("resource").QualString("name"),
}

func newConditions() *conditions {
	env, err := cel.NewEnv(
		cel.Variable("resource", cel.MapType(cel.StringType, cel.DynType)),
		cel.Variable("request", cel.DynType), cel.Variable("api", cel.DynType), cel.Variable("destination", cel.DynType),
		cel.Variable("origin", cel.DynType), cel.Variable("source", cel.DynType),
	)
	if err != nil {
		return nil // the environment is fixed: cannot fail; every condition then stays conditional
	}
	return &conditions{env: env, prgs: map[string]cel.Program{}, memo: map[[3]string]outcome{}}
}

// decide evaluates expr for a request on a resource of type typ (""
// when not known) in service svc.
func (c *conditions) decide(expr, typ, svc string) outcome {
	if c == nil {
		return undecided
	}
	key := [3]string{expr, typ, svc}
	c.mu.Lock()
	defer c.mu.Unlock()
	if o, ok := c.memo[key]; ok {
		return o
	}
	prg, ok := c.prgs[expr]
	if !ok {
		if ast, iss := c.env.Compile(expr); iss == nil || iss.Err() == nil {
			prg, _ = c.env.Program(ast, cel.EvalOptions(cel.OptPartialEval))
		}
		c.prgs[expr] = prg
	}
	o := undecided
	if prg != nil {
		res := map[string]any{}
		pats := unknowns
		if typ != "" {
			res["type"], res["service"] = typ, svc
		} else {
			pats = append(append([]*cel.AttributePatternType(nil), unknowns...), cel.AttributePattern("resource"))
		}
		if vars, err := cel.PartialVars(map[string]any{"resource": res}, pats...); err == nil {
			if out, _, err := prg.Eval(vars); err == nil {
				switch out {
				case types.True:
					o = holds
				case types.False:
					o = fails
				}
			}
		}
	}
	c.memo[key] = o
	return o
}

// requestType returns the resource type and service IAM conditions see for
// permission on a resource of the inventory type typ: typ itself when the
// permission's collection names that type (buckets for
// storage.googleapis.com/Bucket), else "" (the request is on another
// resource, a child such as an object of the bucket).
func requestType(permission, typ string) (string, string) {
	svc, kind, ok := strings.Cut(typ, "/")
	if !ok || strings.Contains(kind, "/") {
		return "", ""
	}
	parts := strings.Split(permission, ".")
	if len(parts) != 3 {
		return "", ""
	}
	if strings.EqualFold(parts[1], kind+"s") || strings.EqualFold(parts[1], kind) {
		return typ, svc
	}
	return "", ""
}
