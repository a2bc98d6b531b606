package azurerespond

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/vigil-sec/vigil/internal/respond"
)

// removeSPCredential removes ONE named credential (by keyId) of a service
// principal or an application, never its others: a password through
// removePassword, a certificate by writing keyCredentials back without
// it. Removing a password cannot be undone (its secret is never readable
// again); a certificate is put back by Rollback with the public key read
// when planning.
type removeSPCredential struct{ c *clients }

func (a *removeSPCredential) Spec() respond.Spec {
	return respond.Spec{
		Name: "azure.entra.remove-sp-credential", Class: respond.Remediate, Provider: "azure",
		Description: "Remove one named credential (keyId) of a service principal or application: a client secret or a certificate; the others stay",
		Inputs: []respond.Input{
			{Name: "object_id", Description: "the service principal's or application's object ID, or vigil's /tenants/<tenant>/servicePrincipals/<id> (default: the subject's resource)"},
			{Name: "key_id", Required: true, Description: "the keyId of the credential to remove"},
			{Name: "object_type", Description: "servicePrincipal or application (default: a service principal or its application, where the credential is; else an application)"},
		},
		Permissions: []string{"graph:Application.ReadWrite.All"},
		// A certificate's public key is read back and can be put back; a
		// password's secret never is: such a change is not reversible.
		Reversible: true, Tactic: "evict",
	}
}

type credState struct {
	Object string `json:"object"` // Graph path: /servicePrincipals/<id> or /applications/<id>
	KeyID  string `json:"key_id"`
	Kind   string `json:"kind"` // "password" or "certificate"
	// Certificate is the removed keyCredential (its public key included),
	// for Rollback.
	Certificate map[string]any `json:"certificate,omitempty"`
}

type graphObject struct {
	ID                  string           `json:"id"`
	AppID               string           `json:"appId"`
	DisplayName         string           `json:"displayName"`
	PasswordCredentials []map[string]any `json:"passwordCredentials"`
	KeyCredentials      []map[string]any `json:"keyCredentials"`
}

const credSelect = "id,appId,displayName,passwordCredentials,keyCredentials"

func (a *removeSPCredential) get(ctx context.Context, env *respond.Env, p string) (*graphObject, error) {
	var o graphObject
	err := a.c.send(ctx, env, respond.Call{Service: "graph", Operation: "GET " + collection(p), Target: p, ReadOnly: true},
		req{graph: true, method: http.MethodGet, path: p, query: url.Values{"$select": {credSelect}}, escaped: strings.Contains(p, "(appId=")}, &o)
	return &o, err
}

// find returns the credential with keyID and its kind, or "" when absent.
func find(o *graphObject, keyID string) (map[string]any, string) {
	for _, c := range o.PasswordCredentials {
		if id, _ := c["keyId"].(string); strings.EqualFold(id, keyID) {
			return c, "password"
		}
	}
	for _, c := range o.KeyCredentials {
		if id, _ := c["keyId"].(string); strings.EqualFold(id, keyID) {
			return c, "certificate"
		}
	}
	return nil, ""
}

// collection is a Graph path's collection: "servicePrincipals", "applications".
func collection(p string) string {
	c := strings.Split(p, "/")[1]
	c, _, _ = strings.Cut(c, "(")
	return c
}

