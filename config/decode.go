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
// yaml.v3's first-error-wins.
//
// What the file does not say is never taken as the defaults by accident: a
// file with no settings (empty, comments only, a bare ---), a second YAML
// document (which yaml.Unmarshal would drop) and a key with no value (a file
// cut off after "service:") are each refused, so a truncated production
// config cannot act on the built-in pilotlight-dev or drop settings.
func decode(data []byte, cfg *Config) []Problem {
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		doc := new(yaml.Node)
		err := dec.Decode(doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return []Problem{{Key: "(file)", Message: "is not valid YAML or JSON: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
		}
		docs = append(docs, doc)
	}
	if len(docs) > 1 {
		return []Problem{{Key: "(file)", Message: fmt.Sprintf("line %d: a second YAML document starts here (---); the config is one document, and everything after a --- would be dropped: remove the --- and merge the settings, or keep one config per file", docs[1].Line)}}
	}
	if len(docs) == 0 || len(docs[0].Content) == 0 || isNull(docs[0].Content[0]) ||
		(docs[0].Content[0].Kind == yaml.MappingNode && len(docs[0].Content[0].Content) == 0) {
		return []Problem{{Key: "(file)", Message: fmt.Sprintf("sets nothing (empty, comments only, or an empty mapping); a config file that sets nothing would act on the built-in defaults (the app %s-%s): write the settings, at least name and environment, or unset %s to use the defaults on purpose", cfg.Name, cfg.Environment, EnvVar)}}
	}
	root := docs[0].Content[0]
	if root.Kind != yaml.MappingNode {
		return []Problem{{Key: "(file)", Message: fmt.Sprintf("line %d: the top level must be a mapping of keys such as name, primaryRegion, failoverRegions", root.Line)}}
	}
	var problems []Problem
	checkKeys(root, reflect.TypeOf(*cfg), "", &problems)
	if len(problems) > 0 {
		return problems
	}
	if err := root.Decode(cfg); err != nil {
		if te, ok := err.(*yaml.TypeError); ok {
			for _, e := range te.Errors {
				problems = append(problems, Problem{Key: "(file)", Message: strings.TrimPrefix(e, "yaml: ")})
			}
			return problems
		}
		return []Problem{{Key: "(file)", Message: err.Error()}}
	}
	return nil
}

// replacedKeys are keys the config took before, each with what to write
// instead: one way to say each thing, and an old file gets the fix.
var replacedKeys = map[string]string{
	"network.standbyNatGateways": "replaced by network.standbyEgress: write standbyEgress: nat for true, or remove it for false (the default, none); standbyEgress: endpoints is the third choice",
}

// checkKeys reports every mapping key in node that t has no yaml field for.
func checkKeys(node *yaml.Node, t reflect.Type, path string, problems *[]Problem) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if isNull(node) {
		// yaml.v3 leaves a struct as it was and empties a list or map on a
		// null: either way the key's line would be silently ignored.
		*problems = append(*problems, Problem{Key: path, Message: fmt.Sprintf("line %d: has no value; give one, or remove the key to keep its default", node.Line)})
		return
	}
	switch {
	case t.Kind() == reflect.Struct && node.Kind == yaml.MappingNode:
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
				*problems = append(*problems, Problem{Key: full, Message: fmt.Sprintf("line %d: %s", key.Line, why)})
				continue
			}
			if !ok {
				*problems = append(*problems, Problem{Key: full, Message: fmt.Sprintf("line %d: unknown key%s; known keys here: %s", key.Line, suggest(key.Value, names), strings.Join(names, ", "))})
				continue
			}
			checkKeys(value, ft, full, problems)
		}
	case t.Kind() == reflect.Map && node.Kind == yaml.MappingNode:
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
			checkKeys(value, t.Elem(), full, problems)
		}
	case t.Kind() == reflect.Slice && node.Kind == yaml.SequenceNode:
		for i, item := range node.Content {
			checkKeys(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), problems)
		}
	case isInt(t.Kind()) && node.Kind == yaml.ScalarNode && node.Tag == "!!float" && !wholeNumber(node.Value):
		// yaml.v3 cuts 2.5 to 2 for an int field without a word.
		*problems = append(*problems, Problem{Key: path, Message: fmt.Sprintf("line %d: %s is not a whole number; this key takes one", node.Line, node.Value)})
	}
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
