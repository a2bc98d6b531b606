package server

import (
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
)

// rowsTemplate is the explorer's table body as the template wrote it
// before findingRows; findingRows must write the same bytes.
const rowsTemplate = `{{$pg := .}}{{with .Data}}{{range .Findings}}<tr>
<td class="sev {{lower .Severity}}">{{.Severity}}</td>
<td class="state">{{.State}}{{with .Suppression}}<div class="id">{{.Reason}} ({{.Owner}}{{with .Expires}}{{if not .IsZero}}, until {{when .}}{{end}}{{end}})</div>{{end}}</td>
<td><a href="/findings/{{.ID}}">{{.RuleID}}</a><div class="id">{{.Title}}</div></td>
<td>{{.Provider}}</td>
<td>{{.Account}}</td>
<td>{{.ResourceName}}<div class="id">{{.ResourceID}}</div></td>
<td>{{.Message}}</td>
<td>{{when .FirstSeen}}</td>
<td>{{when .LastSeen}}</td>
{{if $pg.Mute}}<td>{{if or (eq .State "new") (eq .State "open") (eq .State "reopened")}}<details><summary>Mute</summary>
<form method="post" action="/findings/mute" class="mute">
<input type="hidden" name="csrf" value="{{$pg.CSRF}}">
<input type="hidden" name="source" value="{{.Source}}">
<input type="hidden" name="rule" value="{{.RuleID}}">
<input type="hidden" name="resource" value="{{.ResourceID}}">
<input type="hidden" name="back" value="{{$.Data.Back}}">
<label>Reason <input name="reason" required maxlength="2000"></label>
<label>Expires <input name="expires" type="date"></label>
<button type="submit">Mute</button>
</form></details>{{end}}</td>{{end}}
</tr>
{{else}}<tr><td colspan="10">No finding matches.</td></tr>{{end}}{{end}}`

func TestFindingRowsMatchTemplate(t *testing.T) {
	tm := template.Must(template.New("rows").Funcs(funcs()).Parse(rowsTemplate))
	at := time.Date(2026, 11, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	nasty := "<script>alert(1)</script>\"><img src=x onerror=alert(1)> & 'q' + \x00 \xff\xfe é ﷐ \uFFFF"
	fs := []history.Finding{
		{ID: 1, Source: "org", RuleID: "r1", Title: "t", Severity: finding.Critical, Provider: "aws", ResourceID: "arn:1",
			ResourceName: "b", Account: "1", Message: "m", State: history.StateNew, FirstSeen: &at, LastSeen: &at},
		{ID: 1 << 62, Source: nasty, RuleID: nasty, Title: nasty, Severity: finding.Severity(nasty), Provider: nasty, ResourceID: nasty,
			ResourceName: nasty, Account: nasty, Message: nasty, State: history.StateOpen, FirstSeen: &time.Time{}},
		{ID: 3, RuleID: "r3", Severity: finding.Low, State: history.StateSuppressed,
			Suppression: &history.Suppression{Reason: nasty, Owner: nasty, Expires: at}},
		{ID: 4, RuleID: "r4", Severity: finding.High, State: history.StateSuppressed, Suppression: &history.Suppression{Reason: "r", Owner: "o"}},
		{ID: 5, RuleID: "r5", Severity: finding.Info, State: history.StateReopened, LastSeen: &at},
		{ID: 6, RuleID: "r6", Severity: finding.Medium, State: history.StateResolved},
		{ID: 7, RuleID: "r7", Severity: finding.Medium, State: ""},
	}
	for _, c := range []struct {
		name string
		fs   []history.Finding
		mute bool
	}{{"viewer", fs, false}, {"analyst", fs, true}, {"empty", nil, true}} {
		t.Run(c.name, func(t *testing.T) {
			back := "/findings?rule=" + nasty
			var want strings.Builder
			pg := page{Mute: c.mute, CSRF: "csrf\"<x>", Data: findingsView{Findings: c.fs, Back: back}}
			if err := tm.Execute(&want, pg); err != nil {
				t.Fatal(err)
			}
			got := string(findingRows(c.fs, c.mute, pg.CSRF, back))
			if got != want.String() {
				t.Errorf("findingRows differs from the template:\n got %q\nwant %q", got, want.String())
			}
			if strings.Contains(got, "<script>") || strings.Contains(got, "<img") {
				t.Errorf("unescaped markup in %q", got)
			}
		})
	}
}
