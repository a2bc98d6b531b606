package gcpcollect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"cloud.google.com/go/accessapproval/apiv1/accessapprovalpb"

	"github.com/vigil-sec/vigil/internal/collect"
)

const (
	svcAccessApproval  = "accessapproval.googleapis.com"
	permAccessApproval = "accessapproval.settings.get"
	// accessApprovalFile is where a project's Access Approval settings
	// go, as gcloud access-approval settings get --format json prints
	// them (CIS GCP 5.0 2.16), which the gcp importer reads.
	accessApprovalFile = "accessapproval.json"
)

// accessApproval writes a project's Access Approval settings. The API
// answers with the settings' name alone for a project that never enabled
// Access Approval, which the importer reads as not enrolled; a failed call
// writes nothing (unknown).
func (c *collector) accessApproval(ctx context.Context, s scope) {
	name := s.parent + "/accessApprovalSettings"
	got, err := c.approval.GetAccessApprovalSettings(ctx, &accessapprovalpb.GetAccessApprovalSettingsMessage{Name: name}, c.call...)
	if err != nil {
		if ctx.Err() == nil {
			c.fail(s.account, svcAccessApproval, permAccessApproval, name, err)
		}
		return
	}
	b, err := restJSON.Marshal(got)
	if err != nil {
		c.rec.Fail(collect.Failure{Cloud: cloudCloud, Account: s.account, Service: svcAccessApproval, Call: permAccessApproval, Resource: name,
			Kind: collect.Failed, Err: "the settings cannot be written as JSON: " + err.Error()})
		return
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		buf.Reset()
		buf.Write(b)
	}
	buf.WriteByte('\n')
	if err := c.sink.Write(ctx, "gcp/"+collect.SafeSegment(s.dir)+"/"+accessApprovalFile, buf.Bytes()); err != nil {
		c.mu.Lock()
		if c.sinkErr == nil {
			c.sinkErr = fmt.Errorf("gcp %s: %w", s.parent, err)
		}
		c.mu.Unlock()
	}
}
