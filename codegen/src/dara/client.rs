//! Reads operations out of client functions: `@handler.do('RPC', action, method, …)` in the
//! async Darabonba client, and `new OpenApi.Params{ action = …, method = … }` with the
//! `query['X'] = …` / `body['X'] = …` assignments and
//! `OpenApiUtil.arrayToStringWithSpecifiedStyle(tmpReq.x, 'X', 'json')` /
//! `Util.toJSONString(tmpReq.x)` shrink conversions in the classic Tea client.

use super::lex::{Tok, Token};
use super::parse::{Function, Module, Type};
use indexmap::IndexMap;

/// Where a client function puts a request field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The query string.
    Query,
    /// The form body.
    Body,
}

/// One operation as a client function calls it.
#[derive(Debug, Clone)]
pub struct ClientOp {
    /// Action name.
    pub action: String,
    /// HTTP method, upper case.
    pub method: String,
    /// API style (`RPC`).
    pub style: String,
    /// The request model (the function's first parameter), if any.
    pub request: Option<String>,
    /// The response model (the return type).
    pub response: String,
    /// Marked deprecated in its comment.
    pub deprecated: bool,
    /// Wire name → where the function puts it (Tea only).
    pub places: IndexMap<String, Place>,
    /// Every field goes to the query (`OpenApiUtil.query(Util.toMap(request))`, Tea only).
    pub all_query: bool,
    /// Wire name → shrink style (`json`, `simple`; Tea only).
    pub styles: IndexMap<String, String>,
    /// Line of the function.
    pub line: usize,
}

/// Every operation of a module, in file order. A function that makes a call it cannot read
/// (an `@handler.do` or `OpenApi.Params` without string action and method) is an error:
/// `(line, expected)`.
pub fn operations(m: &Module) -> Result<Vec<ClientOp>, (usize, String)> {
    let mut out = Vec::new();
    for f in &m.functions {
        if let Some(op) = handler_do(f)? {
            out.push(op);
        } else if let Some(op) = tea_call(f, m)? {
            out.push(op);
        }
    }
    Ok(out)
}

fn named(t: &Type) -> Option<String> {
    match t {
        Type::Named(n) => Some(n.clone()),
        _ => None,
    }
}

fn base(f: &Function, action: String, method: String, style: String) -> ClientOp {
    ClientOp {
        action,
        method: method.to_ascii_uppercase(),
        style,
        // `Util.RuntimeOptions` and other imported types are not request models.
        request: f
            .params
            .first()
            .and_then(|(_, t)| named(t))
            .filter(|n| !n.contains('.')),
        response: named(&f.ret).unwrap_or_default(),
        deprecated: f.deprecated,
        places: IndexMap::new(),
        all_query: false,
        styles: IndexMap::new(),
        line: f.line,
    }
}

fn is_ident(t: Option<&Token>, s: &str) -> bool {
    matches!(t.map(|t| &t.tok), Some(Tok::Ident(i)) if i == s)
}

fn is_punct(t: Option<&Token>, c: char) -> bool {
    t.map(|t| &t.tok) == Some(&Tok::Punct(c))
}

