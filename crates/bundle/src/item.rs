//! One content item as it travels in `objects/<sha256>`: normalised JSON that the
//! engine imports without knowing anything about the publisher's Markdown + TOML.

use serde::{Deserialize, Serialize};

/// A closed set of lower-case, kebab-case names, with the list of all of them for
/// error messages ("expected one of ...").
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// `"a", "b" or "c"`, for error messages.
            pub fn expected() -> String {
                let names: Vec<String> = Self::ALL.iter().map(|v| format!("\"{}\"", v.as_str())).collect();
                match names.split_last() {
                    Some((last, [])) => last.clone(),
                    Some((last, rest)) => format!("{} or {}", rest.join(", "), last),
                    None => String::new(),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// The kind of an item. Its directory in `content/` is [`Kind::dir`].
    Kind {
        Timeline => "timeline",
        Guidance => "guidance",
        Report => "report",
        County => "county",
        Resource => "resource",
        Guide => "guide",
        Synonyms => "synonyms",
    }
);

impl Kind {
    /// The directory under `content/` and the first segment of an id.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Timeline => "timeline",
            Kind::Guidance => "guidance",
            Kind::Report => "reports",
            Kind::County => "counties",
            Kind::Resource => "resources",
            Kind::Guide => "guides",
            Kind::Synonyms => "synonyms",
        }
    }

    pub fn from_dir(dir: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.dir() == dir)
    }

    /// Markdown with front matter, or plain TOML.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Timeline | Kind::Guidance | Kind::Report | Kind::Guide => "md",
            Kind::County | Kind::Resource | Kind::Synonyms => "toml",
        }
    }
}

string_enum!(EventType {
    Legislation => "legislation",
    FederalLaw => "federal-law",
    Guidance => "guidance",
    Report => "report",
    Program => "program",
    Event => "event",
});

string_enum!(
    /// All County Letter, All County Information Notice, County Fiscal Letter.
    GuidanceType { Acl => "ACL", Acin => "ACIN", Cfl => "CFL" }
);

string_enum!(GuidanceStatus {
    Current => "current",
    PartlySuperseded => "partly-superseded",
    Superseded => "superseded",
    Rescinded => "rescinded",
});

string_enum!(
    /// Who a practice guide is written for.
    Audience {
        FosterParents => "foster-parents",
        FieldStaff => "field-staff",
        Advocates => "advocates",
    }
);

string_enum!(
    /// The language an item is written in. English is the original; other
    /// languages are translations of an English item.
    Lang { En => "en", Es => "es" }
);

impl Lang {
    fn is_en(&self) -> bool {
        *self == Lang::En
    }
}

// string_enum! cannot mark a variant #[default], so the impl is written out.
#[allow(clippy::derivable_impls)]
impl Default for Lang {
    fn default() -> Self {
        Lang::En
    }
}

string_enum!(
    /// Whether a county takes part in the state's opt-in CSEC Program.
    Program {
        Participating => "participating",
        NotParticipating => "not-participating",
        Unknown => "unknown",
    }
);

string_enum!(
    /// Multidisciplinary-team roles (WIC 16524.8).
    Role {
        ChildWelfare => "child-welfare",
        Probation => "probation",
        MentalHealth => "mental-health",
        PublicHealth => "public-health",
        JuvenileCourt => "juvenile-court",
        CountyOfficeOfEducation => "county-office-of-education",
        Sheriff => "sheriff",
        LocalEducationAgency => "local-education-agency",
        LawEnforcement => "law-enforcement",
        SurvivorAdvocate => "survivor-advocate",
        CommunityProvider => "community-provider",
        Other => "other",
    }
);

impl Role {
    /// Roles every county protocol must include: child welfare (lead), the four
    /// partners required since SB 855, and the two added by AB 1227 from 2018.
    pub const REQUIRED: &'static [Role] = &[
        Role::ChildWelfare,
        Role::Probation,
        Role::MentalHealth,
        Role::PublicHealth,
        Role::JuvenileCourt,
        Role::CountyOfficeOfEducation,
        Role::Sheriff,
    ];
}

string_enum!(
    /// RFC 6350 phone types as HSDS uses them, plus the two a field worker needs.
    PhoneType {
        Voice => "voice",
        Text => "text",
        Fax => "fax",
        Hotline => "hotline",
        AfterHours => "after-hours",
        Tty => "tty",
    }
);

string_enum!(Scope { Statewide => "statewide", National => "national" });

/// Where a fact comes from. Every item carries at least one, except counties whose
/// contacts are all unverified placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    pub number: String,
    #[serde(rename = "type")]
    pub phone_type: PhoneType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// When this line is answered ("24 hours, 7 days", "business hours"), where one
    /// agency's lines differ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
}

/// How to reach one organisation (HSDS organization + phone + schedule, flattened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
    /// Free text: "English, Spanish and more than 200 languages by phone".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<String>,
    /// `false` for placeholders: the app must label them "unverified".
    pub verified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// `YYYY-MM-DD`: when the contact was last checked against its source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<String>,
}

