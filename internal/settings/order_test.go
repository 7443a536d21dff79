package settings_test

import (
	"net/http"
	"testing"
)

// TestNewObjectsGoLastUnlessOrdered: a status or priority created without
// an order goes after every other one (it sorted first before); one with
// an order stands where that puts it.
func TestNewObjectsGoLastUnlessOrdered(t *testing.T) {
	for path, body := range map[string]map[string]any{
		statusesPath:   {"color": "#123456", "category": "open", "visibleToCustomer": true},
		prioritiesPath: {"color": "#123456", "startWithin": "PT4H", "resolveWithin": "P2D"},
	} {
		t.Run(path, func(t *testing.T) {
			h := newHarness(t)
			create := func(name string, order any) response {
				b := map[string]any{"name": name}
				for k, v := range body {
					b[k] = v
				}
				if order != nil {
					b["order"] = order
				}
				return ruleCreate(t, h, path, b)
			}
			last := create("Sist", nil)
			first := create("Först", 0)
			later := create("Senare", nil)
			if last.Num("order") != 50 || later.Num("order") != 60 || first.Num("order") != 0 {
				t.Errorf("orders %d, %d, %d; want 50 and 60 for the unordered, 0 as given",
					last.Num("order"), later.Num("order"), first.Num("order"))
			}
			ids := ruleRead(t, h, path).IDs()
			if len(ids) != 7 || ids[0] != first.Str("id") || ids[5] != last.Str("id") || ids[6] != later.Str("id") {
				t.Errorf("list %v: want %s first, then the defaults, then %s and %s", ids, first.Str("id"), last.Str("id"), later.Str("id"))
			}
			// A change without an order keeps the place.
			rulePatch(t, h, path+"/"+last.Str("id"), map[string]any{"name": "Sist ändå"}).Must(t, http.StatusOK)
			if ids := ruleRead(t, h, path).IDs(); ids[5] != last.Str("id") {
				t.Errorf("after a rename: %v", ids)
			}
		})
	}
}
