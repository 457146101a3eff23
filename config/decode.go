package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pilotlight/pilotlight/internal/editdist"
)

// decode parses data over cfg. It walks the YAML tree first so that every
// unknown key is reported with its full path and line, all at once, instead of
// yaml.v3's first-error-wins. read is false when the file as a whole could
// not be read (nothing else is worth checking then).
//
// What the file does not say is never taken as the defaults by accident: a
// file with no settings (empty, comments only, a bare ---), a second YAML
// document (which yaml.Unmarshal would drop) and a key with no value (a file
// cut off after "service:") are each refused, so a truncated production
// config cannot act on the built-in pilotlight-dev or drop settings.
func decode(data []byte, cfg *Config) (problems []Problem, read bool) {
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		doc := new(yaml.Node)
		err := dec.Decode(doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return []Problem{{Key: "(file)", Message: "is not valid YAML or JSON: " + strings.TrimPrefix(err.Error(), "yaml: ")}}, false
		}
		docs = append(docs, doc)
	}
	if len(docs) > 1 {
		return []Problem{{Key: "(file)", Message: fmt.Sprintf("line %d: a second YAML document starts here (---); the config is one document, and everything after a --- would be dropped: remove the --- and merge the settings, or keep one config per file", docs[1].Line)}}, false
	}
	if len(docs) == 0 || len(docs[0].Content) == 0 || isNull(docs[0].Content[0]) ||
		(docs[0].Content[0].Kind == yaml.MappingNode && len(docs[0].Content[0].Content) == 0) {
		return []Problem{{Key: "(file)", Message: fmt.Sprintf("sets nothing (empty, comments only, or an empty mapping); a config file that sets nothing would act on the built-in defaults (the app %s-%s): write the settings, at least name and environment, or unset %s to use the defaults on purpose", cfg.Name, cfg.Environment, EnvVar)}}, false
	}
	root := docs[0].Content[0]
	if root.Kind != yaml.MappingNode {
		return []Problem{{Key: "(file)", Message: fmt.Sprintf("line %d: the top level must be a mapping of keys such as name, primaryRegion, failoverRegions", root.Line)}}, false
	}
	cfg.written = map[string]bool{}
	checkKeys(root, reflect.TypeOf(*cfg), "", &problems, cfg.written)
	// Decode what is right even when something is wrong, so validation can
	// report the other keys' problems in the same run; yaml.v3 skips the
	// values checkKeys has already reported.
	if err := root.Decode(cfg); err != nil && len(problems) == 0 {
		// checkKeys misses something yaml.v3 refuses: report it as is.
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, e := range te.Errors {
				problems = append(problems, Problem{Key: "(file)", Message: strings.TrimPrefix(e, "yaml: ")})
			}
			return problems, false
		}
		return []Problem{{Key: "(file)", Message: err.Error()}}, false
	}
	return problems, true
}

// withoutConsequences drops the validation problems that follow from a
// problem decode reported (a value that was not read, so its default was
// checked in its place), keeping every other key's.
func withoutConsequences(validation, decoded []Problem) []Problem {
	var out []Problem
	for _, v := range validation {
		related := false
		for _, d := range decoded {
			for _, part := range strings.Split(v.Key, "/") {
				if under(part, d.Key) || under(d.Key, part) || (d.unknown && parent(d.Key) != "" && under(part, parent(d.Key))) {
					related = true
				}
			}
		}
		if !related {
			out = append(out, v)
		}
	}
	return out
}

// under reports whether key is path or a key below it.
func under(key, path string) bool {
	return key == path || strings.HasPrefix(key, path+".") || strings.HasPrefix(key, path+"[")
}

// parent is the key that holds key ("" at the top level).
func parent(key string) string {
	if i := strings.LastIndexAny(key, ".["); i >= 0 {
		return key[:i]
	}
	return ""
}

// replacedKeys are keys the config took before, each with what to write
// instead: one way to say each thing, and an old file gets the fix.
var replacedKeys = map[string]string{
	"network.standbyNatGateways": "replaced by network.standbyEgress: write standbyEgress: nat for true, or remove it for false (the default, none); standbyEgress: endpoints is the third choice",
}

