//! Italian numbers written as text: `1.150` is one thousand one hundred
//! fifty, `2,5` is two and a half, `€ 135.000,00` is money.

use rust_decimal::Decimal;
use std::str::FromStr;

/// Parses a bare Italian number (sign, digits, `.` thousands, `,` decimals).
/// Units and operators must already be stripped. A lone `.` that does not
/// group thousands (`1.4`) is read as a decimal point, as people also type it.
pub fn parse_italian_number(s: &str) -> Option<Decimal> {
    let s: String = s.chars().filter(|c| !c.is_whitespace() && *c != '\'').collect();
    let s = s.replace('−', "-");
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, s.strip_prefix('+').unwrap_or(&s).to_string()),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    if !body.starts_with(|c: char| c.is_ascii_digit()) && !body.starts_with(',') {
        return None;
    }
    let canonical = if body.contains(',') {
        let mut parts = body.splitn(2, ',');
        let int = parts.next().unwrap_or("");
        let frac = parts.next().unwrap_or("");
        if frac.contains(',') || frac.contains('.') || frac.is_empty() || !thousands_ok(int) {
            return None;
        }
        format!("{}.{}", int.replace('.', ""), frac)
    } else if body.contains('.') {
        let groups: Vec<&str> = body.split('.').collect();
        if thousands_ok(&body) && groups.len() > 1 {
            body.replace('.', "")
        } else if groups.len() == 2 && !groups[0].is_empty() && !groups[1].is_empty() {
            body.clone()
        } else {
            return None;
        }
    } else {
        body.clone()
    };
    let canonical = if canonical.starts_with('.') { format!("0{canonical}") } else { canonical };
    let value = Decimal::from_str(&canonical).ok()?;
    Some(if neg { -value } else { value })
}

/// True when `int` is digits grouped by `.` in threes (`1.234.567`), or has
/// no dots at all.
fn thousands_ok(int: &str) -> bool {
    let groups: Vec<&str> = int.split('.').collect();
    if groups.len() == 1 {
        return true;
    }
    let first = groups[0];
    !first.is_empty()
        && first.len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// Converts a spreadsheet's binary number to the decimal it displays: the
/// shortest text that reads back as the same `f64` (0.95 stays 0.95).
pub fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    Decimal::from_str(&format!("{f}"))
        .ok()
        .or_else(|| Decimal::from_scientific(&format!("{f:e}")).ok())
        .map(|d| d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    #[test]
    fn italian_thousands_and_decimals() {
        assert_eq!(parse_italian_number("1.150"), Some(dec("1150")));
        assert_eq!(parse_italian_number("2,5"), Some(dec("2.5")));
        assert_eq!(parse_italian_number("135.000,00"), Some(dec("135000.00")));
        assert_eq!(parse_italian_number("-25,98"), Some(dec("-25.98")));
        assert_eq!(parse_italian_number("1.234.567"), Some(dec("1234567")));
        assert_eq!(parse_italian_number("0,40"), Some(dec("0.40")));
        assert_eq!(parse_italian_number("24"), Some(dec("24")));
    }

    #[test]
    fn a_dot_that_does_not_group_thousands_is_a_decimal_point() {
        assert_eq!(parse_italian_number("1.4"), Some(dec("1.4")));
        assert_eq!(parse_italian_number("3.0"), Some(dec("3.0")));
    }

    #[test]
    fn malformed_numbers_are_refused() {
        assert_eq!(parse_italian_number(""), None);
        assert_eq!(parse_italian_number("circa cinque"), None);
        assert_eq!(parse_italian_number("1,2,3"), None);
        assert_eq!(parse_italian_number("1.2.3"), None);
        assert_eq!(parse_italian_number("28.02.2019"), None);
        assert_eq!(parse_italian_number("12,"), None);
    }

    #[test]
    fn binary_cells_become_the_decimals_they_display() {
        assert_eq!(decimal_from_f64(0.95), Some(dec("0.95")));
        assert_eq!(decimal_from_f64(0.1 + 0.2), Some(dec("0.30000000000000004")));
        assert_eq!(decimal_from_f64(542816.75), Some(dec("542816.75")));
        assert_eq!(decimal_from_f64(f64::NAN), None);
    }
}
