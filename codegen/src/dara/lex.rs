//! Tokens of the Darabonba/Tea subset used by the official SDK specs: identifiers, quoted
//! strings (backslash escapes), numbers and one-character punctuation; comments are skipped.

use std::fmt;

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An identifier or keyword (`model`, `string`, `request`, `$Model`).
    Ident(String),
    /// A quoted string, escapes resolved.
    Str(String),
    /// A number as written.
    Num(String),
    /// One punctuation character.
    Punct(char),
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Ident(s) => write!(f, "`{s}`"),
            Tok::Str(_) => f.write_str("a string"),
            Tok::Num(n) => write!(f, "number {n}"),
            Tok::Punct(c) => write!(f, "`{c}`"),
        }
    }
}

/// A token and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The token.
    pub tok: Tok,
    /// Its line.
    pub line: usize,
}

/// A lexical error: the line and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// 1-based line.
    pub line: usize,
    /// What was expected.
    pub expected: String,
}

const PUNCT: &str = "{}()[],:;=?.@<>!&|+-*/%~^#";

/// Tokens and comments of a file.
#[derive(Debug, Clone, Default)]
pub struct Lexed {
    /// The tokens.
    pub tokens: Vec<Token>,
    /// Comments: first line and text (without the delimiters).
    pub comments: Vec<(usize, String)>,
}

/// Splits `text` into tokens and comments.
///
/// Long on purpose: one loop over the characters with one arm per token kind, which reads as
/// the lexical grammar; splitting the arms into functions would scatter the position bookkeeping.
pub fn lex(text: &str) -> Result<Lexed, LexError> {
    let mut out = Vec::new();
    let mut comments = Vec::new();
    let mut it = text.char_indices().peekable();
    let mut line = 1usize;
    while let Some((_, c)) = it.next() {
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() => {}
            '/' if matches!(it.peek(), Some((_, '/'))) => {
                let mut text = String::new();
                for (_, c) in it.by_ref() {
                    if c == '\n' {
                        break;
                    }
                    text.push(c);
                }
                comments.push((line, text));
                line += 1;
            }
            '/' if matches!(it.peek(), Some((_, '*'))) => {
                let start = line;
                it.next();
                let mut prev = ' ';
                let mut closed = false;
                let mut text = String::new();
                for (_, c) in it.by_ref() {
                    if c == '\n' {
                        line += 1;
                    }
                    if prev == '*' && c == '/' {
                        closed = true;
                        break;
                    }
                    text.push(c);
                    prev = c;
                }
                comments.push((start, text));
                if !closed {
                    return Err(LexError {
                        line: start,
                        expected: "`*/` closing the comment opened here".to_owned(),
                    });
                }
            }
            '\'' | '"' => {
                let open = c;
                let start = line;
                let mut s = String::new();
                let mut closed = false;
                while let Some((_, c)) = it.next() {
                    match c {
                        '\\' => match it.next() {
                            Some((_, 'n')) => s.push('\n'),
                            Some((_, 't')) => s.push('\t'),
                            Some((_, 'r')) => s.push('\r'),
                            Some((_, e)) => {
                                if e == '\n' {
                                    line += 1;
                                }
                                s.push(e);
                            }
                            None => break,
                        },
                        c if c == open => {
                            closed = true;
                            break;
                        }
                        c => {
                            if c == '\n' {
                                line += 1;
                            }
                            s.push(c);
                        }
                    }
                }
                if !closed {
                    return Err(LexError {
                        line: start,
                        expected: "a closing quote for the string opened here".to_owned(),
                    });
                }
                out.push(Token {
                    tok: Tok::Str(s),
                    line: start,
                });
            }
            c if c.is_ascii_digit() => {
                let mut n = String::from(c);
                while let Some(&(_, d)) = it.peek() {
                    if d.is_ascii_alphanumeric() || d == '.' || d == '_' {
                        n.push(d);
                        it.next();
                    } else {
                        break;
                    }
                }
                out.push(Token {
                    tok: Tok::Num(n),
                    line,
                });
            }
            c if c.is_alphabetic() || c == '_' || c == '$' => {
                let mut id = String::from(c);
                while let Some(&(_, d)) = it.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '$' {
                        id.push(d);
                        it.next();
                    } else {
                        break;
                    }
                }
                out.push(Token {
                    tok: Tok::Ident(id),
                    line,
                });
            }
            c if PUNCT.contains(c) => out.push(Token {
                tok: Tok::Punct(c),
                line,
            }),
            other => {
                return Err(LexError {
                    line,
                    expected: format!("a token, found {other:?}"),
                })
            }
        }
    }
    Ok(Lexed {
        tokens: out,
        comments,
    })
}
