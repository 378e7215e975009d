package demo

// The demo credentials. They are public by design: the sign-in form of the
// demo profile suggests them.
const (
	DemoUsername = "demo"
	DemoPassword = "demo1234"
)

// Account is one user seeded into a new data file.
type Account struct {
	ID       string
	Username string
	Password string
	Name     string
	Email    string
}

// Accounts lists the users every new data file starts with; the first is
// DemoUsername. Tests use the others to check that sessions do not mix.
func Accounts() []Account {
	return []Account{
		{ID: "u-1001", Username: DemoUsername, Password: DemoPassword, Name: "Demo User", Email: "demo@signet.example"},
		{ID: "u-1002", Username: "ada", Password: "lovelace1815", Name: "Ada Lovelace", Email: "ada@signet.example"},
		{ID: "u-1003", Username: "grace", Password: "hopper1906", Name: "Grace Hopper", Email: "grace@signet.example"},
	}
}
