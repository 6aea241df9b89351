//! The declarations of a Darabonba/Tea module: `import`, `extends`, `type @x = T`, `init(…) {…}`,
//! `model Name [=] { fields }` and `[async] function name(params)[ throws]: T {…}`. Models are
//! parsed in full; statement blocks are kept as balanced token lists for [`super::client`] to
//! read. Anything else is an error naming the line and what was expected.

use super::lex::{Lexed, Tok, Token};
use indexmap::IndexMap;

/// A parsed module.
#[derive(Debug, Clone, Default)]
pub struct Module {
    /// Models by name, in file order.
    pub models: IndexMap<String, Model>,
    /// Functions in file order.
    pub functions: Vec<Function>,
    /// The body of `init`, if any.
    pub init: Vec<Token>,
}

/// `model Name { … }`.
#[derive(Debug, Clone)]
pub struct Model {
    /// Model name.
    pub name: String,
    /// Fields in order.
    pub fields: Vec<Field>,
    /// Line of the declaration.
    pub line: usize,
}

/// One model field: `ident?: type(attr='v', …)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The identifier in the model (`selectionKey`).
    pub ident: String,
    /// Written with `?`.
    pub optional: bool,
    /// The type.
    pub ty: Type,
    /// Annotations (`name`, `position`, `shrink`, `deprecated`, `minimum`, …).
    pub attrs: IndexMap<String, Attr>,
    /// Line of the field.
    pub line: usize,
}

impl Field {
    /// An annotation as text.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).map(|a| a.0.as_str())
    }

    /// The wire name: the `name` annotation, else the identifier.
    pub fn wire(&self) -> &str {
        self.attr("name").unwrap_or(&self.ident)
    }
}

/// An annotation value as written (string contents, number or identifier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr(pub String);

/// A field type.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// A named type: a primitive (`string`, `int32`, `long`, …) or a model.
    Named(String),
    /// `[ T ]`.
    Array(Box<Type>),
    /// `map[K]V`.
    Map(Box<Type>, Box<Type>),
    /// An inline model `{ fields }`.
    Object(Vec<Field>),
}

/// `[async] function name(params): T { body }`.
#[derive(Debug, Clone)]
pub struct Function {
    /// Function name.
    pub name: String,
    /// Parameters: name and type.
    pub params: Vec<(String, Type)>,
    /// Return type.
    pub ret: Type,
    /// Body tokens without the outer braces.
    pub body: Vec<Token>,
    /// Line of the declaration.
    pub line: usize,
    /// A comment between the previous declaration and this one says `@deprecated` (or is
    /// `// Deprecated`).
    pub deprecated: bool,
}

/// A parse error: line and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line (0: end of input).
    pub line: usize,
    /// What was expected, and what was found.
    pub expected: String,
}

/// Parses a lexed file into a module.
pub fn module(lexed: &Lexed) -> Result<Module, ParseError> {
    let mut p = Parser {
        toks: &lexed.tokens,
        pos: 0,
    };
    let mut m = Module::default();
    let mut prev_end = 0;
    while p.pos < p.toks.len() {
        let line = p.line();
        let deprecated = lexed.comments.iter().any(|(l, text)| {
            *l > prev_end
                && *l < line
                && (text.contains("@deprecated") || text.trim() == "Deprecated")
        });
        let kw =
            p.ident("a declaration (`import`, `extends`, `type`, `init`, `model`, `function`)")?;
        match kw.as_str() {
            "import" | "extends" => {
                p.path()?;
                p.eat(';');
            }
            "type" => {
                p.punct('@')?;
                p.ident("a type name after `type @`")?;
                p.punct('=')?;
                p.ty()?;
                p.eat(';');
            }
            "init" => {
                p.punct('(')?;
                p.params()?;
                m.init = p.block()?;
            }
            "model" => {
                let name = p.ident("a model name")?;
                p.eat('=');
                p.punct('{')?;
                let fields = p.fields()?;
                if m.models.contains_key(&name) {
                    return Err(ParseError {
                        line,
                        expected: format!("one model named {name} (it is declared twice)"),
                    });
                }
                m.models.insert(name.clone(), Model { name, fields, line });
            }
            "async" | "static" | "function" => {
                if kw != "function" {
                    let again = p.ident("`function`")?;
                    if again != "function" {
                        return Err(p.err_at(line, "`function`"));
                    }
                }
                let name = p.ident("a function name")?;
                p.punct('(')?;
                let params = p.params()?;
                if p.peek_ident("throws") {
                    p.pos += 1;
                }
                p.punct(':')?;
                let ret = p.ty()?;
                let body = p.block()?;
                m.functions.push(Function {
                    name,
                    params,
                    ret,
                    body,
                    line,
                    deprecated,
                });
            }
            other => {
                return Err(ParseError {
                    line,
                    expected: format!(
                        "a declaration (`import`, `extends`, `type`, `init`, `model`, `function`), found `{other}`"
                    ),
                })
            }
        }
        prev_end = p.toks.get(p.pos.saturating_sub(1)).map_or(0, |t| t.line);
    }
    Ok(m)
}

struct Parser<'a> {
    toks: &'a [Token],
    pos: usize,
}

