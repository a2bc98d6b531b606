package awscollect

import (
	"reflect"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"
)

// cliForm is v (an SDK structure, or maps and slices of them) as the aws
// CLI prints it, for the services whose members the CLI names in lower
// camel case (Direct Connect, API Gateway REST: virtualInterfaceId,
// resourceMethods) when lower, or as the SDK names them (API Gateway v2:
// IntegrationType) otherwise. Unlike camel and cliValue it keeps the keys
// of the API's own maps as they are (a REST resource's methods "GET",
// "POST"; tags), and it leaves out what the service did not say (nil
// pointers, slices and maps, empty enum values) and the members named in
// drop (secrets such as a BGP authentication key), at any depth. Times
// are printed as the CLI prints them; union members (interfaces) are left
// out.
func cliForm(v any, lower bool, drop ...string) any {
	out, _ := cliValueOf(reflect.ValueOf(v), lower, drop)
	return out
}

// cliValueOf converts one value; ok false: leave it out.
func cliValueOf(v reflect.Value, lower bool, drop []string) (any, bool) {
	if !v.IsValid() {
		return nil, false
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() || v.Kind() == reflect.Interface && v.NumMethod() > 0 {
			return nil, false // nil, or an SDK union or document: not in the CLI's shape
		}
		return cliValueOf(v.Elem(), lower, drop)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			t := v.Interface().(time.Time)
			return cliTime(&t), !t.IsZero()
		}
		m := map[string]any{}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Name == "ResultMetadata" || slices.Contains(drop, f.Name) {
				continue
			}
			name := f.Name
			if lower {
				r, n := utf8.DecodeRuneInString(name)
				name = string(unicode.ToLower(r)) + name[n:]
			}
			if x, ok := cliValueOf(v.Field(i), lower, drop); ok {
				m[name] = x
			}
		}
		return m, true
	case reflect.Map:
		if v.IsNil() {
			return nil, false
		}
		m := map[string]any{}
		it := v.MapRange()
		for it.Next() {
			if x, ok := cliValueOf(it.Value(), lower, drop); ok {
				m[it.Key().String()] = x
			}
		}
		return m, true
	case reflect.Slice:
		if v.IsNil() {
			return nil, false
		}
		l := make([]any, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			if x, ok := cliValueOf(v.Index(i), lower, drop); ok {
				l = append(l, x)
			}
		}
		return l, true
	case reflect.String:
		return v.String(), v.String() != "" || v.Type() == reflect.TypeOf("")
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint(), true
	case reflect.Float32, reflect.Float64:
		return v.Float(), true
	}
	return nil, false
}
