package resource

// K8s is the provider of objects read from Kubernetes manifests and
// Helm charts (internal/iac/kubernetes, internal/iac/helm): workloads, RBAC
// objects, Services and namespaces. Their Account is the object's namespace
// ("" for cluster-scoped objects and for objects whose manifest does not
// say), their Region "".
const K8s Provider = "kubernetes"

// Facts of the Kubernetes object classes. They describe the object as its
// manifest declares it, the way the Pod Security Standards judge a pod
// spec: a field the manifest leaves out takes the Kubernetes API default
// (privileged false, hostNetwork false, automountServiceAccountToken true,
// Service type ClusterIP); a field with no default (runAsNonRoot, a seccomp
// profile) is "not set", which is itself a known fact. A value the reader
// cannot know (a field of the wrong type, a Helm value left unrendered)
// leaves the fact nil.
//
// Most workload facts are lists naming the containers that break a control
// ("app", "init:setup"): a non-nil empty list means no container does (PASS),
// nil means the reader could not tell for some container (UNKNOWN). Init
// and ephemeral containers count like the others, as in the Pod Security
// Standards.

// KubernetesWorkload: a Pod, or a controller's pod template (Deployment,
// DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job, CronJob,
// PodTemplate, OpenShift DeploymentConfig, Argo Rollout).
type KubernetesWorkload struct {
	// Kind is the object's kind (Deployment, CronJob, Pod...).
	Kind string `json:"kind,omitempty"`
	// Namespace is metadata.namespace as written, "" when the manifest
	// leaves it to the client (kubectl -n, the Helm release namespace).
	Namespace string `json:"namespace,omitempty"`
	// OS is the pod's spec.os.name (linux, windows), "" when not set. The
	// restricted profile's Linux-only controls do not apply to windows.
	OS string `json:"os,omitempty"`
	// Containers lists the pod's containers (init and ephemeral too); nil
	// when a container has no image (a Helm value that rendered nothing).
	Containers []KubernetesContainer `json:"containers,omitempty"`

	// Host namespaces (PSS baseline "Host Namespaces"): hostNetwork,
	// hostPID, hostIPC, false when absent.
	HostNetwork *bool `json:"host_network,omitempty"`
	HostPID     *bool `json:"host_pid,omitempty"`
	HostIPC     *bool `json:"host_ipc,omitempty"`
	// HostProcess: containers with windowsOptions.hostProcess true
	// (container's or pod's).
	HostProcess []string `json:"host_process,omitempty"`
	// Privileged: containers with securityContext.privileged true.
	Privileged []string `json:"privileged,omitempty"`
	// PrivilegeEscalation: containers that do not set
	// allowPrivilegeEscalation to false (the API default allows it).
	PrivilegeEscalation []string `json:"privilege_escalation,omitempty"`
	// RunAsNonRootUnset: containers for which neither the container's nor
	// the pod's securityContext sets runAsNonRoot to true.
	RunAsNonRootUnset []string `json:"run_as_non_root_unset,omitempty"`
	// RunAsRootUser: containers whose effective runAsUser is 0.
	RunAsRootUser []string `json:"run_as_root_user,omitempty"`
	// LowUID / LowGID: containers whose effective runAsUser / runAsGroup
	// is unset or at most 10000, the range host users and groups use.
	LowUID []string `json:"low_uid,omitempty"`
	LowGID []string `json:"low_gid,omitempty"`
	// CapabilitiesAdded: each capability a container adds (upper case,
	// without CAP_).
	CapabilitiesAdded []KubernetesCapability `json:"capabilities_added,omitempty"`
	// CapabilitiesNotDroppingAll: containers whose capabilities.drop does
	// not include ALL.
	CapabilitiesNotDroppingAll []string `json:"capabilities_not_dropping_all,omitempty"`
	// WritableRootFilesystem: containers without readOnlyRootFilesystem true.
	WritableRootFilesystem []string `json:"writable_root_filesystem,omitempty"`
	// Seccomp: each container's effective seccomp profile type (the
	// container's, else the pod's; "" when neither sets one).
	Seccomp []KubernetesProfile `json:"seccomp,omitempty"`
	// AppArmor: each container's AppArmor profile (securityContext
	// appArmorProfile.type, container's or pod's, or the beta annotation
	// container.apparmor.security.beta.kubernetes.io/<name>) as
	// RuntimeDefault, Localhost or Unconfined; "" when not set.
	AppArmor []KubernetesProfile `json:"apparmor,omitempty"`
	// SELinuxCustom: containers (or "pod") whose seLinuxOptions set a user
	// or a role, or a type other than container_t, container_init_t,
	// container_kvm_t and container_engine_t (PSS baseline "SELinux").
	SELinuxCustom []string `json:"selinux_custom,omitempty"`
	// UnmaskedProcMount: containers with procMount other than Default.
	UnmaskedProcMount []string `json:"unmasked_proc_mount,omitempty"`
	// Sysctls are the pod's securityContext.sysctls names.
	Sysctls []string `json:"sysctls,omitempty"`
	// HostPaths are the paths of the pod's hostPath volumes.
	HostPaths []string `json:"host_paths,omitempty"`
	// VolumeTypes are the pod's volume source types (configMap, hostPath...).
	VolumeTypes []string `json:"volume_types,omitempty"`
	// HostPorts: each hostPort a container declares (other than 0).
	HostPorts []KubernetesPort `json:"host_ports,omitempty"`
	// Resources unset per container: containers without a CPU / memory
	// limit / request (a request left out defaults to the limit).
	NoCPULimit      []string `json:"no_cpu_limit,omitempty"`
	NoMemoryLimit   []string `json:"no_memory_limit,omitempty"`
	NoCPURequest    []string `json:"no_cpu_request,omitempty"`
	NoMemoryRequest []string `json:"no_memory_request,omitempty"`
	// Probes unset: regular containers without a liveness / readiness probe.
	NoLivenessProbe  []string `json:"no_liveness_probe,omitempty"`
	NoReadinessProbe []string `json:"no_readiness_probe,omitempty"`
	// EnvironmentSecrets: environment variables given a literal value
	// (not valueFrom) that look like credentials, as "container: NAME".
	EnvironmentSecrets []string `json:"environment_secrets,omitempty"`
	// AutomountServiceAccountToken is the pod's setting; when the pod
	// leaves it out, the setting of its ServiceAccount object if the scan
	// holds one that sets it, else true (the API default).
	AutomountServiceAccountToken *bool `json:"automount_service_account_token,omitempty"`
	// ServiceAccount is serviceAccountName, "default" when absent.
	ServiceAccount string `json:"service_account,omitempty"`
}

