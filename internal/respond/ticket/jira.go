package ticket

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/notify"
)

var jira = tracker{
	name: "ticket.jira", service: "jira",
	description: "create a Jira Cloud issue (REST API v3, Atlassian Document Format description) labelled with the subject, unless one is open",
	inputs: []respond.Input{
		{Name: "url", Required: true, Description: "the site's base URL (https://acme.atlassian.net)"},
		{Name: "email", Required: true, Description: "the Atlassian account's email (basic auth user)"},
		{Name: "token", Required: true, Secret: true, Description: "the API token, a secret reference (env:NAME or file:PATH)"},
		{Name: "project", Required: true, Description: "the project key (SEC)"},
		{Name: "issue_type", Description: "the issue type's name (default Task)"},
		{Name: "labels", Description: "more labels, comma-separated (no spaces in a label)"},
		titleInput, textInput,
	},
	plan:    jiraPlan,
	search:  jiraSearch,
	created: jiraCreated,
}

// jiraProject is compiled on first use: its counted repetition builds a
// large program, which every vigil command would pay at start-up.
var jiraProject = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,254}$`) })

func jiraPlan(req *respond.Request, mark string) (*state, error) {
	const name = "ticket.jira"
	base, err := baseURL(req, name, "url", "")
	if err != nil {
		return nil, err
	}
	email, err := required(req, name, "email")
	if err != nil {
		return nil, err
	}
	token, err := notify.SecretRef(req, name, "token", true)
	if err != nil {
		return nil, err
	}
	project, err := required(req, name, "project")
	if err != nil {
		return nil, err
	}
	if !jiraProject().MatchString(project) {
		return nil, fmt.Errorf("%w: %s: input project: %q is not a project key (SEC)", respond.ErrInput, name, project)
	}
	label := "vigil-" + mark
	labels := []string{label}
	for _, l := range list(in(req, "labels")) {
		if strings.ContainsAny(l, " \t") {
			return nil, fmt.Errorf("%w: %s: input labels: Jira labels have no spaces (%q)", respond.ErrInput, name, l)
		}
		labels = append(labels, l)
	}
	title, _ := notify.Message(req)
	body, _ := json.Marshal(map[string]any{"fields": map[string]any{
		"project":     map[string]any{"key": project},
		"issuetype":   map[string]any{"name": cmp.Or(in(req, "issue_type"), "Task")},
		"summary":     clip(strings.Join(strings.Fields(title), " "), 255),
		"description": adf(req),
		"labels":      labels,
	}})
	return &state{Base: base, User: email, Token: token, Marker: label, Scope: project, Path: "/rest/api/3/issue", Body: body,
		Search: "POST /rest/api/3/search/jql " + jiraJQL(project, label)}, nil
}

func jiraJQL(project, label string) string {
	return fmt.Sprintf(`project = %q AND labels = %q AND statusCategory != Done ORDER BY created DESC`, project, label)
}

func jiraSearch(ctx context.Context, c *conn, st *state) (*found, error) {
	q, _ := json.Marshal(map[string]any{"jql": jiraJQL(st.Scope, st.Marker), "fields": []string{"summary"}, "maxResults": 1})
	body, err := c.do(ctx, http.MethodPost, "/rest/api/3/search/jql", q, true, nil)
	if err != nil {
		return nil, err
	}
	var res struct {
		Issues []struct{ ID, Key string } `json:"issues"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fmt.Errorf("ticket.jira: search: %w", err)
	}
	if len(res.Issues) == 0 || res.Issues[0].Key == "" {
		return nil, nil
	}
	i := res.Issues[0]
	return &found{key: i.Key, url: st.Base + "/browse/" + i.Key, id: i.ID}, nil
}

func jiraCreated(st *state, body []byte) (*found, error) {
	var res struct{ ID, Key string }
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, err
	}
	if res.Key == "" {
		return nil, fmt.Errorf("no issue key in %.200s", body)
	}
	return &found{key: res.Key, url: st.Base + "/browse/" + res.Key, id: res.ID}, nil
}

// adf is the description in the Atlassian Document Format: the text's
// paragraphs (single line breaks kept) and a bullet list of the subject's
// fields. ADF has no empty text nodes.
func adf(req *respond.Request) map[string]any {
	_, text := notify.Message(req)
	content := []any{}
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		var nodes []any
		for _, line := range strings.Split(para, "\n") {
			if line = strings.TrimRight(line, " \t"); line == "" {
				continue
			}
			if len(nodes) > 0 {
				nodes = append(nodes, map[string]any{"type": "hardBreak"})
			}
			nodes = append(nodes, map[string]any{"type": "text", "text": line})
		}
		if len(nodes) > 0 {
			content = append(content, map[string]any{"type": "paragraph", "content": nodes})
		}
	}
	if fs := notify.Facts(req.Subject); len(fs) > 0 {
		items := make([]any, len(fs))
		for i, f := range fs {
			items[i] = map[string]any{"type": "listItem", "content": []any{map[string]any{"type": "paragraph", "content": []any{
				map[string]any{"type": "text", "text": f.Name + ": ", "marks": []any{map[string]any{"type": "strong"}}},
				map[string]any{"type": "text", "text": f.Value},
			}}}}
		}
		content = append(content, map[string]any{"type": "bulletList", "content": items})
	}
	return map[string]any{"type": "doc", "version": 1, "content": content}
}