// checkKeys reports every mapping key in node that t has no yaml field for,
// and every value that is not of the type its key takes.
//
// written collects the full path of every key the file sets, so validation
// can tell a setting the user wrote from a default (validateDependents).
func checkKeys(node *yaml.Node, t reflect.Type, path string, problems *[]Problem, written map[string]bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if node.Kind == yaml.AliasNode && node.Alias != nil {
		node = node.Alias
	}
	if isNull(node) {
		// yaml.v3 leaves a struct as it was and empties a list or map on a
		// null: either way the key's line would be silently ignored.
		*problems = append(*problems, Problem{Key: path, Message: fmt.Sprintf("line %d: has no value; give one, or remove the key to keep its default", node.Line)})
		return
	}
	if want := KeyType(t); !fits(node, t) {
		*problems = append(*problems, Problem{Key: path, Message: fmt.Sprintf("line %d: %s; this key takes %s", node.Line, describeNode(node, t), want)})
		return
	}
	switch {
	case t.Kind() == reflect.Struct:
		fields := map[string]reflect.Type{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			fields[tag] = t.Field(i).Type
			names = append(names, tag)
		}
		sort.Strings(names)
		seen := map[string]bool{}
		for i := 0; i+1 < len(node.Content); i += 2 {
			key, value := node.Content[i], node.Content[i+1]
			full := join(path, key.Value)
			if seen[key.Value] {
				*problems = append(*problems, Problem{Key: full, Message: fmt.Sprintf("line %d: set twice; keep one", key.Line)})
				continue
			}
			seen[key.Value] = true
			ft, ok := fields[key.Value]
			if why, gone := replacedKeys[full]; gone {
				*problems = append(*problems, Problem{Key: full, Message: fmt.Sprintf("line %d: %s", key.Line, why), unknown: true})
				continue
			}
			if !ok {
				*problems = append(*problems, Problem{Key: full, Message: fmt.Sprintf("line %d: unknown key%s; known keys here: %s", key.Line, suggest(key.Value, names), strings.Join(names, ", ")), unknown: true})
				continue
			}
			written[full] = true
			checkKeys(value, ft, full, problems, written)
		}
	case t.Kind() == reflect.Map:
		// A map's keys are the user's (regions, tag keys); its values are
		// checked like any other, so a typo under edge.origins.REGION is an
		// error, not a dropped setting.
		seen := map[string]bool{}
		for i := 0; i+1 < len(node.Content); i += 2 {
			key, value := node.Content[i], node.Content[i+1]
			full := join(path, key.Value)
			if seen[key.Value] {
				*problems = append(*problems, Problem{Key: full, Message: fmt.Sprintf("line %d: set twice; keep one", key.Line)})
				continue
			}
			seen[key.Value] = true
			written[full] = true
			checkKeys(value, t.Elem(), full, problems, written)
		}
	case t.Kind() == reflect.Slice:
		for i, item := range node.Content {
			checkKeys(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), problems, written)
		}
	}
}

// fits reports whether yaml.v3 would decode node into t as the user meant:
// a mapping for a struct or map, a list for a slice, and a scalar of the
// right kind for a leaf. Any scalar fits text (yaml.v3 keeps 16.4 as
// "16.4"); a whole number must fit the field, and a fraction is refused
// where a whole number goes (yaml.v3 would cut 2.5 to 2 in silence).
func fits(node *yaml.Node, t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return node.Kind == yaml.MappingNode
	case reflect.Slice:
		return node.Kind == yaml.SequenceNode
	}
	if node.Kind != yaml.ScalarNode {
		return false
	}
	switch {
	case t.Kind() == reflect.String:
		return node.Tag != "!!binary"
	case t.Kind() == reflect.Bool:
		return node.Tag == "!!bool"
	case isInt(t.Kind()):
		switch node.Tag {
		case "!!int":
			_, err := strconv.ParseInt(strings.ReplaceAll(node.Value, "_", ""), 0, t.Bits())
			return err == nil
		case "!!float":
			f, _ := strconv.ParseFloat(node.Value, 64)
			return wholeNumber(node.Value) && math.Abs(f) < math.Exp2(float64(t.Bits()-1))
		}
		return false
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return node.Tag == "!!int" || node.Tag == "!!float"
	}
	return false
}

// KeyType says in the user's words what a key of Go type t takes ("a
// whole number", "a list ... of text values"): the decode errors say it,
// and so does docs/configuration.md.
func KeyType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.String:
		return "text"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case isInt(t.Kind()):
		return "a whole number"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "a number"
	case t.Kind() == reflect.Slice:
		return "a list (one '- item' per line, or [a, b]) of " + plural(t.Elem())
	case t.Kind() == reflect.Map:
		return "a mapping of names to " + plural(t.Elem())
	case t.Kind() == reflect.Struct:
		return "a mapping of keys (such as key: value on lines indented below it)"
	}
	return t.String()
}

// plural names what a list or map holds.
func plural(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.String:
		return "text values"
	case t.Kind() == reflect.Bool:
		return "true or false values"
	case isInt(t.Kind()):
		return "whole numbers"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "numbers"
	}
	return "mappings of keys"
}

// describeNode says what the user wrote, in YAML's terms rather than Go's.
func describeNode(node *yaml.Node, t reflect.Type) string {
	switch node.Kind {
	case yaml.MappingNode:
		return "is a mapping of keys"
	case yaml.SequenceNode:
		return "is a list"
	case yaml.AliasNode:
		return "is an alias (*name)"
	}
	number := node.Tag == "!!int" || node.Tag == "!!float"
	switch {
	case number && isInt(t.Kind()) && node.Tag == "!!float" && !wholeNumber(node.Value):
		return fmt.Sprintf("%s is not a whole number", node.Value)
	case number && isInt(t.Kind()):
		return fmt.Sprintf("%s is too large", node.Value)
	case number:
		return fmt.Sprintf("%s is a number", node.Value)
	case node.Tag == "!!bool":
		return fmt.Sprintf("%s is true or false", node.Value)
	case node.Tag == "!!binary":
		return "is binary data"
	}
	return fmt.Sprintf("%q is text", node.Value)
}

// isNull reports whether node is YAML's null: nothing after the colon, ~ or
// null.
func isNull(node *yaml.Node) bool {
	return node.Kind == yaml.ScalarNode && node.Tag == "!!null"
}

func wholeNumber(v string) bool {
	f, err := strconv.ParseFloat(v, 64)
	return err == nil && f == math.Trunc(f)
}

func isInt(k reflect.Kind) bool {
	return k >= reflect.Int && k <= reflect.Uint64
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// suggest names the known key closest to a misspelt one, if any is close.
func suggest(key string, known []string) string {
	best, bestDist := "", 4
	for _, k := range known {
		if d := editdist.Distance(strings.ToLower(key), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}
