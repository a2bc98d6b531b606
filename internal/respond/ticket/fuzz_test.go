package ticket

import (
	"encoding/json"
	"testing"
)

// FuzzAnswers feeds the trackers' answers (untrusted: any server may
// answer) to the readers of created tickets: an error or a ticket with a
// key, never a panic.
func FuzzAnswers(f *testing.F) {
	for _, s := range []string{
		`{"id":"10001","key":"SEC-1","self":"https://x/rest/api/3/issue/10001"}`,
		`{"result":{"sys_id":"9d38","number":"INC0010001"}}`,
		`{"number":7,"id":5007,"html_url":"https://github.test/a/b/issues/7"}`,
		`{"result":[]}`, `[]`, `null`, `{"key":""}`, `{"number":"7"}`, `{"result":{"sys_id":1}}`,
	} {
		f.Add([]byte(s))
	}
	st := &state{Base: "https://t.example", Scope: "acme/infra"}
	f.Fuzz(func(t *testing.T, b []byte) {
		for name, read := range map[string]func(*state, []byte) (*found, error){"jira": jiraCreated, "servicenow": snowCreated, "github": githubCreated} {
			got, err := read(st, b)
			if err == nil && (got == nil || got.key == "") {
				t.Errorf("%s: %q read as %+v", name, b, got)
			}
			if err == nil && !json.Valid(b) {
				t.Errorf("%s: invalid JSON %q accepted", name, b)
			}
		}
	})
}
