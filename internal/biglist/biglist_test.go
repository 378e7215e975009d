package biglist

import (
	"encoding/json"
	"testing"
)

func TestPage_IsTheListAnswerWithItsTotal(t *testing.T) {
	var page struct {
		Items []struct {
			ID    string  `json:"id"`
			Price float64 `json:"price"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal(Page(3, 5, 100, Item), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].ID != "it-000003" || page.Items[1].Price != 4.99 || page.Total != 100 {
		t.Fatalf("page %+v", page)
	}
}
