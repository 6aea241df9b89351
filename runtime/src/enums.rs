//! Open string enums of generated code: one table of wire values per enum, everything else here.
//!
//! A generated enum declares its variants (documented, plus one variant that keeps values the
//! spec does not list) and calls [`wire_enum!`](crate::wire_enum) or
//! [`error_codes!`](crate::error_codes) with its table; the conversions are the same code for
//! every enum, written once.

/// An enum whose known variants each stand for one wire text, with a variant keeping any other
/// text as sent.
pub trait WireEnum: Sized + Clone + PartialEq + 'static {
    /// Every known variant with its wire text, in declaration order.
    const VALUES: &'static [(&'static str, Self)];

    /// The variant keeping `text`, which is not in [`WireEnum::VALUES`].
    fn unknown(text: String) -> Self;

    /// The text kept by the unknown variant; `None` for a known variant.
    fn unknown_text(&self) -> Option<&str>;

    /// The variant for `text`.
    #[inline]
    fn from_wire(text: &str) -> Self {
        match Self::VALUES.iter().find(|(w, _)| *w == text) {
            Some((_, v)) => v.clone(),
            None => Self::unknown(text.to_owned()),
        }
    }

    /// The variant for `text`, reusing its allocation for an unknown value.
    #[inline]
    fn from_wire_string(text: String) -> Self {
        match Self::VALUES.iter().find(|(w, _)| *w == text) {
            Some((_, v)) => v.clone(),
            None => Self::unknown(text),
        }
    }

    /// The wire text of `self`.
    #[inline]
    fn wire(&self) -> &str {
        if let Some(text) = self.unknown_text() {
            return text;
        }
        // Every known variant is in the table (the macros build both from one list).
        Self::VALUES
            .iter()
            .find(|(_, v)| v == self)
            .map_or("", |(w, _)| w)
    }
}

/// The conversions of a generated value enum, from its table:
/// `wire_enum!(Name { Variant = "text", … })` for an enum whose other variant is
/// `Unknown(String)`. It implements [`WireEnum`], `as_str`, `From<&str>`, `From<String>`,
/// `Display`, [`FromJson`](crate::FromJson) and [`ToJson`](crate::ToJson); serde's traits come
/// from [`impl_serde!`](crate::impl_serde), which generated crates call under their `serde`
/// feature.
#[macro_export]
macro_rules! wire_enum {
    ($t:ident { $($v:ident = $w:literal),* $(,)? }) => {
        impl $crate::enums::WireEnum for $t {
            const VALUES: &'static [(&'static str, Self)] = &[$(($w, Self::$v)),*];
            #[inline]
            fn unknown(text: ::std::string::String) -> Self {
                Self::Unknown(text)
            }
            #[inline]
            #[allow(unreachable_patterns)]
            fn unknown_text(&self) -> ::core::option::Option<&str> {
                match self {
                    Self::Unknown(text) => ::core::option::Option::Some(text),
                    _ => ::core::option::Option::None,
                }
            }
        }
        impl $t {
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                $crate::enums::WireEnum::wire(self)
            }
        }
        impl ::core::convert::From<&str> for $t {
            #[inline]
            fn from(text: &str) -> Self {
                $crate::enums::WireEnum::from_wire(text)
            }
        }
        impl ::core::convert::From<::std::string::String> for $t {
            #[inline]
            fn from(text: ::std::string::String) -> Self {
                $crate::enums::WireEnum::from_wire_string(text)
            }
        }
        impl ::core::fmt::Display for $t {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl $crate::json::FromJson for $t {
            #[inline]
            fn from_json(value: $crate::Value) -> ::core::result::Result<Self, $crate::Value> {
                $crate::enums::from_json(value)
            }
        }
        impl $crate::json::ToJson for $t {
            #[inline]
            fn to_json(&self) -> $crate::Value {
                $crate::Value::String(self.as_str().to_owned())
            }
        }
    };
}

