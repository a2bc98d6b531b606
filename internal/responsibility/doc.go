// Package responsibility is the shared-responsibility view: for the cloud
// services an inventory actually holds, which security controls the cloud
// provider operates, which the customer must, and which are shared.
//
// The data (responsibility.yaml, embedded) lists the controls, the
// responsibilities of each kind of service (IaaS compute, managed database,
// object storage, serverless functions, managed Kubernetes, key management,
// identity, networking, queues, secrets, DNS, CDN, API gateway...) and the
// services of AWS, Azure and Google Cloud with their native resource types
// and vigil classes, each with its source: the cloud's published
// shared-responsibility model and the service's security page. A resource
// is matched to a service by its native type, else by its class.
package responsibility
