package docgen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/doc/comment"
	"go/token"
	"reflect"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pilotlight/pilotlight/config"
)

// The configuration page is read from the code, so it cannot drift from it:
//
//   - the keys, their YAML paths and types come from the config types by
//     reflection (the yaml tags decode reads, and config.KeyType's words);
//   - each key's text is its field's doc comment in package config, read
//     from the source with go/parser. A paragraph starting "Default:" says
//     a default computed from other keys (shown instead of the value),
//     "Allowed:" the values the key takes, and "Keys:" what a map's keys
//     are, its first <word> standing for them in the paths below it;
//   - defaults are config.Default()'s values: defaults() and complete(),
//     the one place they are applied. A list element's keys show the value
//     of the default list's first element, as complete() filled it in;
//   - a doc link [Name] or [pkg.Name] (Go doc comment syntax) in a field's
//     comment names the declaration that holds a limit: a const shows its
//     value, a list or struct var its elements, a map var links to a table
//     under "Allowed values and their sources", and the declaration's own
//     doc comment, which cites where the limit comes from, is listed as the
//     key's source. A link the generator cannot read fails the generation.
//
// Doc comments on the fields, rather than struct tags or a table in the
// generator, because they are where a Go reader of config.go already looks,
// they hold paragraphs and lists that tags cannot, and the limits' sources
// stay beside the constants that enforce them.

// ConfigurationPage is docs/configuration.md, read from the source under
// root (see Root).
func ConfigurationPage(root string) ([]byte, error) {
	src, err := readConfigSource(root)
	if err != nil {
		return nil, err
	}
	g := &configPage{src: src, tables: map[string]*goDecl{}, sections: []*section{{title: "Top level"}}}
	if err := g.walk(reflect.TypeOf(config.Config{}), reflect.ValueOf(config.Default()), "", g.sections[0]); err != nil {
		return nil, err
	}
	return g.write()
}

type configPage struct {
	src *goSource
	// sections in order; the first is the top level.
	sections []*section
	// tables are the map vars the keys link to, by qualified name, and
	// their order.
	tables     map[string]*goDecl
	tableOrder []string
}

type section struct {
	title, intro string
	keys         []*keyDoc
}

type keyDoc struct {
	path, typ, def   string
	description      string
	allowed, keysDoc string
	sources          []*goDecl
}

// walk documents the yaml fields of struct type t, whose default value is
// v (invalid when there is none), under prefix, into sec; at the top level
// (sec the first section) each block of keys gets a section of its own.
func (g *configPage) walk(t reflect.Type, v reflect.Value, prefix string, sec *section) error {
	top := sec == g.sections[0]
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" || !f.IsExported() {
			continue
		}
		path := tag
		if prefix != "" {
			path = prefix + "." + tag
		}
		raw, err := g.src.fieldDoc("config", t.Name(), f.Name)
		if err != nil {
			return err
		}
		var fv reflect.Value
		if v.IsValid() {
			fv = v.Field(i)
		}
		ft := f.Type
		into := sec
		if top && (ft.Kind() == reflect.Struct || ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct) {
			// A block of keys, or a list of blocks: a section of its own,
			// introduced by the field's doc comment (a block's, else its
			// type's).
			intro := raw
			if strings.TrimSpace(intro) == "" && ft.Kind() == reflect.Struct {
				_, intro, _ = g.src.structType("config", ft.Name())
			}
			into = &section{title: path}
			g.sections = append(g.sections, into)
			if ft.Kind() == reflect.Struct {
				if into.intro, err = g.markdown(intro, nil); err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
				if err := g.walk(ft, fv, path, into); err != nil {
					return err
				}
				continue
			}
		}
		if strings.TrimSpace(raw) == "" {
			return fmt.Errorf("docgen: the config key %s (config.%s.%s) has no doc comment; write what it does, its limits and their source there", path, t.Name(), f.Name)
		}
		k, err := g.key(path, ft, fv, raw)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		into.keys = append(into.keys, k)
		// Lists and maps of blocks: their keys follow, under a path that
		// stands for any element.
		switch {
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			var first reflect.Value
			if fv.IsValid() && fv.Len() > 0 {
				first = fv.Index(0)
			}
			if err := g.walk(ft.Elem(), first, path+"[]", into); err != nil {
				return err
			}
		case ft.Kind() == reflect.Map && ft.Elem().Kind() == reflect.Struct:
			// The Keys: paragraph as rendered, its <word> escaped.
			word := regexp.MustCompile(`&lt;([a-z]+)&gt;`).FindStringSubmatch(k.keysDoc)
			if word == nil {
				return fmt.Errorf("docgen: the config key %s maps names to blocks; say in a \"Keys:\" paragraph what the names are, with a <word> for them", path)
			}
			if err := g.walk(ft.Elem(), reflect.Value{}, path+".<"+word[1]+">", into); err != nil {
				return err
			}
		case ft.Kind() == reflect.Struct:
			if err := g.walk(ft, fv, path, into); err != nil {
				return err
			}
		}
	}
	return nil
}