/// One county agency in its multidisciplinary-team role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub role: Role,
    #[serde(flatten)]
    pub contact: Contact,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct County {
    pub name: String,
    /// Five-digit FIPS code, `06001` to `06115`.
    pub fips: String,
    pub csec_program: Program,
    pub agencies: Vec<Agency>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub scope: Scope,
    #[serde(flatten)]
    pub contact: Contact,
}

/// Terms that mean the same thing to a searcher: "missing", "runaway", "AWOL",
/// "desaparecido". A search for one also searches the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynonymGroup {
    pub terms: Vec<String>,
}

/// What only one kind of item has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Details {
    Timeline {
        event_type: EventType,
    },
    Guidance {
        number: String,
        #[serde(rename = "type")]
        guidance_type: GuidanceType,
        status: GuidanceStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        superseded_by: Option<String>,
        /// One or two sentences on what replaced which part, shown beside the status.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status_note: Option<String>,
    },
    Report {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        publisher: Option<String>,
    },
    County(County),
    Resource(Resource),
    Guide {
        audience: Vec<Audience>,
        /// Where the guide comes in the list: the most urgent first.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        order: Option<u32>,
    },
    /// Search terms the field uses for the same thing, across English and Spanish.
    /// Not shown as a document: search reads it to widen queries.
    Synonyms {
        groups: Vec<SynonymGroup>,
    },
}

impl Details {
    pub fn kind(&self) -> Kind {
        match self {
            Details::Timeline { .. } => Kind::Timeline,
            Details::Guidance { .. } => Kind::Guidance,
            Details::Report { .. } => Kind::Report,
            Details::County(_) => Kind::County,
            Details::Resource(_) => Kind::Resource,
            Details::Guide { .. } => Kind::Guide,
            Details::Synonyms { .. } => Kind::Synonyms,
        }
    }
}

/// One content item, exactly as stored in an object file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// `guidance/acl-16-49`: the path under `content/` without extension.
    pub id: String,
    pub title: String,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, at the precision of the source. Counties and
    /// resources have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    pub summary: String,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub related: Vec<String>,
    /// Markdown. Empty for counties and resources.
    #[serde(default)]
    pub body: String,
    /// Left out of the JSON for English, so English items keep their bytes (and hashes).
    #[serde(default, skip_serializing_if = "Lang::is_en")]
    pub lang: Lang,
    /// For a translation: the id of the English item it translates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_of: Option<String>,
    /// Files the item refers to (a report's PDF, a convening's slides), each an
    /// immutable `objects/<sha256>` of its own, downloaded apart from the item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    #[serde(flatten)]
    pub details: Details,
}

/// The largest attachment a device accepts: a long report's PDF is a few MB.
pub const ATTACHMENT_CAP: u64 = 64 * 1024 * 1024;

/// Media types an attachment may have: documents a phone's own viewer opens, and
/// nothing a viewer would run.
pub const ATTACHMENT_MEDIA_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
];

/// A binary file an item lists; its bytes are `objects/<sha256>`, checked by
/// [`verify_attachment`]. Covered by the signature through the item's own hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// What the reader sees: "Full report (PDF)".
    pub title: String,
    /// The name to save or open it under: `report-2019.pdf`.
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
    pub size: u64,
}

impl Attachment {
    /// Its path in the bundle.
    pub fn path(&self) -> String {
        format!("{}/{}", crate::OBJECTS_DIR, self.sha256)
    }

    /// Why the listing itself is not acceptable, before any byte is fetched.
    pub fn problem(&self) -> Option<String> {
        let hex = self.sha256.len() == 64
            && self
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let name_ok = !self.file_name.is_empty()
            && self.file_name.len() <= 120
            && !self.file_name.starts_with('.')
            && self
                .file_name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        if !hex {
            Some(format!(
                "attachment {:?} has no valid sha256",
                self.file_name
            ))
        } else if !name_ok {
            Some(format!(
                "attachment file name {:?} must be letters, digits, '-', '_' and '.'",
                self.file_name
            ))
        } else if !ATTACHMENT_MEDIA_TYPES.contains(&self.media_type.as_str()) {
            Some(format!(
                "attachment {} has media type {:?}, which the app does not open",
                self.file_name, self.media_type
            ))
        } else if self.size == 0 || self.size > ATTACHMENT_CAP {
            Some(format!(
                "attachment {} is {} bytes; it must be 1 to {ATTACHMENT_CAP}",
                self.file_name, self.size
            ))
        } else {
            None
        }
    }
}

/// Checks an attachment's bytes against its listing: size, hash, and that a PDF
/// begins like one (a mislabelled file would open in the wrong viewer).
pub fn verify_attachment(
    item_id: &str,
    attachment: &Attachment,
    bytes: &[u8],
) -> Result<(), crate::BundleError> {
    let mismatch = |what: String| crate::BundleError::AttachmentMismatch {
        item: item_id.to_string(),
        file: attachment.file_name.clone(),
        what,
    };
    let size = bytes.len() as u64;
    if size != attachment.size {
        return Err(mismatch(format!(
            "is {size} bytes, but the item lists {}",
            attachment.size
        )));
    }
    if crate::sha256_hex(bytes) != attachment.sha256 {
        return Err(mismatch(
            "does not match the SHA-256 its item lists".to_string(),
        ));
    }
    if attachment.media_type == "application/pdf" && !bytes.starts_with(b"%PDF-") {
        return Err(mismatch("is listed as a PDF but is not one".to_string()));
    }
    Ok(())
}

