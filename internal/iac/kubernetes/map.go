package kubernetes

import (
	"fmt"
	"github.com/vigil-sec/vigil/internal/iac/secrets"
	"maps"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// TypeName is the resource Type of a Kubernetes object: its group and kind
// as Kubernetes writes a GroupKind ("Deployment.apps",
// "ClusterRole.rbac.authorization.k8s.io"; the core group's kinds alone:
// "Pod", "Service"). The version is left out so that rules and
// suppressions keyed on a type hold across API versions.
func TypeName(apiVersion, kind string) string {
	group, _, ok := strings.Cut(apiVersion, "/")
	if !ok || group == "" {
		return kind
	}
	return kind + "." + group
}

// Address is an object's address in its manifest: kind/namespace/name
// (namespace "" for cluster-scoped objects and when the manifest does not
// set it).
func Address(o Object) string { return o.Kind() + "/" + o.Namespace() + "/" + o.Name() }

var workloadKinds = map[string]bool{
	"Pod": true, "PodTemplate": true, "ReplicationController": true,
	"Deployment.apps": true, "DaemonSet.apps": true, "StatefulSet.apps": true, "ReplicaSet.apps": true,
	"Deployment.extensions": true, "DaemonSet.extensions": true, "ReplicaSet.extensions": true,
	"Job.batch": true, "CronJob.batch": true,
	// Controllers of common extensions with a pod template at spec.template.
	"DeploymentConfig.apps.openshift.io": true, "Rollout.argoproj.io": true,
}

const rbacGroup = "rbac.authorization.k8s.io"

// Map maps one object of file to a resource. An object of a kind vigil
// does not model returns a nil resource (the caller lists it as
// unsupported). Problems name the object and the field.
func Map(file string, o Object) (*resource.Resource, []source.Problem) {
	typ := TypeName(o.APIVersion(), o.Kind())
	m := &mapper{file: file, obj: o, addr: Address(o)}
	r := &resource.Resource{
		Provider: resource.K8s,
		Account:  o.Namespace(),
		Type:     typ,
		ID:       file + ":" + m.addr,
		Name:     o.Name(),
		Source:   file,
		Location: &resource.Location{File: file, StartLine: o.StartLine, EndLine: o.EndLine, Address: m.addr},
	}
	md, _ := o.Fields["metadata"].(map[string]any)
	if labels, ok := md["labels"].(map[string]any); ok && len(labels) > 0 {
		r.Tags = map[string]string{}
		for k, v := range labels {
			r.Tags[k] = fmt.Sprint(v)
		}
	}
	switch {
	case workloadKinds[typ]:
		r.Class = resource.ClassKubernetesWorkload
		r.Facts.Workload = m.workload()
		r.Location.FactLines = m.lines
	case typ == "Service":
		r.Class = resource.ClassKubernetesService
		r.Facts.K8sService = m.service()
	case typ == "Namespace":
		r.Class = resource.ClassKubernetesNamespace
		r.Account = ""
		labels, _ := md["labels"].(map[string]any)
		level, _ := labels["pod-security.kubernetes.io/enforce"].(string)
		r.Facts.Namespace = &resource.KubernetesNamespace{Declared: resource.Bool(true), PodSecurityEnforce: level,
			PodSecurityEnforced: resource.Bool(level == "baseline" || level == "restricted")}
	case strings.HasSuffix(typ, "."+rbacGroup) && slices.Contains([]string{"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"}, o.Kind()):
		r.Class = resource.ClassKubernetesRBAC
		r.Facts.RBAC = m.rbac()
	default:
		return nil, nil
	}
	return r, m.probs
}

type mapper struct {
	file  string
	obj   Object
	addr  string
	probs []source.Problem
	// lines are the lines of the fields the facts were read from
	// (resource.Location.FactLines), by fact path.
	lines map[string]int
}

// mark records, for the workload fact (its name under facts.workload), the
// line of the first of paths the object holds, unless it has one: the
// field of the first container breaking the control, where the finding
// about it points.
func (m *mapper) mark(fact string, paths ...string) {
	if m.obj.node == nil {
		return
	}
	fact = "facts.workload." + fact
	if _, done := m.lines[fact]; done {
		return
	}
	for _, p := range paths {
		if l := m.obj.FieldLine(p); l > 0 {
			if m.lines == nil {
				m.lines = map[string]int{}
			}
			m.lines[fact] = l
			return
		}
	}
}

func (m *mapper) problem(field, msg string) {
	m.probs = append(m.probs, source.Problem{Path: m.file, Line: m.obj.StartLine, Resource: m.addr, Field: field, Err: field + ": " + msg})
}

// get reads key of obj (path names it in problems): a value of type T,
// whether it is set (present and not null) and whether it has the right
// type (false: a problem was reported and the value is unknown).
func get[T any](m *mapper, obj map[string]any, key, path string) (v T, set, ok bool) {
	x, present := obj[key]
	if !present || x == nil {
		return v, false, true
	}
	v, ok = x.(T)
	if !ok {
		var want T
		m.problem(path, fmt.Sprintf("is %s, want %s", kindOf(x), kindOf(want)))
		return v, false, false
	}
	return v, true, true
}

func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64, float64:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}

