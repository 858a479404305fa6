//! One name per enum value: the name serde writes in YAML and JSON.
//!
//! Reports, tables and messages need the word a user writes (`in_progress`, `critical`),
//! and hand-written `match` tables that repeat serde's renaming drift from it. [`Named`]
//! asks serde itself: [`Named::as_str`] serializes a unit variant into a serializer that
//! only captures the variant's (renamed) name, so there is exactly one spelling — the one in
//! `#[serde(rename_all = "snake_case")]` — and `Display` prints the same.

use serde::Serialize;
use serde::ser::{Impossible, Serializer};

/// An enum whose values are unit variants with serde names.
pub trait Named: Serialize {
    /// The value's name as written in the files (`in_progress`).
    fn as_str(&self) -> &'static str {
        self.serialize(VariantName).unwrap_or("")
    }
}

/// Implements [`Named`] and `Display` (the same name) for enums of unit variants.
macro_rules! named {
    ($($ty:ty),+ $(,)?) => {
        $(
            impl $crate::names::Named for $ty {}
            impl std::fmt::Display for $ty {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str($crate::names::Named::as_str(self))
                }
            }
        )+
    };
}
pub(crate) use named;

/// Not a unit variant: [`Named`] is implemented only for enums of unit variants.
#[derive(Debug)]
struct NotAUnitVariant;

impl std::fmt::Display for NotAUnitVariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a unit variant")
    }
}

impl std::error::Error for NotAUnitVariant {}

impl serde::ser::Error for NotAUnitVariant {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        NotAUnitVariant
    }
}

/// A serializer that accepts only a unit variant and returns its name.
struct VariantName;

type No = Impossible<&'static str, NotAUnitVariant>;

macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),+ $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<&'static str, NotAUnitVariant> {
            Err(NotAUnitVariant)
        })+
    };
}

impl Serializer for VariantName {
    type Ok = &'static str;
    type Error = NotAUnitVariant;
    type SerializeSeq = No;
    type SerializeTuple = No;
    type SerializeTupleStruct = No;
    type SerializeTupleVariant = No;
    type SerializeMap = No;
    type SerializeStruct = No;
    type SerializeStructVariant = No;

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<&'static str, NotAUnitVariant> {
        Ok(variant)
    }

    refuse! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_f32(f32), serialize_f64(f64), serialize_char(char),
        serialize_str(&str), serialize_bytes(&[u8]), serialize_none(), serialize_unit(),
        serialize_unit_struct(&'static str),
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<&'static str, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<&'static str, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<&'static str, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }
    fn serialize_tuple(self, _: usize) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<No, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }
}

#[cfg(test)]
mod tests {
    use super::Named;
    use crate::{
        AssumptionStatus, DecisionStatus, DependencyStatus, Health, Impact, IssueStatus,
        MilestoneKind, MilestoneStatus, Probability, ProgramStatus, ReadinessStatus, RiskStatus,
        RuleLevel,
    };

    fn same_as_json<T: Named>(values: &[T]) {
        for v in values {
            let json = serde_json::to_value(v).expect("serializes");
            assert_eq!(json.as_str(), Some(v.as_str()));
        }
    }

    #[test]
    fn names_are_the_names_serde_writes() {
        assert_eq!(MilestoneStatus::InProgress.as_str(), "in_progress");
        assert_eq!(MilestoneStatus::InProgress.to_string(), "in_progress");
        same_as_json(&[
            ProgramStatus::Proposed,
            ProgramStatus::Active,
            ProgramStatus::Paused,
            ProgramStatus::Done,
            ProgramStatus::Cancelled,
        ]);
        same_as_json(&[Health::Green, Health::Amber, Health::Red]);
        same_as_json(&[MilestoneKind::Milestone, MilestoneKind::Launch]);
        same_as_json(&[
            MilestoneStatus::Planned,
            MilestoneStatus::InProgress,
            MilestoneStatus::Done,
            MilestoneStatus::Cancelled,
        ]);
        same_as_json(&[
            ReadinessStatus::Pending,
            ReadinessStatus::InProgress,
            ReadinessStatus::Done,
            ReadinessStatus::Waived,
            ReadinessStatus::Blocked,
        ]);
        same_as_json(&[Probability::Low, Probability::Medium, Probability::High]);
        same_as_json(&[Impact::Low, Impact::Medium, Impact::High, Impact::Critical]);
        same_as_json(&[
            RiskStatus::Open,
            RiskStatus::Mitigating,
            RiskStatus::Accepted,
            RiskStatus::Closed,
        ]);
        same_as_json(&[AssumptionStatus::Open]);
        same_as_json(&[IssueStatus::Open]);
        same_as_json(&[DependencyStatus::Requested]);
        same_as_json(&[DecisionStatus::Proposed, DecisionStatus::Decided]);
        same_as_json(&[
            RuleLevel::Off,
            RuleLevel::Info,
            RuleLevel::Warning,
            RuleLevel::Error,
        ]);
    }
}