impl Item {
    pub fn kind(&self) -> Kind {
        self.details.kind()
    }

    /// The canonical bytes of this item: what is hashed, signed and stored.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising plain structs, enums and strings cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// `kind-dir/slug`, slug in lower-case ASCII letters, digits and single dashes.
pub fn is_valid_id(id: &str) -> bool {
    let Some((dir, slug)) = id.split_once('/') else {
        return false;
    };
    Kind::from_dir(dir).is_some() && is_valid_slug(slug)
}

pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 120
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kind_dir_and_slug() {
        assert!(is_valid_id("guidance/acl-16-49"));
        assert!(is_valid_id("counties/san-luis-obispo"));
        assert!(!is_valid_id("guidance/ACL-16-49"));
        assert!(is_valid_id("guides/youth-missing-es"));
        assert!(!is_valid_id("guide/acl-16-49"));
        assert!(!is_valid_id("guidance/"));
        assert!(!is_valid_id("guidance/a--b"));
        assert!(!is_valid_id("guidance/a/b"));
    }

    #[test]
    fn item_round_trips_through_json_with_kind_tag() {
        let item = Item {
            id: "guidance/acl-16-49".into(),
            title: "t".into(),
            date: Some("2016-05-23".into()),
            updated: None,
            summary: "s".into(),
            sources: vec![],
            related: vec![],
            body: String::new(),
            lang: Lang::En,
            translation_of: None,
            attachments: Vec::new(),
            details: Details::Guidance {
                number: "ACL 16-49".into(),
                guidance_type: GuidanceType::Acl,
                status: GuidanceStatus::Current,
                superseded_by: None,
                status_note: None,
            },
        };
        let bytes = item.to_bytes();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains(r#""kind":"guidance""#), "{text}");
        assert!(text.contains(r#""type":"ACL""#), "{text}");
        assert!(
            !text.contains("lang"),
            "English is the default and not written: {text}"
        );
        assert!(
            !text.contains("attachments"),
            "no attachments are not written, so items keep their hashes: {text}"
        );
        let back: Item = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, item);
    }

    #[test]
    fn expected_lists_every_value() {
        assert_eq!(GuidanceType::expected(), r#""ACL", "ACIN" or "CFL""#);
        assert_eq!(Role::parse("sheriff"), Some(Role::Sheriff));
        assert_eq!(Role::parse("Sheriff"), None);
    }

    fn pdf(bytes: &[u8]) -> Attachment {
        Attachment {
            title: "Full report (PDF)".into(),
            file_name: "report-2019.pdf".into(),
            media_type: "application/pdf".into(),
            sha256: crate::sha256_hex(bytes),
            size: bytes.len() as u64,
        }
    }

    #[test]
    fn an_attachment_is_checked_by_size_hash_and_kind() {
        let bytes = b"%PDF-1.4\n%%EOF\n";
        let listed = pdf(bytes);
        assert_eq!(listed.problem(), None);
        assert_eq!(listed.path(), format!("objects/{}", listed.sha256));
        assert!(verify_attachment("reports/x", &listed, bytes).is_ok());
        let says = |listed: &Attachment, bytes: &[u8]| {
            verify_attachment("reports/x", listed, bytes)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            says(&listed, b"%PDF-1.4\n%%EOF\n\n"),
            "the attachment report-2019.pdf of reports/x is 16 bytes, but the item lists 15; the file was changed or damaged"
        );
        assert!(says(&listed, b"%PDF-1.5\n%%EOF\n").contains("does not match the SHA-256"));
        let not_pdf = b"<html>not a pdf</html>";
        assert!(says(&pdf(not_pdf), not_pdf).contains("is listed as a PDF but is not one"));
    }

    #[test]
    fn an_attachment_listing_must_be_safe_to_open() {
        let good = pdf(b"%PDF-1.4");
        let cases = [
            Attachment {
                media_type: "text/html".into(),
                ..good.clone()
            },
            Attachment {
                media_type: "application/x-sh".into(),
                ..good.clone()
            },
            Attachment {
                file_name: "../../etc/passwd".into(),
                ..good.clone()
            },
            Attachment {
                file_name: ".hidden.pdf".into(),
                ..good.clone()
            },
            Attachment {
                file_name: String::new(),
                ..good.clone()
            },
            Attachment {
                sha256: "ABC".into(),
                ..good.clone()
            },
            Attachment {
                size: 0,
                ..good.clone()
            },
            Attachment {
                size: ATTACHMENT_CAP + 1,
                ..good.clone()
            },
        ];
        for case in cases {
            assert!(case.problem().is_some(), "{case:?}");
        }
    }
}