// key documents one key from its doc comment and default.
func (g *configPage) key(path string, t reflect.Type, v reflect.Value, raw string) (*keyDoc, error) {
	k := &keyDoc{path: path, typ: config.KeyType(t)}
	doc := g.src.parse("config", raw)
	var description []comment.Block
	var def string
	for _, b := range doc.Content {
		p, ok := b.(*comment.Paragraph)
		label := ""
		if ok && len(p.Text) > 0 {
			if first, ok := p.Text[0].(comment.Plain); ok {
				for _, l := range []string{"Default:", "Allowed:", "Keys:"} {
					if strings.HasPrefix(string(first), l) {
						label = l
						p.Text[0] = comment.Plain(strings.TrimLeft(strings.TrimPrefix(string(first), l), " \n"))
					}
				}
			}
		}
		if label == "" {
			description = append(description, b)
			continue
		}
		md, err := g.render(p.Text, &k.sources)
		if err != nil {
			return nil, err
		}
		switch label {
		case "Default:":
			def = strings.TrimSuffix(md, ".")
		case "Allowed:":
			k.allowed = md
		case "Keys:":
			k.keysDoc = md
		}
	}
	var err error
	if k.description, err = g.blocks(description, &k.sources); err != nil {
		return nil, err
	}
	k.def = def
	if def == "" {
		k.def = defaultOf(v)
	}
	return k, nil
}

// defaultOf renders a default value as YAML on one line, or "none".
func defaultOf(v reflect.Value) string {
	if !v.IsValid() || ((v.Kind() == reflect.Pointer || v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.IsNil()) ||
		(v.Kind() == reflect.String && v.String() == "") {
		return "none"
	}
	if v.Kind() == reflect.String {
		// As the user writes it: 16.4 is read as text too.
		return "`" + v.String() + "`"
	}
	var n yaml.Node
	if err := n.Encode(v.Interface()); err != nil {
		return fmt.Sprint(v.Interface())
	}
	flow(&n)
	out, err := yaml.Marshal(&n)
	if err != nil {
		return fmt.Sprint(v.Interface())
	}
	return "`" + strings.TrimSpace(string(out)) + "`"
}

func flow(n *yaml.Node) {
	n.Style |= yaml.FlowStyle
	for _, c := range n.Content {
		flow(c)
	}
}

// markdown renders a doc comment of package config (not a key's).
func (g *configPage) markdown(raw string, sources *[]*goDecl) (string, error) {
	return g.blocks(g.src.parse("config", raw).Content, sources)
}

// blocks renders doc comment blocks as Markdown, resolving doc links.
func (g *configPage) blocks(blocks []comment.Block, sources *[]*goDecl) (string, error) {
	var out []string
	for _, b := range blocks {
		switch b := b.(type) {
		case *comment.Paragraph:
			s, err := g.render(b.Text, sources)
			if err != nil {
				return "", err
			}
			out = append(out, s)
		case *comment.List:
			var items []string
			for _, it := range b.Items {
				s, err := g.blocks(it.Content, sources)
				if err != nil {
					return "", err
				}
				items = append(items, "- "+strings.ReplaceAll(s, "\n\n", " "))
			}
			out = append(out, strings.Join(items, "\n"))
		case *comment.Code:
			out = append(out, "```text\n"+strings.TrimRight(b.Text, "\n")+"\n```")
		case *comment.Heading:
			s, err := g.render(b.Text, sources)
			if err != nil {
				return "", err
			}
			out = append(out, "**"+s+"**")
		}
	}
	return strings.Join(out, "\n\n"), nil
}

// render writes doc comment text as Markdown: a doc link becomes the value
// of what it names (see the package comment above), and what it names is
// added to sources; sources nil leaves links as names.
func (g *configPage) render(texts []comment.Text, sources *[]*goDecl) (string, error) {
	var b strings.Builder
	for _, t := range texts {
		switch t := t.(type) {
		case comment.Plain:
			b.WriteString(escape(string(t)))
		case comment.Italic:
			b.WriteString("_" + escape(string(t)) + "_")
		case *comment.Link:
			s, err := g.render(t.Text, sources)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "[%s](%s)", s, t.URL)
		case *comment.DocLink:
			s, err := g.link(t, sources)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		}
	}
	return strings.Join(strings.Fields(b.String()), " "), nil
}

func (g *configPage) link(l *comment.DocLink, sources *[]*goDecl) (string, error) {
	d, err := g.src.resolve("config", l)
	if err != nil {
		return "", err
	}
	name := "`" + d.qualified() + "`"
	if sources == nil {
		return name, nil
	}
	if strings.TrimSpace(d.doc) == "" {
		return "", fmt.Errorf("docgen: %s has no doc comment; a limit the configuration page shows must say where it comes from", d.qualified())
	}
	switch d.kind {
	case token.CONST, token.VAR:
		if d.value == nil {
			return "", fmt.Errorf("docgen: %s has no value in its declaration", d.qualified())
		}
		if _, isTable, err := g.src.table(d.pkg, d.value); err != nil {
			return "", err
		} else if isTable {
			if g.tables[d.qualified()] == nil {
				g.tables[d.qualified()] = d
				g.tableOrder = append(g.tableOrder, d.qualified())
			}
			return fmt.Sprintf("[%s](#%s)", name, anchor(d.qualified())), nil
		}
		v, err := g.src.inline(d.pkg, d.value)
		if err != nil {
			return "", fmt.Errorf("%s: %w", d.qualified(), err)
		}
		addSource(sources, d)
		if lit, ok := d.value.(*ast.CompositeLit); ok && len(lit.Elts) > 0 {
			if _, keyed := lit.Elts[0].(*ast.KeyValueExpr); keyed {
				return escape(v), nil // a struct's fields, as words
			}
		}
		return "`" + v + "`", nil
	}
	addSource(sources, d)
	return name, nil
}

