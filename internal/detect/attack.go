package detect

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

// tactics maps Sigma attack.* tactic tags (sigma-appendix-tags) to ATT&CK
// tactic ids and names. ATT&CK v18 split Defense Evasion into Stealth and
// Defense Impairment; SigmaHQ rules use the new names, which have no tactic
// id vigil can vouch for, so only their name is set.
var tactics = map[string]ocsf.Technique{
	"reconnaissance":       {UID: "TA0043", Name: "Reconnaissance"},
	"resource-development": {UID: "TA0042", Name: "Resource Development"},
	"initial-access":       {UID: "TA0001", Name: "Initial Access"},
	"execution":            {UID: "TA0002", Name: "Execution"},
	"persistence":          {UID: "TA0003", Name: "Persistence"},
	"privilege-escalation": {UID: "TA0004", Name: "Privilege Escalation"},
	"defense-evasion":      {UID: "TA0005", Name: "Defense Evasion"},
	"stealth":              {Name: "Stealth"},
	"defense-impairment":   {Name: "Defense Impairment"},
	"credential-access":    {UID: "TA0006", Name: "Credential Access"},
	"discovery":            {UID: "TA0007", Name: "Discovery"},
	"lateral-movement":     {UID: "TA0008", Name: "Lateral Movement"},
	"collection":           {UID: "TA0009", Name: "Collection"},
	"exfiltration":         {UID: "TA0010", Name: "Exfiltration"},
	"command-and-control":  {UID: "TA0011", Name: "Command and Control"},
	"impact":               {UID: "TA0040", Name: "Impact"},
}

// TacticFamily returns the tactic a tag names, folding ATT&CK v18's
// Stealth and Defense Impairment into "defense-evasion" so that reports
// and tests can ask for defense evasion across ATT&CK versions. It returns
// "" for tags that are not tactics.
func TacticFamily(tag string) string {
	t := strings.TrimPrefix(strings.ToLower(tag), "attack.")
	if _, ok := tactics[t]; !ok {
		return ""
	}
	if t == "stealth" || t == "defense-impairment" {
		return "defense-evasion"
	}
	return t
}

// Attacks builds OCSF attack objects from a rule's attack.* tags: with one
// tactic, one object per technique under that tactic; with several, one
// object per tactic and one per technique. Other tags are ignored.
func Attacks(tags []string) []ocsf.Attack {
	var tacs []ocsf.Technique
	var techs []ocsf.Technique
	for _, tag := range tags {
		t := strings.ToLower(tag)
		if !strings.HasPrefix(t, "attack.") {
			continue
		}
		t = strings.TrimPrefix(t, "attack.")
		if tac, ok := tactics[t]; ok {
			tacs = append(tacs, tac)
			continue
		}
		if isTechniqueID(t) {
			techs = append(techs, ocsf.Technique{UID: strings.ToUpper(t)})
		}
	}
	var out []ocsf.Attack
	if len(tacs) == 1 {
		// One tactic: every technique is under it.
		for i := range techs {
			out = append(out, ocsf.Attack{Tactic: &tacs[0], Technique: &techs[i]})
		}
		if len(techs) == 0 {
			out = append(out, ocsf.Attack{Tactic: &tacs[0]})
		}
		return out
	}
	// Several tactics: a rule's tags do not say which technique belongs to
	// which tactic, so list them separately rather than invent pairs.
	for i := range tacs {
		out = append(out, ocsf.Attack{Tactic: &tacs[i]})
	}
	for i := range techs {
		out = append(out, ocsf.Attack{Technique: &techs[i]})
	}
	return out
}

// isTechniqueID reports whether t looks like t1234 or t1234.001.
func isTechniqueID(t string) bool {
	if len(t) < 5 || t[0] != 't' {
		return false
	}
	digits := 0
	for i := 1; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && digits == 4:
		default:
			return false
		}
	}
	return digits == 4 || digits == 7
}
