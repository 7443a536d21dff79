// Package dynamo is the one storage adapter: the single DynamoDB table, its
// keys (built only here, always with the tenant prefix), and the error
// translation every store shares.
package dynamo

// Key attribute names of the single table. GSIs use generic names so that
// one index serves several access patterns.
const (
	AttrPK     = "PK"
	AttrSK     = "SK"
	AttrGSI1PK = "GSI1PK"
	AttrGSI1SK = "GSI1SK"
	AttrGSI2PK = "GSI2PK"
	AttrGSI2SK = "GSI2SK"
	AttrGSI3PK = "GSI3PK"
	AttrGSI3SK = "GSI3SK"
	AttrKind   = "kind"
	AttrTTL    = "expiresAt"
	AttrVer    = "version"

	IndexGSI1 = "GSI1"
	IndexGSI2 = "GSI2"
	IndexGSI3 = "GSI3"
)

// tenantPrefix is the start of every key of a tenant's partitions. The
// tenant ID is validated (identity.ValidID) before it reaches here, so it
// cannot contain the separator.
func tenantPrefix(tenant string) string { return "T#" + tenant + "#" }

// SettingsPK is the partition holding all settings of a tenant, so that
// one Query loads them.
func SettingsPK(tenant string) string { return tenantPrefix(tenant) + "SETTINGS" }

// SettingsSK is the sort key of one settings item: its kind and, for
// collections, its ID ("STATUS#01J..."), or just the kind for singletons.
func SettingsSK(kind, id string) string {
	if id == "" {
		return kind
	}
	return kind + "#" + id
}

// APIIDPK is the partition of the guard item that makes a case type's public
// API-ID unique across all tenants and resolves it to its tenant.
func APIIDPK(apiID string) string { return "APIID#" + apiID }