// KubernetesContainer is one container of a pod spec and its image
// reference parsed: Registry is the registry host ("docker.io" when the
// reference names none), Tag "" when the image has none, Digest the
// "sha256:..." pin, "" when none.
type KubernetesContainer struct {
	Name string `json:"name"`
	// Kind is "container", "init" or "ephemeral".
	Kind     string `json:"kind"`
	Image    string `json:"image,omitempty"`
	Registry string `json:"registry,omitempty"`
	Tag      string `json:"tag,omitempty"`
	Digest   string `json:"digest,omitempty"`
}

// KubernetesCapability is a capability a container adds.
type KubernetesCapability struct {
	Container  string `json:"container"`
	Capability string `json:"capability"`
}

// KubernetesProfile is a container's security profile type.
type KubernetesProfile struct {
	Container string `json:"container"`
	Type      string `json:"type"`
}

// KubernetesPort is a host port a container binds.
type KubernetesPort struct {
	Container string `json:"container"`
	Port      int    `json:"port"`
}

// KubernetesRBAC: a Role or ClusterRole (Rules), or a RoleBinding or
// ClusterRoleBinding (RoleRef and Subjects).
type KubernetesRBAC struct {
	Kind      string `json:"kind,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	// Rules are a role's policy rules (non-nil, possibly empty, on roles).
	Rules []KubernetesPolicyRule `json:"rules,omitempty"`
	// RoleRef is the role a binding grants: kind (Role or ClusterRole) and name.
	RoleRef *KubernetesRoleRef `json:"role_ref,omitempty"`
	// Subjects are the users, groups and service accounts a binding
	// grants the role to.
	Subjects []KubernetesSubject `json:"subjects,omitempty"`
}

// KubernetesPolicyRule is one rule of a Role or ClusterRole.
type KubernetesPolicyRule struct {
	APIGroups       []string `json:"api_groups,omitempty"`
	Resources       []string `json:"resources,omitempty"`
	Verbs           []string `json:"verbs,omitempty"`
	ResourceNames   []string `json:"resource_names,omitempty"`
	NonResourceURLs []string `json:"non_resource_urls,omitempty"`
}

// KubernetesRoleRef is a binding's roleRef.
type KubernetesRoleRef struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// KubernetesSubject is a binding's subject: kind User, Group or
// ServiceAccount.
type KubernetesSubject struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

// KubernetesService: a Service.
type KubernetesService struct {
	Namespace string `json:"namespace,omitempty"`
	// Type is spec.type, ClusterIP when absent.
	Type string `json:"type,omitempty"`
	// ExternalIPs are spec.externalIPs (non-nil, possibly empty, when known).
	ExternalIPs []string `json:"external_ips,omitempty"`
	// LoadBalancerSourceRanges restrict a LoadBalancer's clients.
	LoadBalancerSourceRanges []string `json:"load_balancer_source_ranges,omitempty"`
}

// KubernetesNamespace: a namespace, as declared by a Namespace object or
// used by the objects of the scanned manifests ("" is the namespace the
// manifests leave to the client). Its network-policy facts are computed
// over the NetworkPolicy objects of the same source.
type KubernetesNamespace struct {
	// DefaultDenyIngress is true when a NetworkPolicy of the namespace
	// selects every pod (empty podSelector), has Ingress among its
	// policyTypes and allows no ingress.
	DefaultDenyIngress *bool `json:"default_deny_ingress,omitempty"`
	// DefaultDenyEgress: the same for egress.
	DefaultDenyEgress *bool `json:"default_deny_egress,omitempty"`
	// NetworkPolicies counts the namespace's NetworkPolicy objects.
	NetworkPolicies *int `json:"network_policies,omitempty"`
	// Declared is true when a Namespace object of the scan declares it.
	Declared *bool `json:"declared,omitempty"`
	// PodSecurityEnforce is the Namespace object's
	// pod-security.kubernetes.io/enforce label (privileged, baseline,
	// restricted), "" when it has none or the scan does not declare it.
	PodSecurityEnforce string `json:"pod_security_enforce,omitempty"`
	// PodSecurityEnforced is true when the declared namespace enforces the
	// baseline or restricted Pod Security Standard through that label,
	// false when it is declared without it (or with privileged), nil
	// when the scan does not declare the namespace.
	PodSecurityEnforced *bool `json:"pod_security_enforced,omitempty"`
	// Workloads counts the workloads in the namespace.
	Workloads *int `json:"workloads,omitempty"`
}
