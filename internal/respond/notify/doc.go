// Package notify is vigil respond's notification actions: a generic JSON
// webhook (optionally HMAC-signed), Slack incoming webhooks, Microsoft Teams
// workflow webhooks and email over SMTP. Plan shows the exact message;
// Apply sends it, resolving the secret URL or password only then.
package notify
