// Package azure imports Azure Resource Graph query results (`az graph query`
// output and bare arrays of rows, from the resources, resourcecontainers,
// securityresources and authorizationresources tables) and `az ... list`
// outputs of the same rows, into vigil's resource model.
package azure
