//! Comparing two API surfaces into a list of [`Change`]s, each of a [`Kind`] that
//! [`super::rules`] classifies.

use super::rules::Kind;
use super::surface::{Member, OperationSurface, ProductSurface, Shape, Ty};
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet};

/// One change between the old and the new spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `Sas 2018-12-03`.
    pub product: String,
    /// The action, for changes inside an operation.
    pub operation: Option<String>,
    /// What kind of change (classified by [`Kind::rule`]).
    pub kind: Kind,
    /// Where: `operation`, `parameter`, `response`, `error code`, `endpoint`, `crate`.
    pub place: &'static str,
    /// The name there: `Lang`, `Data.Status` (`[]` list items, `{}` map values; empty for
    /// the response body), `ServerError`, `cn-hangzhou`.
    pub name: String,
    /// How: `int32 → int64`, `value EN`, `query → formData`, or empty.
    pub detail: String,
}

/// Request or response, for the rules that differ.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// Every change from `old` to `new` (products matched by code and API version).
pub fn compare(old: &[ProductSurface], new: &[ProductSurface]) -> Vec<Change> {
    let old: BTreeMap<String, &ProductSurface> = old.iter().map(|p| (p.key(), p)).collect();
    let new: BTreeMap<String, &ProductSurface> = new.iter().map(|p| (p.key(), p)).collect();
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let mut cx = Cx {
            out: &mut out,
            product: key.clone(),
            operation: None,
        };
        match (old.get(key), new.get(key)) {
            (Some(a), Some(b)) => cx.product(a, b),
            (Some(a), None) => cx.each_operation(a, Kind::OperationRemoved),
            (None, Some(b)) => cx.each_operation(b, Kind::OperationAdded),
            (None, None) => {}
        }
    }
    out
}

struct Cx<'a> {
    out: &'a mut Vec<Change>,
    product: String,
    operation: Option<String>,
}