// collect gathers the containers (or entries) breaking a control; result
// is nil when some container could not be read and none is known to break
// it, a non-nil empty list when none does.
type collect[T any] struct {
	list    []T
	unknown bool
}

func (c *collect[T]) add(v T) { c.list = append(c.list, v) }

func (c *collect[T]) result() []T {
	switch {
	case len(c.list) > 0:
		return c.list
	case c.unknown:
		return nil
	}
	return []T{}
}

// podSpec returns the object's pod spec and pod metadata, by kind.
func (m *mapper) podSpec() (spec, meta map[string]any, path string) {
	f := m.obj.Fields
	var ok bool
	step := func(key string) bool {
		if f == nil {
			return false
		}
		v, set, good := get[map[string]any](m, f, key, strings.TrimPrefix(path+"."+key, "."))
		path = strings.TrimPrefix(path+"."+key, ".")
		f = v
		return set && good
	}
	switch m.obj.Kind() {
	case "Pod":
		meta, _ = f["metadata"].(map[string]any)
		ok = step("spec")
		return f, meta, path
	case "PodTemplate":
		ok = step("template")
	case "CronJob":
		ok = step("spec") && step("jobTemplate") && step("spec") && step("template")
	default:
		ok = step("spec") && step("template")
	}
	if !ok {
		return nil, nil, path
	}
	meta, _ = f["metadata"].(map[string]any)
	step("spec")
	return f, meta, path
}

var allowedSELinuxTypes = map[string]bool{"": true, "container_t": true, "container_init_t": true, "container_kvm_t": true, "container_engine_t": true}

