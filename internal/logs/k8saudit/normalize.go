package k8saudit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Normalize maps one audit Event to OCSF API Activity: the verb is the
// operation (create, get, list, watch, update, patch, delete,
// deletecollection; the lower-case HTTP method for non-resource requests),
// the object reference the resource, responseStatus.code the outcome.
func Normalize(raw []byte) (ocsf.Event, error) {
	v, release, err := norm.Parse(raw)
	if err != nil {
		return nil, err
	}
	defer release()
	verb := norm.Str(v, "verb")
	if verb == "" {
		return nil, fmt.Errorf("%w: verb", norm.ErrMissing)
	}
	ts, err := norm.Time(norm.First(norm.Str(v, "requestReceivedTimestamp"), norm.Str(v, "stageTimestamp")))
	if err != nil {
		return nil, fmt.Errorf("requestReceivedTimestamp: %w", err)
	}
	var b ocsf.Base
	b.Time = ts
	b.SetSeverity(ocsf.SeverityInformational)
	stage := norm.Str(v, "stage")
	b.Metadata = ocsf.Metadata{
		Version:   ocsf.Version,
		Product:   ocsf.Product{Name: "Kubernetes audit", VendorName: "Kubernetes", Version: norm.Str(v, "apiVersion")},
		UID:       norm.Str(v, "auditID"),
		LogName:   norm.Str(v, "level"),
		EventCode: stage,
	}
	ref := v.Get("objectRef")
	resource, sub := norm.Str(ref, "resource"), norm.Str(ref, "subresource")
	b.API = &ocsf.API{
		Operation: verb,
		Service:   &ocsf.Service{Name: "kube-apiserver"},
		Version:   apiVersion(ref),
		Request:   &ocsf.APIRequest{UID: norm.Str(v, "auditID")},
	}
	status(&b, v, stage)
	if ips := v.GetArray("sourceIPs"); len(ips) > 0 {
		b.SrcEndpoint = norm.Endpoint(string(ips[0].GetStringBytes()))
	}
	if ua := norm.Str(v, "userAgent"); ua != "" {
		b.HTTPRequest = &ocsf.HTTPRequest{UserAgent: ua}
	}
	b.Actor = actor(v)
	b.Cloud = cloud(v)
	b.Metadata.Profiles = []string{"cloud"}
	what := resource
	if sub != "" {
		what += "/" + sub
	}
	if what == "" {
		what = norm.Str(v, "requestURI")
	}
	b.Message = verb + " " + what
	a := &ocsf.APIActivity{Base: b}
	a.SetClass(ocsf.ClassAPIActivity, activity(verb))
	if r, ok := resourceOf(ref, resource, sub); ok {
		a.Resources = []ocsf.ResourceDetails{r}
	}
	return a, nil
}

// activity maps a Kubernetes verb to the API Activity activity.
func activity(verb string) int {
	switch verb {
	case "create", "post":
		return ocsf.APICreate
	case "get", "list", "watch", "head":
		return ocsf.APIRead
	case "update", "patch", "put":
		return ocsf.APIUpdate
	case "delete", "deletecollection":
		return ocsf.APIDelete
	}
	return ocsf.APIOther
}

// apiVersion is the object's group/version ("v1" for the core group).
func apiVersion(ref *fastjson.Value) string {
	ver := norm.Str(ref, "apiVersion")
	if g := norm.Str(ref, "apiGroup"); g != "" && ver != "" {
		return g + "/" + ver
	}
	return ver
}

// status sets the outcome from responseStatus: a code of 400 or more (or a
// Failure status) failed; an event of the RequestReceived stage has no
// response yet, its outcome unknown.
func status(b *ocsf.Base, v *fastjson.Value, stage string) {
	rs := v.Get("responseStatus")
	code := rs.GetInt("code")
	msg := norm.First(norm.Str(rs, "message"), norm.Str(rs, "reason"))
	switch {
	case code >= 400 || norm.Str(rs, "status") == "Failure":
		b.SetStatus(ocsf.StatusFailure, "")
		b.StatusCode, b.StatusDetail = strconv.Itoa(code), msg
		b.API.Response = &ocsf.APIResponse{Code: code, Error: norm.Str(rs, "reason"), Message: norm.Str(rs, "message")}
	case code > 0:
		b.SetStatus(ocsf.StatusSuccess, "")
		b.StatusCode = strconv.Itoa(code)
		b.API.Response = &ocsf.APIResponse{Code: code}
	case stage == "RequestReceived":
		b.SetStatus(ocsf.StatusUnknown, "")
	default:
		b.SetStatus(ocsf.StatusSuccess, "")
	}
}

