package settings

// Status is an own case status (Ärendestatus).
type Status struct {
	Meta
	Name              string `json:"name"`
	Color             string `json:"color"`
	Category          string `json:"category"`
	VisibleToCustomer bool   `json:"visibleToCustomer"`
	Order             int    `json:"order"`
	IsDefault         bool   `json:"isDefault"`
}

// The status categories. Every tenant keeps at least one new and one closed.
const (
	CategoryNew     = "new"
	CategoryOpen    = "open"
	CategoryWaiting = "waiting"
	CategoryClosed  = "closed"
)

// Priority is an own case priority (Ärende prioritet) with its SLA times.
type Priority struct {
	Meta
	Name          string `json:"name"`
	Color         string `json:"color"`
	StartWithin   string `json:"startWithin"`
	ResolveWithin string `json:"resolveWithin"`
	Order         int    `json:"order"`
	IsDefault     bool   `json:"isDefault"`
}

// Field is a case-type field definition (Ärendetyp fält).
type Field struct {
	Meta
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Options []string `json:"options,omitempty"`
}

// The kinds of field.
const (
	KindText     = "text"
	KindNumber   = "number"
	KindDropdown = "dropdown"
)

// Assignees are users and groups a case is given to.
type Assignees struct {
	Users  []string `json:"users"`
	Groups []string `json:"groups"`
}

// TypeField places a field on a case type.
type TypeField struct {
	FieldID  string `json:"fieldId"`
	Required bool   `json:"required"`
	FilledBy string `json:"filledBy"`
}

// CaseType is a kind of case (Ärendetyp).
type CaseType struct {
	Meta
	Name               string      `json:"name"`
	APIID              string      `json:"apiId"`
	VisibleInPortal    bool        `json:"visibleInPortal"`
	SelectableInPortal bool        `json:"selectableInPortal"`
	Assignees          Assignees   `json:"assignees"`
	Fields             []TypeField `json:"fields"`
	TaskTemplateID     string      `json:"taskTemplateId,omitempty"`
	ReportTemplateID   string      `json:"reportTemplateId,omitempty"`
	// DefaultForm is the form each new case of the type gets, if any.
	DefaultForm *DefaultForm `json:"defaultForm,omitempty"`
}

// DefaultForm is the form a case type gives its new cases (see Form):
// who fills it (FilledByCustomer, FilledByStaff: customers never see a
// form staff fill), and whether a case may be closed before its form is
// submitted.
type DefaultForm struct {
	FormID              string `json:"formId"`
	FilledBy            string `json:"filledBy"`
	RequiredBeforeClose bool   `json:"requiredBeforeClose"`
}

// CannedResponse is a standard reply (Standardsvar).
type CannedResponse struct {
	Meta
	Name string `json:"name"`
	Body string `json:"body"`
}

// TaskTemplate lists the tasks a case of a type starts with.
type TaskTemplate struct {
	Meta
	Name  string             `json:"name"`
	Tasks []TaskTemplateTask `json:"tasks"`
}

// TaskTemplateTask is one task of a template. DueWithin is counted from
// the case's creation.
type TaskTemplateTask struct {
	Title     string `json:"title"`
	DueWithin string `json:"dueWithin,omitempty"`
}

// ReportTemplate is the form filled when time is reported on a case
// (Avrapporteringsmall).
type ReportTemplate struct {
	Meta
	Name   string        `json:"name"`
	Fields []ReportField `json:"fields"`
}

// ReportField is one value of a report template; Key names it in reports.
type ReportField struct {
	Key      string   `json:"key"`
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Required bool     `json:"required"`
	Options  []string `json:"options,omitempty"`
}

