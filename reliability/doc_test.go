package reliability

import (
	"os"
	"strings"
	"testing"
)

// TestReliabilityDoc_ListsEveryRow keeps docs/RELIABILITY.md in step with
// the matrix: every row is listed by its test name.
func TestReliabilityDoc_ListsEveryRow(t *testing.T) {
	b, err := os.ReadFile("../docs/RELIABILITY.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, r := range matrix() {
		if !strings.Contains(doc, "TestFaultMatrix/"+r.name+"`") {
			t.Errorf("docs/RELIABILITY.md does not list TestFaultMatrix/%s", r.name)
		}
	}
}
