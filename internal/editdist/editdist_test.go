package editdist

import (
	"slices"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"abc", "abc", 0}, {"regoin", "region", 2}, {"us-west-3", "us-west-2", 1}, {"", "ab", 2}} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestNearest(t *testing.T) {
	got := Nearest("us-west-3", []string{"us-west-2", "eu-west-3", "us-west-1", "ap-south-1"}, 2)
	if !slices.Equal(got, []string{"us-west-1", "us-west-2"}) {
		t.Errorf("Nearest = %v", got)
	}
	if got := Nearest("zzzzzzzz", []string{"us-west-2"}, 2); got != nil {
		t.Errorf("nothing is near: %v", got)
	}
}