// workload reads a pod spec's facts.
func (m *mapper) workload() *resource.KubernetesWorkload {
	w := &resource.KubernetesWorkload{Kind: m.obj.Kind(), Namespace: m.obj.Namespace()}
	spec, meta, sp := m.podSpec()
	if spec == nil {
		if sp != "" {
			m.problem(sp, "the object has no pod spec")
		}
		return w
	}
	annotations, _ := meta["annotations"].(map[string]any)
	boolOr := func(obj map[string]any, key, path string, def bool) *bool {
		v, set, ok := get[bool](m, obj, key, path)
		switch {
		case !ok:
			return nil
		case !set:
			return resource.Bool(def)
		}
		return resource.Bool(v)
	}
	if os, _, _ := get[map[string]any](m, spec, "os", sp+".os"); os != nil {
		w.OS, _ = os["name"].(string)
	}
	w.HostNetwork = boolOr(spec, "hostNetwork", sp+".hostNetwork", false)
	w.HostPID = boolOr(spec, "hostPID", sp+".hostPID", false)
	w.HostIPC = boolOr(spec, "hostIPC", sp+".hostIPC", false)
	w.AutomountServiceAccountToken = boolOr(spec, "automountServiceAccountToken", sp+".automountServiceAccountToken", true)
	for fact, key := range map[string]string{"host_network": "hostNetwork", "host_pid": "hostPID", "host_ipc": "hostIPC", "automount_service_account_token": "automountServiceAccountToken"} {
		m.mark(fact, sp+"."+key)
	}
	w.ServiceAccount = "default"
	if sa, set, _ := get[string](m, spec, "serviceAccountName", sp+".serviceAccountName"); set && sa != "" {
		w.ServiceAccount = sa
	} else if sa, set, _ := get[string](m, spec, "serviceAccount", sp+".serviceAccount"); set && sa != "" {
		w.ServiceAccount = sa
	}
	psc, _, pscOK := get[map[string]any](m, spec, "securityContext", sp+".securityContext")

	// Volumes.
	var hostPaths, volTypes collect[string]
	vols, _, ok := get[[]any](m, spec, "volumes", sp+".volumes")
	if !ok {
		hostPaths.unknown, volTypes.unknown = true, true
	}
	for i, v := range vols {
		vm, isMap := v.(map[string]any)
		if !isMap {
			m.problem(fmt.Sprintf("%s.volumes[%d]", sp, i), "is not an object")
			hostPaths.unknown, volTypes.unknown = true, true
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(vm)) {
			if k == "name" {
				continue
			}
			if !slices.Contains(volTypes.list, k) {
				volTypes.add(k)
			}
			if k == "hostPath" {
				m.mark("host_paths", fmt.Sprintf("%s.volumes[%d].hostPath", sp, i))
				hp, _ := vm[k].(map[string]any)
				if p, isStr := hp["path"].(string); isStr {
					hostPaths.add(p)
				} else {
					hostPaths.add("?")
				}
			}
		}
	}
	w.HostPaths, w.VolumeTypes = hostPaths.result(), volTypes.result()

	// Sysctls.
	var sysctls collect[string]
	if !pscOK {
		sysctls.unknown = true
	}
	sl, _, ok := get[[]any](m, psc, "sysctls", sp+".securityContext.sysctls")
	sysctls.unknown = sysctls.unknown || !ok
	for _, s := range sl {
		sm, _ := s.(map[string]any)
		if n, isStr := sm["name"].(string); isStr {
			sysctls.add(n)
			m.mark("sysctls", sp+".securityContext.sysctls")
		} else {
			sysctls.unknown = true
		}
	}
	w.Sysctls = sysctls.result()

	var (
		hostProcess, privileged, escalation, nonRoot, rootUser, notDropAll, writable collect[string]
		selinux, procMount, noCPULim, noMemLim, noCPUReq, noMemReq, noLive, noReady  collect[string]
		envSecrets                                                                   collect[string]
		lowUID, lowGID                                                               collect[string]
		capsAdded                                                                    collect[resource.KubernetesCapability]
		hostPorts                                                                    collect[resource.KubernetesPort]
		seccomp, apparmor                                                            collect[resource.KubernetesProfile]
	)
	unknownAll := func() {
		for _, c := range []*collect[string]{&hostProcess, &privileged, &escalation, &nonRoot, &rootUser, &notDropAll, &writable,
			&selinux, &procMount, &noCPULim, &noMemLim, &noCPUReq, &noMemReq, &noLive, &noReady, &envSecrets, &lowUID, &lowGID} {
			c.unknown = true
		}
		capsAdded.unknown, hostPorts.unknown, seccomp.unknown, apparmor.unknown = true, true, true, true
	}
	if !pscOK {
		unknownAll()
	}
	if l, isList := spec["containers"].([]any); spec["containers"] == nil || isList && len(l) == 0 {
		// Not a valid pod: nothing is known of what would run.
		m.problem(sp+".containers", "the pod spec has no containers")
		unknownAll()
	}
	// Pod-level settings containers inherit.
	podSELinux, _, _ := get[map[string]any](m, psc, "seLinuxOptions", sp+".securityContext.seLinuxOptions")
	if podSELinux != nil && customSELinux(podSELinux) {
		selinux.add("pod")
		m.mark("selinux_custom", sp+".securityContext.seLinuxOptions")
	}
	podSeccomp := m.profileType(psc, "seccompProfile", sp+".securityContext")
	if podSeccomp == "" {
		podSeccomp = annotationProfile(annotations, "seccomp.security.alpha.kubernetes.io/pod")
	}
	podAppArmor := m.profileType(psc, "appArmorProfile", sp+".securityContext")

	imageUnknown := false
	for _, group := range []struct{ key, kind string }{{"initContainers", "init"}, {"containers", "container"}, {"ephemeralContainers", "ephemeral"}} {
		list, _, ok := get[[]any](m, spec, group.key, sp+"."+group.key)
		if !ok {
			unknownAll()
			continue
		}
		for i, c := range list {
			path := fmt.Sprintf("%s.%s[%d]", sp, group.key, i)
			cm, isMap := c.(map[string]any)
			if !isMap {
				m.problem(path, "is not an object")
				unknownAll()
				continue
			}
			name, _ := cm["name"].(string)
			if name == "" {
				name = fmt.Sprintf("%s[%d]", group.key, i)
			}
			image, _ := cm["image"].(string)
			if strings.TrimSpace(image) == "" {
				// A Helm value that rendered nothing: what would run is unknown.
				m.problem(path+".image", "no image")
				imageUnknown = true
			}
			ct := resource.KubernetesContainer{Name: name, Kind: group.kind, Image: image}
			ct.Registry, ct.Tag, ct.Digest = ParseImage(image)
			w.Containers = append(w.Containers, ct)

			sc, _, scOK := get[map[string]any](m, cm, "securityContext", path+".securityContext")
			scp := path + ".securityContext"
			// effective reads a setting of the container's securityContext,
			// else the pod's.
			effective := func(key string) (any, bool) {
				if !scOK || !pscOK {
					return nil, false
				}
				if v, set := sc[key]; set && v != nil {
					return v, true
				}
				return psc[key], true
			}
			// setting reads a boolean of the container's securityContext
			// (fromPod: else the pod's): the container breaks the control
			// when the value is breaking, or absent and absentBreaks.
			setting := func(c *collect[string], fact, key string, fromPod bool, breaking, absentBreaks bool) {
				var v any
				known := scOK
				if fromPod {
					v, known = effective(key)
				} else if scOK {
					v = sc[key]
				}
				if !known {
					c.unknown = true
					return
				}
				switch b := v.(type) {
				case nil:
					if absentBreaks {
						c.add(name)
						m.mark(fact, scp, path)
					}
				case bool:
					if b == breaking {
						c.add(name)
						m.mark(fact, scp+"."+key, sp+".securityContext."+key)
					}
				default:
					m.problem(scp+"."+key, "is "+kindOf(v)+", want a boolean")
					c.unknown = true
				}
			}
			setting(&privileged, "privileged", "privileged", false, true, false)
			// allowPrivilegeEscalation, runAsNonRoot and readOnlyRootFilesystem
			// must be set to pass: absent counts as breaking the control.
			setting(&escalation, "privilege_escalation", "allowPrivilegeEscalation", false, true, true)
			setting(&nonRoot, "run_as_non_root_unset", "runAsNonRoot", true, false, true)
			setting(&writable, "writable_root_filesystem", "readOnlyRootFilesystem", false, false, true)
			// runAsUser 0 is root; an ID unset or at most 10000 may
			// collide with the node's own users and groups.
			for _, id := range []struct {
				key, fact string
				root, low *collect[string]
			}{{"runAsUser", "low_uid", &rootUser, &lowUID}, {"runAsGroup", "low_gid", nil, &lowGID}} {
				at := []string{scp + "." + id.key, sp + ".securityContext." + id.key}
				v, known := effective(id.key)
				if !known {
					id.low.unknown = true
					if id.root != nil {
						id.root.unknown = true
					}
					continue
				}
				switch u := v.(type) {
				case nil:
					id.low.add(name)
					m.mark(id.fact, scp, path)
				case int64:
					if u == 0 && id.root != nil {
						id.root.add(name)
						m.mark("run_as_root_user", at...)
					}
					if u <= 10000 {
						id.low.add(name)
						m.mark(id.fact, at...)
					}
				default:
					m.problem(scp+"."+id.key, "is "+kindOf(v)+", want a number")
					id.low.unknown = true
					if id.root != nil {
						id.root.unknown = true
					}
				}
			}
			if v, known := effective("windowsOptions"); !known {
				hostProcess.unknown = true
			} else if wo, _ := v.(map[string]any); wo["hostProcess"] == true {
				hostProcess.add(name)
				m.mark("host_process", scp+".windowsOptions.hostProcess", sp+".securityContext.windowsOptions.hostProcess")
			}
			// Capabilities.
			if !scOK {
				capsAdded.unknown, notDropAll.unknown = true, true
			} else {
				caps, _, ok := get[map[string]any](m, sc, "capabilities", scp+".capabilities")
				add, _, okAdd := get[[]any](m, caps, "add", scp+".capabilities.add")
				drop, _, okDrop := get[[]any](m, caps, "drop", scp+".capabilities.drop")
				if !ok || !okAdd {
					capsAdded.unknown = true
				}
				if !ok || !okDrop {
					notDropAll.unknown = true
				}
				for _, a := range add {
					s, _ := a.(string)
					capsAdded.add(resource.KubernetesCapability{Container: name, Capability: capName(s)})
					m.mark("capabilities_added", scp+".capabilities.add")
				}
				if ok && okDrop && !slices.ContainsFunc(drop, func(d any) bool { s, _ := d.(string); return capName(s) == "ALL" }) {
					notDropAll.add(name)
					m.mark("capabilities_not_dropping_all", scp+".capabilities.drop", scp+".capabilities", scp, path)
				}
			}
			if v, known := effective("seLinuxOptions"); !known {
				selinux.unknown = true
			} else if so, _ := v.(map[string]any); so != nil && sc["seLinuxOptions"] != nil && customSELinux(so) {
				selinux.add(name)
				m.mark("selinux_custom", scp+".seLinuxOptions")
			}
			if !scOK {
				procMount.unknown = true
			} else if pm, _ := sc["procMount"].(string); pm != "" && pm != "Default" {
				procMount.add(name)
				m.mark("unmasked_proc_mount", scp+".procMount")
			}
			// Profiles: the container's, else the pod's, else the annotations.
			if !scOK || !pscOK {
				seccomp.unknown, apparmor.unknown = true, true
			} else {
				t := m.profileType(sc, "seccompProfile", scp)
				if t == "" {
					t = annotationProfile(annotations, "container.seccomp.security.alpha.kubernetes.io/"+name)
				}
				if t == "" {
					t = podSeccomp
				}
				seccomp.add(resource.KubernetesProfile{Container: name, Type: t})
				if t == "Unconfined" {
					m.mark("seccomp", scp+".seccompProfile", sp+".securityContext.seccompProfile")
				}
				a := m.profileType(sc, "appArmorProfile", scp)
				if a == "" {
					a = podAppArmor
				}
				if a == "" {
					a = annotationProfile(annotations, "container.apparmor.security.beta.kubernetes.io/"+name)
				}
				apparmor.add(resource.KubernetesProfile{Container: name, Type: a})
				if a == "Unconfined" {
					m.mark("apparmor", scp+".appArmorProfile", sp+".securityContext.appArmorProfile")
				}
			}
			// Ports.
			ports, _, ok := get[[]any](m, cm, "ports", path+".ports")
			if !ok {
				hostPorts.unknown = true
			}
			for j, p := range ports {
				pm, _ := p.(map[string]any)
				switch hp := pm["hostPort"].(type) {
				case nil:
				case int64:
					if hp != 0 {
						hostPorts.add(resource.KubernetesPort{Container: name, Port: int(hp)})
						m.mark("host_ports", fmt.Sprintf("%s.ports[%d].hostPort", path, j))
					}
				default:
					hostPorts.unknown = true
				}
			}
			// Resources (ephemeral containers take none).
			if group.kind != "ephemeral" {
				res, _, ok := get[map[string]any](m, cm, "resources", path+".resources")
				lim, _, okL := get[map[string]any](m, res, "limits", path+".resources.limits")
				req, _, okR := get[map[string]any](m, res, "requests", path+".resources.requests")
				quantity := func(c *collect[string], fact string, q map[string]any, good bool, key, at string) {
					if !ok || !good {
						c.unknown = true
					} else if q[key] == nil || q[key] == "" {
						c.add(name)
						m.mark(fact, path+".resources."+at, path+".resources", path)
					}
				}
				quantity(&noCPULim, "no_cpu_limit", lim, okL, "cpu", "limits")
				quantity(&noMemLim, "no_memory_limit", lim, okL, "memory", "limits")
				// A request left out defaults to the limit (the API's default).
				quantity(&noCPUReq, "no_cpu_request", withLimits(req, lim), okR, "cpu", "requests")
				quantity(&noMemReq, "no_memory_request", withLimits(req, lim), okR, "memory", "requests")
			}
			env, _, ok := get[[]any](m, cm, "env", path+".env")
			if !ok {
				envSecrets.unknown = true
			}
			for j, e := range env {
				em, _ := e.(map[string]any)
				n, _ := em["name"].(string)
				v, isStr := em["value"].(string)
				if isStr && v != "" && (secrets.Name.MatchString(n) || secrets.Value.MatchString(v)) {
					envSecrets.add(name + ": " + n)
					m.mark("environment_secrets", fmt.Sprintf("%s.env[%d].value", path, j))
				}
			}
			if group.kind == "container" {
				if cm["livenessProbe"] == nil {
					noLive.add(name)
					m.mark("no_liveness_probe", path)
				}
				if cm["readinessProbe"] == nil {
					noReady.add(name)
					m.mark("no_readiness_probe", path)
				}
			}
		}
	}
	w.HostProcess, w.Privileged, w.PrivilegeEscalation = hostProcess.result(), privileged.result(), escalation.result()
	w.RunAsNonRootUnset, w.RunAsRootUser = nonRoot.result(), rootUser.result()
	w.CapabilitiesAdded, w.CapabilitiesNotDroppingAll = capsAdded.result(), notDropAll.result()
	w.WritableRootFilesystem, w.SELinuxCustom, w.UnmaskedProcMount = writable.result(), selinux.result(), procMount.result()
	w.HostPorts = hostPorts.result()
	if !seccomp.unknown {
		w.Seccomp = seccomp.result()
	}
	if !apparmor.unknown {
		w.AppArmor = apparmor.result()
	}
	w.NoCPULimit, w.NoMemoryLimit, w.NoCPURequest, w.NoMemoryRequest = noCPULim.result(), noMemLim.result(), noCPUReq.result(), noMemReq.result()
	w.NoLivenessProbe, w.NoReadinessProbe = noLive.result(), noReady.result()
	w.EnvironmentSecrets = envSecrets.result()
	if imageUnknown {
		w.Containers = nil
	}
	w.LowUID, w.LowGID = lowUID.result(), lowGID.result()
	return w
}

