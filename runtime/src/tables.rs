//! Request-side macros of generated code: [`put_params!`](crate::put_params) (the body of
//! `write_params`) and [`setters!`](crate::setters) (one builder method per optional field),
//! each over a table, so that a generated request is its struct and two tables.

/// Writes a request's parameters into a [`Params`](crate::Params), one table row each:
/// `put_params!(params, self, { field = "Wire", other = "Other" (Form, Json) required, … })`.
/// A row without `(Location, Style)` is `(Query, Plain)`; a `required` field is not an `Option`.
/// Each row is one [`Params::put`](crate::Params::put), in table order.
#[macro_export]
macro_rules! put_params {
    ($p:ident, $s:ident, { $($f:ident = $w:literal $(($loc:ident, $style:ident))? $($required:ident)?),* $(,)? }) => {
        $($crate::put_params!(@put $p, $w, ($($loc, $style)?), $crate::put_params!(@value $s.$f $(, $required)?));)*
    };
    (@put $p:ident, $w:literal, (), $v:expr) => {
        $p.put($w, $crate::Location::Query, $crate::Style::Plain, $v)
    };
    (@put $p:ident, $w:literal, ($loc:ident, $style:ident), $v:expr) => {
        $p.put($w, $crate::Location::$loc, $crate::Style::$style, $v)
    };
    (@value $s:ident . $f:ident, required) => {
        ::core::option::Option::Some(&$s.$f)
    };
    (@value $s:ident . $f:ident) => {
        $s.$f.as_ref()
    };
}

/// One builder method per optional field of a generated request:
/// `setters!(Name { field(Type) = "Wire", set_other(Other) = "Other" in other, … })`: a method
/// not named like its field names it after `in`; attributes (`#[deprecated]`) go before a row. Each
/// method takes `impl Into<Type>`, sets the field to `Some` and returns the request; its doc
/// names the wire parameter.
#[macro_export]
macro_rules! setters {
    ($t:ident { $($(#[$m:meta])* $s:ident ($ty:ty) = $w:literal $(in $f:ident)?),* $(,)? }) => {
        #[allow(deprecated)]
        impl $t {
            $($crate::setters!(@one [$(#[$m])*] $s ($($f)?) $ty, $w);)*
        }
    };
    (@one [$($m:tt)*] $s:ident () $ty:ty, $w:literal) => {
        $crate::setters!(@emit [$($m)*] $s $s $ty, $w);
    };
    (@one [$($m:tt)*] $s:ident ($f:ident) $ty:ty, $w:literal) => {
        $crate::setters!(@emit [$($m)*] $s $f $ty, $w);
    };
    (@emit [$($m:tt)*] $s:ident $f:ident $ty:ty, $w:literal) => {
        #[doc = concat!(" Sets `", $w, "`.")]
        $($m)*
        pub fn $s(mut self, value: impl ::core::convert::Into<$ty>) -> Self {
            self.$f = ::core::option::Option::Some(value.into());
            self
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::{Location, Params, Style};

    struct Request {
        name: String,
        count: Option<i32>,
        tags: Option<Vec<String>>,
    }

    #[test]
    fn rows_default_to_plain_query_and_skip_absent_values() {
        let r = Request {
            name: "n".to_owned(),
            count: None,
            tags: Some(vec!["a".to_owned(), "b".to_owned()]),
        };
        let mut by_macro = Params::default();
        {
            let params = &mut by_macro;
            let this = &r;
            crate::put_params!(params, this, {
                name = "Name" required,
                count = "Count",
                tags = "Tag" (Form, RepeatList),
            });
        }
        let mut by_hand = Params::default();
        by_hand.put("Name", Location::Query, Style::Plain, Some(&r.name));
        by_hand.put("Count", Location::Query, Style::Plain, r.count.as_ref());
        by_hand.put("Tag", Location::Form, Style::RepeatList, r.tags.as_ref());
        assert_eq!(by_macro, by_hand);
        assert_ne!(by_macro, Params::default());
    }

    #[derive(Debug, Default, PartialEq)]
    struct Built {
        name: Option<String>,
        r#type: Option<i64>,
        old: Option<bool>,
    }
    crate::setters!(Built {
        name(String) = "Name",
        set_type(i64) = "Type" in r#type,
        #[deprecated(note = "deprecated by the service")]
        old(bool) = "Old",
    });

    #[test]
    #[allow(deprecated)]
    fn setters_set_their_field() {
        let b = Built::default().name("n").set_type(7).old(true);
        assert_eq!(
            b,
            Built {
                name: Some("n".to_owned()),
                r#type: Some(7),
                old: Some(true),
            }
        );
    }
}