impl Cx<'_> {
    fn push(&mut self, kind: Kind, target: (&'static str, String), detail: impl Into<String>) {
        self.out.push(Change {
            product: self.product.clone(),
            operation: self.operation.clone(),
            kind,
            place: target.0,
            name: target.1,
            detail: detail.into(),
        });
    }

    fn each_operation(&mut self, p: &ProductSurface, kind: Kind) {
        for action in p.operations.keys() {
            self.operation = Some(action.clone());
            self.push(kind, ("operation", action.clone()), "");
        }
        self.operation = None;
    }

    fn product(&mut self, a: &ProductSurface, b: &ProductSurface) {
        if a.crate_name != b.crate_name {
            self.push(
                Kind::CrateRenamed,
                ("crate", a.crate_name.clone()),
                format!("{} → {}", a.crate_name, b.crate_name),
            );
        }
        for (region, host) in &a.endpoints {
            match b.endpoints.get(region) {
                None => self.push(Kind::EndpointRemoved, ("endpoint", region.clone()), host),
                Some(h) if h != host => self.push(
                    Kind::EndpointChanged,
                    ("endpoint", region.clone()),
                    format!("{host} → {h}"),
                ),
                Some(_) => {}
            }
        }
        for (region, host) in &b.endpoints {
            if !a.endpoints.contains_key(region) {
                self.push(Kind::EndpointAdded, ("endpoint", region.clone()), host);
            }
        }
        let actions: BTreeSet<&String> = a.operations.keys().chain(b.operations.keys()).collect();
        for action in actions {
            self.operation = Some(action.clone());
            match (a.operations.get(action), b.operations.get(action)) {
                (Some(x), Some(y)) => self.operation_pair(x, y),
                (Some(_), None) => {
                    self.push(Kind::OperationRemoved, ("operation", action.clone()), "")
                }
                (None, Some(y)) => {
                    self.push(Kind::OperationAdded, ("operation", action.clone()), "");
                    if y.deprecated {
                        self.push(Kind::OperationDeprecated, ("operation", action.clone()), "");
                    }
                }
                (None, None) => {}
            }
        }
        self.operation = None;
    }

    fn operation_pair(&mut self, a: &OperationSurface, b: &OperationSurface) {
        let action = self.operation.clone().unwrap_or_default();
        match (a.deprecated, b.deprecated) {
            (false, true) => {
                self.push(Kind::OperationDeprecated, ("operation", action.clone()), "")
            }
            (true, false) => self.push(
                Kind::OperationUndeprecated,
                ("operation", action.clone()),
                "",
            ),
            _ => {}
        }
        if a.method != b.method {
            self.push(
                Kind::MethodChanged,
                ("operation", action.clone()),
                format!("{} → {}", a.method, b.method),
            );
        }
        if a.anonymous != b.anonymous {
            let name = |anon: bool| if anon { "anonymous" } else { "signed" };
            self.push(
                Kind::AuthChanged,
                ("operation", action.clone()),
                format!("{} → {}", name(a.anonymous), name(b.anonymous)),
            );
        }
        match (&a.paginator, &b.paginator) {
            (None, Some(by)) => self.push(Kind::PaginatorAdded, ("operation", action.clone()), by),
            (Some(by), None) => {
                self.push(Kind::PaginatorRemoved, ("operation", action.clone()), by)
            }
            (Some(x), Some(y)) if x != y => self.push(
                Kind::PaginatorChanged,
                ("operation", action.clone()),
                format!("{x} → {y}"),
            ),
            _ => {}
        }
        self.parameters(&a.parameters, &b.parameters);
        let any = Shape {
            ty: Ty::Any,
            component: None,
        };
        self.shape(
            a.response.as_ref().unwrap_or(&any),
            b.response.as_ref().unwrap_or(&any),
            Side::Response,
            "",
        );
        for (code, statuses) in &a.error_codes {
            match b.error_codes.get(code) {
                None => self.push(
                    Kind::ErrorCodeRemoved,
                    ("error code", code.clone()),
                    format!("HTTP {}", statuses.join(", ")),
                ),
                Some(s) if s != statuses => self.push(
                    Kind::ErrorStatusChanged,
                    ("error code", code.clone()),
                    format!("HTTP {} → {}", statuses.join(", "), s.join(", ")),
                ),
                Some(_) => {}
            }
        }
        for (code, statuses) in &b.error_codes {
            if !a.error_codes.contains_key(code) {
                self.push(
                    Kind::ErrorCodeAdded,
                    ("error code", code.clone()),
                    format!("HTTP {}", statuses.join(", ")),
                );
            }
        }
    }

    fn parameters(
        &mut self,
        a: &IndexMap<String, super::surface::ParamSurface>,
        b: &IndexMap<String, super::surface::ParamSurface>,
    ) {
        for (name, x) in a {
            let target = ("parameter", name.clone());
            let Some(y) = b.get(name) else {
                self.push(Kind::RequestFieldRemoved, target, requiredness(x.required));
                continue;
            };
            self.flags(
                &target,
                (x.required, y.required),
                (x.deprecated, y.deprecated),
                Side::Request,
            );
            if x.location != y.location {
                self.push(
                    Kind::LocationChanged,
                    target.clone(),
                    format!("{} → {}", x.location, y.location),
                );
            }
            if x.style != y.style {
                self.push(
                    Kind::StyleChanged,
                    target.clone(),
                    format!("{} → {}", x.style, y.style),
                );
            }
            self.shape(&x.shape, &y.shape, Side::Request, name);
        }
        for (name, y) in b {
            if !a.contains_key(name) {
                self.added(
                    ("parameter", name.clone()),
                    y.required,
                    y.deprecated,
                    Side::Request,
                );
            }
        }
    }

    /// A parameter or member present on both sides: requiredness and deprecation.
    fn flags(
        &mut self,
        target: &(&'static str, String),
        required: (bool, bool),
        deprecated: (bool, bool),
        side: Side,
    ) {
        if side == Side::Request {
            match required {
                (false, true) => self.push(Kind::NowRequired, target.clone(), ""),
                (true, false) => self.push(Kind::NowOptional, target.clone(), ""),
                _ => {}
            }
        }
        match deprecated {
            (false, true) => self.push(Kind::FieldDeprecated, target.clone(), ""),
            (true, false) => self.push(Kind::FieldUndeprecated, target.clone(), ""),
            _ => {}
        }
    }

    fn added(
        &mut self,
        target: (&'static str, String),
        required: bool,
        deprecated: bool,
        side: Side,
    ) {
        let kind = match (side, required) {
            (Side::Response, _) => Kind::ResponseFieldAdded,
            (Side::Request, true) => Kind::RequiredFieldAdded,
            (Side::Request, false) => Kind::OptionalFieldAdded,
        };
        self.push(kind, target.clone(), "");
        if deprecated {
            self.push(Kind::FieldDeprecated, target, "");
        }
    }

    /// Compares two values at `path` (a parameter name and members below it on the request
    /// side; member names from the body on the response side, empty for the body itself).
    fn shape(&mut self, a: &Shape, b: &Shape, side: Side, path: &str) {
        let target = target(side, path);
        let structs = |s: &Shape| matches!(s.ty, Ty::Object { .. } | Ty::Recursive);
        if a.component != b.component && structs(a) && structs(b) {
            let name = |c: &Option<String>| match c {
                Some(n) => format!("shared {n}"),
                None => "inline".to_owned(),
            };
            self.push(
                Kind::TypeRenamed,
                target.clone(),
                format!("{} → {}", name(&a.component), name(&b.component)),
            );
        }
        match (&a.ty, &b.ty) {
            (Ty::Enum { values: x }, Ty::Enum { values: y }) => {
                let (removed, added) = match side {
                    Side::Request => (Kind::RequestEnumValueRemoved, Kind::RequestEnumValueAdded),
                    Side::Response => {
                        (Kind::ResponseEnumValueRemoved, Kind::ResponseEnumValueAdded)
                    }
                };
                for v in x.iter().filter(|v| !y.contains(v)) {
                    self.push(removed, target.clone(), format!("value {v}"));
                }
                for v in y.iter().filter(|v| !x.contains(v)) {
                    self.push(added, target.clone(), format!("value {v}"));
                }
            }
            (Ty::String, Ty::Enum { values }) => self.push(
                Kind::EnumIntroduced,
                target,
                format!("values {}", values.join(", ")),
            ),
            (Ty::Enum { .. }, Ty::String) => self.push(Kind::EnumDropped, target, ""),
            (Ty::List { items: x }, Ty::List { items: y }) => {
                self.shape(x, y, side, &format!("{path}[]"))
            }
            (Ty::Map { values: x }, Ty::Map { values: y }) => {
                self.shape(x, y, side, &format!("{path}{{}}"))
            }
            (Ty::Object { members: x }, Ty::Object { members: y }) => {
                self.members(x, y, side, path)
            }
            (x, y) if x == y => {}
            (x, y) => {
                let integers = [Ty::Int32, Ty::Int64];
                let numbers = [Ty::Float, Ty::Double];
                let same_family = |f: &[Ty]| f.contains(x) && f.contains(y);
                let kind = if same_family(&integers) || same_family(&numbers) {
                    Kind::FormatChanged
                } else {
                    Kind::TypeChanged
                };
                self.push(kind, target, format!("{} → {}", x.name(), y.name()));
            }
        }
    }

    fn members(
        &mut self,
        a: &IndexMap<String, Member>,
        b: &IndexMap<String, Member>,
        side: Side,
        path: &str,
    ) {
        let child = |name: &str| {
            if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            }
        };
        for (name, x) in a {
            let p = child(name);
            let Some(y) = b.get(name) else {
                let kind = match side {
                    Side::Request => Kind::RequestFieldRemoved,
                    Side::Response => Kind::ResponseFieldRemoved,
                };
                let detail = match side {
                    Side::Request => requiredness(x.required),
                    Side::Response => "",
                };
                self.push(kind, target(side, &p), detail);
                continue;
            };
            self.flags(
                &target(side, &p),
                (x.required, y.required),
                (x.deprecated, y.deprecated),
                side,
            );
            self.shape(&x.shape, &y.shape, side, &p);
        }
        for (name, y) in b {
            if !a.contains_key(name) {
                self.added(target(side, &child(name)), y.required, y.deprecated, side);
            }
        }
    }
}

fn requiredness(required: bool) -> &'static str {
    if required {
        "was required"
    } else {
        "was optional"
    }
}

fn target(side: Side, path: &str) -> (&'static str, String) {
    match side {
        Side::Response => ("response", path.to_owned()),
        Side::Request => ("parameter", path.to_owned()),
    }
}
