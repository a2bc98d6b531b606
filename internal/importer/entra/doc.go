// Package entra imports the Entra ID offline format
// (docs/formats/entra-id.md): Microsoft Graph responses of one tenant
// (users, groups, service principals, applications, directory roles and
// role assignments) as identity, group, role and binding resources.
package entra
