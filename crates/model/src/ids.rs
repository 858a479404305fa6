//! Entity references: `M3` inside a program, `checkout-v2/M3` across programs.

/// A parsed reference to an entity, either local to the referring program or qualified
/// with another program's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntityRef<'a> {
    /// The program id when the reference is qualified (`checkout-v2/M3`).
    pub program: Option<&'a str>,
    /// The entity id within its program (`M3`).
    pub id: &'a str,
}

/// Splits `program/id` or `id` into an [`EntityRef`]. Returns `None` for an empty part
/// or more than one `/`.
pub fn parse_ref(text: &str) -> Option<EntityRef<'_>> {
    let mut parts = text.split('/');
    let first = parts.next()?;
    match (parts.next(), parts.next()) {
        (None, _) if !first.is_empty() => Some(EntityRef {
            program: None,
            id: first,
        }),
        (Some(id), None) if !first.is_empty() && !id.is_empty() => Some(EntityRef {
            program: Some(first),
            id,
        }),
        _ => None,
    }
}

/// The JSON Schema pattern of an entity id (`M1`, `R-12`, `launch.gate`).
pub(crate) const ID_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
/// The JSON Schema pattern of a reference: an id, optionally prefixed by `program/`.
pub(crate) const REF_PATTERN: &str =
    "^([A-Za-z0-9][A-Za-z0-9._-]{0,63}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_local_and_qualified_refs() {
        assert_eq!(
            parse_ref("M1"),
            Some(EntityRef {
                program: None,
                id: "M1"
            })
        );
        assert_eq!(
            parse_ref("ledger/M2"),
            Some(EntityRef {
                program: Some("ledger"),
                id: "M2"
            })
        );
        assert_eq!(parse_ref("a/b/c"), None);
        assert_eq!(parse_ref("/M1"), None);
        assert_eq!(parse_ref(""), None);
    }
}

macro_rules! string_newtype {
    ($(#[$doc:meta])* $name:ident, $schema_name:literal, $pattern:expr, $desc:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The text as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $schema_name.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "description": $desc,
                })
            }
        }
    };
}

string_newtype!(
    /// An entity id, unique within its program (`M1`, `R-12`).
    Id,
    "Id",
    ID_PATTERN,
    "An id, unique within its program: letters, digits, `.`, `_` and `-`, starting with a letter or digit (`M1`, `R-12`)."
);
string_newtype!(
    /// A reference to a milestone or other entity: `M3` in the same program or
    /// `checkout-v2/M3` in another.
    Ref,
    "Ref",
    REF_PATTERN,
    "A reference to an entity: `M3` in the same program, or `program-id/M3` in another program."
);
string_newtype!(
    /// A reference to a person or a team from `people.yaml`.
    PersonRef,
    "PersonRef",
    ID_PATTERN,
    "The id of a person or team from people.yaml."
);

impl Ref {
    /// Splits the reference into its program and id parts.
    pub fn parts(&self) -> Option<EntityRef<'_>> {
        parse_ref(&self.0)
    }
}