impl Parser<'_> {
    fn line(&self) -> usize {
        self.toks.get(self.pos).map_or(0, |t| t.line)
    }

    fn found(&self) -> String {
        match self.toks.get(self.pos) {
            Some(t) => t.tok.to_string(),
            None => "the end of the file".to_owned(),
        }
    }

    fn err(&self, expected: &str) -> ParseError {
        ParseError {
            line: self.line(),
            expected: format!("{expected}, found {}", self.found()),
        }
    }

    fn err_at(&self, line: usize, expected: &str) -> ParseError {
        ParseError {
            line,
            expected: expected.to_owned(),
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    fn peek_punct(&self, c: char) -> bool {
        self.peek() == Some(&Tok::Punct(c))
    }

    fn peek_ident(&self, s: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(i)) if i == s)
    }

    fn eat(&mut self, c: char) -> bool {
        let yes = self.peek_punct(c);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn punct(&mut self, c: char) -> Result<(), ParseError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.err(&format!("`{c}`")))
        }
    }

    fn ident(&mut self, expected: &str) -> Result<String, ParseError> {
        match self.peek() {
            Some(Tok::Ident(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.err(expected)),
        }
    }

    /// `A.B.C`.
    fn path(&mut self) -> Result<String, ParseError> {
        let mut s = self.ident("a name")?;
        while self.eat('.') {
            s.push('.');
            s.push_str(&self.ident("a name after `.`")?);
        }
        Ok(s)
    }

    /// `name: type, …)` (the `(` already consumed).
    fn params(&mut self) -> Result<Vec<(String, Type)>, ParseError> {
        let mut out = Vec::new();
        while !self.eat(')') {
            let name = self.ident("a parameter name or `)`")?;
            self.punct(':')?;
            out.push((name, self.ty()?));
            if !self.eat(',') && !self.peek_punct(')') {
                return Err(self.err("`,` or `)` after a parameter"));
            }
        }
        Ok(out)
    }

    fn ty(&mut self) -> Result<Type, ParseError> {
        if self.eat('[') {
            let inner = self.ty()?;
            self.punct(']')?;
            return Ok(Type::Array(Box::new(inner)));
        }
        if self.eat('{') {
            return Ok(Type::Object(self.fields()?));
        }
        let name = self.path().map_err(|_| self.err("a type"))?;
        if name == "map" && self.eat('[') {
            let k = self.ty()?;
            self.punct(']')?;
            let v = self.ty()?;
            return Ok(Type::Map(Box::new(k), Box::new(v)));
        }
        Ok(Type::Named(name))
    }

    /// Fields up to and including the closing `}`.
    fn fields(&mut self) -> Result<Vec<Field>, ParseError> {
        let mut out = Vec::new();
        while !self.eat('}') {
            let line = self.line();
            let ident = self.ident("a field name or `}`")?;
            let optional = self.eat('?');
            self.punct(':')?;
            let ty = self.ty()?;
            let mut attrs = IndexMap::new();
            if self.eat('(') {
                while !self.eat(')') {
                    let key = self.ident("an annotation name or `)`")?;
                    self.punct('=')?;
                    let value = self.attr_value()?;
                    attrs.insert(key, value);
                    if !self.eat(',') && !self.peek_punct(')') {
                        return Err(self.err("`,` or `)` after an annotation"));
                    }
                }
            }
            if !self.eat(',') && !self.peek_punct('}') {
                return Err(self.err("`,` or `}` after a field"));
            }
            out.push(Field {
                ident,
                optional,
                ty,
                attrs,
                line,
            });
        }
        Ok(out)
    }

    fn attr_value(&mut self) -> Result<Attr, ParseError> {
        let neg = self.eat('-');
        let v = match self.peek() {
            Some(Tok::Str(s)) if !neg => s.clone(),
            Some(Tok::Num(n)) => {
                if neg {
                    format!("-{n}")
                } else {
                    n.clone()
                }
            }
            Some(Tok::Ident(i)) if !neg => i.clone(),
            _ => return Err(self.err("an annotation value (a string, number or name)")),
        };
        self.pos += 1;
        Ok(Attr(v))
    }

    /// A `{ … }` block with balanced brackets; returns the tokens inside.
    fn block(&mut self) -> Result<Vec<Token>, ParseError> {
        let open_line = self.line();
        self.punct('{')?;
        let start = self.pos;
        let mut stack = vec!['}'];
        while let Some(t) = self.toks.get(self.pos) {
            self.pos += 1;
            if let Tok::Punct(c) = t.tok {
                match c {
                    '{' => stack.push('}'),
                    '(' => stack.push(')'),
                    '[' => stack.push(']'),
                    '}' | ')' | ']' => {
                        if stack.pop() != Some(c) {
                            return Err(ParseError {
                                line: t.line,
                                expected: "balanced brackets in a block".to_owned(),
                            });
                        }
                        if stack.is_empty() {
                            return Ok(self.toks[start..self.pos - 1].to_vec());
                        }
                    }
                    _ => {}
                }
            }
        }
        Err(self.err_at(open_line, "`}` closing the block opened here"))
    }
}
