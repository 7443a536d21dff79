package settings

// DefaultText is the text key in locale a new tenant starts with: what the
// mailer sends when a tenant's settings were stored before the product
// had the text.
func DefaultText(key, locale string) (*Text, bool) {
	texts, err := parseTexts(defaultTextsFile)
	if err != nil {
		return nil, false
	}
	for _, t := range texts {
		if t.Key == key && t.Locale == locale {
			return &t, true
		}
	}
	return nil, false
}