func addSource(sources *[]*goDecl, d *goDecl) {
	for _, s := range *sources {
		if s == d {
			return
		}
	}
	*sources = append(*sources, d)
}

// sourceText is a declaration's doc comment as one Markdown block, its
// own doc links named but not followed.
func (g *configPage) sourceText(d *goDecl) string {
	pkg := d.pkg.name
	doc := g.src.parse(pkg, d.doc)
	var out []string
	for _, b := range doc.Content {
		switch b := b.(type) {
		case *comment.Paragraph:
			out = append(out, g.plain(pkg, b.Text))
		case *comment.List:
			var items []string
			for _, it := range b.Items {
				var parts []string
				for _, c := range it.Content {
					if p, ok := c.(*comment.Paragraph); ok {
						parts = append(parts, g.plain(pkg, p.Text))
					}
				}
				items = append(items, "  - "+strings.Join(parts, " "))
			}
			out = append(out, strings.Join(items, "\n"))
		case *comment.Code:
			out = append(out, "`"+strings.Join(strings.Fields(b.Text), " ")+"`")
		}
	}
	return strings.Join(out, " ")
}

// escape keeps comment text literal in Markdown: <name> would be read as
// an HTML tag and *word* as emphasis.
func escape(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "*", `\*`).Replace(s)
}

// plain renders text with doc links as their names.
func (g *configPage) plain(pkg string, texts []comment.Text) string {
	var b strings.Builder
	for _, t := range texts {
		switch t := t.(type) {
		case comment.Plain:
			b.WriteString(escape(string(t)))
		case comment.Italic:
			b.WriteString(escape(string(t)))
		case *comment.Link:
			b.WriteString(g.plain(pkg, t.Text))
		case *comment.DocLink:
			b.WriteString("`" + linkText(t) + "`")
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func (g *configPage) write() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("# Configuration\n\n")
	_, intro, err := g.src.structType("config", "Config")
	if err != nil {
		return nil, err
	}
	md, err := g.markdown(intro, nil)
	if err != nil {
		return nil, err
	}
	b.WriteString(md + "\n\n")
	b.WriteString("Each key below gives its type, its default, what it does, the values it takes and where each limit " +
		"comes from. Generated from the config types, their doc comments, `config.Default()` and the limits' own " +
		"declarations by `go generate ./...`.\n\n")
	b.WriteString("| key | type | default |\n|---|---|---|\n")
	for _, s := range g.sections {
		for _, k := range s.keys {
			fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", k.path, anchor(k.path), k.typ, k.def)
		}
	}
	for _, s := range g.sections {
		if len(s.keys) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n## %s\n\n", s.title)
		if s.intro != "" {
			b.WriteString(s.intro + "\n\n")
		}
		for _, k := range s.keys {
			fmt.Fprintf(&b, "### `%s`\n\n%s; default %s.\n\n%s\n\n", k.path, k.typ, k.def, k.description)
			if k.keysDoc != "" {
				fmt.Fprintf(&b, "**Keys:** %s\n\n", k.keysDoc)
			}
			if k.allowed != "" {
				fmt.Fprintf(&b, "**Allowed:** %s\n\n", k.allowed)
			}
			if len(k.sources) > 0 {
				// Declarations that share a doc comment (a const group)
				// are listed once, together.
				b.WriteString("**Sources:**\n\n")
				var docs []string
				names := map[string][]string{}
				for _, d := range k.sources {
					if names[d.doc] == nil {
						docs = append(docs, d.doc)
					}
					names[d.doc] = append(names[d.doc], "`"+d.qualified()+"`")
				}
				for _, doc := range docs {
					for _, d := range k.sources {
						if d.doc == doc {
							fmt.Fprintf(&b, "- %s: %s\n", strings.Join(names[doc], ", "), g.sourceText(d))
							break
						}
					}
				}
				b.WriteString("\n")
			}
		}
	}
	if len(g.tableOrder) > 0 {
		b.WriteString("\n## Allowed values and their sources\n\nThe lists in code that a key's values are checked " +
			"against, each with its source and how to refresh it.\n")
		for _, name := range g.tableOrder {
			d := g.tables[name]
			text := g.sourceText(d)
			rows, _, err := g.src.table(d.pkg, d.value)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(&b, "\n### `%s`\n\n%s\n\n| | values |\n|---|---|\n", name, text)
			for _, r := range rows {
				fmt.Fprintf(&b, "| `%s` | %s |\n", r[0], r[1])
			}
		}
	}
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n'), nil
}
