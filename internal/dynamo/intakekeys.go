package dynamo

import "strings"

// Intake: the tenant's API keys, the idempotency records of website
// intake, the index of the browser origins keys allow, and the index of
// contacts by e-mail address.
//
//	T#<t>#APIKEYS           KEY#<id>          an API key (its SHA-256, its
//	                                          settings, its use this minute)
//	T#<t>#IDEMPOTENCY#<k>   IDEMPOTENCY       the first answer to an
//	                                          Idempotency-Key, removed by TTL
//	ORIGIN#<origin>         ORIGIN            which keys allow a browser
//	                                          origin (the system's: a
//	                                          preflight names no tenant)
//	T#<t>#CONTACTEMAIL#<e>  CONTACTEMAIL      the contacts with an address
const (
	APIKeySKPrefix  = "KEY#"
	IdempotencySK   = "IDEMPOTENCY"
	OriginSK        = "ORIGIN"
	ContactEmailSK  = "CONTACTEMAIL"
	originPKPrefix  = "ORIGIN#"
	contactEmailTag = "CONTACTEMAIL#"
)

// APIKeysPK is the partition of a tenant's API keys: one Query lists them.
func APIKeysPK(tenant string) string { return tenantPrefix(tenant) + "APIKEYS" }

// APIKeySK is the sort key of the API key with the ID.
func APIKeySK(id string) string { return APIKeySKPrefix + id }

// IdempotencyPK is the partition of the record of one Idempotency-Key of
// a tenant; scope names what the key is unique in (an API key's ID and
// the SHA-256 of the header, in hex: fixed width, no separator of ours).
func IdempotencyPK(tenant, scope string) string { return tenantPrefix(tenant) + "IDEMPOTENCY#" + scope }

// OriginPK is the partition of the item that says which API keys allow a
// browser origin ("https://www.example.se"), across tenants: a CORS
// preflight carries no key, only its origin. The origin is the key's last
// part: whatever it holds cannot be mistaken for another part.
func OriginPK(origin string) string { return originPKPrefix + origin }

// ContactEmailPK is the partition of the item listing a tenant's
// contacts with the e-mail address, compared case-insensitively (the
// address lower-cased, as the key's last part).
func ContactEmailPK(tenant, email string) string {
	return tenantPrefix(tenant) + contactEmailTag + strings.ToLower(email)
}
