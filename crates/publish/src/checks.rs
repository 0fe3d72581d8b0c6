//! Checks of single values: dates, phone numbers, emails, URLs, guidance numbers.
//! Each returns a sentence the publisher can act on.

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real calendar date.
pub(crate) fn partial_date(text: &str) -> Result<(), String> {
    let bad = || {
        Err(format!(
            "{text:?} is not a date: write \"YYYY-MM-DD\", or \"YYYY-MM\" or \"YYYY\" when the source gives no day"
        ))
    };
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let Some(year) = parts.first().and_then(|y| number(y, 4)) else {
        return bad();
    };
    if !(1900..=2100).contains(&year) || parts.len() > 3 {
        return bad();
    }
    let month = match parts.get(1) {
        None => return Ok(()),
        Some(m) => match number(m, 2) {
            Some(m @ 1..=12) => m,
            _ => return bad(),
        },
    };
    match parts.get(2) {
        None => Ok(()),
        Some(d) => match number(d, 2) {
            Some(d) if d >= 1 && d <= days_in_month(year, month) => Ok(()),
            _ => bad(),
        },
    }
}

/// A full `YYYY-MM-DD` date.
pub(crate) fn full_date(text: &str) -> Result<(), String> {
    partial_date(text)?;
    if text.len() == 10 {
        Ok(())
    } else {
        Err(format!("{text:?} must be a full date, \"YYYY-MM-DD\""))
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The digits of a phone number, if it is one: a ten-digit North American number
/// (optionally with a leading 1), a three-digit N11 line (211, 988), or a five- or
/// six-digit text short code.
pub(crate) fn phone_digits(number: &str, is_text: bool) -> Result<String, String> {
    let bad = |why: &str| {
        Err(format!(
            "phone number {number:?} {why}; write it like \"(559) 555-0100\" or \"1-888-373-7888\""
        ))
    };
    if number
        .chars()
        .any(|c| !(c.is_ascii_digit() || " ()-.+".contains(c)))
    {
        return bad("has characters other than digits, spaces and ( ) - . +");
    }
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.len() {
        11 if digits.starts_with('1') => &digits[1..],
        10 => &digits[..],
        3 if digits.ends_with("11") || digits == "988" => return Ok(digits),
        5 | 6 if is_text => return Ok(digits),
        5 | 6 => return bad("is a short code, which only works for type = \"text\""),
        _ => return bad("does not have 10 digits"),
    };
    if national.starts_with(['0', '1']) || national[3..].starts_with(['0', '1']) {
        return bad("is not a valid North American number");
    }
    Ok(national.to_string())
}

/// Whether ten national digits are in the range reserved for fiction, 555-0100 to 555-0199.
pub(crate) fn is_fictional_number(national: &str) -> bool {
    national.len() == 10 && &national[3..6] == "555" && &national[6..8] == "01"
}

pub(crate) fn email(text: &str) -> Result<(), String> {
    let bad = || {
        Err(format!(
            "{text:?} is not an email address like name@agency.gov"
        ))
    };
    let Some((local, domain)) = text.split_once('@') else {
        return bad();
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    if !local_ok || !is_domain(domain) {
        return bad();
    }
    Ok(())
}

fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// The host of an `https://` URL.
pub(crate) fn https_url(text: &str) -> Result<String, String> {
    let Some(rest) = text.strip_prefix("https://") else {
        return Err(format!("{text:?} must be an https:// address"));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if !is_domain(host) || text.chars().any(char::is_whitespace) {
        return Err(format!("{text:?} is not a valid web address"));
    }
    Ok(host.to_ascii_lowercase())
}

/// The host of an `https://` or `http://` URL. Only a contact's source page may be
/// plain http: some county sites are recorded only at an http address, and the app
/// marks such a link as not secure rather than hide where a number came from.
pub(crate) fn web_url(text: &str) -> Result<String, String> {
    match text.strip_prefix("http://") {
        Some(rest) => https_url(&format!("https://{rest}")),
        None => https_url(text),
    }
    .map_err(|_| format!("{text:?} must be an https:// (or, for a source page, http://) address"))
}

/// `example.org` or any of its subdomains: reserved, so never a real agency.
pub(crate) fn is_example_domain(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "example.org" || host.ends_with(".example.org")
}

/// `ACL 16-49`, `ACL 18-109`, `ACL 23-76E`, `ACIN I-23-15`, `CFL 14/15-32`: the type
/// and the file slug (lower case, spaces and `/` as `-`: `cfl-14-15-32`).
pub(crate) fn guidance_number(number: &str) -> Result<(&str, String), String> {
    let bad = || {
        Err(format!(
            "guidance number {number:?} must look like \"ACL 16-49\", \"ACIN I-23-15\" or \"CFL 14/15-32\""
        ))
    };
    let Some((kind, rest)) = number.split_once(' ') else {
        return bad();
    };
    let rest_after_prefix = match kind {
        "ACL" => rest,
        "ACIN" => match rest.strip_prefix("I-") {
            Some(r) => r,
            None => return bad(),
        },
        // County Fiscal Letters are numbered by fiscal year: 14/15-32.
        "CFL" => match rest.split_once('/') {
            Some((first, r)) if first.len() == 2 && first.bytes().all(|c| c.is_ascii_digit()) => r,
            _ => return bad(),
        },
        _ => return bad(),
    };
    let Some((a, b)) = rest_after_prefix.split_once('-') else {
        return bad();
    };
    let b_digits = b.trim_end_matches(|c: char| c.is_ascii_uppercase());
    let suffix_ok = b.len() - b_digits.len() <= 1;
    let digits = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit())
    };
    if !(digits(a, 2..=2) && digits(b_digits, 2..=3) && suffix_ok) {
        return bad();
    }
    Ok((kind, number.to_ascii_lowercase().replace([' ', '/'], "-")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision_and_must_exist() {
        for ok in ["2013", "2014-06", "2014-06-15", "2016-02-29"] {
            assert!(partial_date(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "13",
            "2014-6",
            "2014-13",
            "2015-02-29",
            "2014-06-31",
            "2014/06/15",
            "2014-06-15-1",
            "２０１４",
            "2014-00",
        ] {
            assert!(partial_date(bad).is_err(), "{bad}");
        }
        assert!(full_date("2014").is_err());
    }

    #[test]
    fn phone_numbers_are_north_american_or_short_codes() {
        assert_eq!(phone_digits("(559) 555-0100", false).unwrap(), "5595550100");
        assert_eq!(phone_digits("1-888-373-7888", false).unwrap(), "8883737888");
        assert_eq!(phone_digits("233733", true).unwrap(), "233733");
        assert!(phone_digits("233733", false).is_err());
        assert!(phone_digits("555-0100", false).is_err());
        assert!(phone_digits("(559) 555-01OO", false).is_err());
        assert!(phone_digits("(059) 555-0100", false).is_err());
        assert!(is_fictional_number("5595550142"));
        assert!(!is_fictional_number("5595550200"));
        assert!(!is_fictional_number("8883737888"));
    }

    #[test]
    fn emails_and_urls() {
        assert!(email("csec@fresno.example.org").is_ok());
        for bad in [
            "",
            "a",
            "a@b",
            "@b.org",
            "a b@c.org",
            "a@@b.org",
            "a@b..org",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert_eq!(
            https_url("https://www.cdss.ca.gov/x?y").unwrap(),
            "www.cdss.ca.gov"
        );
        assert!(https_url("http://cdss.ca.gov").is_err());
        assert_eq!(
            web_url("http://www.co.fresno.ca.us/x").unwrap(),
            "www.co.fresno.ca.us"
        );
        assert!(web_url("ftp://cdss.ca.gov").is_err());
        assert!(https_url("https://").is_err());
        assert!(is_example_domain("fresno.example.org"));
        assert!(!is_example_domain("notexample.org"));
    }

    #[test]
    fn guidance_numbers_give_their_slug() {
        assert_eq!(
            guidance_number("ACL 16-49").unwrap(),
            ("ACL", "acl-16-49".into())
        );
        assert_eq!(
            guidance_number("ACIN I-23-15").unwrap(),
            ("ACIN", "acin-i-23-15".into())
        );
        assert_eq!(guidance_number("ACL 18-109").unwrap().1, "acl-18-109");
        assert_eq!(guidance_number("ACL 23-76E").unwrap().1, "acl-23-76e");
        assert_eq!(
            guidance_number("CFL 14/15-32").unwrap(),
            ("CFL", "cfl-14-15-32".into())
        );
        for bad in [
            "ACL16-49",
            "ACL 1649",
            "ACIN 23-15",
            "PIN 16-49",
            "ACL 16-49EE",
            "CFL 14-32",
            "CFL 2014/15-32",
            "",
        ] {
            assert!(guidance_number(bad).is_err(), "{bad}");
        }
    }
}
