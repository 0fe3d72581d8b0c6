//! California's 58 counties with their FIPS codes (06001 to 06115, odd numbers, in
//! alphabetical order), so a county file's name, slug and code can be checked.

pub struct CountyInfo {
    pub name: &'static str,
    pub fips: String,
    pub slug: String,
}

const NAMES: [&str; 58] = [
    "Alameda",
    "Alpine",
    "Amador",
    "Butte",
    "Calaveras",
    "Colusa",
    "Contra Costa",
    "Del Norte",
    "El Dorado",
    "Fresno",
    "Glenn",
    "Humboldt",
    "Imperial",
    "Inyo",
    "Kern",
    "Kings",
    "Lake",
    "Lassen",
    "Los Angeles",
    "Madera",
    "Marin",
    "Mariposa",
    "Mendocino",
    "Merced",
    "Modoc",
    "Mono",
    "Monterey",
    "Napa",
    "Nevada",
    "Orange",
    "Placer",
    "Plumas",
    "Riverside",
    "Sacramento",
    "San Benito",
    "San Bernardino",
    "San Diego",
    "San Francisco",
    "San Joaquin",
    "San Luis Obispo",
    "San Mateo",
    "Santa Barbara",
    "Santa Clara",
    "Santa Cruz",
    "Shasta",
    "Sierra",
    "Siskiyou",
    "Solano",
    "Sonoma",
    "Stanislaus",
    "Sutter",
    "Tehama",
    "Trinity",
    "Tulare",
    "Tuolumne",
    "Ventura",
    "Yolo",
    "Yuba",
];

/// All 58, in FIPS order.
pub static CALIFORNIA_COUNTIES: std::sync::LazyLock<Vec<CountyInfo>> =
    std::sync::LazyLock::new(|| {
        NAMES
            .iter()
            .enumerate()
            .map(|(i, name)| CountyInfo {
                name,
                fips: format!("06{:03}", 2 * i + 1),
                slug: slugify(name),
            })
            .collect()
    });

/// `San Luis Obispo` → `san-luis-obispo`.
pub fn slugify(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// By name or slug, in any case: `Fresno`, `fresno`, `san-luis-obispo`, `San Luis Obispo County`.
pub fn county_by_name(name: &str) -> Option<&'static CountyInfo> {
    let mut slug = slugify(name);
    if let Some(stripped) = slug.strip_suffix("-county") {
        slug = stripped.to_string();
    }
    CALIFORNIA_COUNTIES.iter().find(|c| c.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fips_codes_run_from_06001_to_06115() {
        assert_eq!(CALIFORNIA_COUNTIES.len(), 58);
        assert_eq!(CALIFORNIA_COUNTIES[0].fips, "06001");
        assert_eq!(county_by_name("Fresno").unwrap().fips, "06019");
        assert_eq!(county_by_name("Los Angeles").unwrap().fips, "06037");
        assert_eq!(county_by_name("yuba").unwrap().fips, "06115");
    }

    #[test]
    fn counties_are_found_by_name_or_slug_in_any_case() {
        for name in [
            "San Luis Obispo",
            "san-luis-obispo",
            "SAN LUIS OBISPO",
            "San Luis Obispo County",
        ] {
            assert_eq!(
                county_by_name(name).unwrap().slug,
                "san-luis-obispo",
                "{name}"
            );
        }
        assert!(county_by_name("Gotham").is_none());
        assert!(county_by_name("").is_none());
    }
}
