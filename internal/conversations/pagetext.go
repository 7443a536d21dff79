package conversations

import "github.com/workcloud/arendehantering/internal/settings"

// pageText is what the customer's page says, in one language.
type pageText struct {
	Case, Status, Conversation, Older, NoMessages  string
	Reply, YourReply, Send, ContactUs, Staff, You  string
	Sent, LinkSent                                 string
	ExpiredTitle, ExpiredText, SendLink            string
	PortalTitle, PortalText, PortalLink            string
	InvalidTitle, InvalidText                      string
	FormTitle, FormText, LimitTitle, LimitText     string
	TooLongTitle, TooLongText, BusyTitle, BusyText string
	Back, Empty, TooLong                           string
	// The form section.
	FormSave, FormSubmit, FormSaved, FormSent  string
	FormDone, FormRequired, FormInvalid        string
	FormErrors, FormLocked, FormStale, Yes, No string
	// Decimal is the decimal mark numbers are shown with.
	Decimal    string
	Categories map[string]string
}

// pageTexts are the page's languages: the contact's, else the tenant's.
var pageTexts = map[string]*pageText{
	"sv": {
		Case: "Ärende", Status: "Status", Conversation: "Konversation",
		Older: "Äldre meddelanden visas inte här.", NoMessages: "Inga meddelanden ännu.",
		Reply: "Svara", YourReply: "Ditt svar", Send: "Skicka", ContactUs: "Kontakt", Staff: "Kundtjänst", You: "Du",
		Sent: "Tack! Ditt svar är skickat.", LinkSent: "Vi har skickat en ny länk till den e-postadress vi har för dig.",
		ExpiredTitle: "Länken har gått ut",
		ExpiredText:  "Av säkerhetsskäl fungerar länkar bara en tid. Vi kan skicka en ny länk till den e-postadress vi har för dig.",
		SendLink:     "Skicka en ny länk",
		PortalTitle:  "Logga in i kundportalen", PortalText: "Läs och svara på meddelanden om ditt ärende i kundportalen.",
		PortalLink:   "Till kundportalen",
		InvalidTitle: "Länken fungerar inte",
		InvalidText:  "Länken är ogiltig eller inte längre i bruk. Använd länken i det senaste mejlet du fått från oss.",
		FormTitle:    "Sidan är inaktuell", FormText: "Ladda om sidan och skicka ditt svar igen.",
		LimitTitle: "För många försök", LimitText: "Ärendet har tagit emot många svar eller länkar på kort tid. Försök igen senare.",
		TooLongTitle: "För långt", TooLongText: "Svaret är för långt.",
		BusyTitle: "Försök igen", BusyText: "Något gick fel hos oss. Försök igen om en stund.",
		Back: "Tillbaka till ärendet", Empty: "Skriv ett svar först.", TooLong: "Svaret får vara högst 5000 tecken.",
		FormSave: "Spara", FormSubmit: "Skicka in formuläret", FormSaved: "Dina svar är sparade.",
		FormSent: "Tack! Formuläret är skickat.", FormDone: "Formuläret är skickat. Dina svar:",
		FormRequired: "Obligatoriskt: fyll i det här.", FormInvalid: "Kontrollera svaret.",
		FormErrors: "Några svar behöver ses över. Inget är sparat.",
		FormLocked: "Formuläret är redan skickat och kan inte längre ändras här.",
		FormStale:  "Formuläret ändrades medan du fyllde i det. Här är det som det är nu; fyll i och spara igen.",
		Yes:        "Ja", No: "Nej", Decimal: ",",
		Categories: map[string]string{settings.CategoryNew: "Ny", settings.CategoryOpen: "Pågående",
			settings.CategoryWaiting: "Väntar", settings.CategoryClosed: "Avslutad"},
	},
	"en": {
		Case: "Case", Status: "Status", Conversation: "Conversation",
		Older: "Older messages are not shown here.", NoMessages: "No messages yet.",
		Reply: "Reply", YourReply: "Your reply", Send: "Send", ContactUs: "Contact", Staff: "Customer service", You: "You",
		Sent: "Thank you! Your reply has been sent.", LinkSent: "We have sent a new link to the e-mail address we have for you.",
		ExpiredTitle: "This link has expired",
		ExpiredText:  "For your security, links work for a limited time. We can send a new link to the e-mail address we have for you.",
		SendLink:     "Send me a new link",
		PortalTitle:  "Log in to the customer portal", PortalText: "Read and reply to messages about your case in the customer portal.",
		PortalLink:   "Go to the customer portal",
		InvalidTitle: "This link does not work",
		InvalidText:  "The link is not valid or no longer in use. Use the link in the latest e-mail you got from us.",
		FormTitle:    "This page is out of date", FormText: "Reload the page and send your reply again.",
		LimitTitle: "Too many attempts", LimitText: "This case has received many replies or links in a short time. Try again later.",
		TooLongTitle: "Too long", TooLongText: "The reply is too long.",
		BusyTitle: "Try again", BusyText: "Something went wrong on our side. Try again in a moment.",
		Back: "Back to the case", Empty: "Write a reply first.", TooLong: "A reply may be at most 5000 characters.",
		FormSave: "Save", FormSubmit: "Submit the form", FormSaved: "Your answers are saved.",
		FormSent: "Thank you! The form has been submitted.", FormDone: "The form has been submitted. Your answers:",
		FormRequired: "Required: please fill this in.", FormInvalid: "Please check this answer.",
		FormErrors: "Some answers need another look. Nothing was saved.",
		FormLocked: "The form has already been submitted and can no longer be changed here.",
		FormStale:  "The form was changed while you filled it in. Here it is as it is now; fill it in and save again.",
		Yes:        "Yes", No: "No", Decimal: ".",
		Categories: map[string]string{settings.CategoryNew: "New", settings.CategoryOpen: "In progress",
			settings.CategoryWaiting: "Waiting", settings.CategoryClosed: "Closed"},
	},
}

// textsFor is the page's language: locale if the page has it, else the
// tenant's, else Swedish.
func textsFor(locale string, snap *settings.Snapshot) (string, *pageText) {
	if t, ok := pageTexts[locale]; ok {
		return locale, t
	}
	if snap != nil && snap.General != nil {
		if t, ok := pageTexts[snap.General.Locale]; ok {
			return snap.General.Locale, t
		}
	}
	return "sv", pageTexts["sv"]
}