// withLimits returns the requests with the limits filling the resources
// they leave out, as the API server defaults them.
func withLimits(req, lim map[string]any) map[string]any {
	out := maps.Clone(req)
	if out == nil {
		out = map[string]any{}
	}
	for k, v := range lim {
		if out[k] == nil || out[k] == "" {
			out[k] = v
		}
	}
	return out
}

func customSELinux(o map[string]any) bool {
	t, _ := o["type"].(string)
	return !allowedSELinuxTypes[t] || o["user"] != nil && o["user"] != "" || o["role"] != nil && o["role"] != ""
}

// capName normalizes a capability name: upper case, without CAP_.
func capName(s string) string {
	return strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "CAP_")
}

// profileType reads <key>.type of a securityContext (seccompProfile,
// appArmorProfile): RuntimeDefault, Localhost, Unconfined, "" when unset.
func (m *mapper) profileType(sc map[string]any, key, path string) string {
	p, _, _ := get[map[string]any](m, sc, key, path+"."+key)
	t, _ := p["type"].(string)
	return t
}

// annotationProfile reads a seccomp or AppArmor profile annotation
// (runtime/default, docker/default, localhost/<p>, unconfined) as the
// securityContext type it stands for; "" when absent.
func annotationProfile(annotations map[string]any, key string) string {
	v, _ := annotations[key].(string)
	switch {
	case v == "":
		return ""
	case v == "runtime/default" || v == "docker/default":
		return "RuntimeDefault"
	case strings.HasPrefix(v, "localhost/"):
		return "Localhost"
	case v == "unconfined":
		return "Unconfined"
	}
	return v
}

