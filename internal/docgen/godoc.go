package docgen

import (
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// module is the import path of the repository's module.
const module = "github.com/pilotlight/pilotlight"

// Root is the repository's root folder: the nearest folder at or above
// the working directory with a go.mod (go generate runs in the root, go
// test in the package's folder).
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("docgen: no go.mod at or above the working directory; run it inside the repository")
		}
		dir = parent
	}
}

// goSource is the Go source of the packages whose doc comments a page
// reads (the configuration page: config and every package under
// constructs/), parsed with their comments (go/parser), by package name.
type goSource struct {
	packages map[string]*goPackage
}

// goPackage is one parsed package.
type goPackage struct {
	name, importPath string
	// decls are its package-level consts, vars, funcs and types by name.
	decls map[string]*goDecl
}

// goDecl is one package-level declaration.
type goDecl struct {
	pkg  *goPackage
	name string
	kind token.Token // CONST, VAR, FUNC or TYPE
	// doc is its doc comment: the spec's own, else its group's.
	doc string
	// value is a const's or var's value expression (nil for funcs and
	// types); typ is a type's definition.
	value ast.Expr
	typ   ast.Expr
}

// readConfigSource parses config, timing and the spec packages under root:
// what config's doc comments link to (its limits, defaults and lists).
func readConfigSource(root string) (*goSource, error) {
	dirs := []string{"config", "timing"}
	entries, err := os.ReadDir(filepath.Join(root, "spec"))
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join("spec", e.Name()))
		}
	}
	return readSource(root, dirs...)
}

// readSource parses the packages in dirs (relative to root, "." for the
// root's own).
func readSource(root string, rel ...string) (*goSource, error) {
	var dirs []string
	for _, r := range rel {
		dirs = append(dirs, filepath.Join(root, r))
	}
	src := &goSource{packages: map[string]*goPackage{}}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(root, dir)
		importPath := module
		if rel != "." {
			importPath += "/" + filepath.ToSlash(rel)
		}
		pkg := &goPackage{importPath: importPath, decls: map[string]*goDecl{}}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
			if err != nil {
				return nil, err
			}
			pkg.name = f.Name.Name
			pkg.add(f)
		}
		if pkg.name == "" {
			continue
		}
		if other, dup := src.packages[pkg.name]; dup {
			return nil, fmt.Errorf("docgen: two packages named %s (%s, %s): doc links [%s.Name] would be ambiguous", pkg.name, other.importPath, pkg.importPath, pkg.name)
		}
		src.packages[pkg.name] = pkg
	}
	return src, nil
}

func (p *goPackage) add(f *ast.File) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				p.decls[d.Name.Name] = &goDecl{pkg: p, name: d.Name.Name, kind: token.FUNC, doc: d.Doc.Text()}
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				doc := d.Doc.Text()
				switch s := s.(type) {
				case *ast.ValueSpec:
					if s.Doc != nil {
						doc = s.Doc.Text()
					}
					for i, n := range s.Names {
						decl := &goDecl{pkg: p, name: n.Name, kind: d.Tok, doc: doc}
						if i < len(s.Values) {
							decl.value = s.Values[i]
						}
						p.decls[n.Name] = decl
					}
				case *ast.TypeSpec:
					if s.Doc != nil {
						doc = s.Doc.Text()
					}
					p.decls[s.Name.Name] = &goDecl{pkg: p, name: s.Name.Name, kind: token.TYPE, doc: doc, typ: s.Type}
				}
			}
		}
	}
}

// structType is the struct type name of package pkg.
func (s *goSource) structType(pkg, name string) (*ast.StructType, string, error) {
	d := s.packages[pkg].decls[name]
	if d == nil || d.kind != token.TYPE {
		return nil, "", fmt.Errorf("docgen: no type %s.%s in the source", pkg, name)
	}
	st, ok := d.typ.(*ast.StructType)
	if !ok {
		return nil, "", fmt.Errorf("docgen: %s.%s is not a struct", pkg, name)
	}
	return st, d.doc, nil
}

// fieldDoc is the doc comment of field name of struct type typ in pkg.
func (s *goSource) fieldDoc(pkg, typ, name string) (string, error) {
	st, _, err := s.structType(pkg, typ)
	if err != nil {
		return "", err
	}
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			if n.Name == name {
				return f.Doc.Text(), nil
			}
		}
	}
	return "", fmt.Errorf("docgen: no field %s in %s.%s", name, pkg, typ)
}

// parse parses a doc comment of package pkg, with [Name] and [pkg.Name]
// as doc links to the source's declarations.
func (s *goSource) parse(pkg, text string) *comment.Doc {
	p := comment.Parser{
		LookupPackage: func(name string) (string, bool) {
			if other, ok := s.packages[name]; ok {
				return other.importPath, true
			}
			return "", false
		},
		LookupSym: func(recv, name string) bool {
			return recv == "" && s.packages[pkg].decls[name] != nil
		},
	}
	return p.Parse(text)
}

