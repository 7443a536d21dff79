package problem

// Kind describes one code for the people who read an answer: the page
// every problem's type points to (/docs/problems#<code>) is written from
// Catalog, and a test checks the API document describes each code too.
type Kind struct {
	Code   Code
	Title  string
	Advice string
}

// Catalog is every code an answer can carry, in the order the page lists
// them.
var Catalog = []Kind{
	{Invalid, "The request is invalid", "A field or query parameter breaks a rule; errors lists each one with what it must be. Nothing was changed. Correct the request and send it again."},
	{Unauthorized, "Unauthorized", "The request carries no valid access token (missing, expired, or an ID token instead of an access token). Get a new token and send it as Authorization: Bearer <token>."},
	{Forbidden, "Forbidden", "The token is valid but its roles do not allow this (for example an agent changing settings), or the feature is turned off in the settings. detail says which."},
	{NotFound, "Not found", "There is no such object for your tenant: the ID is unknown, was deleted, or belongs to another tenant (which looks exactly the same)."},
	{MethodNotAllowed, "Method not allowed", "The path exists but not with this method; the Allow header lists the methods it takes."},
	{Conflict, "Conflict", "The request is valid but the current state forbids it: for example a status still used by cases cannot be deleted, or a name is taken. detail names what is in the way."},
	{PreconditionFailed, "The version is stale", "Someone changed the object after you read it: the version you sent (If-Match or body) is not the current one. Read it again, apply your change, and send the new version."},
	{PreconditionRequired, "The version is required", "A delete needs the version you read, in If-Match (or If-Match: * to delete whatever the version), so nothing is deleted by mistake."},
	{TooLarge, "The request body is too large", "The body, or the object it would make, is larger than the API allows; detail says the limit."},
	{UnsupportedMedia, "Unsupported media type", "Send the body as Content-Type: application/json (or application/merge-patch+json where a PATCH says so)."},
	{Unprocessable, "Unprocessable request", "The request is well-formed but cannot be done as sent: for example an Idempotency-Key that was used before with another body. Nothing was changed. Use a new key for a new request, or send the first body again."},
	{TooManyRequests, "Too many requests", "A limit of how often this may be done was reached (for example replies to one case in an hour). Nothing was changed. Try again after the seconds in Retry-After."},
	{Unavailable, "Temporarily unavailable", "The database is busy or unreachable for a moment, or many changes collided. Almost always nothing was changed; only when the database committed and its answer was then lost can the change exist, so read before you retry a create. Retry after the seconds in Retry-After."},
	{Internal, "Internal error", "Something went wrong on our side; nothing you sent is the cause. Retry; if it persists, quote the X-Request-Id of the answer."},
}
