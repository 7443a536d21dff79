package settings

import "github.com/workcloud/arendehantering/internal/timestamp"

// The standard case fields (Ärendefält) and the case-detail menu items
// (Meny ärendedetaljer) the product knows.
var (
	standardFieldKeys = []string{"title", "description", "type", "priority", "deadline", "customer", "contact", "assignees", "linkedOrder"}
	menuKeys          = []string{"details", "tasks", "conversation", "comments", "events", "time-reports"}
	mandatoryMenuKeys = []string{"details"}
	textKeys          = []string{"case-created", "case-closed", "conversation-message", "conversation-link", "conversation-reply", "review-request", "mention", "sla-breach"}
	locales           = []string{"sv", "en"}
)

// defaults returns the settings a new tenant starts with, in Swedish,
// stamped with now.
func defaults(tenant string, now timestamp.Time) (*Snapshot, error) {
	s := newSnapshot(tenant)
	s.Revision = 1
	meta := func(id string) Meta { return Meta{ID: id, Version: 1, CreatedAt: now, UpdatedAt: now} }

	s.General = &General{Meta: meta(""), SendMailOnCreate: true, CustomerAccess: "link", TimeZone: "Europe/Stockholm", Locale: "sv"}

	for _, st := range []Status{
		{Meta: meta("status-new"), Name: "Ny", Color: "#1E88E5", Category: CategoryNew, VisibleToCustomer: true, Order: 10, IsDefault: true},
		{Meta: meta("status-in-progress"), Name: "Pågående", Color: "#FB8C00", Category: CategoryOpen, VisibleToCustomer: true, Order: 20},
		{Meta: meta("status-waiting"), Name: "Väntar på kund", Color: "#8E24AA", Category: CategoryWaiting, VisibleToCustomer: true, Order: 30},
		{Meta: meta("status-closed"), Name: "Avslutad", Color: "#43A047", Category: CategoryClosed, VisibleToCustomer: true, Order: 40},
	} {
		s.Statuses[st.ID] = &st
	}
	for _, p := range []Priority{
		{Meta: meta("priority-low"), Name: "Låg", Color: "#90A4AE", StartWithin: "P2D", ResolveWithin: "P10D", Order: 10},
		{Meta: meta("priority-normal"), Name: "Normal", Color: "#1E88E5", StartWithin: "P1D", ResolveWithin: "P5D", Order: 20, IsDefault: true},
		{Meta: meta("priority-high"), Name: "Hög", Color: "#FB8C00", StartWithin: "PT4H", ResolveWithin: "P2D", Order: 30},
		{Meta: meta("priority-urgent"), Name: "Akut", Color: "#E53935", StartWithin: "PT1H", ResolveWithin: "PT8H", Order: 40},
	} {
		s.Priorities[p.ID] = &p
	}

	cf := &CaseFields{Meta: meta("")}
	for _, k := range standardFieldKeys {
		mandatory := k == "title"
		cf.Fields = append(cf.Fields, CaseField{Key: k, Active: true, Mandatory: mandatory})
	}
	s.CaseFields = cf

	labels := map[string]string{"details": "Detaljer", "tasks": "Uppgifter", "conversation": "Konversation",
		"comments": "Kommentarer", "events": "Händelser", "time-reports": "Tidrapporter"}
	menu := &CaseMenu{Meta: meta("")}
	for i, k := range menuKeys {
		placement := "main"
		if k == "events" || k == "time-reports" {
			placement = "dropdown"
		}
		menu.Items = append(menu.Items, MenuItem{Key: k, Label: labels[k], Enabled: true,
			Mandatory: k == "details", Placement: placement, Order: (i + 1) * 10})
	}
	s.Menu = menu

	s.External = &External{Meta: meta(""), Assignees: Assignees{Users: []string{}, Groups: []string{}}}
	s.Portal = &Portal{Meta: meta(""), PriorityID: "priority-normal", DeadlineWithin: "P14D"}
	s.Conversations = &Conversations{Meta: meta(""), Access: "link", ShowContact: "agent", LinkValidFor: "P30D"}

	texts, err := parseTexts(defaultTextsFile)
	if err != nil {
		return nil, err
	}
	for _, t := range texts {
		t.Meta = meta("")
		s.Texts[textID(t.Key, t.Locale)] = &t
	}
	return s, nil
}
