package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-cty-funcs/cidr"
	"github.com/hashicorp/go-cty-funcs/crypto"
	"github.com/hashicorp/go-cty-funcs/encoding"
	"github.com/hashicorp/go-cty-funcs/filesystem"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// baseFuncs are Terraform's built-in functions that cty's library
// implements, under Terraform's names. Functions it does not know are
// given unknownFunc when an expression calls them (see funcsFor), so their
// results are unknown rather than errors.
func baseFuncs() map[string]function.Function {
	return map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc, "log": stdlib.LogFunc,
		"max": stdlib.MaxFunc, "min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc,
		"signum": stdlib.SignumFunc,
		"chomp":  stdlib.ChompFunc, "format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
		"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc,
		"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "replace": stdlib.ReplaceFunc,
		"split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc, "title": stdlib.TitleFunc,
		"trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc,
		"trimspace": stdlib.TrimSpaceFunc,
		"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc,
		"compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc,
		"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc,
		"keys": stdlib.KeysFunc, "length": stdlib.LengthFunc, "lookup": stdlib.LookupFunc, "merge": stdlib.MergeFunc,
		"range": stdlib.RangeFunc, "reverse": stdlib.ReverseListFunc, "setintersection": stdlib.SetIntersectionFunc,
		"setproduct": stdlib.SetProductFunc, "setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
		"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
		"csvdecode": stdlib.CSVDecodeFunc, "jsondecode": stdlib.JSONDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc,
		"formatdate": stdlib.FormatDateFunc, "timeadd": stdlib.TimeAddFunc,
		"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tobool": stdlib.MakeToFunc(cty.Bool), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"try": markedTry, "can": tryfunc.CanFunc,
		"base64encode": encoding.Base64EncodeFunc, "base64decode": encoding.Base64DecodeFunc,
		"urlencode": encoding.URLEncodeFunc,
		"cidrhost":  cidr.HostFunc, "cidrnetmask": cidr.NetmaskFunc, "cidrsubnet": cidr.SubnetFunc,
		"cidrsubnets": cidr.SubnetsFunc,
		"md5":         crypto.Md5Func, "sha1": crypto.Sha1Func, "sha256": crypto.Sha256Func, "sha512": crypto.Sha512Func,
		"basename": filesystem.BasenameFunc, "dirname": filesystem.DirnameFunc,
	}
}

// markedTry is HCL's try(), whose result is unknown as a whole when its
// first succeeding argument is partly unknown; here that unknown keeps
// the argument's marks (refMark), so try(aws_s3_bucket.this[0].id, "")
// still names the bucket.
var markedTry = function.New(&function.Spec{
	VarParam: tryfunc.TryFunc.VarParam(),
	Type: func(args []cty.Value) (cty.Type, error) {
		return tryfunc.TryFunc.ReturnTypeForValues(args)
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, err := tryfunc.TryFunc.Call(args)
		if err != nil || v.IsWhollyKnown() || v.ContainsMarked() {
			return v, err
		}
		for _, arg := range args {
			a, diags := customdecode.ExpressionClosureFromVal(arg).Value()
			if diags.HasErrors() {
				continue
			}
			if !a.IsWhollyKnown() {
				_, marks := a.UnmarkDeep()
				return v.WithMarks(marks), nil
			}
			break
		}
		return v, nil
	},
})

// unknownFunc stands for a function vigil does not evaluate (a provider's
// function, one of a later Terraform): any arguments, an unknown result.
var unknownFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true},
	Type:     function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.DynamicVal, nil
	},
})

// funcsFor returns base plus unknownFunc for every function expr calls
// that base lacks (provider functions provider::x::y included).
func funcsFor(base map[string]function.Function, exprs ...hcl.Expression) map[string]function.Function {
	var missing []string
	for _, e := range exprs {
		se, ok := e.(hclsyntax.Expression)
		if !ok {
			continue
		}
		_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
			if c, ok := n.(*hclsyntax.FunctionCallExpr); ok {
				if _, known := base[c.Name]; !known {
					missing = append(missing, c.Name)
				}
			}
			return nil
		})
	}
	if len(missing) == 0 {
		return base
	}
	out := make(map[string]function.Function, len(base)+len(missing))
	for k, v := range base {
		out[k] = v
	}
	for _, n := range missing {
		out[n] = unknownFunc
	}
	return out
}

