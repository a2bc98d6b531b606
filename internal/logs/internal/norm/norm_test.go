package norm

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

// verbLowered is Verb as it was before ASCII names were compared in place:
// the name lowered, then its prefixes.
func verbLowered(op string) int {
	if i := strings.LastIndexAny(op, "./"); i >= 0 {
		op = op[i+1:]
	}
	l := strings.ToLower(op)
	for _, p := range verbPrefixes {
		if strings.HasPrefix(l, p.prefix) {
			return p.id
		}
	}
	return ocsf.APIOther
}

func TestVerbSameAsLowered(t *testing.T) {
	names := []string{"GetObject", "ListBuckets", "DESCRIBEINSTANCES", "v1.compute.instances.insert", "google.iam.admin.v1.CreateServiceAccountKey",
		"PutBucketPolicy", "TagResource", "Untag", "x", "", "Get", "Ge", "ſet", "ſcanItems", "GetÉ", "Ünknown", "KILL", "\u212Aeep", "ÄddUser",
		"batchGetItem", "Microsoft.Storage/storageAccounts/delete", "a/b.c/Delete"}
	for _, n := range names {
		if got, want := Verb(n), verbLowered(n); got != want {
			t.Errorf("Verb(%q) = %d, want %d", n, got, want)
		}
	}
	if Verb("GetObject") != ocsf.APIRead || Verb("DeleteBucket") != ocsf.APIDelete || Verb("Frobnicate") != ocsf.APIOther {
		t.Fatal("verbs not classified")
	}
}

func FuzzVerb(f *testing.F) {
	f.Add("GetObject")
	f.Add("ſcan")
	f.Fuzz(func(t *testing.T, op string) {
		if got, want := Verb(op), verbLowered(op); got != want {
			t.Fatalf("Verb(%q) = %d, want %d", op, got, want)
		}
	})
}