// actor is the authenticated user; an impersonating request names the
// user it acted as in invoked_by's place (the impersonated identity is
// what the request's rights were).
func actor(v *fastjson.Value) *ocsf.Actor {
	u := v.Get("user")
	name := norm.Str(u, "username")
	if name == "" {
		return &ocsf.Actor{}
	}
	user := &ocsf.User{UID: norm.First(norm.Str(u, "uid"), name), Name: name}
	user.Type, user.TypeID = userType(name, u.GetArray("groups"))
	if arn := firstString(u.Get("extra", "arn")); arn != "" && arn != name {
		// EKS: the IAM identity the user was mapped from.
		user.UIDAlt = arn
	}
	a := &ocsf.Actor{User: user}
	if imp := norm.Str(v, "impersonatedUser", "username"); imp != "" {
		a.InvokedBy = name
		a.User = &ocsf.User{UID: imp, Name: imp}
		a.User.Type, a.User.TypeID = userType(imp, v.GetArray("impersonatedUser", "groups"))
	}
	if sess := firstString(u.Get("extra", "sessionName")); sess != "" {
		a.Session = &ocsf.Session{UID: sess}
	}
	return a
}

// userType tells service accounts and the control plane's identities
// from people.
func userType(name string, groups []*fastjson.Value) (string, int) {
	switch {
	case strings.HasPrefix(name, "system:serviceaccount:"):
		return "Service", 4
	case strings.HasPrefix(name, "system:"):
		return "System", 3
	}
	for _, g := range groups {
		if string(g.GetStringBytes()) == "system:masters" {
			return "Admin", 2
		}
	}
	return "User", 1
}

// firstString returns a string value, or the first string of an array
// (user.extra values are lists).
func firstString(v *fastjson.Value) string {
	if v == nil {
		return ""
	}
	if v.Type() == fastjson.TypeArray {
		a := v.GetArray()
		if len(a) == 0 {
			return ""
		}
		v = a[0]
	}
	return string(v.GetStringBytes())
}

// cloud is the cluster's cloud where the Event tells it: an AKS record's
// cluster (the annotation its reader adds) names the Azure subscription,
// an EKS user mapped from an IAM identity (user.extra.arn / canonicalArn)
// the AWS account. Otherwise (a self-managed cluster, an EKS user mapped
// otherwise) the provider is Kubernetes itself.
func cloud(v *fastjson.Value) *ocsf.Cloud {
	if id := norm.Str(v, "annotations", ResourceIDAnnotation); id != "" {
		c := &ocsf.Cloud{Provider: "Azure"}
		if sub := norm.ARMSubscription(id); sub != "" {
			c.Account = &ocsf.Account{UID: sub, Type: "Azure Subscription", TypeID: 13}
		}
		return c
	}
	extra := v.Get("user", "extra")
	for _, k := range []string{"canonicalArn", "arn"} {
		arn := firstString(extra.Get(k))
		if !strings.HasPrefix(arn, "arn:aws") {
			continue
		}
		c := &ocsf.Cloud{Provider: "AWS"}
		// arn:partition:iam::account:...
		if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 && parts[4] != "" {
			c.Account = &ocsf.Account{UID: parts[4], Type: "AWS Account", TypeID: 10}
		}
		return c
	}
	return &ocsf.Cloud{Provider: "Kubernetes"}
}

// resourceOf is the object the request is about: its uid the path
// /namespaces/<ns>/<resource>/<name>[/<subresource>] (as the API names it),
// its type the resource (with the subresource).
func resourceOf(ref *fastjson.Value, resource, sub string) (ocsf.ResourceDetails, bool) {
	if resource == "" {
		return ocsf.ResourceDetails{}, false
	}
	ns, name := norm.Str(ref, "namespace"), norm.Str(ref, "name")
	var uid strings.Builder
	if ns != "" {
		uid.WriteString("namespaces/" + ns + "/")
	}
	uid.WriteString(resource)
	if name != "" {
		uid.WriteString("/" + name)
	}
	typ := resource
	if sub != "" {
		uid.WriteString("/" + sub)
		typ += "/" + sub
	}
	r := ocsf.ResourceDetails{UID: uid.String(), Name: name, Type: typ}
	if ns != "" {
		r.Labels = []string{"namespace:" + ns}
	}
	return r, true
}