// ParseImage splits an image reference [registry/]repository[:tag][@digest]
// into its registry ("docker.io" when it names none), tag ("" when none)
// and digest ("" when none).
func ParseImage(ref string) (registry, tag, digest string) {
	if ref == "" {
		return "", "", ""
	}
	rest := ref
	if i := strings.Index(rest, "@"); i >= 0 {
		rest, digest = rest[:i], rest[i+1:]
	}
	registry = "docker.io"
	if first, after, ok := strings.Cut(rest, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		registry, rest = first, after
	}
	last := rest[strings.LastIndex(rest, "/")+1:]
	if i := strings.LastIndex(last, ":"); i >= 0 {
		tag = last[i+1:]
	}
	return registry, tag, digest
}

func strings_(v any) ([]string, bool) {
	switch v := v.(type) {
	case nil:
		return nil, true
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// rbac reads a role's rules or a binding's role and subjects.
func (m *mapper) rbac() *resource.KubernetesRBAC {
	f := m.obj.Fields
	b := &resource.KubernetesRBAC{Kind: m.obj.Kind(), Namespace: m.obj.Namespace()}
	switch m.obj.Kind() {
	case "Role", "ClusterRole":
		if f["aggregationRule"] != nil {
			// The controller fills an aggregated role's rules: not known here.
			return b
		}
		rules, _, ok := get[[]any](m, f, "rules", "rules")
		if !ok {
			return b
		}
		b.Rules = []resource.KubernetesPolicyRule{}
		for i, x := range rules {
			rm, isMap := x.(map[string]any)
			if !isMap {
				m.problem(fmt.Sprintf("rules[%d]", i), "is not an object")
				b.Rules = nil
				return b
			}
			var pr resource.KubernetesPolicyRule
			for _, fld := range []struct {
				key string
				dst *[]string
			}{{"apiGroups", &pr.APIGroups}, {"resources", &pr.Resources}, {"verbs", &pr.Verbs}, {"resourceNames", &pr.ResourceNames}, {"nonResourceURLs", &pr.NonResourceURLs}} {
				s, ok := strings_(rm[fld.key])
				if !ok {
					m.problem(fmt.Sprintf("rules[%d].%s", i, fld.key), "is not a list of strings")
					b.Rules = nil
					return b
				}
				*fld.dst = s
			}
			b.Rules = append(b.Rules, pr)
		}
	default:
		if ref, set, ok := get[map[string]any](m, f, "roleRef", "roleRef"); set && ok {
			b.RoleRef = &resource.KubernetesRoleRef{Kind: str(ref["kind"]), Name: str(ref["name"])}
		}
		subs, _, ok := get[[]any](m, f, "subjects", "subjects")
		if !ok {
			return b
		}
		b.Subjects = []resource.KubernetesSubject{}
		for _, x := range subs {
			sm, _ := x.(map[string]any)
			b.Subjects = append(b.Subjects, resource.KubernetesSubject{Kind: str(sm["kind"]), Name: str(sm["name"]), Namespace: str(sm["namespace"])})
		}
	}
	return b
}

// service reads a Service's exposure.
func (m *mapper) service() *resource.KubernetesService {
	s := &resource.KubernetesService{Namespace: m.obj.Namespace()}
	spec, _, ok := get[map[string]any](m, m.obj.Fields, "spec", "spec")
	if !ok {
		return s
	}
	if t, set, ok := get[string](m, spec, "type", "spec.type"); ok {
		s.Type = "ClusterIP"
		if set && t != "" {
			s.Type = t
		}
	}
	if ips, ok := strings_(spec["externalIPs"]); ok {
		s.ExternalIPs = append([]string{}, ips...)
	} else {
		m.problem("spec.externalIPs", "is not a list of strings")
	}
	if r, ok := strings_(spec["loadBalancerSourceRanges"]); ok {
		s.LoadBalancerSourceRanges = append([]string{}, r...)
	}
	return s
}
