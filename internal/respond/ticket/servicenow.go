package ticket

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/notify"
)

var serviceNow = tracker{
	name: "ticket.servicenow", service: "servicenow",
	description: "create a ServiceNow incident (Table API) whose correlation_id is the subject's id, unless an active one exists",
	inputs: []respond.Input{
		{Name: "url", Required: true, Description: "the instance's base URL (https://acme.service-now.com)"},
		{Name: "username", Required: true, Description: "the API user (basic auth)"},
		{Name: "password", Required: true, Secret: true, Description: "the user's password, a secret reference (env:NAME or file:PATH)"},
		{Name: "urgency", Description: "1 (high), 2 (medium) or 3 (low); default: the instance's"},
		{Name: "impact", Description: "1 (high), 2 (medium) or 3 (low); default: the instance's"},
		{Name: "assignment_group", Description: "the assignment group (name or sys_id)"},
		{Name: "category", Description: "the incident's category"},
		titleInput, textInput,
	},
	plan:    snowPlan,
	search:  snowSearch,
	created: snowCreated,
}

const snowPath = "/api/now/table/incident"

// correlationID is the subject's id when it fits ServiceNow's 100
// characters and its encoded queries (no ^), else a hash of it.
func correlationID(req *respond.Request, mark string) string {
	if req.Subject != nil && req.Subject.ID != "" && len(req.Subject.ID) <= 100 && !strings.ContainsAny(req.Subject.ID, "^=\r\n") {
		return req.Subject.ID
	}
	if req.Subject != nil && req.Subject.ID != "" {
		h := sha256.Sum256([]byte(req.Subject.ID))
		return "vigil-" + hex.EncodeToString(h[:16])
	}
	return "vigil-" + mark
}

func snowPlan(req *respond.Request, mark string) (*state, error) {
	const name = "ticket.servicenow"
	base, err := baseURL(req, name, "url", "")
	if err != nil {
		return nil, err
	}
	user, err := required(req, name, "username")
	if err != nil {
		return nil, err
	}
	pass, err := notify.SecretRef(req, name, "password", true)
	if err != nil {
		return nil, err
	}
	cid := correlationID(req, mark)
	title, _ := notify.Message(req)
	fields := map[string]any{
		"short_description":   clip(strings.Join(strings.Fields(title), " "), 160),
		"description":         plainBody(req),
		"correlation_id":      cid,
		"correlation_display": "vigil",
	}
	for _, k := range []string{"urgency", "impact"} {
		if v := in(req, k); v != "" {
			if v != "1" && v != "2" && v != "3" {
				return nil, fmt.Errorf("%w: %s: input %s: %q is not 1, 2 or 3", respond.ErrInput, name, k, v)
			}
			fields[k] = v
		}
	}
	for _, k := range []string{"assignment_group", "category"} {
		if v := in(req, k); v != "" {
			fields[k] = v
		}
	}
	body, _ := json.Marshal(fields)
	return &state{Base: base, User: user, Token: pass, Marker: cid, Scope: "incident", Path: snowPath, Body: body,
		Search: "GET " + snowSearchPath(cid)}, nil
}

func snowSearchPath(cid string) string {
	q := url.Values{"sysparm_query": {"correlation_id=" + cid + "^active=true"}, "sysparm_fields": {"sys_id,number"}, "sysparm_limit": {"1"}}
	return snowPath + "?" + q.Encode()
}

type snowIncident struct {
	SysID  string `json:"sys_id"`
	Number string `json:"number"`
}

func (i snowIncident) found(base string) *found {
	return &found{key: i.Number, url: base + "/incident.do?sys_id=" + url.QueryEscape(i.SysID), id: i.SysID}
}

func snowSearch(ctx context.Context, c *conn, st *state) (*found, error) {
	body, err := c.do(ctx, http.MethodGet, snowSearchPath(st.Marker), nil, true, nil)
	if err != nil {
		return nil, err
	}
	var res struct {
		Result []snowIncident `json:"result"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fmt.Errorf("ticket.servicenow: search: %w", err)
	}
	if len(res.Result) == 0 || res.Result[0].SysID == "" {
		return nil, nil
	}
	return res.Result[0].found(st.Base), nil
}

func snowCreated(st *state, body []byte) (*found, error) {
	var res struct {
		Result snowIncident `json:"result"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, err
	}
	if res.Result.SysID == "" || res.Result.Number == "" {
		return nil, fmt.Errorf("no incident number in %.200s", body)
	}
	return res.Result.found(st.Base), nil
}