// resolve finds the declaration a doc link names, from package pkg.
func (s *goSource) resolve(pkg string, l *comment.DocLink) (*goDecl, error) {
	p := s.packages[pkg]
	if l.ImportPath != "" {
		p = nil
		for _, other := range s.packages {
			if other.importPath == l.ImportPath {
				p = other
			}
		}
	}
	if p == nil || l.Recv != "" || p.decls[l.Name] == nil {
		return nil, fmt.Errorf("docgen: the doc link [%s] in package %s names nothing the generator can read (a const, var, func or type of config or constructs/...)", linkText(l), pkg)
	}
	return p.decls[l.Name], nil
}

func linkText(l *comment.DocLink) string {
	var b strings.Builder
	for _, t := range l.Text {
		if p, ok := t.(comment.Plain); ok {
			b.WriteString(string(p))
		}
	}
	return b.String()
}

// qualified is the declaration's name as the page writes it, pkg.Name.
func (d *goDecl) qualified() string { return d.pkg.name + "." + d.name }

// constant evaluates a const (or an operand of one) from its source:
// literals, other consts (of any package read), unary and binary
// arithmetic. Anything else is an error naming the expression, so a
// limit the page cannot show fails the generation.
func (s *goSource) constant(p *goPackage, e ast.Expr) (constant.Value, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		return constant.MakeFromLiteral(e.Value, e.Kind, 0), nil
	case *ast.ParenExpr:
		return s.constant(p, e.X)
	case *ast.Ident:
		d := p.decls[e.Name]
		if d == nil || d.kind != token.CONST || d.value == nil {
			return nil, fmt.Errorf("docgen: %s.%s is not a constant the page can show", p.name, e.Name)
		}
		return s.constant(p, d.value)
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok && s.packages[x.Name] != nil {
			return s.constant(s.packages[x.Name], e.Sel)
		}
	case *ast.UnaryExpr:
		v, err := s.constant(p, e.X)
		if err != nil {
			return nil, err
		}
		return constant.UnaryOp(e.Op, v, 0), nil
	case *ast.BinaryExpr:
		x, err := s.constant(p, e.X)
		if err != nil {
			return nil, err
		}
		y, err := s.constant(p, e.Y)
		if err != nil {
			return nil, err
		}
		switch e.Op {
		case token.ADD, token.SUB, token.MUL:
			return constant.BinaryOp(x, e.Op, y), nil
		}
	}
	return nil, fmt.Errorf("docgen: cannot evaluate %T in package %s; write the limit as a literal or another constant", e, p.name)
}

// text formats a constant as the page shows it: strings unquoted, numbers
// in decimal.
func text(v constant.Value) string {
	switch v.Kind() {
	case constant.String:
		return constant.StringVal(v)
	case constant.Float, constant.Int:
		f, _ := constant.Float64Val(v)
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return v.String()
}

// inline renders a value expression on one line: a constant, a list
// ("a, b, c"), or a struct literal with keys ("Min: 1, Max: 3600, Why:
// ...").
func (s *goSource) inline(p *goPackage, e ast.Expr) (string, error) {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		v, err := s.constant(p, e)
		if err != nil {
			return "", err
		}
		return text(v), nil
	}
	var parts []string
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			k, err := s.key(p, kv.Key)
			if err != nil {
				return "", err
			}
			v, err := s.inline(p, kv.Value)
			if err != nil {
				return "", err
			}
			parts = append(parts, k+": "+v)
			continue
		}
		v, err := s.inline(p, el)
		if err != nil {
			return "", err
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, ", "), nil
}

// key is a composite literal's key: a field name or a constant.
func (s *goSource) key(p *goPackage, e ast.Expr) (string, error) {
	if id, ok := e.(*ast.Ident); ok && p.decls[id.Name] == nil {
		return id.Name, nil // a struct field
	}
	v, err := s.constant(p, e)
	if err != nil {
		return "", err
	}
	return text(v), nil
}

// table renders a map literal as rows of key and value, in source order;
// ok is false for anything else.
func (s *goSource) table(p *goPackage, e ast.Expr) (rows [][2]string, ok bool, err error) {
	lit, isLit := e.(*ast.CompositeLit)
	if !isLit {
		return nil, false, nil
	}
	if _, isMap := lit.Type.(*ast.MapType); !isMap {
		return nil, false, nil
	}
	for _, el := range lit.Elts {
		kv := el.(*ast.KeyValueExpr)
		k, err := s.key(p, kv.Key)
		if err != nil {
			return nil, true, err
		}
		v, err := s.inline(p, kv.Value)
		if err != nil {
			return nil, true, err
		}
		rows = append(rows, [2]string{k, v})
	}
	return rows, true, nil
}
