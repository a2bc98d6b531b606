// Package ticket is vigil respond's ticketing actions: Jira Cloud (REST
// v3), ServiceNow (Table API, incidents) and GitHub issues. Each ticket is
// marked with its subject (a label, a correlation id) and Apply searches
// for an open one first, so a subject never gets two; tokens are secret
// references resolved only when applied, so Plan makes no call.
package ticket
