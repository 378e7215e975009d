// Signet signs a person in to a token-issuing Login API, keeps the session in
// the OS keychain, renews it before it runs out, and shows the protected
// lists. This package only reads the command line and wires the parts
// together; see backend, ui, session, api and demo for the rest.
package main
