package azure

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// SQLAlertPolicy is an Azure SQL server's security alert policy
// (Microsoft.Sql/servers/securityAlertPolicies: Microsoft Defender for SQL
// threat detection) as the importer and the ARM reader read it. State nil
// and a list not Known are values the input does not tell; an absent list
// is known and empty. The REST API writes an empty list as [""].
type SQLAlertPolicy struct {
	State         *string
	Disabled      []string
	DisabledKnown bool
	Emails        []string
	EmailsKnown   bool
	Admins        *bool
}

// Facts are the server's threat_alerts (the policy is Enabled with no
// alert type disabled) and threat_alert_recipients (it mails an address or
// the subscription's administrators) facts.
func (p SQLAlertPolicy) Facts() (alerts, recipients *bool) {
	var on *bool
	if p.State != nil {
		on = resource.Bool(strings.EqualFold(*p.State, "Enabled"))
	}
	var all *bool
	if p.DisabledKnown {
		all = resource.Bool(!nonEmpty(p.Disabled))
	}
	var mailed *bool
	if p.EmailsKnown {
		mailed = resource.Bool(nonEmpty(p.Emails))
	}
	return resource.And(on, all), resource.Or(mailed, p.Admins)
}

// nonEmpty: whether the list holds a text other than "".
func nonEmpty(l []string) bool {
	for _, s := range l {
		if s != "" {
			return true
		}
	}
	return false
}