// User is a member of staff. Subject links the entry to a login: the
// identity provider's subject (Cognito's sub), which is what a token names.
// Roles here say who the product shows as admin or agent; what a login may
// do is granted by the identity provider's groups.
type User struct {
	Meta
	Name    string   `json:"name"`
	Email   string   `json:"email"`
	Phone   string   `json:"phone,omitempty"`
	Roles   []string `json:"roles"`
	Subject string   `json:"subject,omitempty"`
	// Notifications are the user's own choices (GET/PATCH /v1/me).
	Notifications Notifications `json:"notifications"`
}

// Notifications are how a user wants to hear of things.
type Notifications struct {
	// MentionByMail mails the user when someone @mentions them in a
	// comment, besides the in-app notification.
	MentionByMail bool `json:"mentionByMail"`
	// CustomerReplyByMail mails the user when a customer replies in the
	// conversation of a case assigned to them (or to their group, when
	// the case has no assigned user), besides the in-app notification.
	CustomerReplyByMail bool `json:"customerReplyByMail"`
	// SLABreachByMail mails the user when a start or resolve target of a
	// case assigned to them (or to their group, when the case has no
	// assigned user) passes unmet, besides the in-app notification.
	SLABreachByMail bool `json:"slaBreachByMail"`
}

// Group is a named set of users.
type Group struct {
	Meta
	Name    string   `json:"name"`
	Members []string `json:"members"`
}

// General is Allmänna inställningar. The closed-case mail always goes to
// the case's contact; the new-case mail and the review mail are choices.
type General struct {
	Meta
	AutoCompleteLinkedOrder bool   `json:"autoCompleteLinkedOrder"`
	SendReviewMailOnClose   bool   `json:"sendReviewMailOnClose"`
	SendMailOnCreate        bool   `json:"sendMailOnCreate"`
	CustomerAccess          string `json:"customerAccess"`
	TimeZone                string `json:"timeZone"`
	Locale                  string `json:"locale"`
	// MailFromName is the display name of the tenant's mail (the address
	// is the deployment's verified sender); MailReplyTo where replies go.
	MailFromName string `json:"mailFromName,omitempty"`
	MailReplyTo  string `json:"mailReplyTo,omitempty"`
}

// CaseFields is Ärendefält: which standard fields are active and which
// are mandatory on create.
type CaseFields struct {
	Meta
	Fields []CaseField `json:"fields"`
}

// CaseField is one standard field's setting.
type CaseField struct {
	Key       string `json:"key"`
	Active    bool   `json:"active"`
	Mandatory bool   `json:"mandatory"`
}

// CaseMenu is Meny ärendedetaljer.
type CaseMenu struct {
	Meta
	Items []MenuItem `json:"items"`
}

// MenuItem is one entry of the case-detail menu.
type MenuItem struct {
	Key       string `json:"key"`
	Label     string `json:"label"`
	Enabled   bool   `json:"enabled"`
	Mandatory bool   `json:"mandatory"`
	Placement string `json:"placement"`
	Order     int    `json:"order"`
}

// Text is a mail text for one key and locale (Texter).
type Text struct {
	Meta
	Key     string `json:"key"`
	Locale  string `json:"locale"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// External is Externa ärenden: how cases arriving through the API are
// handled.
type External struct {
	Meta
	TypeID     string    `json:"typeId,omitempty"`
	PriorityID string    `json:"priorityId,omitempty"`
	StatusID   string    `json:"statusId,omitempty"`
	Assignees  Assignees `json:"assignees"`
}

// Portal is Ärenden från kundportal: defaults for cases customers create.
type Portal struct {
	Meta
	PriorityID     string `json:"priorityId,omitempty"`
	DeadlineWithin string `json:"deadlineWithin,omitempty"`
}

// Conversations is Kundkonversationer.
type Conversations struct {
	Meta
	Access         string         `json:"access"`
	ShowContact    string         `json:"showContact"`
	CompanyContact CompanyContact `json:"companyContact"`
	LinkValidFor   string         `json:"linkValidFor"`
}

// CompanyContact is shown to customers when ShowContact is "company".
type CompanyContact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}
