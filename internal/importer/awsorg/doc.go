// Package awsorg imports the AWS Organizations offline format
// (docs/formats/aws-organizations.md): the organization, its roots, OUs,
// accounts and policies as the AWS CLI prints them, with the service and
// resource control policies that apply to every account down the tree.
package awsorg
