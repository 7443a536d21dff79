// Package dynamo is the one storage adapter: the single DynamoDB table, its
// keys (built only here, always with the tenant prefix), and the error
// translation every store shares.
package dynamo

import (
	"github.com/workcloud/arendehantering/internal/collation"
	"strings"
	"time"
)

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

// CustomerPK is the partition of one customer: the customer item and one
// guard item per contact, so that a contact's membership can be proved by
// a ConditionCheck on its guard without reading the customer.
// CustomerPK(tenant, "") is the prefix every customer partition starts with.
func CustomerPK(tenant, id string) string { return tenantPrefix(tenant) + "CUSTOMER#" + id }

// CustomerSK is the sort key of the customer item in its partition.
const CustomerSK = "CUSTOMER"

// ContactSK is the sort key of a contact's guard item in its customer's
// partition.
func ContactSK(contactID string) string { return "CONTACT#" + contactID }

// CustomersGSI1PK is the GSI1 partition listing a tenant's customers by name.
func CustomersGSI1PK(tenant string) string { return tenantPrefix(tenant) + "CUSTOMERS" }

// CustomerNameSK is a customer's GSI1 sort key: the Swedish collation key
// of its name, so the list reads as Swedes expect (... z, å, ä, ö, whatever
// the case), then its ID, so that equal names still have distinct, stable
// positions.
func CustomerNameSK(name, id string) string { return collation.Key(name) + "#" + id }

// OrderPK is the partition of one order.
// OrderPK(tenant, "") is the prefix every order partition starts with.
func OrderPK(tenant, id string) string { return tenantPrefix(tenant) + "ORDER#" + id }

// OrderSK is the sort key of the order item.
const OrderSK = "ORDER"

// OrdersGSI1PK is the GSI1 partition listing a tenant's orders by creation.
func OrdersGSI1PK(tenant string) string { return tenantPrefix(tenant) + "ORDERS" }

// CustomerOrdersGSI2PK is the GSI2 partition listing one customer's orders
// by creation.
func CustomerOrdersGSI2PK(tenant, customerID string) string {
	return CustomerPK(tenant, customerID) + "#ORDERS"
}

// OrderTimeSK is an order's GSI1 and GSI2 sort key: its creation time, then
// its ID. The time is written with a fixed three-digit fraction (KeyTime):
// RFC 3339 with trailing zeros trimmed (time.RFC3339Nano) does not sort by
// time as a string ("09:00:00Z" sorts after "09:00:00.1Z").
func OrderTimeSK(createdAt time.Time, id string) string {
	return KeyTime(createdAt) + "#" + id
}

// OrderNumberPK is the partition of the guard item that makes an order
// number unique within its tenant. Numbers are compared case-insensitively
// (SO-1 and so-1 are one number to a person), so the key holds the number
// lower-cased. The number is the key's last part: whatever it contains
// cannot be mistaken for another part.
func OrderNumberPK(tenant, number string) string {
	return tenantPrefix(tenant) + "ORDERNO#" + strings.ToLower(number)
}

// OrderNumberSK is the sort key of an order-number guard item.
const OrderNumberSK = "ORDERNO"
