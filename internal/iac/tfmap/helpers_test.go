package tfmap_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/iac/tfmap"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/source"
)

// res builds an instance of a managed resource in main.tf.
func res(typ, name string, attrs map[string]any) tfmap.Instance {
	addr := typ + "." + name
	return tfmap.Instance{Type: typ, Name: name, Address: addr, Mode: "managed", Attrs: attrs,
		Location: resource.Location{File: "main.tf", StartLine: 1, EndLine: 5, Address: addr}}
}

// ref is a value known only after apply referring to the given addresses.
func ref(addrs ...string) tfmap.Unknown { return tfmap.Unknown{Refs: addrs} }

// blk is a nested block list.
func blk(objs ...map[string]any) []any {
	out := make([]any, len(objs))
	for i, o := range objs {
		out[i] = o
	}
	return out
}

type obj = map[string]any

// mapped maps the instances and returns the resources by address.
func mapped(t *testing.T, insts ...tfmap.Instance) (map[string]*resource.Resource, map[string]string, []source.Problem) {
	t.Helper()
	rs, ids, probs := tfmap.Map(context.Background(), insts)
	unsupported := map[string]string{}
	for id, typ := range ids {
		if !strings.HasPrefix(id, ".:") {
			t.Errorf("unsupported %s is not a resource ID of main.tf's root", id)
		}
		unsupported[strings.TrimPrefix(id, ".:")] = typ
	}
	out := map[string]*resource.Resource{}
	for _, r := range rs {
		if r.Location == nil {
			t.Fatalf("%s has no location", r.ID)
		}
		k := r.Location.Address
		for i := 2; out[k] != nil; i++ {
			k = fmt.Sprintf("%s#%d", r.Location.Address, i) // a second binding of a google_*_iam_binding
		}
		out[k] = r
	}
	return out, unsupported, probs
}

func tfmapMap(t *testing.T, insts ...tfmap.Instance) ([]*resource.Resource, map[string]string, []source.Problem) {
	t.Helper()
	return tfmap.Map(context.Background(), insts)
}

// factsJSON renders a resource's facts as compact JSON, for comparing.
func factsJSON(t *testing.T, r *resource.Resource) string {
	t.Helper()
	if r == nil {
		return "<no resource>"
	}
	b, err := json.Marshal(r.Facts)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	engineOnce sync.Once
	engine     *policy.Engine
	engineErr  error
)

func builtinEngine(t testing.TB) *policy.Engine {
	t.Helper()
	engineOnce.Do(func() {
		engine, engineErr = policy.New(context.Background(), []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	})
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return engine
}

// judge maps the instances, scans the resources with the built-in rules
// through scan.Run, and returns "rule address" → status.
func judge(t *testing.T, insts ...tfmap.Instance) map[string]string {
	t.Helper()
	rs, _, _ := tfmap.Map(context.Background(), insts)
	src := source.Resources("terraform", rs)
	res, err := scan.Run(context.Background(), builtinEngine(t), scan.Options{Sources: []source.Source{src},
		Logger: slog.New(slog.DiscardHandler), Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return statuses(res.Report.Findings)
}

func statuses(fs []finding.Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		addr := f.Resource.ID
		if f.Resource.Location != nil {
			addr = f.Resource.Location.Address
		}
		out[f.RuleID+" "+addr] = string(f.Status)
	}
	return out
}

func keysOf(m map[string]string) string {
	ks := make([]string, 0, len(m))
	for k, v := range m {
		ks = append(ks, k+"="+v)
	}
	sort.Strings(ks)
	return strings.Join(ks, "\n")
}