func (a *removeSPCredential) Plan(ctx context.Context, env *respond.Env, r *respond.Request) (*respond.Change, error) {
	id := strings.TrimSpace(r.Inputs["object_id"])
	if id == "" && r.Subject != nil {
		id = r.Subject.Resource.ID
	}
	keyID := strings.TrimSpace(r.Inputs["key_id"])
	objType, tenant := r.Inputs["object_type"], a.c.opts.TenantID
	// vigil's resource ID of a directory object (the entra importer's):
	// /tenants/<tenant>/servicePrincipals/<id> or .../applications/<id>.
	if segs := strings.Split(id, "/"); len(segs) == 5 && segs[0] == "" && segs[1] == "tenants" &&
		(segs[3] == "servicePrincipals" || segs[3] == "applications") {
		if objType != "" && !strings.EqualFold(objType+"s", segs[3]) {
			return nil, fmt.Errorf("%w: object_type %q but object_id %q names %s", respond.ErrInput, objType, id, segs[3])
		}
		tenant, objType, id = segs[2], strings.TrimSuffix(segs[3], "s"), segs[4]
	}
	if id == "" || strings.Contains(id, "/") {
		return nil, fmt.Errorf("%w: object_id %q is not a service principal's or application's object ID (or /tenants/<tenant>/servicePrincipals/<id>)",
			respond.ErrInput, id)
	}
	if keyID == "" {
		return nil, fmt.Errorf("%w: key_id is required: the keyId of the ONE credential to remove", respond.ErrInput)
	}
	var paths []string
	switch t := objType; strings.ToLower(t) {
	case "":
		// A service principal, or its application when the credential is
		// there; else an application's object ID.
		paths = []string{"/servicePrincipals/" + id, "/applications/" + id}
	case "serviceprincipal":
		paths = []string{"/servicePrincipals/" + id}
	case "application":
		paths = []string{"/applications/" + id}
	default:
		return nil, fmt.Errorf("%w: object_type %q: want servicePrincipal or application", respond.ErrInput, t)
	}
	var (
		o   *graphObject
		p   string
		err error
	)
	for _, p = range paths {
		if o, err = a.get(ctx, env, p); !errors.Is(err, errNotFound) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	cred, kind := find(o, keyID)
	if kind == "" && strings.HasPrefix(p, "/servicePrincipals/") && objType == "" && o.AppID != "" {
		// An app registration's credentials are on its application
		// object: the service principal's finding often names a secret of
		// its application (absent when the application is another
		// tenant's).
		ao, aerr := a.get(ctx, env, "/applications(appId='"+url.PathEscape(o.AppID)+"')")
		switch {
		case aerr == nil && ao.ID != "":
			if c, k := find(ao, keyID); k != "" {
				o, p, cred, kind = ao, "/applications/"+ao.ID, c, k
			}
		case !errors.Is(aerr, errNotFound):
			return nil, aerr
		}
	}
	ch := change(a.Spec(), r, p)
	ch.Account = tenant
	if kind == "" {
		ch.NoOp, ch.Reason = true, fmt.Sprintf("%s has no credential with keyId %s", p, keyID)
		return ch, nil
	}
	shown := map[string]any{"kind": kind}
	for _, k := range []string{"keyId", "displayName", "hint", "startDateTime", "endDateTime", "type", "usage", "customKeyIdentifier"} {
		if v, ok := cred[k]; ok && v != nil {
			shown[k] = v
		}
	}
	ch.Calls = []respond.Call{a.call(p, keyID, kind)}
	ch.Diff = []respond.AttrChange{{Attribute: fmt.Sprintf("%sCredentials[keyId=%s]", map[string]string{"password": "password", "certificate": "key"}[kind], keyID),
		Before: shown, After: nil}}
	st := credState{Object: p, KeyID: keyID, Kind: kind}
	if kind == "certificate" {
		st.Certificate = cred
	}
	ch.Reversible = kind == "certificate" && cred["key"] != nil
	ch.State = mustJSON(st)
	return ch, nil
}

func (a *removeSPCredential) call(p, keyID, kind string) respond.Call {
	if kind == "password" {
		return respond.Call{Service: "graph", Operation: "POST " + collection(p) + "/removePassword", Target: p,
			Params: map[string]any{"keyId": keyID}}
	}
	return respond.Call{Service: "graph", Operation: "PATCH " + collection(p) + " keyCredentials", Target: p,
		Params: map[string]any{"remove keyId": keyID}}
}

func (a *removeSPCredential) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	var st credState
	if err := stateOf(ch, &st); err != nil {
		return nil, err
	}
	if segs := strings.Split(st.Object, "/"); len(segs) != 3 || segs[0] != "" || (segs[1] != "servicePrincipals" && segs[1] != "applications") ||
		segs[2] == "" || st.KeyID == "" {
		return nil, fmt.Errorf("%w: the change's state names no credential of a service principal or application (%q, %q)", respond.ErrInput, st.Object, st.KeyID)
	}
	o, err := a.get(ctx, env, st.Object)
	if err != nil {
		return nil, err
	}
	cred, kind := find(o, st.KeyID)
	if cred == nil {
		return &respond.Outcome{Note: "already applied: no credential with keyId " + st.KeyID}, nil
	}
	if kind == "password" {
		err = a.c.send(ctx, env, a.call(st.Object, st.KeyID, kind),
			req{graph: true, method: http.MethodPost, path: st.Object + "/removePassword", body: map[string]any{"keyId": cred["keyId"]}}, nil)
	} else {
		// keyCredentials is written whole: the others go back as read,
		// which needs their public keys (Graph gives them to a $select
		// on one object).
		kept := []map[string]any{}
		for _, c := range o.KeyCredentials {
			if id, _ := c["keyId"].(string); !strings.EqualFold(id, st.KeyID) {
				if c["key"] == nil {
					return nil, fmt.Errorf("%s: certificate %v came without its key: writing keyCredentials would drop it; nothing changed", st.Object, c["keyId"])
				}
				kept = append(kept, c)
			}
		}
		err = a.c.send(ctx, env, a.call(st.Object, st.KeyID, kind),
			req{graph: true, method: http.MethodPatch, path: st.Object, body: map[string]any{"keyCredentials": kept}}, nil)
	}
	if err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: fmt.Sprintf("%s credential %s removed", kind, st.KeyID)}, nil
}

func (a *removeSPCredential) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, _ *respond.Outcome) (*respond.Outcome, error) {
	var st credState
	if err := stateOf(ch, &st); err != nil {
		return nil, err
	}
	if !ch.Reversible || st.Kind != "certificate" || st.Certificate == nil || st.Certificate["key"] == nil {
		return nil, fmt.Errorf("azure.entra.remove-sp-credential: a removed client secret cannot be restored (Entra never shows it again): %w", respond.ErrIrreversible)
	}
	if segs := strings.Split(st.Object, "/"); len(segs) != 3 || segs[0] != "" || (segs[1] != "servicePrincipals" && segs[1] != "applications") {
		return nil, fmt.Errorf("%w: the change's state names no service principal or application (%q)", respond.ErrInput, st.Object)
	}
	o, err := a.get(ctx, env, st.Object)
	if err != nil {
		return nil, err
	}
	if c, _ := find(o, st.KeyID); c != nil {
		return &respond.Outcome{Note: "the certificate is there: nothing to restore"}, nil
	}
	all := []map[string]any{}
	for _, c := range o.KeyCredentials {
		if c["key"] == nil {
			return nil, fmt.Errorf("%s: certificate %v came without its key: writing keyCredentials would drop it; nothing changed", st.Object, c["keyId"])
		}
		all = append(all, c)
	}
	all = append(all, st.Certificate)
	call := respond.Call{Service: "graph", Operation: "PATCH " + collection(st.Object) + " keyCredentials", Target: st.Object,
		Params: map[string]any{"add keyId": st.KeyID}}
	if err := a.c.send(ctx, env, call, req{graph: true, method: http.MethodPatch, path: st.Object, body: map[string]any{"keyCredentials": all}}, nil); err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: "certificate " + st.KeyID + " put back"}, nil
}
