package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/eks/types"
)

// runEKS collects the region's clusters (DescribeCluster: endpoint access,
// control plane logging, secrets encryption) as AWS Config items
// (AWS::EKS::Cluster, CloudFormation's property names).
func runEKS(ctx context.Context, t *Task) error {
	c := eks.NewFromConfig(t.Config)
	var names []string
	_, err := pages(ctx, t, "eks", "eks:ListClusters", eks.NewListClustersPaginator(eksListClusters(c.ListClusters), &eks.ListClustersInput{}),
		func(o *eks.ListClustersOutput) *string { return o.NextToken },
		func(o *eks.ListClustersOutput) { names = append(names, o.Clusters...) })
	if err != nil {
		return err
	}
	return each(ctx, names, func(name string) {
		arn := t.ARN("eks", t.Region, t.Account, "cluster/"+name)
		out, err := c.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String(name)})
		if err != nil || out.Cluster == nil {
			if err != nil {
				t.Fail("eks", "eks:DescribeCluster", arn, err)
			}
			// The cluster exists; its settings stay unknown.
			t.Item(Item{ResourceType: "AWS::EKS::Cluster", ResourceID: name, ResourceName: name, ARN: arn, RelationshipsUnknown: true})
			return
		}
		t.Item(clusterItem(*out.Cluster))
	})
}

// clusterItem is a cluster as AWS Config records it. Logging is
// CloudFormation's shape: the enabled log types only (the API lists
// enabled and disabled groups).
func clusterItem(cl types.Cluster) Item {
	cfg := map[string]any{
		"Name": cl.Name, "Arn": cl.Arn, "Version": cl.Version, "RoleArn": cl.RoleArn, "Endpoint": cl.Endpoint,
		"ClusterStatus": enum(cl.Status), "PlatformVersion": cl.PlatformVersion, "CreatedAt": cfgTime(cl.CreatedAt),
	}
	if ca := cl.CertificateAuthority; ca != nil {
		cfg["CertificateAuthorityData"] = ca.Data
	}
	if id := cl.Identity; id != nil && id.Oidc != nil {
		cfg["OpenIdConnectIssuerUrl"] = id.Oidc.Issuer
	}
	if v := cl.ResourcesVpcConfig; v != nil {
		cfg["ResourcesVpcConfig"] = omitNil(map[string]any{
			"SubnetIds": nonNil(v.SubnetIds), "SecurityGroupIds": nonNil(v.SecurityGroupIds),
			"ClusterSecurityGroupId": v.ClusterSecurityGroupId, "VpcId": v.VpcId,
			"EndpointPublicAccess": v.EndpointPublicAccess, "EndpointPrivateAccess": v.EndpointPrivateAccess,
			"PublicAccessCidrs": nonNil(v.PublicAccessCidrs),
		})
	}
	if n := cl.KubernetesNetworkConfig; n != nil {
		cfg["KubernetesNetworkConfig"] = omitNil(map[string]any{"ServiceIpv4Cidr": n.ServiceIpv4Cidr,
			"ServiceIpv6Cidr": n.ServiceIpv6Cidr, "IpFamily": enum(n.IpFamily)})
	}
	if a := cl.AccessConfig; a != nil {
		cfg["AccessConfig"] = omitNil(map[string]any{"AuthenticationMode": enum(a.AuthenticationMode),
			"BootstrapClusterCreatorAdminPermissions": a.BootstrapClusterCreatorAdminPermissions})
	}
	if l := cl.Logging; l != nil {
		types := []map[string]any{}
		for _, s := range l.ClusterLogging {
			if s.Enabled == nil || !*s.Enabled {
				continue
			}
			for _, ty := range s.Types {
				types = append(types, map[string]any{"Type": string(ty)})
			}
		}
		cfg["Logging"] = map[string]any{"ClusterLogging": map[string]any{"EnabledTypes": types}}
	}
	if len(cl.EncryptionConfig) > 0 {
		enc := []map[string]any{}
		for _, e := range cl.EncryptionConfig {
			m := map[string]any{"Resources": nonNil(e.Resources)}
			if e.Provider != nil {
				m["Provider"] = omitNil(map[string]any{"KeyArn": e.Provider.KeyArn})
			}
			enc = append(enc, m)
		}
		cfg["EncryptionConfig"] = enc
	}
	return Item{
		ResourceType: "AWS::EKS::Cluster", ResourceID: str(cl.Name), ResourceName: str(cl.Name), ARN: str(cl.Arn),
		AZ: "Regional", Created: cl.CreatedAt, Tags: cl.Tags, Configuration: omitNil(cfg),
	}
}
