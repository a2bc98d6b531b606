package arm

import (
	"strings"
)

// level is the scope a template deploys to.
type level uint8

const (
	scopeResourceGroup level = iota
	scopeSubscription
	scopeManagementGroup
	scopeTenant
)

// Placeholders stand for the parts of resource IDs that are not known
// before deployment, so that IDs built by resourceId() still identify the
// template's own resources (relationships between them resolve).
const (
	subPlaceholder = "{subscriptionId}"
	rgPlaceholder  = "{resourceGroupName}"
	mgPlaceholder  = "{managementGroupName}"
)

// deployCtx is where a template deploys: "" where not known.
type deployCtx struct {
	level                      level
	sub, rg, loc, tenantID, mg string
}

func levelOf(schema string) level {
	s := strings.ToLower(schema)
	switch {
	case strings.Contains(s, "subscriptiondeploymenttemplate"):
		return scopeSubscription
	case strings.Contains(s, "managementgroupdeploymenttemplate"):
		return scopeManagementGroup
	case strings.Contains(s, "tenantdeploymenttemplate"):
		return scopeTenant
	}
	return scopeResourceGroup
}

func orPlaceholder(v, p string) string {
	if v == "" {
		return p
	}
	return v
}

func orUnknown(v string) any {
	if v == "" {
		return unk
	}
	return v
}

func (c *deployCtx) subID() string { return "/subscriptions/" + orPlaceholder(c.sub, subPlaceholder) }

func (c *deployCtx) rgID() string {
	return c.subID() + "/resourceGroups/" + orPlaceholder(c.rg, rgPlaceholder)
}

// scopeID is the ID of the scope the template deploys to.
func (c *deployCtx) scopeID() string {
	switch c.level {
	case scopeSubscription:
		return c.subID()
	case scopeManagementGroup:
		return "/providers/Microsoft.Management/managementGroups/" + orPlaceholder(c.mg, mgPlaceholder)
	case scopeTenant:
		return ""
	}
	return c.rgID()
}

func (c *deployCtx) resourceGroup() any {
	return map[string]any{
		"id": c.rgID(), "name": orUnknown(c.rg), "location": orUnknown(c.loc),
		"type": "Microsoft.Resources/resourceGroups", "properties": map[string]any{"provisioningState": "Succeeded"},
		"tags": unk, "managedBy": unk,
	}
}

func (c *deployCtx) subscription() any {
	return map[string]any{
		"id": c.subID(), "subscriptionId": orUnknown(c.sub), "tenantId": orUnknown(c.tenantID), "displayName": unk,
	}
}

func (c *deployCtx) tenant() any {
	return map[string]any{"tenantId": orUnknown(c.tenantID), "countryCode": unk, "displayName": unk}
}

// resourcePath joins a type (Namespace/t1/t2) and names into the part of
// an ID after /providers/: Namespace/t1/n1/t2/n2.
func resourcePath(typ string, names []string) string {
	segs := strings.Split(typ, "/")
	var b strings.Builder
	b.WriteString(segs[0])
	for i, t := range segs[1:] {
		b.WriteString("/" + t)
		if i < len(names) {
			b.WriteString("/" + names[i])
		}
	}
	return b.String()
}

// splitName splits a resource name into its segments (parent/child).
func splitName(name string) []string { return strings.Split(name, "/") }

func fnResourceID(kind level) func(*scope, []any) (any, error) {
	return func(s *scope, a []any) (any, error) {
		strs := make([]string, len(a))
		for i, x := range a {
			v, ok := x.(string)
			if !ok {
				return nil, errorf("argument %d is a %s", i+1, typeName(x))
			}
			strs[i] = v
		}
		ti := -1
		for i, v := range strs {
			if strings.Count(v, "/") >= 1 && strings.Contains(v[:strings.IndexByte(v, '/')], ".") {
				ti = i
				break
			}
		}
		if ti < 0 {
			return nil, errorf("no resource type among the arguments")
		}
		if ti > 2 {
			return nil, errorf("too many arguments before the resource type")
		}
		ctx := *s.t.ctx
		switch kind {
		case scopeResourceGroup:
			switch ti {
			case 1:
				ctx.rg = strs[0]
			case 2:
				ctx.sub, ctx.rg = strs[0], strs[1]
			}
			if ti == 0 && ctx.level != scopeResourceGroup {
				if ctx.level == scopeSubscription {
					kind = scopeSubscription
				} else {
					kind = scopeTenant
				}
			}
		case scopeSubscription:
			if ti == 1 {
				ctx.sub = strs[0]
			}
		case scopeManagementGroup:
			if ti == 1 {
				ctx.mg = strs[0]
			}
		}
		var prefix string
		switch kind {
		case scopeResourceGroup:
			prefix = ctx.rgID()
		case scopeSubscription:
			prefix = ctx.subID()
		case scopeManagementGroup:
			prefix = "/providers/Microsoft.Management/managementGroups/" + orPlaceholder(ctx.mg, mgPlaceholder)
		}
		typ := strs[ti]
		names := strs[ti+1:]
		if len(names) != strings.Count(typ, "/") {
			return nil, errorf("%s needs %d names, got %d", typ, strings.Count(typ, "/"), len(names))
		}
		return prefix + "/providers/" + resourcePath(typ, names), nil
	}
}

func fnExtensionResourceID(_ *scope, a []any) (any, error) {
	strs := make([]string, len(a))
	for i, x := range a {
		v, ok := x.(string)
		if !ok {
			return nil, errorf("argument %d is a %s", i+1, typeName(x))
		}
		strs[i] = v
	}
	typ, names := strs[1], strs[2:]
	if len(names) != strings.Count(typ, "/") {
		return nil, errorf("%s needs %d names, got %d", typ, strings.Count(typ, "/"), len(names))
	}
	return strings.TrimSuffix(strs[0], "/") + "/providers/" + resourcePath(typ, names), nil
}