fn string(t: Option<&Token>) -> Option<String> {
    match t.map(|t| &t.tok) {
        Some(Tok::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

/// `@handler.do('RPC', 'Action', 'POST', '/', …)`.
fn handler_do(f: &Function) -> Result<Option<ClientOp>, (usize, String)> {
    let b = &f.body;
    for i in 0..b.len() {
        let hit = is_punct(b.get(i), '@')
            && is_ident(b.get(i + 1), "handler")
            && is_punct(b.get(i + 2), '.')
            && is_ident(b.get(i + 3), "do")
            && is_punct(b.get(i + 4), '(');
        if !hit {
            continue;
        }
        let args = call_args(&b[i + 5..]);
        let arg = |n: usize| args.get(n).and_then(|a| string(a.first()));
        let line = b[i].line;
        let (Some(style), Some(action), Some(method)) = (arg(0), arg(1), arg(2)) else {
            return Err((
                line,
                "@handler.do('<style>', '<Action>', '<METHOD>', …) with string arguments"
                    .to_owned(),
            ));
        };
        return Ok(Some(base(f, action, method, style)));
    }
    Ok(None)
}

/// The comma-separated arguments of a call, up to its closing `)` (the `(` consumed).
fn call_args(toks: &[Token]) -> Vec<&[Token]> {
    let mut args = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        match t.tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') if depth == 0 => {
                if i > start {
                    args.push(&toks[start..i]);
                }
                return args;
            }
            Tok::Punct(')' | ']' | '}') => depth -= 1,
            Tok::Punct(',') if depth == 0 => {
                args.push(&toks[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    args
}

/// The classic client: `new OpenApi.Params{ … }` plus the assignments before it.
fn tea_call(f: &Function, m: &Module) -> Result<Option<ClientOp>, (usize, String)> {
    let b = &f.body;
    let mut params: Option<(usize, IndexMap<String, String>)> = None;
    for i in 0..b.len() {
        if is_ident(b.get(i), "new")
            && is_ident(b.get(i + 1), "OpenApi")
            && is_punct(b.get(i + 2), '.')
            && is_ident(b.get(i + 3), "Params")
            && is_punct(b.get(i + 4), '{')
        {
            let mut map = IndexMap::new();
            for arg in call_args(&b[i + 5..]) {
                if let (Some(Tok::Ident(k)), true, Some(v)) = (
                    arg.first().map(|t| &t.tok),
                    is_punct(arg.get(1), '='),
                    string(arg.get(2)),
                ) {
                    map.insert(k.clone(), v);
                }
            }
            params = Some((b[i].line, map));
            break;
        }
    }
    let Some((line, p)) = params else {
        return Ok(None);
    };
    let (Some(action), Some(method)) = (p.get("action"), p.get("method")) else {
        return Err((
            line,
            "OpenApi.Params with string `action` and `method`".to_owned(),
        ));
    };
    let style = p.get("style").cloned().unwrap_or_default();
    let mut op = base(f, action.clone(), method.clone(), style);
    let source_model = op.request.clone();
    for i in 0..b.len() {
        // query['X'] = … ; body['X'] = …
        for (name, place) in [("query", Place::Query), ("body", Place::Body)] {
            if is_ident(b.get(i), name)
                && is_punct(b.get(i + 1), '[')
                && is_punct(b.get(i + 3), ']')
                && is_punct(b.get(i + 4), '=')
            {
                if let Some(wire) = string(b.get(i + 2)) {
                    op.places.insert(wire, place);
                }
            }
        }
        // OpenApiUtil.query(Util.toMap(request))
        let to_map = ["OpenApiUtil", ".", "query", "(", "Util", ".", "toMap", "("];
        if to_map
            .iter()
            .enumerate()
            .all(|(k, s)| tok_is(b.get(i + k), s))
        {
            op.all_query = true;
        }
        // OpenApiUtil.arrayToStringWithSpecifiedStyle(tmpReq.x, 'X', 'style')
        let shrink = ["OpenApiUtil", ".", "arrayToStringWithSpecifiedStyle", "("];
        if shrink
            .iter()
            .enumerate()
            .all(|(k, s)| tok_is(b.get(i + k), s))
        {
            let args = call_args(&b[i + 4..]);
            if let (Some(wire), Some(style)) = (
                args.get(1).and_then(|a| string(a.first())),
                args.get(2).and_then(|a| string(a.first())),
            ) {
                op.styles.insert(wire, style);
            }
        }
        // Util.toJSONString(tmpReq.x): JSON, wire name from the request model's field x.
        let json = ["Util", ".", "toJSONString", "("];
        if json
            .iter()
            .enumerate()
            .all(|(k, s)| tok_is(b.get(i + k), s))
        {
            let args = call_args(&b[i + 4..]);
            let field = args.first().and_then(|a| match a.get(2).map(|t| &t.tok) {
                Some(Tok::Ident(x)) if is_punct(a.get(1), '.') => Some(x.clone()),
                _ => None,
            });
            let wire = field.and_then(|x| {
                let model = m.models.get(source_model.as_deref()?)?;
                model
                    .fields
                    .iter()
                    .find(|fl| fl.ident == x)
                    .map(|fl| fl.wire().to_owned())
            });
            if let Some(wire) = wire {
                op.styles.insert(wire, "json".to_owned());
            }
        }
    }
    Ok(Some(op))
}

fn tok_is(t: Option<&Token>, s: &str) -> bool {
    match t.map(|t| &t.tok) {
        Some(Tok::Ident(i)) => i == s,
        Some(Tok::Punct(c)) => s.len() == c.len_utf8() && s.starts_with(*c),
        _ => false,
    }
}
