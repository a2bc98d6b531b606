package ticket

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/notify"
)

var gitHub = tracker{
	name: "ticket.github", service: "github",
	description: "open a GitHub issue labelled with the subject (vigil:HASH, the subject's id in a comment of the body), unless one is open",
	inputs: []respond.Input{
		{Name: "repo", Required: true, Description: "the repository, OWNER/NAME"},
		{Name: "token", Required: true, Secret: true, Description: "a token allowed to write issues, a secret reference (env:NAME or file:PATH)"},
		{Name: "api_url", Description: "the REST API's base URL (default https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3)"},
		{Name: "labels", Description: "more labels, comma-separated"},
		{Name: "assignees", Description: "logins to assign, comma-separated"},
		titleInput, textInput,
	},
	plan:    githubPlan,
	search:  githubSearch,
	created: githubCreated,
}

var githubRepo = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$`)
})

func githubPlan(req *respond.Request, mark string) (*state, error) {
	const name = "ticket.github"
	base, err := baseURL(req, name, "api_url", "https://api.github.com")
	if err != nil {
		return nil, err
	}
	repo, err := required(req, name, "repo")
	if err != nil {
		return nil, err
	}
	if !githubRepo().MatchString(repo) || strings.Contains(repo, "..") {
		return nil, fmt.Errorf("%w: %s: input repo: %q is not OWNER/NAME", respond.ErrInput, name, repo)
	}
	token, err := notify.SecretRef(req, name, "token", true)
	if err != nil {
		return nil, err
	}
	label := "vigil:" + mark
	labels := append([]string{label}, list(in(req, "labels"))...)
	title, _ := notify.Message(req)
	text := plainBody(req)
	if req.Subject != nil && req.Subject.ID != "" {
		// An HTML comment may not hold "--".
		text += "\n\n<!-- vigil-subject: " + strings.ReplaceAll(req.Subject.ID, "--", "- -") + " -->"
	}
	fields := map[string]any{"title": clip(strings.Join(strings.Fields(title), " "), 256), "body": text, "labels": labels}
	if as := list(in(req, "assignees")); len(as) > 0 {
		fields["assignees"] = as
	}
	body, _ := json.Marshal(fields)
	return &state{Base: base, Token: token, Marker: label, Scope: repo, Path: "/repos/" + repo + "/issues", Body: body,
		Search: "GET " + githubSearchPath(repo, label)}, nil
}

// The issues list filtered by label, not the search API: a new issue is
// listed at once, while search indexes it later.
func githubSearchPath(repo, label string) string {
	return "/repos/" + repo + "/issues?" + url.Values{"state": {"open"}, "labels": {label}, "per_page": {"10"}}.Encode()
}

type githubIssue struct {
	ID          int64           `json:"id"`
	Number      int             `json:"number"`
	HTMLURL     string          `json:"html_url"`
	PullRequest json.RawMessage `json:"pull_request"`
}

func (i githubIssue) found(repo string) *found {
	return &found{key: repo + "#" + strconv.Itoa(i.Number), url: i.HTMLURL, id: strconv.FormatInt(i.ID, 10)}
}

func githubSearch(ctx context.Context, c *conn, st *state) (*found, error) {
	body, err := c.do(ctx, http.MethodGet, githubSearchPath(st.Scope, st.Marker), nil, true, nil)
	if err != nil {
		return nil, err
	}
	var res []githubIssue
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fmt.Errorf("ticket.github: listing issues: %w", err)
	}
	for _, i := range res {
		if len(i.PullRequest) == 0 && i.Number > 0 {
			return i.found(st.Scope), nil
		}
	}
	return nil, nil
}

func githubCreated(st *state, body []byte) (*found, error) {
	var i githubIssue
	if err := json.Unmarshal(body, &i); err != nil {
		return nil, err
	}
	if i.Number == 0 {
		return nil, fmt.Errorf("no issue number in %.200s", body)
	}
	return i.found(st.Scope), nil
}
