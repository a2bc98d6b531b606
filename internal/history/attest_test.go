package history_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/history"
)

func TestAttestations(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		ctx := context.Background()
		for _, tc := range []struct {
			a    compliance.Attestation
			want string
		}{
			{compliance.Attestation{Framework: "soc2", Control: "CC1.1", Status: "passed", By: "ann"}, "unknown status"},
			{compliance.Attestation{Framework: "sox", Control: "CC1.1", Status: "attested", By: "ann"}, "unknown framework"},
			{compliance.Attestation{Framework: "soc2", Control: " ", Status: "attested", By: "ann"}, "needs a control"},
			{compliance.Attestation{Framework: "soc2", Control: "CC1.1", Status: "attested"}, "needs who"},
			{compliance.Attestation{Framework: "soc2", Control: "CC1.1", Status: "attested", By: "ann", Note: strings.Repeat("n", 4001)}, "at most 4000"},
			{compliance.Attestation{Framework: "soc2", Control: "CC1.1", Status: "attested", By: "ann", Expires: day(-1)}, "before now"},
		} {
			if _, err := s.Attest(ctx, tc.a, t0); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%+v: err = %v, want %q", tc.a, err, tc.want)
			}
		}
		first, err := s.Attest(ctx, compliance.Attestation{Framework: "soc2", Control: "CC1.1", Status: "Attested", By: "ann",
			Note: "code of conduct signed", Evidence: "https://wiki.example.com/cc1.1", Expires: day(30)}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if first.ID == 0 || first.Status != compliance.Attested || !first.Date.Equal(t0) || !first.Expires.Equal(day(30)) {
			t.Errorf("stored %+v", first)
		}
		if _, err := s.Attest(ctx, compliance.Attestation{Framework: "soc2", Control: "CC1.2", Status: "not-applicable", By: "bob"}, day(1)); err != nil {
			t.Fatal(err)
		}
		second, err := s.Attest(ctx, compliance.Attestation{Framework: "soc2", Control: "CC1.1", Status: "failed", By: "bob", Note: "lapsed"}, day(2))
		if err != nil {
			t.Fatal(err)
		}
		cur, err := s.Attestations(ctx, history.AttestationQuery{Framework: "soc2"})
		if err != nil {
			t.Fatal(err)
		}
		if len(cur) != 2 || cur[0].ID != second.ID || cur[0].Status != compliance.AttestedFailed || cur[1].Control != "CC1.2" {
			t.Fatalf("current = %+v", cur)
		}
		all, err := s.Attestations(ctx, history.AttestationQuery{Framework: "soc2", Control: "CC1.1", All: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || all[0].ID != second.ID || all[1].ID != first.ID || all[1].Note != "code of conduct signed" ||
			all[1].Evidence != "https://wiki.example.com/cc1.1" || all[1].By != "ann" {
			t.Fatalf("history of CC1.1 = %+v", all)
		}
		as, err := s.CurrentAttestations(ctx, "soc2")
		if err != nil {
			t.Fatal(err)
		}
		if a := as.Find("soc2", "CC1.1"); a == nil || a.Status != compliance.AttestedFailed {
			t.Errorf("current CC1.1 = %+v", a)
		}
		if a := as.Find("soc2", "CC1.2"); a == nil || a.Status != compliance.NotApplicable || !a.Expires.IsZero() {
			t.Errorf("current CC1.2 = %+v", a)
		}
		if other, err := s.CurrentAttestations(ctx, "hipaa"); err != nil || len(other.Items) != 0 {
			t.Errorf("hipaa = %+v, %v", other, err)
		}
	})
}