/// The error-code conversions of a generated error enum, from its table:
/// `error_codes!(Name { Variant = "Code", … })` for an enum whose other variant is
/// `Undocumented(String)`. It implements [`WireEnum`] and [`ErrorCode`](crate::ErrorCode).
#[macro_export]
macro_rules! error_codes {
    ($t:ident { $($v:ident = $w:literal),* $(,)? }) => {
        impl $crate::enums::WireEnum for $t {
            const VALUES: &'static [(&'static str, Self)] = &[$(($w, Self::$v)),*];
            #[inline]
            fn unknown(code: ::std::string::String) -> Self {
                Self::Undocumented(code)
            }
            #[inline]
            #[allow(unreachable_patterns, irrefutable_let_patterns)]
            fn unknown_text(&self) -> ::core::option::Option<&str> {
                match self {
                    Self::Undocumented(code) => ::core::option::Option::Some(code),
                    _ => ::core::option::Option::None,
                }
            }
        }
        impl $crate::ErrorCode for $t {
            #[inline]
            fn from_code(code: &str) -> Self {
                $crate::enums::WireEnum::from_wire(code)
            }
            #[inline]
            fn as_code(&self) -> &str {
                $crate::enums::WireEnum::wire(self)
            }
        }
    };
}

/// [`FromJson`](crate::FromJson) of a [`WireEnum`]: the text of a string (or of a number or
/// boolean, as servers send them), else the value handed back.
#[inline]
pub fn from_json<T: WireEnum>(value: serde_json::Value) -> Result<T, serde_json::Value> {
    <String as crate::json::FromJson>::from_json(value).map(T::from_wire_string)
}

#[cfg(test)]
mod tests {
    use crate::{ErrorCode, FromJson, ToJson};
    use serde_json::json;

    /// A value enum as generated code declares it.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    enum Lang {
        Zh,
        En,
        Unknown(String),
    }
    crate::wire_enum!(Lang { Zh = "zh", En = "en" });
    crate::impl_serde!(Lang);

    /// An error enum that documents no code.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    enum NoCodes {
        Undocumented(String),
    }
    crate::error_codes!(NoCodes {});

    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    enum Codes {
        Throttling,
        Undocumented(String),
    }
    crate::error_codes!(Codes {
        Throttling = "Throttling.User"
    });

    #[test]
    fn known_values_map_both_ways_and_others_are_kept() {
        assert_eq!(Lang::from("en"), Lang::En);
        assert_eq!(Lang::En.as_str(), "en");
        assert_eq!(Lang::Zh.to_string(), "zh");
        assert_eq!(Lang::from("EN"), Lang::Unknown("EN".to_owned()));
        assert_eq!(Lang::from("fr".to_owned()).as_str(), "fr");
        assert_eq!(Lang::from_json(json!("zh")), Ok(Lang::Zh));
        assert_eq!(Lang::from_json(json!(3)), Ok(Lang::Unknown("3".to_owned())));
        assert_eq!(Lang::from_json(json!([1])), Err(json!([1])));
        assert_eq!(Lang::En.to_json(), json!("en"));
        assert_eq!(
            serde_json::to_string(&Lang::Zh).ok().as_deref(),
            Some("\"zh\"")
        );
        assert_eq!(
            serde_json::from_str::<Lang>("\"x\"").ok(),
            Some(Lang::Unknown("x".to_owned()))
        );
    }

    #[test]
    fn error_codes_map_both_ways() {
        assert_eq!(Codes::from_code("Throttling.User"), Codes::Throttling);
        assert_eq!(Codes::Throttling.as_code(), "Throttling.User");
        assert_eq!(Codes::from_code("Other").as_code(), "Other");
        assert_eq!(
            NoCodes::from_code("Any"),
            NoCodes::Undocumented("Any".to_owned())
        );
        assert_eq!(NoCodes::from_code("Any").as_code(), "Any");
    }
}
