package demo

import (
	"html/template"
	"net/http"
)

// The HTML pages a person sees in the browser during a browser or device
// sign-in. html/template escapes everything that comes from the request.
var oauthPages = template.Must(template.New("").Parse(`
{{define "head"}}<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>{{.}} · Signet demo</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:10vh auto;padding:0 1rem;line-height:1.5}
label{display:block;margin:.6rem 0 .2rem}input{width:100%;padding:.4rem;box-sizing:border-box}
.err{color:#b00020}.row{display:flex;gap:.6rem;margin-top:1rem}button{flex:1;padding:.5rem}
code{font-size:1.4rem;letter-spacing:.1rem}ul{padding-left:1.2rem}</style></head><body>{{end}}

{{define "signin"}}{{template "head" "Sign in"}}
<h1>Sign in to the Signet demo</h1>
<p><b>Signet</b> (desktop app) wants to:</p>
<ul>{{range .Wants}}<li>{{.}}</li>{{end}}</ul>
{{if .Error}}<p class="err">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="request" value="{{.Request}}">
{{if .UserCode}}<label for="user_code">Code shown on your device</label>
<input id="user_code" name="user_code" value="{{.UserCode}}" autocomplete="off" autocapitalize="characters">{{end}}
<label for="username">Username</label><input id="username" name="username" autocomplete="username" value="{{.Username}}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<div class="row"><button type="submit" name="action" value="allow">Allow</button>
<button type="submit" name="action" value="deny">Deny</button></div>
</form>
<p><small>Demo accounts: demo / demo1234, ada / lovelace1815, grace / hopper1906.</small></p>
</body></html>{{end}}

{{define "message"}}{{template "head" .Title}}<h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>{{end}}
`))

type signInData struct {
	Action, Request, UserCode, Username, Error string
	Wants                                      []string
}

// wants words the scopes for the consent list.
func wants(scopes map[string]bool) []string {
	out := []string{"know who you are"}
	if scopes["profile"] {
		out = append(out, "see your name and username")
	}
	if scopes["email"] {
		out = append(out, "see your e-mail address")
	}
	if scopes["offline_access"] {
		out = append(out, "stay signed in until you sign out")
	}
	return out
}

func (o *oauthServer) signInPage(w http.ResponseWriter, status int, req *authRequest, problem string) {
	o.render(w, status, "signin", signInData{Action: pathAuthorize, Request: req.id, Error: problem, Wants: wants(scopeSet(req.scope))})
}

func (o *oauthServer) messagePage(w http.ResponseWriter, status int, title, text string) {
	o.render(w, status, "message", struct{ Title, Text string }{title, text})
}

func (o *oauthServer) errorPage(w http.ResponseWriter, status int, text string) {
	o.messagePage(w, status, "Sign-in problem", text)
}

func (o *oauthServer) render(w http.ResponseWriter, status int, name string, data any) {
	pageHeaders(w)
	w.WriteHeader(status)
	if err := oauthPages.ExecuteTemplate(w, name, data); err != nil {
		o.s.log.Error("rendering page", "page", name, "err", err)
	}
}
