// Command tokenclaims is the Cognito pre-token-generation trigger (event
// version 2): it copies the user's tenant and customer attributes into the
// access token, which is what API Gateway's JWT authorizer hands to the
// HTTP Lambdas (see internal/identity).
package main

import "github.com/aws/aws-lambda-go/lambda"

func main() {
	lambda.Start(handle)
}
