package api

import (
	"fmt"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tidwall/gjson"
)

func TestExpiry_RuleR8(t *testing.T) {
	jwtExp := testNow.Add(20 * time.Minute).Truncate(time.Second)
	signed := makeJWT(t, jwt.MapClaims{"exp": jwtExp.Unix()})
	unix := testNow.Add(time.Hour).Unix()
	unknown := time.Time{}
	// fields are the answer's members besides the access token, which is
	// "opaque" unless token says otherwise.
	tests := []struct {
		name   string
		fields string
		specs  []ExpirySpec
		want   time.Time
		token  string
	}{
		{"seconds from arrival", `"e":3600`, []ExpirySpec{{Path: "e"}}, testNow.Add(time.Hour), ""},
		{"seconds as a string", `"e":"3600"`, []ExpirySpec{{Path: "e", Unit: "seconds"}}, testNow.Add(time.Hour), ""},
		{"fractional seconds", `"e":1.5`, []ExpirySpec{{Path: "e"}}, testNow.Add(1500 * time.Millisecond), ""},
		{"zero is already expired", `"e":0`, []ExpirySpec{{Path: "e"}}, testNow, ""},
		{"negative is already expired", `"e":-30`, []ExpirySpec{{Path: "e"}}, testNow, ""},
		{"absurd is unknown", `"e":1e12`, []ExpirySpec{{Path: "e"}}, unknown, ""},
		{"NaN string is unknown", `"e":"NaN"`, []ExpirySpec{{Path: "e"}}, unknown, ""},
		{"hex string is unknown", `"e":"0x10"`, []ExpirySpec{{Path: "e"}}, unknown, ""},
		{"bool is unknown", `"e":true`, []ExpirySpec{{Path: "e"}}, unknown, ""},
		{"milliseconds", `"e":5000`, []ExpirySpec{{Path: "e", Unit: "milliseconds"}}, testNow.Add(5 * time.Second), ""},
		{"unix", fmt.Sprintf(`"e":%d`, unix), []ExpirySpec{{Path: "e", Unit: "unix"}}, time.Unix(unix, 0), ""},
		{"unix_ms", fmt.Sprintf(`"e":%d`, unix*1000), []ExpirySpec{{Path: "e", Unit: "unix_ms"}}, time.Unix(unix, 0), ""},
		{"unix in the past is expired at that time", `"e":1700000000`, []ExpirySpec{{Path: "e", Unit: "unix"}}, time.Unix(1700000000, 0), ""},
		{"unix zero is a placeholder", `"e":0`, []ExpirySpec{{Path: "e", Unit: "unix"}}, unknown, ""},
		{"unix seconds given in ms is absurd", fmt.Sprintf(`"e":%d`, unix*1000), []ExpirySpec{{Path: "e", Unit: "unix"}}, unknown, ""},
		{"rfc3339", `"e":"2030-01-02T04:04:05+01:00"`, []ExpirySpec{{Path: "e", Unit: "rfc3339"}}, testNow, ""},
		{"rfc3339 garbage is unknown", `"e":"tomorrow"`, []ExpirySpec{{Path: "e", Unit: "rfc3339"}}, unknown, ""},
		{"first present wins", `"b":60`, []ExpirySpec{{Path: "a"}, {Path: "b"}}, testNow.Add(time.Minute), ""},
		{"nothing: JWT exp", ``, nil, jwtExp, signed},
		{"unusable field: JWT exp", `"e":"soon"`, []ExpirySpec{{Path: "e"}}, jwtExp, signed},
		{"body wins over JWT", `"e":60`, []ExpirySpec{{Path: "e"}}, testNow.Add(time.Minute), signed},
		{"opaque token, nothing: unknown", ``, nil, unknown, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := tt.token
			if token == "" {
				token = "opaque"
			}
			body := fmt.Sprintf(`{"access_token":%q`, token)
			if tt.fields != "" {
				body += "," + tt.fields
			}
			root := gjson.Parse(body + "}")
			tok, err := mapTokens(root, &TokenPaths{AccessToken: "access_token", Expiry: tt.specs}, testNow, "")
			if err != nil {
				t.Fatal(err)
			}
			if !tok.Expiry.Equal(tt.want) {
				t.Errorf("expiry = %v, want %v", tok.Expiry, tt.want)
			}
		})
	}
}

func TestJWTExpiry(t *testing.T) {
	exp := testNow.Add(time.Hour).Truncate(time.Second)
	tests := []struct {
		name  string
		token string
		want  time.Time
	}{
		{"exp claim", makeJWT(t, jwt.MapClaims{"exp": exp.Unix()}), exp},
		{"no exp", makeJWT(t, jwt.MapClaims{"sub": "1"}), time.Time{}},
		{"exp as string", makeJWT(t, jwt.MapClaims{"exp": "soon"}), time.Time{}},
		{"exp absurdly far", makeJWT(t, jwt.MapClaims{"exp": 1e13}), time.Time{}},
		{"expired exp is kept", makeJWT(t, jwt.MapClaims{"exp": 1700000000}), time.Unix(1700000000, 0)},
		{"unknown alg still read", "eyJhbGciOiJYWVoifQ." + b64(fmt.Sprintf(`{"exp":%d}`, exp.Unix())) + ".c2ln", exp},
		{"opaque", "a1b2c3", time.Time{}},
		{"garbage with dots", "a.b.c", time.Time{}},
		{"five parts (JWE)", "a.b.c.d.e", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := jwtExpiry(tt.token, arrival{at: testNow})
			if !got.Equal(tt.want) || ok == tt.want.IsZero() {
				t.Errorf("jwtExpiry = %v, %v; want %v", got, ok, tt.want)
			}
		})
	}
}
