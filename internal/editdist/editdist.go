// Package editdist measures how far apart two strings are, for "did you
// mean" suggestions in config keys and enumerated values.
package editdist

import "slices"

// Distance is the Levenshtein edit distance between a and b.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// Nearest returns the candidates closest to s (all those at the smallest
// distance), sorted; none if the closest is more than maxDistance away.
func Nearest(s string, candidates []string, maxDistance int) []string {
	best := maxDistance + 1
	var out []string
	for _, c := range candidates {
		switch d := Distance(s, c); {
		case d < best:
			best, out = d, []string{c}
		case d == best:
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}