// maxReadFileBytes bounds what file() and friends read.
const maxReadFileBytes = 1 << 20

// withFileFuncs returns funcs plus file, filebase64 and fileexists for the
// root module whose directory on disk is dir, reading only regular files
// under root (the scanned tree): a configuration under scan cannot make
// vigil read the host's files. Paths are relative to the root module's
// directory, as Terraform resolves them (path.module gives module-relative
// ones).
func withFileFuncs(funcs map[string]function.Function, root, dir string) map[string]function.Function {
	out := make(map[string]function.Function, len(funcs)+3)
	for k, v := range funcs {
		out[k] = v
	}
	guard := func(p string) (string, error) {
		if filepath.IsAbs(p) {
			return "", fmt.Errorf("%s: an absolute path is not read by vigil", p)
		}
		full := filepath.Join(dir, filepath.FromSlash(p))
		rel, err := filepath.Rel(root, full)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", fmt.Errorf("%s: outside the scanned tree, not read", p)
		}
		st, err := os.Stat(full)
		if err == nil && st.Size() > maxReadFileBytes {
			return "", fmt.Errorf("%s: larger than %d KiB, not read", p, maxReadFileBytes>>10)
		}
		return full, nil
	}
	wrap := func(name string, ret cty.Type, inner function.Function) {
		out[name] = function.New(&function.Spec{
			Params: []function.Parameter{{Name: "path", Type: cty.String}},
			Type:   function.StaticReturnType(ret),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				full, err := guard(args[0].AsString())
				if err != nil {
					return cty.UnknownVal(ret), fmt.Errorf("%s: %w", name, err)
				}
				return inner.Call([]cty.Value{cty.StringVal(full)})
			},
		})
	}
	wrap("file", cty.String, filesystem.MakeFileFunc("", false))
	wrap("filebase64", cty.String, filesystem.MakeFileFunc("", true))
	wrap("fileexists", cty.Bool, filesystem.MakeFileExistsFunc(""))
	// The functions a template may call: these, without templatefile
	// itself (Terraform refuses a template calling it).
	inner := make(map[string]function.Function, len(out))
	for k, v := range out {
		inner[k] = v
	}
	out["templatefile"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return templateFile(guard, inner, args[0].AsString(), args[1])
		},
	})
	return out
}

// templateFile renders the template at path (checked by guard) with vars,
// as Terraform's templatefile(): the template sees only vars and the
// functions; a value known only after apply makes the result unknown.
func templateFile(guard func(string) (string, error), funcs map[string]function.Function, p string, vars cty.Value) (cty.Value, error) {
	full, err := guard(p)
	if err != nil {
		return cty.DynamicVal, fmt.Errorf("templatefile: %w", err)
	}
	src, err := os.ReadFile(full)
	if err != nil {
		return cty.DynamicVal, fmt.Errorf("templatefile: %w", err)
	}
	expr, diags := hclsyntax.ParseTemplate(src, p, hcl.Pos{Line: 1, Column: 1, Byte: 0})
	if diags.HasErrors() {
		return cty.DynamicVal, fmt.Errorf("templatefile: %s", diags.Error())
	}
	ty := vars.Type()
	if vars.IsNull() || !(ty.IsObjectType() || ty.IsMapType()) {
		return cty.DynamicVal, fmt.Errorf("templatefile: vars must be an object or a map, not %s", ty.FriendlyName())
	}
	vals := map[string]cty.Value{}
	for k, v := range vars.AsValueMap() {
		vals[k] = v
	}
	v, diags := expr.Value(&hcl.EvalContext{Variables: vals, Functions: funcsFor(funcs, expr)})
	if diags.HasErrors() {
		return cty.DynamicVal, fmt.Errorf("templatefile: %s", diags.Error())
	}
	return v, nil
}
